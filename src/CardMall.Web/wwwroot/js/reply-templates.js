// Staff ticket page: choosing a template fills the reply box at once (without script, the "use" button
// reloads the page with ?template=). The confirmation text comes from the picker's data-replace-confirm.
(() => {
  const picker = document.querySelector('[data-template-picker]');
  const box = document.querySelector('[data-reply-box]');
  if (!picker || !box) return;
  document.querySelector('[data-template-apply]')?.classList.add('d-none');
  picker.addEventListener('change', () => {
    const option = picker.selectedOptions[0];
    if (!option || !option.dataset.body) return;
    if (box.value.trim() && box.value !== option.dataset.body && !window.confirm(picker.dataset.replaceConfirm)) return;
    box.value = option.dataset.body;
    box.focus();
  });
})();
