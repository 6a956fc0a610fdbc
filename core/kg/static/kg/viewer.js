/* Knowledge-graph viewer: draws an entity's neighbourhood (json_script #kg-data, rendered
   by the server with the class colours) as a force-directed ECharts graph, and recentres
   on a click: a node in the chart, an entity in the triples table or in the search
   results sets the form's entity and submits it through HTMX (the URL follows). An answer
   of the ask box (ask.js, "kg:answer") recentres on its subject with its cited entities as
   the form's marks: the server draws them whatever their distance, and they are ringed
   here, the relations between them drawn thick, the rest faded. */
(function () {
  "use strict";

  var TEXT = "#1c2430";
  var MUTED = "#617083";
  var EDGE = "#9aa8b8";
  var CITED = "#ffb400";

  function locale() {
    return (document.documentElement.lang || "en").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  }

  function esc(text) {
    return echarts.format.encodeHTML(String(text));
  }

  var TOP = 30, BOTTOM = 50;

  function option(data, el) {
    var many = data.nodes.length > 80;
    var marking = (data.marked || []).length > 0;
    var nodes = data.nodes.map(function (n) {
      var far = n.distance === null;  // a cited entity beyond the hops
      var node = {
        id: n.id, name: n.name, category: n.category, value: n.distance, cls: n.cls, key: n.id, marked: n.marked,
        symbolSize: n.centre ? 34 : far ? 14 : Math.max(9, 22 - 3 * n.distance),
        label: { show: n.centre || n.marked || !many || (!far && n.distance <= 1), fontWeight: n.centre ? "bold" : "normal" }
      };
      if (n.marked) {
        node.symbolSize += 6;
        node.itemStyle = { borderColor: CITED, borderWidth: 4, shadowBlur: 14, shadowColor: CITED };
        node.label.fontWeight = "bold";
      } else if (marking) {
        node.itemStyle = { opacity: 0.5 };
      }
      if (n.centre) {
        // Pinned in the middle of the drawing area; the rest settle around it.
        node.x = el.clientWidth / 2; node.y = Math.max(el.clientHeight - TOP - BOTTOM, 100) / 2; node.fixed = true;
        node.itemStyle = n.marked ? Object.assign(node.itemStyle, { borderWidth: 5 }) :
          { borderColor: "#14325c", borderWidth: 3, shadowBlur: 12, shadowColor: "rgba(232, 135, 30, .55)" };
      }
      return node;
    });
    var links = data.links.map(function (l) {
      var link = { source: l.source, target: l.target, relation: l.label, marked: l.marked,
        label: { show: data.edge_labels || l.marked, formatter: l.label } };
      if (l.marked) {
        link.lineStyle = { color: CITED, width: 4, opacity: 1 };
      } else if (marking) {
        link.lineStyle = { opacity: 0.3 };
      }
      return link;
    });
    var t = data.text || {};
    return {
      animationDurationUpdate: 300,
      tooltip: {
        confine: true,
        formatter: function (p) {
          if (p.dataType === "edge") {
            return esc(p.data.source) + " <b>" + esc(p.data.relation) + "</b> " + esc(p.data.target);
          }
          var d = p.data;
          return "<b>" + esc(d.name) + "</b><br>" + esc(t.cls || "Class") + ": " + esc(d.cls) + "<br>" +
            esc(t.key || "Key") + ": " + esc(d.key) +
            (d.value === null ? "" : "<br>" + esc(t.distance || "Hops") + ": " + d.value) +
            (d.marked ? "<br><b>" + esc(t.cited || "") + "</b>" : "") +
            (d.value !== 0 ? "<br><i>" + esc(t.recentre || "") + "</i>" : "");
        }
      },
      legend: [{ type: "scroll", data: data.categories.map(function (c) { return c.name; }), bottom: 4,
        textStyle: { color: MUTED } }],
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        top: TOP, bottom: BOTTOM,
        data: nodes,
        links: links,
        categories: data.categories.map(function (c) { return { name: c.name, itemStyle: { color: c.color } }; }),
        force: {
          repulsion: many ? 70 : 170, gravity: many ? 0.12 : 0.07, edgeLength: many ? [20, 60] : [55, 110],
          friction: 0.15, layoutAnimation: true
        },
        autoCurveness: true,
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 7,
        lineStyle: { color: EDGE, width: 1.3, opacity: 0.9 },
        edgeLabel: { fontSize: 10, color: MUTED },
        label: { position: "right", fontSize: 11, color: TEXT },
        labelLayout: { hideOverlap: true },
        emphasis: { focus: "adjacency", label: { show: true }, edgeLabel: { show: true }, lineStyle: { width: 2.2 } }
      }]
    };
  }

  function recentre(key) {
    var form = document.getElementById("kg-form");
    if (!form || !window.htmx) {
      var url = new URL(window.location.href);
      url.searchParams.set("entity", key);
      window.location.assign(url.toString());
      return;
    }
    form.querySelector("input[name=entity]").value = key;
    var results = document.getElementById("kg-search-results");
    if (results) { results.innerHTML = ""; }
    htmx.trigger(form, "submit");
  }

  function draw(root) {
    (root || document).querySelectorAll("[data-kg-chart]").forEach(function (el) {
      if (echarts.getInstanceByDom(el)) { return; }
      var source = document.getElementById(el.getAttribute("data-source"));
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas", locale: locale() });
      chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
      chart.setOption(option(data, el));
      chart.on("click", function (p) {
        if (p.dataType === "node" && p.data.key && p.data.key !== data.centre) { recentre(p.data.key); }
      });
    });
  }

  document.addEventListener("click", function (evt) {
    var link = evt.target.closest && evt.target.closest("[data-kg-entity]");
    if (!link || evt.ctrlKey || evt.metaKey || evt.shiftKey || evt.button !== 0) { return; }
    if (!document.getElementById("kg-form")) { return; }  // the no-JavaScript search page: follow the link
    evt.preventDefault();
    recentre(link.getAttribute("data-kg-entity"));
  });

  function setMarks(form, keys) {
    form.querySelectorAll("input[name=mark]").forEach(function (input) { input.remove(); });
    keys.forEach(function (key) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "mark"; input.value = key;
      form.appendChild(input);
    });
  }

  // An answer recentres on its subject and marks what it cites; "I don't know" clears the marks.
  document.addEventListener("kg:answer", function (evt) {
    var form = document.getElementById("kg-form");
    if (!form || !window.htmx) { return; }
    var had = form.querySelectorAll("input[name=mark]").length > 0;
    if (!evt.detail.keys.length && !had) { return; }
    setMarks(form, evt.detail.keys);
    if (evt.detail.centre) { form.querySelector("input[name=entity]").value = evt.detail.centre; }
    htmx.trigger(form, "submit");
  });

  document.addEventListener("click", function (evt) {
    var clear = evt.target.closest && evt.target.closest("[data-kg-clear-marks]");
    var form = document.getElementById("kg-form");
    if (!clear || !form || !window.htmx) { return; }
    evt.preventDefault();
    setMarks(form, []);
    htmx.trigger(form, "submit");
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    // The old chart's element leaves the page: free its instance.
    if (evt.detail.target && evt.detail.target.id === "kg-view") {
      evt.detail.target.querySelectorAll("[data-kg-chart]").forEach(function (el) {
        var chart = echarts.getInstanceByDom(el);
        if (chart) { chart.dispose(); }
      });
      // An unknown entity or a bad parameter still answers with the page's message.
      if (evt.detail.xhr.status === 400 || evt.detail.xhr.status === 404) {
        evt.detail.shouldSwap = true;
        evt.detail.isError = false;
      }
    }
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-kg-chart]").forEach(function (el) {
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
