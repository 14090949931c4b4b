// Live SLA countdowns in the agent workspace. Every [data-due] element (an ISO instant) shows the time
// left, or how long it is overdue in red; the server renders the same text, so pages read fine without it.
(() => {
  const words = document.getElementById('countdown-words');
  if (!words) return;
  const w = words.dataset;
  const fill = (template, value) => template.replace('{0}', value);

  const span = ms => {
    const total = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(total / 86400);
    const h = Math.floor((total % 86400) / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (d > 0) return fill(w.d, d) + ' ' + fill(w.h, h);
    if (h > 0) return fill(w.h, h) + ' ' + fill(w.m, m);
    return fill(w.m, m) + ' ' + fill(w.s, s);
  };

  const tick = () => {
    const now = Date.now();
    document.querySelectorAll('[data-due]').forEach(el => {
      const left = Date.parse(el.dataset.due) - now;
      if (Number.isNaN(left)) return;
      const overdue = left < 0;
      el.textContent = fill(overdue ? w.overdue : w.left, span(left));
      el.classList.toggle('text-danger', overdue);
      el.classList.toggle('fw-semibold', overdue || left < 3600 * 1000);
      // A row whose promise ran out turns red at once, before the SLA watcher marks it breached.
      const row = el.closest('[data-countdown-row]');
      if (row && overdue) row.classList.add('table-danger');
    });
  };

  tick();
  setInterval(tick, 1000);
})();
