// An order waiting for its gateway payment: shows the time left to pay and reloads the page every few seconds, so
// the buyer coming back from the gateway (or paying on a phone) sees the keys as soon as the payment settles, or
// the order expired. No inline script (the Content-Security-Policy forbids it).
(function () {
    "use strict";
    var box = document.querySelector("[data-order-waiting]");
    if (!box) return;
    var payBy = Number(box.getAttribute("data-pay-by"));
    var left = box.querySelector("[data-time-left]");
    function tick() {
        var ms = payBy - Date.now();
        if (!left) return;
        if (ms <= 0) { left.textContent = left.getAttribute("data-expired-text"); return; }
        var minutes = Math.floor(ms / 60000), seconds = Math.floor((ms % 60000) / 1000);
        left.textContent = left.getAttribute("data-left-text") + " " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    }
    tick();
    setInterval(tick, 1000);
    setTimeout(function () { window.location.reload(); }, 5000);
})();
