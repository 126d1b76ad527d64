// Operations dashboard: polls the JSON feed every 5 s and updates the numbers in place (no reload, no inline script).
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  var feed = root.getAttribute("data-feed");
  var status = document.getElementById("dashboard-status");
  var form = document.getElementById("log-filter");
  var intervalMs = 5000;

  function lookup(data, path) {
    return path.split(".").reduce(function (value, key) {
      return value === null || value === undefined ? undefined : value[key];
    }, data);
  }

  function durationSeconds(value) {
    // TimeSpan as JSON: "[d.]hh:mm:ss[.fffffff]"
    var m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(String(value));
    if (!m) { return null; }
    return (Number(m[1] || 0) * 86400) + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  }

  function format(value, kind) {
    if (value === null || value === undefined) { return "—"; }
    switch (kind) {
      case "int": return Number(value).toLocaleString("en-US");
      case "money": return Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      case "onoff": return value ? "on" : "off";
      case "percent": return String(Math.round(Number(value) * 100) / 100) + "%";
      case "ms": return String(Math.round(Number(value) * 100) / 100);
      case "duration": var s = durationSeconds(value); return s === null ? "—" : s.toFixed(1) + " s";
      case "time": return String(value).replace("T", " ").substring(0, 19);
      default: return String(value);
    }
  }

  function updateBindings(data) {
    root.querySelectorAll("[data-bind]").forEach(function (el) {
      var value = lookup(data, el.getAttribute("data-bind"));
      var kind = el.getAttribute("data-format");
      el.textContent = format(value, kind);
      if (kind === "status") {
        el.className = "dash-status dash-status-" + value;
      }
    });
    var generated = document.querySelector("[data-bind='generatedAt']");
    if (generated) { generated.textContent = format(data.generatedAt, "time"); }
  }

  function updateChart(data) {
    var svg = root.querySelector("svg[data-chart-max]");
    if (!svg) { return; }
    var max = 1;
    (data.requests.groups || []).forEach(function (g) { max = Math.max(max, g.windows[2 - 1].p99 || 0); });
    svg.querySelectorAll("rect[data-bar]").forEach(function (bar) {
      var area = Number(bar.getAttribute("data-bar-width"));
      var width = Math.round((lookup(data, bar.getAttribute("data-bar")) || 0) / max * area);
      bar.setAttribute("width", String(width));
      var label = bar.nextElementSibling;
      if (label && label.hasAttribute("data-bar-label")) {
        label.setAttribute("x", String(Number(bar.getAttribute("x")) + width + 4));
      }
    });
  }

  function cell(row, text, code) {
    var td = document.createElement("td");
    if (code) {
      var c = document.createElement("code");
      c.textContent = text || "";
      td.appendChild(c);
    } else {
      td.textContent = text || "";
    }
    row.appendChild(td);
  }

  function updateLogs(entries) {
    var body = document.querySelector("#logs tbody");
    if (!body) { return; }
    var fresh = document.createElement("tbody");
    (entries || []).forEach(function (e) {
      var row = document.createElement("tr");
      cell(row, format(e.timestamp, "time"));
      cell(row, e.level);
      cell(row, e.category);
      cell(row, e.message);
      cell(row, e.traceId, true);
      cell(row, e.requestId, true);
      cell(row, e.exceptionType);
      fresh.appendChild(row);
    });
    body.parentNode.replaceChild(fresh, body);
  }

  function query() {
    var params = new URLSearchParams();
    if (form) {
      var level = form.querySelector("[name='level']").value;
      var search = form.querySelector("[name='search']").value;
      if (level) { params.set("logLevel", level); }
      if (search) { params.set("logSearch", search); }
    }
    var q = params.toString();
    return q ? feed + "?" + q : feed;
  }

  function refresh() {
    fetch(query(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        updateBindings(data);
        updateChart(data);
        updateLogs(data.logs);
        if (status) { status.textContent = ""; }
      })
      .catch(function (error) {
        if (status) { status.textContent = "(refresh failed: " + error.message + ")"; }
      });
  }

  window.setInterval(refresh, intervalMs);
}());
