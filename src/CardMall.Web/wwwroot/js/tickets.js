// Ticket forms: small conveniences only; every form works without them.
(() => {
  // Choosing another order or problem type shows that order's keys and the matching help articles:
  // the form is posted back to its Refresh handler, which keeps what was typed and files nothing.
  document.querySelectorAll('[data-refresh-on-change]').forEach(select => {
    select.addEventListener('change', () => {
      const form = select.form;
      const button = form && form.querySelector('[data-refresh-button]');
      if (!button) return;
      // Images are not carried over by a refresh; leave them out rather than upload them twice.
      form.querySelectorAll('input[type=file]').forEach(input => { input.value = ''; });
      if (form.requestSubmit) form.requestSubmit(button); else button.click();
    });
  });
  // With script, the refresh happens on change, so its button is not needed.
  document.querySelectorAll('.js-hide').forEach(element => element.classList.add('d-none'));

  // Too many images: say so before the upload rather than after it.
  document.querySelectorAll('input[type=file][data-max-files]').forEach(input => {
    input.addEventListener('change', () => {
      const max = Number(input.dataset.maxFiles);
      input.setCustomValidity(input.files.length > max ? input.title || `Max ${max}` : '');
      if (input.files.length > max) input.reportValidity();
    });
  });
})();
