// The dashboard's charts. Data comes from the page (json_script "dashboard-charts"), never from inline
// scripts (the CSP forbids them). Clicking a bar, a slice or a point opens the list behind that number.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.echarts === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var palette = ["#b3261e", "#1f6feb", "#2da44e", "#bf8700", "#8250df", "#0a7f8c", "#cf222e", "#57606a",
                 "#e16f24", "#6639ba", "#1b7c83", "#9a6700", "#953800", "#0550ae", "#116329", "#82071e"];
  var instances = [];

  function go(url) { if (url) { window.location.href = url; } }

  function barOption(spec) {
    return {
      color: palette,
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 3 ? 25 : 0, fontSize: 11 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: spec.values, barMaxWidth: 36, itemStyle: { color: palette[0] } }]
    };
  }

  function pieOption(spec) {
    var data = spec.labels.map(function (label, i) { return { name: label, value: spec.values[i] }; })
      .filter(function (item) { return item.value > 0; });
    return {
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: data,
                 label: { formatter: "{b}\n{c}" } }]
    };
  }

  function seriesOption(spec) {
    return {
      color: palette,
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: spec.labels },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", splitLine: { show: false } }],
      series: spec.series.map(function (s) {
        return { name: s.name, type: s.axis ? "line" : "bar", yAxisIndex: s.axis || 0, data: s.values,
                 barMaxWidth: 28, smooth: true };
      })
    };
  }

  function linkFor(spec, params) {
    if (spec.type === "series") { return spec.series[params.seriesIndex].links[params.dataIndex]; }
    var index = spec.labels.indexOf(params.name);
    return index >= 0 ? spec.links[index] : null;
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = charts[element.getAttribute("data-chart")];
    if (!spec) { return; }
    if ((spec.values && spec.values.length === 0) || (spec.series && spec.labels.length === 0)) {
      element.classList.add("d-none");
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var option = spec.type === "pie" ? pieOption(spec) : spec.type === "series" ? seriesOption(spec) : barOption(spec);
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) { go(linkFor(spec, params)); });
    element.setAttribute("data-rendered", "true");
    instances.push(chart);
  });

  window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
})();
