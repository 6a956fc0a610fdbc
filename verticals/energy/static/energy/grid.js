/* Energy pages: the grid topology (json_script #grid-data: buses coloured by voltage level,
   at their coordinates or in a force layout), the outage overlay after a trip (json_script
   #outage-data in the HTMX answer: lost buses red, the tripped element red, the ties the
   plan closes green) joined with the grid's active faults (#faults-data), what the ask box's
   answer cites (ringed amber), and the small panel charts (patrol defects, forecast vs actual). */
(function () {
  "use strict";

  var TEXT = "#1c2430";
  var MUTED = "#617083";
  var GRID_LINE = "#edf0f4";
  var LINE = "#8e9bab";
  var OPEN = "#b9c2cd";
  var LOST = "#d6221b";
  var TRIPPED = "#d6221b";
  var CLOSE = "#1e9e6a";
  var CITED = "#ffb400";
  var MARGIN = { left: 30, right: 30, top: 30, bottom: 30 };

  function locale() {
    return (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function esc(text) {
    return echarts.format.encodeHTML(String(text));
  }

  /* ECharts stretches a fixed layout to the chart box separately along x and y: two
     invisible corner nodes give the box the chart's own shape, so the map keeps its
     proportions (as core/ui's lineage chart does). */
  function frame(nodes, el) {
    if (!nodes.length) { return []; }
    var xs = nodes.map(function (n) { return n.x; });
    var ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var width = Math.max(maxX - minX, 1e-6), height = Math.max(maxY - minY, 1e-6);
    var aspect = Math.max(el.clientHeight - MARGIN.top - MARGIN.bottom, 50) /
                 Math.max(el.clientWidth - MARGIN.left - MARGIN.right, 50);
    if (height / width < aspect) { height = width * aspect; } else { width = height / aspect; }
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    function corner(id, x, y) {
      return { id: id, name: "", x: x, y: y, symbolSize: 0, itemStyle: { opacity: 0 }, label: { show: false },
        tooltip: { show: false }, emphasis: { disabled: true }, frame: true };
    }
    return [corner("frame:min", cx - width / 2, cy - height / 2), corner("frame:max", cx + width / 2, cy + height / 2)];
  }

  function gridOption(data, el, overlay) {
    var geo = data.layout === "geo";
    var lost = {}, tripped = {}, close = {}, tieEnd = {};
    (overlay && overlay.lost || []).forEach(function (b) { lost[b] = true; });
    (overlay && overlay.tripped || []).forEach(function (e) { tripped[e] = true; });
    (overlay && overlay.close || []).forEach(function (e) { close[e] = true; });
    // A tie to close may be a few metres long: ring its end buses so it shows on a map.
    data.links.forEach(function (l) { if (close[l.element]) { tieEnd[l.source] = true; tieEnd[l.target] = true; } });
    // What the ask box's answer cites (kg/ask.js): buses ringed, lines and transformers drawn thick.
    var cited = {};
    (el.cited || []).forEach(function (k) { cited[k] = true; });
    var small = data.nodes.length > 60;
    var t = data.text;
    var nodes = data.nodes.map(function (n) {
      var source = n.sources.length > 0;
      var node = {
        id: n.id, name: n.name, category: n.category, value: n.kv, bus: n,
        symbol: source ? "diamond" : "circle",
        symbolSize: source ? (small ? 13 : 20) : (small ? 7 : 14),
        label: { show: !small }
      };
      if (geo) { node.x = n.x; node.y = n.y; }
      if (lost[n.id]) {
        node.itemStyle = { color: LOST, borderColor: "#7a0f0b", borderWidth: 1 };
        node.symbolSize = node.symbolSize + 3;
      }
      if (tieEnd[n.id]) {
        node.itemStyle = Object.assign(node.itemStyle || {}, { borderColor: CLOSE, borderWidth: 3 });
        node.symbolSize = node.symbolSize + 6;
      }
      if (cited[n.id]) {
        node.cited = true;
        node.itemStyle = Object.assign(node.itemStyle || {}, { borderColor: CITED, borderWidth: 4, shadowBlur: 12, shadowColor: CITED });
        node.symbolSize = node.symbolSize + 8;
        node.label = { show: true, fontWeight: "bold" };
      }
      return node;
    });
    if (geo) { nodes = nodes.concat(frame(data.nodes, el)); }
    var links = data.links.map(function (l) {
      var style = { color: l.closed ? LINE : OPEN, width: l.cls === "Transformer" ? 3 : 1.6, type: l.closed ? "solid" : "dashed", opacity: 0.95 };
      if (tripped[l.element]) { style = { color: TRIPPED, width: 4, type: "solid", opacity: 1 }; }
      else if (close[l.element]) { style = { color: CLOSE, width: 4, type: "solid", opacity: 1 }; }
      else if (cited[l.element]) { style = { color: CITED, width: 5, type: "solid", opacity: 1, shadowBlur: 8, shadowColor: CITED }; }
      return { source: l.source, target: l.target, link: l, lineStyle: style, cited: Boolean(cited[l.element]) };
    });
    return {
      animation: !geo,
      tooltip: {
        confine: true,
        formatter: function (p) {
          if (p.dataType === "edge") {
            var l = p.data.link;
            var lines = ["<b>" + esc(l.name) + "</b> <span style='color:" + MUTED + "'>" + esc(l.element) + "</span>"];
            if (!l.closed) { lines.push(esc(t.open) + (l.open_switches.length ? ": " + esc(l.open_switches.join(", ")) : "")); }
            if (tripped[l.element]) { lines.push("<b style='color:" + TRIPPED + "'>" + esc(t.tripped) + "</b>"); }
            if (close[l.element]) { lines.push("<b style='color:" + CLOSE + "'>" + esc(t.to_close) + "</b>"); }
            if (l.closed && (l.cls === "Line" || l.cls === "Transformer")) { lines.push("<i>" + esc(t.select) + "</i>"); }
            return lines.join("<br>");
          }
          var b = p.data.bus;
          if (!b) { return ""; }
          var out = ["<b>" + esc(b.name) + "</b> <span style='color:" + MUTED + "'>" + esc(b.id) + "</span>",
            esc(t.kv) + ": " + (b.kv === null ? "?" : b.kv + " kV")];
          if (b.load_mw) { out.push(esc(t.load) + ": " + b.load_mw + " MW"); }
          if (b.sources.length) { out.push(esc(t.sources) + ": " + esc(b.sources.join(", "))); }
          if (b.standby.length) { out.push(esc(t.standby) + ": " + esc(b.standby.join(", "))); }
          if (lost[b.id]) { out.push("<b style='color:" + LOST + "'>" + esc(t.lost) + "</b>"); }
          return out.join("<br>");
        }
      },
      series: [{
        type: "graph",
        layout: geo ? "none" : "force",
        roam: true,
        left: MARGIN.left, right: MARGIN.right, top: MARGIN.top, bottom: MARGIN.bottom,
        data: nodes,
        links: links,
        categories: data.categories.map(function (c) { return { name: c.name, itemStyle: { color: c.color } }; }),
        force: { repulsion: small ? 40 : 180, edgeLength: small ? [8, 30] : [50, 90], gravity: 0.08, layoutAnimation: false },
        label: { position: "right", fontSize: 11, color: TEXT, formatter: "{b}" },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: "adjacency", label: { show: true }, lineStyle: { width: 4 } }
      }]
    };
  }

  function drawGrid(el, overlay) {
    var data = json(el.getAttribute("data-source"));
    if (!data) { return; }
    var chart = echarts.getInstanceByDom(el);
    if (!chart) {
      chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
      chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      chart.on("click", function (p) {
        if (p.dataType !== "edge") { return; }
        var select = document.querySelector("#trip-form select[name=tripped]");
        var l = p.data.link;
        if (select && select.querySelector("option[value='" + l.element + "']")) {
          select.value = l.element;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          select.focus();
        }
      });
    }
    el.overlay = overlay || null;
    chart.setOption(gridOption(data, el, el.overlay), true);
  }

  function barOption(rows) {
    return {
      animationDuration: 250,
      grid: { left: 44, right: 12, top: 16, bottom: 40 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }),
        axisLabel: { color: MUTED, interval: 0, rotate: rows.length > 5 ? 25 : 0 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: GRID_LINE } } },
      series: [{ type: "bar", data: rows.map(function (r) { return r.count; }), barMaxWidth: 40,
        itemStyle: { color: "#2f6fc4", borderRadius: [3, 3, 0, 0] }, label: { show: true, position: "top", color: TEXT } }]
    };
  }

  function forecastOption(d) {
    var series = [
      { type: "line", name: d.text.actual, data: d.actual, showSymbol: false, lineStyle: { width: 1.6, color: "#1c2430" }, itemStyle: { color: "#1c2430" } },
      { type: "line", name: d.text.forecast, data: d.forecast, showSymbol: false, lineStyle: { width: 1.8, color: "#e8871e" }, itemStyle: { color: "#e8871e" } }
    ];
    if (d.seasonal_naive) {
      series.push({ type: "line", name: d.text.naive, data: d.seasonal_naive, showSymbol: false,
        lineStyle: { width: 1, type: "dashed", color: "#9aa6b4" }, itemStyle: { color: "#9aa6b4" } });
    }
    return {
      animationDuration: 250,
      grid: { left: 50, right: 12, top: 30, bottom: 30 },
      legend: { top: 0, textStyle: { color: MUTED, fontSize: 11 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.timestamps, boundaryGap: false,
        axisLabel: { color: MUTED, fontSize: 10, formatter: function (v) { return String(v).slice(5, 16).replace("T", " "); } } },
      yAxis: { type: "value", scale: true, axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: GRID_LINE } } },
      series: series
    };
  }

  var SMALL = { defects: barOption, forecast: forecastOption };

  /* What the chart marks: the what-if trip result (#outage-data) and the grid's active
     faults (#faults-data, in the "Active faults" panel): lost buses and tripped elements of
     both are drawn red; the ties to close come from the what-if plan. */
  function overlay() {
    var outage = json("outage-data"), faults = json("faults-data");
    if (!faults || (!faults.lost.length && !faults.tripped.length)) { return outage; }
    var out = Object.assign({ lost: [], tripped: [], close: [] }, outage || {});
    out.lost = out.lost.concat(faults.lost);
    out.tripped = out.tripped.concat(faults.tripped);
    return out;
  }

  function draw(root) {
    (root || document).querySelectorAll("[data-grid-chart]").forEach(function (el) {
      if (!echarts.getInstanceByDom(el)) { drawGrid(el, overlay()); }
    });
    (root || document).querySelectorAll("[data-energy-chart]").forEach(function (el) {
      if (echarts.getInstanceByDom(el)) { return; }
      var build = SMALL[el.getAttribute("data-energy-chart")];
      var data = json(el.getAttribute("data-source"));
      if (!build || !data) { return; }
      var chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
      chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      chart.setOption(build(data));
    });
  }

  function redrawWithOutage() {
    var el = document.getElementById("grid-chart");
    if (el) { drawGrid(el, overlay()); }
  }

  var SWAP_REFUSALS = { "outage-result": [400], "active-faults": [400, 403, 409] };

  document.addEventListener("htmx:beforeSwap", function (evt) {
    // A refused trip (unknown element, bad form) answers 400 with the reason to show; a
    // refused fault record or clear answers the faults panel with the reason (400, 403, 409).
    var target = evt.detail.target;
    if (target && (SWAP_REFUSALS[target.id] || []).indexOf(evt.detail.xhr.status) >= 0) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail.target;
    if (target && (target.id === "outage-result" || target.id === "active-faults")) { redrawWithOutage(); }
  });

  document.addEventListener("kg:answer", function (evt) {
    var el = document.getElementById("grid-chart");
    if (!el || !echarts.getInstanceByDom(el)) { return; }
    el.cited = evt.detail.keys;
    drawGrid(el, el.overlay);
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-grid-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); drawGrid(el, el.overlay); }
    });
    document.querySelectorAll("[data-energy-chart]").forEach(function (el) {
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
