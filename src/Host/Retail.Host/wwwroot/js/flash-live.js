// Flash sale live panel: polls the sale's JSON every 5 s and updates the figures in place (no reload, no inline script).
(function () {
  "use strict";
  var root = document.getElementById("flash-live");
  if (!root) { return; }
  var feed = root.getAttribute("data-feed");
  var status = document.getElementById("live-status");

  function sum(items, key) { return items.reduce(function (total, i) { return total + Number(i[key] || 0); }, 0); }

  function render(sale) {
    var totals = {
      state: sale.state, sold: sum(sale.items, "sold"), remaining: sum(sale.items, "remaining"), holds: sum(sale.items, "holds"),
      rateLimited: sale.rateLimited, breakerState: sale.breakerState, pendingPayments: sale.pendingPayments
    };
    root.querySelectorAll("[data-field]").forEach(function (el) { el.textContent = String(totals[el.getAttribute("data-field")]); });
    sale.items.forEach(function (item) {
      var row = root.querySelector("tr[data-sku='" + item.sku.replace(/'/g, "") + "']");
      if (!row) { return; }
      row.querySelectorAll("[data-item]").forEach(function (el) { el.textContent = String(item[el.getAttribute("data-item")]); });
    });
    status.textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every 5 seconds.";
  }

  function poll() {
    fetch(feed, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(render)
      .catch(function (e) { status.textContent = "Could not refresh (" + e.message + "); retrying."; });
  }

  window.setInterval(poll, 5000);
})();
