// Import job page: follow the job's progress and show the report once it has ended.
// Each poll also tells the server the page is still open (a job nobody follows stops).
// Without script the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  var bar = document.getElementById("job-bar");
  var phase = document.getElementById("job-phase");
  if (!box || !bar || !phase || !window.fetch) { return; }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (job) {
        if (!job.active) {
          box.dataset.state = "ended";
          window.location.replace(box.dataset.pageUrl);
          return;
        }
        bar.max = job.total || 1;
        bar.value = job.done;
        phase.textContent = job.message;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 500);
}());
