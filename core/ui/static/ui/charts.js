/* Draws the ECharts widgets. Each chart element names the json_script that holds its
   data (data-source), so the server decides what is shown and this file only draws. */
(function () {
  "use strict";

  var CHART_TEXT = "#1c2430";
  var MUTED = "#617083";

  function locale() {
    return (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function readData(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function esc(text) {
    return echarts.format.encodeHTML(String(text));
  }

  /* ECharts stretches the nodes' bounding box to fill the chart, separately along x
     and y, which squashes round symbols into ellipses (and a one-row graph, whose box
     has no height, into bars). Two invisible corner nodes give the box the chart's own
     shape, so the scale is the same both ways; real nodes do not move. */
  var MARGIN = { left: 90, right: 90, top: 40, bottom: 60 };
  var MIN_SPAN = 240;

  function frame(nodes, el) {
    if (!nodes.length) { return []; }
    var xs = nodes.map(function (n) { return n.x; });
    var ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var width = Math.max(maxX - minX, MIN_SPAN), height = maxY - minY;
    var aspect = Math.max(el.clientHeight - MARGIN.top - MARGIN.bottom, 50) /
                 Math.max(el.clientWidth - MARGIN.left - MARGIN.right, 50);
    if (height / width < aspect) { height = width * aspect; } else { width = height / aspect; }
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    function corner(id, x, y) {
      return {
        id: id, name: "", x: x, y: y, symbolSize: 0, itemStyle: { opacity: 0 }, label: { show: false },
        tooltip: { show: false }, emphasis: { disabled: true }, frame: true
      };
    }
    return [corner("frame:min", cx - width / 2, cy - height / 2), corner("frame:max", cx + width / 2, cy + height / 2)];
  }

  function lineageOption(data, el) {
    var nodes = data.nodes.map(function (n) {
      var node = {
        id: n.id, name: n.name, x: n.x, y: n.y, category: n.category, url: n.url,
        kindLabel: data.categories[n.category].name, symbolSize: n.start ? 34 : 22,
        label: { fontWeight: n.start ? "bold" : "normal" }
      };
      if (n.start) {
        node.itemStyle = { borderColor: "#14325c", borderWidth: 3, shadowBlur: 12, shadowColor: "rgba(232, 135, 30, .55)" };
      }
      return node;
    });
    nodes = nodes.concat(frame(data.nodes, el));
    var links = data.links.map(function (l) {
      return { source: l.source, target: l.target, relation: l.label, label: { show: true, formatter: l.label } };
    });
    return {
      animationDuration: 300,
      tooltip: {
        formatter: function (p) {
          if (p.dataType === "edge") { return esc(p.data.relation); }
          return "<b>" + esc(p.data.kindLabel) + "</b><br>" + esc(p.name);
        }
      },
      legend: [{ data: data.categories.map(function (c) { return c.name; }), bottom: 4, textStyle: { color: MUTED } }],
      series: [{
        type: "graph",
        layout: "none",
        roam: true,
        left: MARGIN.left, right: MARGIN.right, top: MARGIN.top, bottom: MARGIN.bottom,
        data: nodes,
        links: links,
        categories: data.categories.map(function (c) { return { name: c.name, itemStyle: { color: c.color } }; }),
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 9,
        lineStyle: { color: "#9aa8b8", width: 1.6, curveness: 0.06, opacity: 0.95 },
        edgeLabel: { fontSize: 11, color: MUTED },
        label: { show: true, position: "bottom", distance: 6, fontSize: 12, color: CHART_TEXT },
        emphasis: { focus: "adjacency", lineStyle: { width: 2.4 } }
      }]
    };
  }

  function barOption(data) {
    return {
      animationDuration: 300,
      grid: { left: 56, right: 24, top: 24, bottom: 48 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.names, axisLabel: { color: MUTED, interval: 0, rotate: data.names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: "#edf0f4" } } },
      series: [{
        type: "bar", data: data.values, barMaxWidth: 48,
        itemStyle: { color: "#2f6fc4", borderRadius: [4, 4, 0, 0] },
        label: { show: true, position: "top", color: CHART_TEXT, formatter: function (p) { return +Number(p.value).toPrecision(4); } }
      }]
    };
  }

  /* Nested evaluation results (core/ui/lib/metric_blocks.py): numeric columns against the
     first numeric column, e.g. precision and recall against the threshold. */
  function lineOption(data) {
    return {
      animationDuration: 300,
      grid: { left: 56, right: 24, top: 32, bottom: 40 },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: MUTED } },
      xAxis: { type: "value", name: data.x_name, nameLocation: "middle", nameGap: 26, scale: true,
               axisLabel: { color: MUTED }, splitLine: { show: false } },
      yAxis: { type: "value", scale: true, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: "#edf0f4" } } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", showSymbol: data.x.length <= 30,
                 data: s.values.map(function (v, i) { return [data.x[i], v]; }) };
      })
    };
  }

  var OPTIONS = { lineage: lineageOption, bars: barOption, lines: lineOption };

  function draw(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (echarts.getInstanceByDom(el)) { return; }
      var data = readData(el);
      var build = OPTIONS[el.getAttribute("data-chart")];
      if (!data || !build) { return; }
      var chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
      // Marks the chart settled (animation done), for whoever needs its final geometry.
      chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      chart.setOption(build(data, el));
      chart.on("click", function (p) {
        if (p.dataType === "node" && p.data.url) { window.location.assign(p.data.url); }
      });
    });
  }

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      var build = OPTIONS[el.getAttribute("data-chart")];
      if (!chart) { return; }
      chart.resize();
      chart.setOption(build(readData(el), el));  // the frame follows the new shape
    });
  });

  if (window.htmx) {
    htmx.onLoad(draw);
  } else {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  }
})();
