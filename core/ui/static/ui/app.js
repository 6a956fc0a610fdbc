/* Page behaviour shared by every page; charts live in charts.js (loaded only where drawn). */
(function () {
  "use strict";

  // A refreshed log tail should show its newest lines, as a terminal would.
  function scrollLogs(root) {
    (root || document).querySelectorAll("pre.log").forEach(function (pre) { pre.scrollTop = pre.scrollHeight; });
  }

  if (window.htmx) {
    htmx.onLoad(scrollLogs);
  } else {
    document.addEventListener("DOMContentLoaded", function () { scrollLogs(document); });
  }
})();
