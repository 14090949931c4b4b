// Small progressive enhancements; every page works without them.
(() => {
  // Copy buttons: data-copy-target is the id of the element whose text is copied.
  document.querySelectorAll('[data-copy-target]').forEach(button => {
    button.addEventListener('click', async () => {
      const source = document.getElementById(button.dataset.copyTarget);
      if (!source) return;
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
      } catch {
        // Clipboard blocked (plain http): select the text so the user can copy it by hand.
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      const label = button.innerHTML;
      button.textContent = button.dataset.copiedText || '✓';
      setTimeout(() => { button.innerHTML = label; }, 2000);
    });
  });

  // Forms that must not be sent twice (buying) disable their button once sent. A nicety only: the
  // server's idempotency key is what really stops a double purchase.
  document.querySelectorAll('form[data-submit-once]').forEach(form => {
    form.addEventListener('submit', event => {
      if (event.defaultPrevented) return;
      form.querySelectorAll('button[type=submit]').forEach(button => {
        button.disabled = true;
        if (button.dataset.busyText) button.textContent = button.dataset.busyText;
      });
    });
  });

  // Forms that undo something ask first: data-confirm holds the question.
  document.querySelectorAll('form[data-confirm]').forEach(form => {
    form.addEventListener('submit', event => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
