/* Draws the city dashboard's charts from the json_script blocks the server wrote. */
(function () {
  "use strict";

  function data(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    return source ? JSON.parse(source.textContent) : null;
  }

  var builders = {
    hours: function (d) {
      return {
        tooltip: { trigger: "axis" }, legend: { bottom: 0, type: "scroll" },
        grid: { left: 36, right: 12, top: 12, bottom: 48 },
        xAxis: { type: "category", data: d.hours }, yAxis: { type: "value", minInterval: 1 },
        series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: "events", data: s.data }; })
      };
    },
    kinds: function (d) {
      return {
        tooltip: {}, grid: { left: 160, right: 24, top: 8, bottom: 24 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: d.map(function (k) { return k.label; }) },
        series: [{ type: "bar", data: d.map(function (k) { return k.count; }), itemStyle: { color: "#c6372f" } }]
      };
    },
    pools: function (d) {
      return {
        tooltip: { valueFormatter: function (v) { return v + " %"; } },
        grid: { left: 110, right: 24, top: 8, bottom: 24 },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value} %" } },
        yAxis: { type: "category", inverse: true, data: d.pools },
        series: [{
          type: "bar",
          data: d.busy.map(function (v, i) {
            return { value: v, itemStyle: { color: d.simulated[i] ? "#b7711a" : "#1d4a86" } };
          })
        }]
      };
    }
  };

  function draw() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll("[data-city-chart]").forEach(function (el) {
      var d = data(el), build = builders[el.getAttribute("data-city-chart")];
      if (!d || !build) { return; }
      var chart = echarts.init(el);
      chart.setOption(build(d));
      el.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
