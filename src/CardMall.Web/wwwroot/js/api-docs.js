// The API reference page (/api/docs): Scalar's viewer over the OpenAPI document. Configured here, not inline,
// because the shop's Content-Security-Policy runs only the shop's own script files.
(function () {
  'use strict';
  var target = document.getElementById('api-reference');
  if (!target || !window.Scalar) return;
  window.Scalar.createApiReference(target, {
    url: target.getAttribute('data-document'),
    // Nothing leaves the shop: no web fonts from Scalar's CDN, no telemetry, no request proxy.
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    defaultOpenAllTags: false,
    persistAuth: false,
    // The reference is for reading and trying the API with one's own key, on this shop.
    baseServerURL: window.location.origin,
  });
})();
