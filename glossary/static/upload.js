// Documents page: send the chosen or dropped files one at a time and show each one's progress
// (uploading, then reading and mining, then the result or the reason it was refused).
// Without script the form posts them all at once.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var list = document.getElementById("upload-progress");
  if (!form || !list || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector("input[type=file]");
  var button = form.querySelector("button[type=submit]");
  var token = form.querySelector("input[name=csrf_token]").value;

  function row(file) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    var state = document.createElement("span");
    var bar = document.createElement("progress");
    name.textContent = file.name;
    state.textContent = "waiting";
    bar.max = 1;
    bar.value = 0;
    item.append(name, state, bar);
    list.appendChild(item);
    return { item: item, state: state, bar: bar };
  }

  function finish(view, ok, message, link) {
    view.bar.max = 1;
    view.bar.value = 1;
    view.state.className = ok ? "done" : "failed";
    view.state.textContent = message;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "review";
      view.state.append(" · ", a);
    }
  }

  function describeFailure(xhr) {
    if (xhr.status === 413) { return "too large to upload"; }
    if (xhr.status === 400) { return "refused: reload the page and try again"; }
    if (xhr.status === 503) { return "the glossary is busy with another change: nothing was stored, try again in a moment"; }
    return "failed (" + (xhr.status || "no answer") + ")";
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("files", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.responseType = "json";
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) { view.bar.value = event.loaded / event.total; }
        view.state.textContent = "uploading";
      };
      xhr.upload.onload = function () {
        view.bar.removeAttribute("value");  // indeterminate while the server reads and mines
        view.state.textContent = "reading and mining…";
      };
      xhr.onload = function () {
        var result = xhr.response && xhr.response.results && xhr.response.results[0];
        if (result) { finish(view, result.ok, result.message, result.review_url); }
        else { finish(view, false, describeFailure(xhr)); }
        resolve();
      };
      xhr.onerror = function () { finish(view, false, "the connection failed"); resolve(); };
      xhr.send(data);
    });
  }

  function refreshSources() {
    return fetch(form.action, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("sources");
        var current = document.getElementById("sources");
        if (fresh && current) { current.replaceWith(fresh); }
      });
  }

  var busy = false;

  function uploadAll(files) {
    if (!files.length || busy) { return; }
    busy = true;
    button.disabled = true;
    form.dataset.state = "busy";
    list.textContent = "";
    var views = files.map(row);
    files.reduce(function (chain, file, index) {
      return chain.then(function () { return send(file, views[index]); });
    }, Promise.resolve())
      .then(refreshSources)
      .finally(function () {
        busy = false;
        button.disabled = false;
        input.value = "";
        form.dataset.state = "done";
      });
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { return; }
    event.preventDefault();
    uploadAll(files);
  });

  // Files dropped anywhere on the form are uploaded at once, like chosen ones.
  var zone = document.getElementById("drop-zone") || form;
  ["dragenter", "dragover"].forEach(function (name) {
    form.addEventListener(name, function (event) {
      if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    });
  });
  form.addEventListener("dragleave", function (event) {
    if (!form.contains(event.relatedTarget)) { zone.classList.remove("dragging"); }
  });
  form.addEventListener("drop", function (event) {
    zone.classList.remove("dragging");
    if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
    event.preventDefault();
    uploadAll(Array.prototype.slice.call(event.dataTransfer.files));
  });
}());
