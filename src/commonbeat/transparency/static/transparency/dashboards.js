/* Draws each dashboard chart with Chart.js from the data the page carries (json_script
   "dashboard-charts"). The tables are the accessible version and stay on the page: a chart is
   an image (role="img") whose label points the reader to its table. Without JavaScript the
   page shows the tables only. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  // Colours distinguishable with common colour-vision deficiencies (Okabe-Ito), dark enough
  // against white for bars and lines.
  var palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"];
  var lang = document.documentElement.lang || "en";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  charts.forEach(function (chart) {
    var box = document.querySelector('[data-chart="' + chart.figure + '"]');
    if (!box) { return; }
    // Many or long labels read better as horizontal bars, which also fit a phone's width.
    var longest = chart.labels.reduce(function (m, l) { return Math.max(m, String(l).length); }, 0);
    var horizontal = chart.type === "bar" && (chart.labels.length > 8 || longest > 14);
    var height = horizontal ? Math.max(260, chart.labels.length * chart.datasets.length * 18 + 80) : 300;
    box.style.height = height + "px";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", chart.label);
    canvas.textContent = chart.label;
    box.appendChild(canvas);
    var suffix = chart.percent ? " %" : (chart.unit === "seconds" ? " min" : "");
    var valueAxis = {
      beginAtZero: true,
      ticks: { callback: function (value) { return number.format(value) + suffix; } }
    };
    if (chart.percent) { valueAxis.max = 100; }
    var scales = horizontal ? { x: valueAxis, y: { ticks: { autoSkip: false } } } : { y: valueAxis };
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (set, i) {
          var colour = palette[i % palette.length];
          return {
            label: set.label,
            data: set.data,
            backgroundColor: colour,
            borderColor: colour,
            borderWidth: chart.type === "line" ? 2 : 0,
            pointRadius: chart.type === "line" ? 2 : 0,
            spanGaps: false
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { display: chart.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.parsed[horizontal ? "x" : "y"];
                return item.dataset.label + ": " + (value === null ? "—" : number.format(value) + suffix);
              }
            }
          }
        }
      }
    });
  });
})();
