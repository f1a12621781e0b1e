// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
// (written by Django's json_script). Each chart's figures are also in a table on the page.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var palette = ["#1d70b8", "#d4351c", "#00703c", "#6f2c91", "#b58840", "#28a197"];
  var dashes = [[], [6, 4], [2, 3], [8, 3, 2, 3]];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var type = canvas.dataset.chartType || "line";
    data.datasets.forEach(function (dataset, i) {
      var colour = palette[i % palette.length];
      dataset.borderColor = colour;
      dataset.backgroundColor = type === "bar" ? colour : colour + "33";
      dataset.borderDash = dashes[i % dashes.length];  // lines differ by pattern, not colour alone
      dataset.spanGaps = false;
      dataset.pointRadius = 3;
    });
    new Chart(canvas, {
      type: type,
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: data.datasets.length > 1 } },
        scales: { y: { beginAtZero: type === "bar" } }
      }
    });
  });
})();
