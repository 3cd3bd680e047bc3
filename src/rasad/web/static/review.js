// The report page's review aids: words selected in the report fill the field clicked next and are
// kept as that field's evidence; the place field suggests gazetteer places as one types.
(function () {
  "use strict";
  var article = document.getElementById("report-text");
  var picked = null;  // {start, end, text} of the last selection inside the report, in code points

  function codePoints(s) { return Array.from(s).length; }

  function selectionInReport() {
    var sel = window.getSelection();
    if (!article || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) return null;
    var before = document.createRange();
    before.setStart(article, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var text = range.toString();
    var start = codePoints(before.toString());
    var trimmed = text.replace(/^\s+/, "");
    start += codePoints(text) - codePoints(trimmed);
    trimmed = trimmed.replace(/\s+$/, "");
    if (!trimmed) return null;
    return {start: start, end: start + codePoints(trimmed), text: trimmed};
  }

  function remember() { var got = selectionInReport(); if (got) picked = got; }
  if (article) {
    article.addEventListener("mouseup", remember);
    article.addEventListener("keyup", remember);
  }

  function addEvidence(form, field, span) {
    var input = form.querySelector("input.evidence-input");
    var spans = input.value ? JSON.parse(input.value) : [];
    spans = spans.filter(function (s) { return s.field !== field; });
    spans.push({field: field, start: span.start, end: span.end});
    input.value = JSON.stringify(spans);
    var out = form.querySelector("output.evidence-list");
    if (out) {
      out.textContent = spans.map(function (s) { return s.field + ": " + s.start + "–" + s.end; }).join(" · ");
    }
  }

  document.addEventListener("focusin", function (e) {
    var el = e.target;
    var field = el && el.getAttribute && el.getAttribute("data-field");
    if (!field || !picked || !el.form) return;
    var span = picked;
    picked = null;
    var digits = span.text.replace(/[٠-٩]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
    if ((field === "fatalities" || field === "injured") && /^\d+$/.test(digits)) {
      el.value = digits;  // a figure in words keeps the field as typed; its words are still the evidence
    } else if (field === "location") {
      el.value = span.text;
    }
    addEvidence(el.form, field, span);
    el.classList.add("has-evidence");
  });

  var options = document.getElementById("place-options");
  var timer = null;
  var last = {};
  document.querySelectorAll("input.place-input").forEach(function (input) {
    input.setAttribute("list", "place-options");
    input.addEventListener("input", function () {
      var q = input.value.trim();
      var chosen = last[q];
      var pcode = input.form && input.form.querySelector("input.pcode-input");
      if (chosen && pcode) pcode.value = chosen;
      clearTimeout(timer);
      if (q.length < 2 || chosen) return;
      timer = setTimeout(function () {
        fetch("/api/places?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (places) {
            options.textContent = "";
            last = {};
            places.forEach(function (p) {
              var name = p.name_ar || p.name_en;
              var value = name + " · " + (p.pcode || "");
              var o = document.createElement("option");
              o.value = value;
              o.label = [p.name_en, p.admin3 || p.admin2, p.admin1, p.pcode].filter(Boolean).join(" · ");
              options.appendChild(o);
              last[value] = p.pcode || "";
            });
          });
      }, 200);
    });
  });

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var place = form.querySelector("input.place-input");
      if (place && place.value.indexOf(" · ") > 0) place.value = place.value.split(" · ")[0];
    });
  });
})();
