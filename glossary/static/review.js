// Review queue keys: j/k move, a approve, e edit, r reject, m merge into the first
// suggestion, x select, b approve the selection. Each key presses a real button or
// link of the current card, so everything also works by mouse and without script.
// The keys can be turned off (WCAG 2.1.4); the choice is kept in this browser.
(function () {
  "use strict";
  var STORE = "glossary.shortcuts";
  var enabled = true;
  try { enabled = window.localStorage.getItem(STORE) !== "off"; } catch (e) { /* storage blocked: keys on */ }
  var toggle = document.getElementById("shortcuts-toggle");
  if (toggle) {
    toggle.checked = enabled;
    document.getElementById("shortcuts-switch").hidden = false;
    toggle.addEventListener("change", function () {
      enabled = toggle.checked;
      try { window.localStorage.setItem(STORE, enabled ? "on" : "off"); } catch (e) { /* kept for this page only */ }
    });
  }
  var cards = Array.prototype.slice.call(document.querySelectorAll("#queue .candidate"));
  if (!cards.length) { return; }
  var current = -1;

  function select(index) {
    if (index < 0 || index >= cards.length) { return; }
    if (current >= 0) { cards[current].classList.remove("current"); }
    current = index;
    var card = cards[current];
    card.classList.add("current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function press(selector) {
    var target = current >= 0 && cards[current].querySelector(selector);
    if (target) { target.click(); }
    return Boolean(target);
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  var fromHash = cards.findIndex(function (card) { return "#" + card.id === window.location.hash; });
  select(fromHash >= 0 ? fromHash : 0);

  cards.forEach(function (card, index) {
    card.addEventListener("click", function () { if (index !== current) { select(index); } });
  });

  document.addEventListener("keydown", function (event) {
    if (!enabled || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var handled = true;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": handled = press("[data-action=approve]"); break;
      case "r": handled = press("[data-action=reject]"); break;
      case "e": handled = press("[data-action=edit]"); break;
      case "m": handled = press("[data-action=merge]"); break;
      case "x": handled = press("input[name=ids]"); break;
      case "b": {
        var bulk = document.querySelector("[data-action=bulk]");
        handled = Boolean(bulk);
        if (bulk) { bulk.click(); }
        break;
      }
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
}());
