// Feed job page: polls the job's status (JSON) every second while it runs and moves the progress bar and counts in place.
// No inline script: the page's CSP is script-src 'self'.
(function () {
  "use strict";
  var root = document.getElementById("feed-job");
  if (!root || root.getAttribute("data-finished") === "true") { return; }
  var url = root.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  var reload = document.getElementById("job-reload");
  var finished = ["Completed", "CompletedWithErrors", "Failed", "Cancelled", "AwaitingConfirmation"];

  function render(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + " %";
    percent.textContent = String(job.percent);
    status.textContent = job.status;
    ["rows", "created", "updated", "unchanged", "rejected", "deactivated"].forEach(function (name) {
      var cell = root.querySelector("[data-count='" + name + "']");
      if (cell && job[name] !== undefined) { cell.textContent = String(job[name]); }
    });
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (job) {
        render(job);
        if (finished.indexOf(job.status) >= 0) {
          root.setAttribute("data-finished", "true");
          reload.hidden = false;
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 500);
})();
