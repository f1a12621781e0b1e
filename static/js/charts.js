// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
// (written by Django's json_script; built by indicators/chart_series.py). Each chart's figures are
// also in a table on the page.
//
// "time" charts: x is a month index (year * 12 + month - 1) on a linear axis, so periods are spaced
// by time without a date adapter; ticks sit on the published periods and carry their short labels.
// A point with y null is a gap (spanGaps false); each entry of `breaks` is drawn as a dashed
// vertical line labelled "Not comparable". The value axis starts at zero and is titled with the unit.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var palette = ["#1d70b8", "#d4351c", "#00703c", "#6f2c91", "#b58840", "#28a197"];
  var dashes = [[], [6, 4], [2, 3], [8, 3, 2, 3]];
  var ink = "#0b0c0c";

  // Draws the comparability breaks after the lines, so they sit on top.
  var breakMarks = {
    id: "comparabilityBreaks",
    afterDatasetsDraw: function (chart, args, options) {
      var breaks = options.breaks || [];
      if (!breaks.length) { return; }
      var ctx = chart.ctx, area = chart.chartArea, x = chart.scales.x;
      ctx.save();
      ctx.strokeStyle = ink;
      ctx.fillStyle = ink;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 4]);
      ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "center";
      breaks.forEach(function (mark) {
        var px = x.getPixelForValue(mark.x);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.fillText(mark.label, px, area.top - 6);
      });
      ctx.restore();
    }
  };

  function timeScale(data) {
    var ticks = data.ticks || {};
    var positions = Object.keys(ticks).map(Number).sort(function (a, b) { return a - b; });
    var first = positions[0], last = positions[positions.length - 1];
    var pad = Math.max(1, Math.round((last - first) / 40));
    return {
      type: "linear",
      min: first - pad,
      max: last + pad,
      title: { display: true, text: "Period ending" },
      grid: { display: false },
      // Ticks on the published periods only; Chart.js then thins them if they do not fit.
      afterBuildTicks: function (scale) {
        scale.ticks = positions.map(function (value) { return { value: value }; });
      },
      ticks: {
        autoSkip: true,
        maxRotation: 0,
        callback: function (value) { return ticks[String(value)] || ""; }
      }
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var time = data.kind === "time";
    var type = time ? "line" : (canvas.dataset.chartType || "bar");
    data.datasets.forEach(function (dataset, i) {
      var colour = palette[i % palette.length];
      dataset.borderColor = colour;
      dataset.backgroundColor = type === "bar" ? colour : colour + "33";
      dataset.borderDash = dashes[i % dashes.length];  // lines differ by pattern, not colour alone
      dataset.spanGaps = false;  // a missing period or a break is a gap, never a joined line
      dataset.pointRadius = 3;
    });
    new Chart(canvas, {
      type: type,
      data: time ? { datasets: data.datasets } : { labels: data.labels, datasets: data.datasets },
      plugins: [breakMarks],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: (data.breaks || []).length ? 18 : 0 } },  // room for "Not comparable"
        parsing: time ? { xAxisKey: "x", yAxisKey: "y" } : true,
        plugins: {
          legend: { display: data.datasets.length > 1 },
          comparabilityBreaks: { breaks: data.breaks || [] },
          tooltip: {
            filter: function (item) { return item.raw === null || typeof item.raw !== "object" || item.raw.y !== null; },
            callbacks: time ? {
              title: function (items) { return items.length ? items[0].raw.label : ""; },
              label: function (item) { return item.raw.display; }
            } : {}
          }
        },
        scales: {
          x: time ? timeScale(data) : { title: { display: false } },
          y: {
            beginAtZero: data.begin_at_zero !== false,
            title: { display: true, text: data.axis_title || "" }
          }
        }
      }
    });
  });
})();
