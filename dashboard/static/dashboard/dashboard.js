/* Leadsite analytics dashboard: draws the charts described in #dashboard-chart-data with Chart.js.
 *
 * Each chart's figures are also in the table under it, so the page reads fine without this script.
 * A click on a bar, point or slice opens the lead list filtered to it (the chart's "links").
 */
(function () {
  "use strict";

  // Send only the filters that are set, so the URL stays short and readable.
  const form = document.getElementById("dashboard-filters");
  if (form) {
    form.addEventListener("submit", function () {
      for (const field of form.elements) {
        if (field.name && !field.multiple && field.type !== "checkbox" && field.value === "") {
          field.disabled = true;
        }
      }
    });
  }

  const dataElement = document.getElementById("dashboard-chart-data");
  if (!dataElement || typeof window.Chart === "undefined") {
    return;
  }
  const Chart = window.Chart;
  const specs = JSON.parse(dataElement.textContent);
  const style = getComputedStyle(document.body);
  const color = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const tones = {
    primary: color("--dashboard-primary", "#417690"),
    success: color("--dashboard-success", "#2e8b57"),
    warning: color("--dashboard-warning", "#d99a1e"),
    danger: color("--dashboard-danger", "#ba2121"),
    accent: color("--dashboard-accent", "#79aec8"),
    muted: color("--dashboard-muted", "#9aa0a6"),
  };
  Chart.defaults.color = color("--body-quiet-color", "#666");
  Chart.defaults.borderColor = color("--hairline-color", "#e8e8e8");
  Chart.defaults.font.family = style.fontFamily;

  function dataset(spec, item) {
    const single = tones[item.tone] || tones.primary;
    const fill = item.tones ? item.tones.map((tone) => tones[tone] || tones.muted) : single;
    const config = { label: item.label, data: item.data, backgroundColor: fill, borderColor: fill };
    if (spec.type === "line") {
      Object.assign(config, { cubicInterpolationMode: "monotone", borderWidth: 2, pointRadius: item.data.length > 60 ? 0 : 2 });
    }
    if (spec.type === "doughnut") {
      config.borderColor = color("--body-bg", "#fff");
    }
    return config;
  }

  function options(spec) {
    const clickable = spec.links && spec.links.length > 0;
    const result = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: spec.type === "doughnut" ? "nearest" : "index", intersect: spec.type === "doughnut" },
      plugins: { legend: { display: spec.datasets.length > 1 || spec.type === "doughnut", position: "bottom" } },
      onClick: function (event, elements) {
        if (clickable && elements.length && spec.links[elements[0].index]) {
          window.location.href = spec.links[elements[0].index];
        }
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = clickable && elements.length ? "pointer" : "default";
      },
    };
    if (spec.type !== "doughnut") {
      const valueAxis = { beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0 } };
      const labelAxis = { stacked: !!spec.stacked, ticks: { autoSkip: true, maxRotation: 0 } };
      result.indexAxis = spec.horizontal ? "y" : "x";
      result.scales = spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
    }
    return result;
  }

  for (const [canvasId, spec] of Object.entries(specs)) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) {
      continue;
    }
    if (spec.horizontal) {
      // One comfortable row per bar, so long lists stay legible.
      canvas.parentElement.style.height = Math.max(180, spec.labels.length * 26 + 60) + "px";
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets.map((item) => dataset(spec, item)) },
      options: options(spec),
    });
  }
  document.body.dataset.dashboardCharts = String(Object.keys(specs).length);
})();
