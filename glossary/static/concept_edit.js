// Concept form: an "Add a term" button that copies the last row with the next index.
// Without JavaScript the form still has blank rows to fill in.
(function () {
  "use strict";
  var button = document.getElementById("add-term-row");
  var body = document.getElementById("term-rows");
  if (!button || !body) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var rows = body.querySelectorAll("tr.term-row");
    var last = rows[rows.length - 1];
    var index = rows.length;
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input, select").forEach(function (el) {
      ["name", "id"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/^terms-\d+-/, "terms-" + index + "-")); }
      });
      if (el.type === "checkbox") { el.checked = false; }
      else if (el.tagName === "INPUT") { el.value = ""; }
    });
    copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    body.appendChild(copy);
    copy.querySelector("input.term-input").focus();
  });
}());
