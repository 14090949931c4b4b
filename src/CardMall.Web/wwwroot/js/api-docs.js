// The API reference page (/api/docs): Scalar's viewer over the OpenAPI document. Configured here, not inline,
// because the shop's Content-Security-Policy runs only the shop's own script files.
(function () {
  'use strict';
  var target = document.getElementById('reference');
  if (!target || !window.Scalar) return;

  // The viewer writes its stylesheets into <style> elements, which style-src 'self' refuses to apply (as it
  // should: markup must not bring styles). This script is the shop's own, so it hands their text to the page as
  // constructed stylesheets instead — the CSSOM, which the policy leaves to trusted script. Nothing else changes.
  var sheets = new Map();
  function adoptStyles() {
    var changed = false;
    document.querySelectorAll('style').forEach(function (style) {
      var known = sheets.get(style);
      var text = style.textContent || '';
      if (known && known.text === text) return;
      if (!known) {
        known = { sheet: new CSSStyleSheet(), text: '' };
        sheets.set(style, known);
        changed = true;
      }
      known.text = text;
      known.sheet.replaceSync(text);
    });
    sheets.forEach(function (known, style) {
      if (!style.isConnected) {
        sheets.delete(style);
        changed = true;
      }
    });
    if (changed) {
      document.adoptedStyleSheets = Array.from(sheets.values(), function (known) { return known.sheet; });
    }
  }
  new MutationObserver(adoptStyles).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  adoptStyles();

  window.Scalar.createApiReference(target, {
    url: target.getAttribute('data-document'),
    // Nothing leaves the shop: no web fonts from Scalar's CDN, no telemetry, no request proxy, no hosted
    // AI agent, no "deploy / share / generate SDK" toolbar pointing at Scalar's services.
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    hideClientButton: true,
    // Try a request with one's own API key: the document's bearer scheme, kept for this tab only.
    authentication: { preferredSecurityScheme: 'ApiKey' },
    persistAuth: false,
    baseServerURL: window.location.origin,
  });
})();
