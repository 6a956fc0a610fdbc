/* Page behaviour shared by every page; charts live in charts.js (loaded only where drawn). */
(function () {
  "use strict";

  // A refreshed log tail should show its newest lines, as a terminal would.
  function scrollLogs(root) {
    (root || document).querySelectorAll("pre.log").forEach(function (pre) { pre.scrollTop = pre.scrollHeight; });
  }

  // A wizard step whose next step depends on a choice (data-autosubmit) goes on when it is made;
  // the page's inline-script policy rules out onchange attributes.
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit(); }
  });

  if (window.htmx) {
    htmx.onLoad(scrollLogs);
  } else {
    document.addEventListener("DOMContentLoaded", function () { scrollLogs(document); });
  }
})();
