// Updates the export's <progress> bar from its status resource, and reloads the page (which then
// shows the download link or the error) once the job is finished. Without JavaScript the page
// refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var bar = document.getElementById("export-progress");
  var label = document.getElementById("export-state");
  if (!bar) return;
  var url = bar.getAttribute("data-status-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + " %";
        if (label) label.textContent = job.state_label + ", " + job.percent + " %";
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
