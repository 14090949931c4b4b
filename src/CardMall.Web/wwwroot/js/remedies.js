// Remedies page: shows, while an amount is typed, whether it is paid at once or goes to approval.
// The server decides; this only tells the agent in advance.
(() => {
  document.querySelectorAll('[data-approval-hint]').forEach(hint => {
    const input = document.querySelector(`[data-approval-amount="${hint.dataset.approvalHint}"]`);
    if (!input) return;
    const left = parseFloat(hint.dataset.left);
    const now = hint.querySelector('[data-approval-now]');
    const queued = hint.querySelector('[data-approval-queued]');
    const update = () => {
      const amount = parseFloat(input.value);
      const known = !Number.isNaN(amount) && amount > 0;
      now.classList.toggle('d-none', !known || amount > left);
      queued.classList.toggle('d-none', !known || amount <= left);
    };
    input.addEventListener('input', update);
    update();
  });
})();
