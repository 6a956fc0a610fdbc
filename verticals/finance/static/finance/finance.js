/* Credit-risk pages: draws the validation and stability charts from the server's
   json_script (#fin-chart-data) and lets refused actions (HTTP 400/403/409/503) show their
   message inline, where the form was. */
(function () {
  "use strict";

  var TEXT = "#1c2430";
  var MUTED = "#617083";
  var GRID_LINE = "#edf0f4";
  var AXIS_LINE = "#c3ccd8";
  var GOOD = "#2f6fc4";
  var BAD = "#c6372f";
  var LINE_2 = "#e8871e";
  var STABLE = "rgba(30, 158, 106, .07)";
  var WATCH = "rgba(232, 135, 30, .10)";
  var SHIFTED = "rgba(198, 55, 47, .09)";
  var NEUTRAL = "#a7b2c0";

  function locale() {
    return (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function data() {
    var el = document.getElementById("fin-chart-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function esc(text) {
    return echarts.format.encodeHTML(String(text));
  }

  function fmt(v, digits) {
    return v === null || v === undefined ? "—" : Number(v).toFixed(digits);
  }

  function valueAxis(extra) {
    var axis = {
      type: "value", axisLabel: { color: MUTED, fontSize: 10 }, nameTextStyle: { color: MUTED, fontSize: 10 },
      splitLine: { lineStyle: { color: GRID_LINE } }, axisLine: { show: false }
    };
    Object.keys(extra || {}).forEach(function (k) { axis[k] = extra[k]; });
    return axis;
  }

  function legend(names) {
    return { data: names, top: 0, right: 6, itemWidth: 12, itemHeight: 8, textStyle: { color: MUTED, fontSize: 10 } };
  }

  function empty(o, text) {
    o.graphic = [{ type: "text", left: "center", top: "middle", silent: true,
      style: { text: text, fill: "#9aa6b4", fontSize: 12, width: 260, overflow: "break", align: "center" } }];
    return o;
  }

  var BUILD = {
    hist: function (d) {
      var h = d.hist, t = d.text;
      var o = {
        animationDuration: 250,
        grid: { left: 42, right: 42, top: 28, bottom: 34 },
        legend: legend([t.good, t.bad, t.bad_rate]),
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (ps) {
            var i = ps[0].dataIndex;
            return "<b>" + esc(t.score) + " " + esc(h.ranges[i]) + "</b><br>" +
              esc(t.good) + ": " + h.good_n[i] + " (" + fmt(h.good[i], 1) + "%)<br>" +
              esc(t.bad) + ": " + h.bad_n[i] + " (" + fmt(h.bad[i], 1) + "%)<br>" +
              esc(t.bad_rate) + ": " + fmt(h.bad_rate[i], 1) + "%";
          }
        },
        xAxis: { type: "category", data: h.labels, name: t.score, nameLocation: "middle", nameGap: 22,
          nameTextStyle: { color: MUTED, fontSize: 10 },
          axisLabel: { color: MUTED, fontSize: 9, interval: Math.max(Math.ceil(h.labels.length / 7) - 1, 0) },
          axisLine: { lineStyle: { color: AXIS_LINE } }, axisTick: { alignWithLabel: true } },
        yAxis: [valueAxis({ axisLabel: { color: MUTED, fontSize: 10, formatter: "{value}%" } }),
          valueAxis({ max: 100, splitLine: { show: false }, axisLabel: { color: MUTED, fontSize: 10, formatter: "{value}%" } })],
        series: [
          { type: "bar", name: t.good, data: h.good, itemStyle: { color: GOOD, opacity: 0.85 }, barGap: "0%", barCategoryGap: "18%" },
          { type: "bar", name: t.bad, data: h.bad, itemStyle: { color: BAD, opacity: 0.85 } },
          { type: "line", name: t.bad_rate, yAxisIndex: 1, data: h.bad_rate, smooth: false, symbolSize: 4, connectNulls: true,
            lineStyle: { color: LINE_2, width: 1.6 }, itemStyle: { color: LINE_2 } }
        ]
      };
      if (h.ks_index !== null && h.ks_index !== undefined) {
        o.series[0].markLine = { silent: true, symbol: "none", lineStyle: { color: TEXT, type: "dashed", width: 1 },
          label: { formatter: t.ks_at, color: TEXT, fontSize: 10, position: "insideEndTop" },
          data: [{ xAxis: h.ks_index }] };
      }
      return h.labels.length ? o : empty(o, t.no_data);
    },

    roc: function (d) {
      var r = d.roc, t = d.text;
      var o = {
        animationDuration: 250,
        grid: { left: 46, right: 16, top: 28, bottom: 40 },
        legend: legend([t.roc, t.random]),
        tooltip: { trigger: "item", formatter: function (p) {
          return esc(t.fpr) + ": " + fmt(p.value[0], 3) + "<br>" + esc(t.tpr) + ": " + fmt(p.value[1], 3); } },
        xAxis: valueAxis({ min: 0, max: 1, name: t.fpr, nameLocation: "middle", nameGap: 24, axisLine: { show: true, lineStyle: { color: AXIS_LINE } } }),
        yAxis: valueAxis({ min: 0, max: 1, name: t.tpr, nameLocation: "middle", nameGap: 32 }),
        series: [
          { type: "line", name: t.roc, data: r.points, showSymbol: false, lineStyle: { color: GOOD, width: 2.2 },
            itemStyle: { color: GOOD }, areaStyle: { color: "rgba(47, 111, 196, .10)" } },
          { type: "line", name: t.random, data: [[0, 0], [1, 1]], showSymbol: false, silent: true,
            lineStyle: { color: NEUTRAL, type: "dashed", width: 1 }, itemStyle: { color: NEUTRAL } }
        ],
        graphic: [{ type: "text", right: 28, bottom: 56, silent: true,
          style: { text: "AUC " + r.auc, fill: TEXT, fontSize: 15, fontWeight: 600 } }]
      };
      return r.points.length ? o : empty(o, t.no_data);
    },

    ks: function (d) {
      var k = d.ks, t = d.text;
      var o = {
        animationDuration: 250,
        grid: { left: 42, right: 16, top: 28, bottom: 40 },
        legend: legend([t.cum_bad, t.cum_good]),
        tooltip: { trigger: "axis", formatter: function (ps) {
          var lines = ["<b>" + esc(t.score) + " " + fmt(ps[0].value[0], 1) + "</b>"];
          ps.forEach(function (p) { lines.push(p.marker + esc(p.seriesName) + ": " + fmt(p.value[1], 1) + "%"); });
          return lines.join("<br>");
        } },
        xAxis: valueAxis({ scale: true, name: t.score, nameLocation: "middle", nameGap: 24, axisLine: { show: true, lineStyle: { color: AXIS_LINE } } }),
        yAxis: valueAxis({ min: 0, max: 100, axisLabel: { color: MUTED, fontSize: 10, formatter: "{value}%" } }),
        series: [
          { type: "line", name: t.cum_bad, data: k.bad, showSymbol: false, lineStyle: { color: BAD, width: 2 }, itemStyle: { color: BAD } },
          { type: "line", name: t.cum_good, data: k.good, showSymbol: false, lineStyle: { color: GOOD, width: 2 }, itemStyle: { color: GOOD } }
        ]
      };
      if (k.at) {
        // The KS gap: a bar between the two curves at the cut-off, labelled beside it.
        o.series[0].markLine = {
          symbol: ["circle", "circle"], symbolSize: 6, silent: true,
          lineStyle: { color: TEXT, width: 2, type: "solid" }, label: { show: false },
          data: [[{ coord: [k.at.score, k.at.good] }, { coord: [k.at.score, k.at.bad] }]]
        };
        o.series[0].markPoint = {
          symbol: "circle", symbolSize: 1, silent: true,
          data: [{ coord: [k.at.score, (k.at.bad + k.at.good) / 2] }],
          label: { show: true, position: "left", distance: 8, formatter: t.ks + " " + k.ks, color: TEXT, fontWeight: 600,
            fontSize: 11, backgroundColor: "rgba(255,255,255,.92)", padding: [2, 5], borderRadius: 3,
            borderColor: "#c3ccd8", borderWidth: 1 }
        };
        o.series[1].markLine = { symbol: "none", silent: true, lineStyle: { color: NEUTRAL, type: "dashed", width: 1 },
          label: { show: true, formatter: k.threshold, color: MUTED, fontSize: 10, position: "start" },
          data: [{ xAxis: k.at.score }] };
      }
      return k.bad.length ? o : empty(o, t.no_data);
    },

    psi: function (d) {
      var p = d.psi, t = d.text;
      var highest = Math.max.apply(null, p.psi.filter(function (v) { return v !== null; }).concat([0]));
      var top = Math.max(0.3, Math.ceil(highest * 1.1 * 10) / 10);
      var o = {
        animationDuration: 250,
        grid: { left: 40, right: 44, top: 30, bottom: 30 },
        legend: legend([t.psi, t.scores]),
        tooltip: { trigger: "axis", formatter: function (ps) {
          var lines = ["<b>" + esc(ps[0].axisValue) + "</b>"];
          ps.forEach(function (s) { lines.push(s.marker + esc(s.seriesName) + ": " + (s.value === null || s.value === undefined ? "—" : s.value)); });
          return lines.join("<br>");
        } },
        xAxis: { type: "category", data: p.days, axisLabel: { color: MUTED, fontSize: 10 }, axisLine: { lineStyle: { color: AXIS_LINE } } },
        yAxis: [valueAxis({ min: 0, max: top }),
          valueAxis({ minInterval: 1, splitLine: { show: false } })],
        series: [
          { type: "bar", name: t.scores, yAxisIndex: 1, data: p.n, barMaxWidth: 22, itemStyle: { color: "#d5dde8" }, z: 1 },
          { type: "line", name: t.psi, data: p.psi, connectNulls: false, symbolSize: 6, z: 3,
            lineStyle: { color: GOOD, width: 2.2 }, itemStyle: { color: GOOD },
            markLine: { symbol: "none", silent: true, data: [
              { yAxis: p.watch, lineStyle: { color: "#e8871e", type: "dashed", width: 1.4 },
                label: { formatter: t.watch, position: "insideEndTop", color: "#b7711a", fontSize: 10 } },
              { yAxis: p.shifted, lineStyle: { color: BAD, type: "dashed", width: 1.4 },
                label: { formatter: t.shifted, position: "insideEndTop", color: BAD, fontSize: 10 } }
            ] },
            markArea: { silent: true, data: [
              [{ yAxis: 0, itemStyle: { color: STABLE } }, { yAxis: p.watch }],
              [{ yAxis: p.watch, itemStyle: { color: WATCH } }, { yAxis: p.shifted }],
              [{ yAxis: p.shifted, itemStyle: { color: SHIFTED } }, { yAxis: top }]
            ] } }
        ]
      };
      var any = p.psi.some(function (v) { return v !== null; });
      return any ? o : empty(o, t.no_psi);
    },

    bands: function (d) {
      var b = d.bands, t = d.text;
      var o = {
        animationDuration: 250,
        grid: { left: 40, right: 10, top: 28, bottom: 46 },
        legend: legend([t.expected, t.actual]),
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v, 1) + "%"; } },
        xAxis: { type: "category", data: b.labels, axisLabel: { color: MUTED, fontSize: 9, rotate: 35, interval: 0 },
          axisLine: { lineStyle: { color: AXIS_LINE } } },
        yAxis: valueAxis({ axisLabel: { color: MUTED, fontSize: 10, formatter: "{value}%" } }),
        series: [
          { type: "bar", name: t.expected, data: b.expected, itemStyle: { color: "#9fb3cc" }, barGap: "10%" },
          { type: "bar", name: t.actual, data: b.actual, itemStyle: { color: GOOD } }
        ]
      };
      return b.labels.length ? o : empty(o, t.no_data);
    },

    importance: function (d) {
      var m = d.importance, t = d.text;
      var names = m.names.slice().reverse(), values = m.values.slice().reverse(), sel = m.selected.slice().reverse();
      var o = {
        animationDuration: 250,
        grid: { left: 8, right: 44, top: 22, bottom: 8, containLabel: true },
        legend: { top: 0, right: 6, itemWidth: 12, itemHeight: 8, textStyle: { color: MUTED, fontSize: 10 },
          data: [{ name: t.in_scorecard, itemStyle: { color: GOOD } }, { name: t.not_in_scorecard, itemStyle: { color: NEUTRAL } }] },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (ps) {
          var i = ps[0].dataIndex;
          return "<b>" + esc(names[i]) + "</b><br>" + esc(t.importance) + ": " + fmt(values[i], 4) + "<br>" +
            esc(sel[i] ? t.in_scorecard : t.not_in_scorecard);
        } },
        xAxis: valueAxis({ axisLabel: { color: MUTED, fontSize: 10 } }),
        yAxis: { type: "category", data: names, axisTick: { show: false }, axisLine: { lineStyle: { color: AXIS_LINE } },
          axisLabel: { color: TEXT, fontSize: 10, formatter: function (v) { return v.length > 30 ? v.slice(0, 29) + "…" : v; } } },
        series: [
          { type: "bar", name: t.importance, barMaxWidth: 14,
            data: values.map(function (v, i) { return { value: v, itemStyle: { color: sel[i] ? GOOD : NEUTRAL } }; }),
            label: { show: true, position: "right", color: MUTED, fontSize: 9, formatter: function (p) { return fmt(p.value, 3); } } },
          { type: "bar", name: t.in_scorecard, data: [], itemStyle: { color: GOOD } },
          { type: "bar", name: t.not_in_scorecard, data: [], itemStyle: { color: NEUTRAL } }
        ]
      };
      return names.length ? o : empty(o, t.no_data);
    }
  };

  function draw() {
    var d = data();
    if (!d || !window.echarts) { return; }
    document.querySelectorAll("[data-fin-chart]").forEach(function (el) {
      var build = BUILD[el.getAttribute("data-fin-chart")];
      if (!build) { return; }
      var chart = echarts.getInstanceByDom(el);
      if (!chart) {
        chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
        chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      }
      chart.setOption(build(d), true);
    });
  }

  // A refused action answers 4xx with the message to show in place of the form.
  var INLINE = [400, 403, 409, 503];
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (INLINE.indexOf(xhr.status) >= 0 && (xhr.responseText || "").indexOf("<html") < 0) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-fin-chart]").forEach(function (el) {
      var chart = window.echarts && echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
