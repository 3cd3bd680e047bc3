// The review queue with the keyboard alone: j/k move between cards, a accepts, r rejects, e opens the
// event in its report to edit, / goes to the search box.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll("#queue li.card"));
  var at = 0;
  function focus(i) {
    if (!cards.length) return;
    at = Math.max(0, Math.min(cards.length - 1, i));
    cards.forEach(function (c, k) { c.classList.toggle("current", k === at); });
    cards[at].focus();
    cards[at].scrollIntoView({block: "nearest"});
  }
  function press(selector) {
    var button = cards[at] && cards[at].querySelector(selector);
    if (button) button.click();
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var keys = {
      j: function () { focus(at + 1); }, k: function () { focus(at - 1); },
      a: function () { press("button.accept"); }, r: function () { press("button.reject"); },
      e: function () { if (cards[at]) window.location = cards[at].getAttribute("data-report"); },
      "/": function () { var box = document.querySelector(".nav-search input"); if (box) box.focus(); }
    };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  focus(0);
})();
