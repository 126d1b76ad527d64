// Flash sale countdowns: tick down from the seconds the server computed (its clock, not the browser's) — no inline script.
(function () {
  "use strict";
  var started = Date.now();
  var timers = document.querySelectorAll(".countdown[data-seconds]");
  if (timers.length === 0) { return; }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function text(seconds) {
    var d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (d > 0 ? d + "d " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
  }

  function tick() {
    var elapsed = Math.floor((Date.now() - started) / 1000);
    timers.forEach(function (el) {
      var left = Math.max(0, Number(el.getAttribute("data-seconds")) - elapsed);
      var prefix = el.textContent.indexOf("Starts") === 0 ? "Starts in " : "Ends in ";
      el.textContent = left === 0 ? (prefix === "Starts in " ? "Starting now — refresh the page" : "Ended") : prefix + text(left);
    });
  }

  window.setInterval(tick, 1000);
})();
