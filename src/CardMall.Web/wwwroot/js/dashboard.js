// Operators' dashboard: draws the four charts from the figures the page wrote into #dashboard-data with the
// vendored Chart.js. Words (legends, axes) come translated in the same block; nothing is fetched.
// The backlog bar's segments carry their share in data-share: the CSP allows no style attributes, but a
// script may still set element.style.
document.querySelectorAll('.backlog-bar [data-share]').forEach(segment => {
  segment.style.width = `${segment.dataset.share}%`;
});

(() => {
  const source = document.getElementById('dashboard-data');
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const text = data.text;

  // Movement is decoration here: people who asked their system for less of it get none.
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.animation = reduced ? false : { duration: 400 };
  if (reduced) Chart.defaults.transitions.active.animation.duration = 0;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  const lang = document.documentElement.lang || undefined;
  const number = new Intl.NumberFormat(lang);
  const colors = { orders: '#0d6efd', tickets: '#fd7e14', sla: '#198754', rating: '#6f42c1' };
  const translucent = (hex, alpha) => hex + Math.round(alpha * 255).toString(16).padStart(2, '0');

  // A year of days: thin lines without dots, and only a handful of dates on the axis, as short as they can be
  // without being ambiguous (11-08 within one year, 2026-01 over many months); tooltips show the whole date.
  const many = data.days.length > 45;
  const sameYear = data.days.length > 0 && data.days[0].slice(0, 4) === data.days[data.days.length - 1].slice(0, 4);
  const shortDay = day => data.days.length > 120 ? day.slice(0, 7) : sameYear ? day.slice(5) : day;
  const dayAxis = {
    title: { display: true, text: text.day },
    grid: { display: false },
    ticks: { autoSkip: true, autoSkipPadding: 16, maxTicksLimit: 7, maxRotation: 0, callback(value) { return shortDay(this.getLabelForValue(value)); } },
  };
  // Points at the top of a fixed scale (100 %, 5 stars) are drawn whole rather than cut in half by the chart area;
  // monotone curves never swing past a real value (above 100 %, below 1 star).
  const line = (label, values, color, extra = {}) => ({
    type: 'line', label, data: values, borderColor: color, backgroundColor: color, clip: false,
    borderWidth: 2, pointRadius: many ? 0 : 3, pointHoverRadius: 5, tension: 0.2, cubicInterpolationMode: 'monotone', ...extra,
  });
  // A day without a decided ticket or a rating has no value (not 0): the trend line runs past it to the next day
  // that has one, and the tooltip only ever shows real days.
  const trend = { spanGaps: true };
  const padded = { padding: { top: 8, right: 8 } };
  const draw = (key, config) => {
    const canvas = document.querySelector(`canvas[data-chart="${key}"]`);
    if (canvas) new Chart(canvas, config);
  };

  draw('orders-tickets', {
    data: {
      labels: data.days,
      datasets: [
        { type: 'bar', label: text.orders, data: data.orders, backgroundColor: translucent(colors.orders, 0.55), yAxisID: 'y', order: 2 },
        line(text.tickets, data.tickets, colors.tickets, { yAxisID: 'y1', order: 1 }),
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      // Legend in the order the title names them (orders, then tickets), whatever order they are drawn in.
      plugins: { legend: { labels: { sort: (a, b) => a.datasetIndex - b.datasetIndex } } },
      scales: {
        x: dayAxis,
        y: { beginAtZero: true, title: { display: true, text: text.orders }, ticks: { precision: 0 } },
        // Tickets are a few per cent of orders: on their own axis the line is not flat at the bottom.
        y1: { beginAtZero: true, position: 'right', title: { display: true, text: text.tickets }, ticks: { precision: 0 }, grid: { drawOnChartArea: false } },
      },
    },
  });

  draw('first-response-sla', {
    type: 'line',
    data: { labels: data.days, datasets: [line(text.compliance, data.firstResponseSla, colors.sla, trend)] },
    options: {
      layout: padded,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: c => `${text.compliance}: ${c.parsed.y}%` } } },
      scales: {
        x: dayAxis,
        y: { min: 0, max: 100, title: { display: true, text: text.compliance }, ticks: { callback: v => `${v}%` } },
      },
    },
  });

  draw('categories', {
    type: 'bar',
    data: {
      labels: data.categories.map(c => c.label),
      datasets: [{ label: text.tickets, data: data.categories.map(c => c.tickets), backgroundColor: translucent(colors.tickets, 0.75), maxBarThickness: 28 }],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: {
        x: { beginAtZero: true, title: { display: true, text: text.tickets }, ticks: { precision: 0, callback: v => number.format(v) } },
        y: { title: { display: true, text: text.category }, grid: { display: false } },
      },
    },
  });

  draw('satisfaction', {
    type: 'line',
    data: { labels: data.days, datasets: [line(text.rating, data.rating, colors.rating, trend)] },
    options: {
      layout: padded,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { afterLabel: c => `${text.rated}: ${number.format(data.rated[c.dataIndex])}` } },
      },
      scales: {
        x: dayAxis,
        y: { min: 1, max: 5, title: { display: true, text: text.rating }, ticks: { stepSize: 1 } },
      },
    },
  });
})();
