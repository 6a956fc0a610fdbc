/* Line QC station page: draws the charts from the server's summary (json_script
   #summary-data, replaced out of band after every inspection or review), keeps the
   parts list tidy while streaming, and shows per-file upload errors (HTTP 400). */
(function () {
  "use strict";

  var TEXT = "#1c2430";
  var MUTED = "#617083";
  var GRID_LINE = "#edf0f4";
  var PASS = "#1b8a5a";
  var REJECT = "#c92a2a";
  var OVER_KILL = "#e67700";
  var ESCAPE = "#c92a2a";
  var MAX_CARDS = 30;

  function locale() {
    return (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function summary() {
    var el = document.getElementById("summary-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function base(d) {
    return {
      animationDuration: 250,
      textStyle: { fontSize: 11 },
      grid: { left: 40, right: 12, top: 30, bottom: 26, containLabel: false },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: null
      }
    };
  }

  function hourAxis(d) {
    return {
      type: "category", data: d.hours,
      axisLabel: { color: MUTED, fontSize: 10, interval: Math.max(Math.ceil(d.hours.length / 8) - 1, 0) },
      axisTick: { alignWithLabel: true }, axisLine: { lineStyle: { color: "#c3ccd8" } }
    };
  }

  function countAxis() {
    return { type: "value", minInterval: 1, axisLabel: { color: MUTED, fontSize: 10 }, splitLine: { lineStyle: { color: GRID_LINE } } };
  }

  function legend(names) {
    // One line, scrolling when the classes do not fit: the plot never moves under it.
    return { type: "scroll", data: names, top: 0, left: 40, right: 4, itemWidth: 10, itemHeight: 8, itemGap: 8,
      pageIconSize: 9, pageTextStyle: { color: MUTED, fontSize: 10 }, textStyle: { color: MUTED, fontSize: 10 } };
  }

  function hourTitle(d) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      var title = d.hour_titles[list[0].dataIndex] || list[0].axisValue;
      return [echarts.format.encodeHTML(title)].concat(list.map(function (p) {
        var v = p.value === null || p.value === undefined ? "—" : p.value;
        if (p.seriesType === "line" && v !== "—") { v = v + "%"; }
        return p.marker + echarts.format.encodeHTML(p.seriesName) + ": <b>" + v + "</b>";
      })).join("<br>");
    };
  }

  function empty(d, o) {
    o.graphic = [{ type: "text", left: "center", top: "middle", silent: true,
      style: { text: d.text.no_data, fill: "#9aa6b4", fontSize: 12 } }];
    return o;
  }

  var BUILD = {
    classes: function (d) {
      var o = base(d);
      o.grid = { left: 40, right: 12, top: 22, bottom: 26 };
      o.tooltip.formatter = undefined;
      o.xAxis = { type: "category", data: d.classes.map(function (c) { return c.label; }),
        axisLabel: { color: TEXT, fontSize: 11, interval: 0, rotate: d.classes.length > 4 ? 25 : 0 } };
      o.yAxis = countAxis();
      o.series = [{
        type: "bar", name: d.text.defects, barMaxWidth: 42,
        data: d.classes.map(function (c) { return { value: c.total, itemStyle: { color: c.colour } }; }),
        itemStyle: { borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: "top", color: TEXT, fontSize: 11 }
      }];
      var total = d.classes.reduce(function (s, c) { return s + c.total; }, 0);
      return total ? o : empty(d, o);
    },
    hourly: function (d) {
      var o = base(d);
      o.tooltip.formatter = hourTitle(d);
      o.legend = legend(d.classes.map(function (c) { return c.label; }));
      o.xAxis = hourAxis(d);
      o.yAxis = countAxis();
      o.series = d.classes.map(function (c) {
        return { type: "bar", stack: "defects", name: c.label, data: c.by_hour, itemStyle: { color: c.colour }, barMaxWidth: 18 };
      });
      var total = d.classes.reduce(function (s, c) { return s + c.total; }, 0);
      return total ? o : empty(d, o);
    },
    verdicts: function (d) {
      var o = base(d);
      o.tooltip.formatter = hourTitle(d);
      o.legend = legend([d.text.pass, d.text.reject]);
      o.xAxis = hourAxis(d);
      o.yAxis = countAxis();
      o.series = [
        { type: "bar", stack: "parts", name: d.text.pass, data: d.passes, itemStyle: { color: PASS }, barMaxWidth: 18 },
        { type: "bar", stack: "parts", name: d.text.reject, data: d.rejects, itemStyle: { color: REJECT }, barMaxWidth: 18 }
      ];
      var total = d.parts.reduce(function (s, v) { return s + v; }, 0);
      return total ? o : empty(d, o);
    },
    rates: function (d) {
      var o = base(d);
      o.tooltip.formatter = hourTitle(d);
      o.tooltip.axisPointer = { type: "line" };
      o.legend = legend([d.text.over_kill, d.text.escape]);
      o.xAxis = hourAxis(d);
      o.xAxis.boundaryGap = false;
      o.yAxis = { type: "value", min: 0, max: function (v) { return Math.max(10, Math.ceil(v.max / 10) * 10); },
        axisLabel: { color: MUTED, fontSize: 10, formatter: "{value}%" }, splitLine: { lineStyle: { color: GRID_LINE } } };
      function line(name, data, colour) {
        return { type: "line", name: name, data: data, connectNulls: false, showSymbol: true, symbolSize: 5,
          lineStyle: { width: 2, color: colour }, itemStyle: { color: colour } };
      }
      o.series = [line(d.text.over_kill, d.over_kill, OVER_KILL), line(d.text.escape, d.escape, ESCAPE)];
      var any = d.over_kill.concat(d.escape).some(function (v) { return v !== null; });
      return any ? o : empty(d, o);
    }
  };

  function drawCharts() {
    var d = summary();
    if (!d || !window.echarts) { return; }
    document.querySelectorAll("[data-mf-chart]").forEach(function (el) {
      var build = BUILD[el.getAttribute("data-mf-chart")];
      if (!build) { return; }
      var chart = echarts.getInstanceByDom(el);
      if (!chart) {
        chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
        chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      }
      chart.setOption(build(d), true);
    });
  }

  /* Stream mode may bring back a part already shown (uploaded here a moment ago):
     keep its newest copy, the first in the list, and cap the list's length. */
  function tidyResults() {
    var results = document.getElementById("results");
    if (!results) { return; }
    var seen = {};
    var cards = results.querySelectorAll(".mf-card");
    cards.forEach(function (card) {
      var id = card.getAttribute("data-inspection-id");
      if (id && seen[id]) { card.remove(); return; }
      if (id) { seen[id] = true; }
    });
    cards = results.querySelectorAll(".mf-card");
    for (var i = MAX_CARDS; i < cards.length; i++) { cards[i].remove(); }
  }

  function onLoad(elt) {
    if (elt === document.body || elt.id === "summary-box" || (elt.querySelector && elt.querySelector("#summary-data"))) {
      drawCharts();
    }
    if (elt.classList && elt.classList.contains("mf-card")) {
      if (elt !== document.body && document.readyState === "complete") { elt.classList.add("mf-new"); }
      tidyResults();
    }
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    // Every file refused: the answer is 400 and carries the per-file messages to show.
    if (evt.detail.xhr.status === 400 && evt.detail.elt && evt.detail.elt.id === "inspect-form") {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    // The live feed polls only while its toggle is on (a trigger filter would need eval, which the CSP forbids).
    var toggle = document.getElementById("stream-toggle");
    if (evt.detail.elt && evt.detail.elt.id === "stream-poller" && toggle && !toggle.checked) { evt.preventDefault(); }
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt && evt.detail.elt.id === "inspect-form") { evt.detail.elt.reset(); }
  });
  document.addEventListener("htmx:oobAfterSwap", function (evt) {
    var target = evt.detail.target;
    if (target && target.id === "summary-box") { drawCharts(); }
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-mf-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });

  if (window.htmx) {
    htmx.onLoad(onLoad);
  } else {
    document.addEventListener("DOMContentLoaded", function () { drawCharts(); });
  }
})();
