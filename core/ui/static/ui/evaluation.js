/* Draws the evaluation report's charts (core/ui/evaluations.py builds their data, words
   included): each [data-eval-chart] element names the json_script holding its data. */
(function () {
  "use strict";

  var TEXT = "#1c2430";
  var MUTED = "#617083";
  var GRID_LINE = "#edf0f4";
  var PALETTE = ["#2f6fc4", "#e8871e", "#1e9e6a", "#c0392b", "#8e5ad6", "#16a2b8", "#b7950b", "#7a8896",
                 "#d35490", "#4d7c0f"];

  function locale() {
    return (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function readData(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function fmt(v) {
    return v === null || v === undefined ? "—" : +Number(v).toPrecision(4);
  }

  function valueAxis(name, unit, extra) {
    var axis = {
      type: "value", name: name || "", nameLocation: "middle", nameGap: 30, axisLabel: { color: MUTED },
      nameTextStyle: { color: MUTED }, splitLine: { lineStyle: { color: GRID_LINE } }
    };
    if (unit) { axis.min = 0; axis.max = 1; }
    return Object.assign(axis, extra || {});
  }

  /* Confusion matrix: rows the true class, columns the predicted one; colour is the share of
     the true class, the label the count. */
  function heatmapOption(data) {
    var many = data.x.length > 10;
    return {
      animationDuration: 300,
      color: PALETTE,
      grid: { left: 110, right: 30, top: 20, bottom: 110 },
      tooltip: {
        formatter: function (p) {
          return echarts.format.encodeHTML(data.y[p.value[1]] + " → " + data.x[p.value[0]]) + "<br>" +
            p.value[3] + " (" + Math.round(p.value[2] * 100) + "%)";
        }
      },
      xAxis: { type: "category", data: data.x, name: data.x_name, nameLocation: "middle", nameGap: 80,
               axisLabel: { color: MUTED, rotate: 30, interval: 0 }, nameTextStyle: { color: MUTED }, splitArea: { show: true } },
      yAxis: { type: "category", data: data.y, name: data.y_name, nameLocation: "middle", nameGap: 90, inverse: true,
               axisLabel: { color: MUTED, interval: 0 }, nameTextStyle: { color: MUTED }, splitArea: { show: true } },
      visualMap: { min: 0, max: 1, dimension: 2, show: false, inRange: { color: ["#f4f7fb", "#2f6fc4"] } },
      series: [{
        type: "heatmap", name: data.value_name,
        // Counts in white on the dark cells, in ink on the pale ones.
        data: data.cells.map(function (c) { return { value: c, label: { color: c[2] > 0.55 ? "#fff" : TEXT } }; }),
        label: { show: !many, color: TEXT, formatter: function (p) { return p.value[3]; } },
        emphasis: { itemStyle: { borderColor: TEXT, borderWidth: 1 } }
      }]
    };
  }

  /* x-y curves on value axes: precision-recall, ROC, and the KS chart. */
  function curvesOption(data) {
    var series = data.series.map(function (s) {
      return { name: s.name, type: "line", showSymbol: false, data: s.points, lineStyle: { width: 2 } };
    });
    if (data.diagonal) {
      series.push({ name: "", type: "line", data: [[0, 0], [1, 1]], showSymbol: false, silent: true,
                    lineStyle: { type: "dashed", color: "#b8c2cf", width: 1 }, tooltip: { show: false } });
    }
    if (data.mark && series.length) {
      series[0].markPoint = { symbolSize: 46, data: [{ coord: [data.mark.x, data.mark.y], value: data.mark.label }],
                              label: { fontSize: 10 } };
    }
    if (data.vline && series.length) {
      series[0].markLine = { symbol: "none", data: [{ xAxis: data.vline.x }],
                             label: { formatter: data.vline.label, color: TEXT }, lineStyle: { color: "#c0392b" } };
    }
    return {
      animationDuration: 300,
      color: PALETTE,
      grid: { left: 60, right: 24, top: 40, bottom: 50 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0, type: "scroll", textStyle: { color: MUTED }, data: data.series.map(function (s) { return s.name; }) },
      xAxis: valueAxis(data.x_name, data.unit, { splitLine: { show: false } }),
      yAxis: valueAxis(data.y_name, data.unit, { nameGap: 40 }),
      series: series
    };
  }

  function barsOption(data) {
    return {
      animationDuration: 300,
      color: PALETTE,
      grid: { left: 60, right: 24, top: 40, bottom: data.categories.length > 8 ? 80 : 50 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      legend: { top: 0, textStyle: { color: MUTED } },
      xAxis: { type: "category", data: data.categories, name: data.x_name || "", nameLocation: "middle",
               nameGap: data.categories.length > 8 ? 60 : 30, nameTextStyle: { color: MUTED },
               axisLabel: { color: MUTED, rotate: data.categories.length > 8 ? 35 : 0 } },
      yAxis: valueAxis("", data.unit),
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.values, barMaxWidth: 40, itemStyle: { borderRadius: [3, 3, 0, 0] } };
      })
    };
  }

  function scatterOption(data) {
    var xs = data.points.map(function (p) { return p[0]; }).concat(data.points.map(function (p) { return p[1]; }));
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
    var series = [{ type: "scatter", data: data.points, symbolSize: 5, itemStyle: { opacity: 0.6 } }];
    if (data.diagonal) {
      series.push({ type: "line", data: [[lo, lo], [hi, hi]], showSymbol: false, silent: true,
                    lineStyle: { type: "dashed", color: "#b8c2cf", width: 1 } });
    }
    return {
      animationDuration: 300,
      color: PALETTE,
      grid: { left: 64, right: 24, top: 20, bottom: 50 },
      tooltip: { trigger: "item", formatter: function (p) { return fmt(p.value[0]) + " → " + fmt(p.value[1]); } },
      xAxis: valueAxis(data.x_name, false, { scale: true, splitLine: { show: false } }),
      yAxis: valueAxis(data.y_name, false, { scale: true, nameGap: 44 }),
      series: series
    };
  }

  /* Series over a category axis (time): actual against forecast. */
  function linesOption(data) {
    return {
      animationDuration: 300,
      color: PALETTE,
      grid: { left: 60, right: 24, top: 40, bottom: 70 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0, textStyle: { color: MUTED } },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }],
      xAxis: { type: "category", data: data.x, axisLabel: { color: MUTED } },
      yAxis: valueAxis("", false, { scale: true }),
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.values, showSymbol: data.x.length <= 60, lineStyle: { width: 1.6 } };
      })
    };
  }

  var OPTIONS = { heatmap: heatmapOption, curves: curvesOption, bars: barsOption, scatter: scatterOption,
                  lines: linesOption };

  function draw(root) {
    (root || document).querySelectorAll("[data-eval-chart]").forEach(function (el) {
      if (echarts.getInstanceByDom(el)) { return; }
      var data = readData(el);
      var build = OPTIONS[el.getAttribute("data-eval-chart")];
      if (!data || !build) { return; }
      var chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
      chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      chart.setOption(build(data));
    });
  }

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-eval-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });

  if (window.htmx) {
    htmx.onLoad(draw);
  } else {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  }
})();
