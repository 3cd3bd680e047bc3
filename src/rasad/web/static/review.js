// The report page's review aids: words selected in the report fill the field clicked next and are
// kept as that field's evidence, or, with the keyboard alone, words typed in "الكلمات" are found in
// the report (the occurrence nearest the event's own evidence) and kept for the chosen field; Enter
// in a field, or Ctrl+Enter anywhere in the form, saves the edit (never the form's first button,
// "accept"); the place field suggests gazetteer places as one types; a card lights its words.
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

  function fill(el, span) {
    var field = el.getAttribute("data-field");
    var digits = span.text.replace(/[٠-٩]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
    if ((field === "fatalities" || field === "injured") && /^\d+$/.test(digits)) {
      el.value = digits;  // a figure in words keeps the field as typed; its words are still the evidence
    } else if (field === "location") {
      el.value = span.text;
    }
    addEvidence(el.form, field, span);
    el.classList.add("has-evidence");
  }

  document.addEventListener("focusin", function (e) {
    var el = e.target;
    var field = el && el.getAttribute && el.getAttribute("data-field");
    if (!field || !picked || !el.form) return;
    var span = picked;
    picked = null;
    fill(el, span);
  });

  function nearest(text, words, anchor) {  // the occurrence of `words` nearest `anchor`, in code points
    var best = null, from = 0, at;
    while ((at = text.indexOf(words, from)) >= 0) {
      var start = codePoints(text.slice(0, at));
      if (best === null || Math.abs(start - anchor) < Math.abs(best - anchor)) best = start;
      from = at + 1;
    }
    return best === null ? null : {start: best, end: best + codePoints(words), text: words};
  }

  function show(span) {  // select the found words in the report, as a mouse selection would look
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT), node, seen = 0, range = document.createRange();
    var startUnits = Array.from(article.textContent).slice(0, span.start).join("").length;
    var endUnits = startUnits + span.text.length, started = false;
    while ((node = walker.nextNode())) {
      var len = node.nodeValue.length;
      if (!started && seen + len > startUnits) { range.setStart(node, startUnits - seen); started = true; }
      if (started && seen + len >= endUnits) { range.setEnd(node, endUnits - seen); break; }
      seen += len;
    }
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  document.addEventListener("keydown", function (e) {
    var el = e.target;
    if (e.key !== "Enter" || !el || !el.form) return;
    var save = el.form.querySelector("button.save");
    if (e.ctrlKey && save) { e.preventDefault(); save.click(); return; }  // Ctrl+Enter saves from anywhere
    if (el.tagName === "TEXTAREA") return;
    if (el.classList.contains("find-words")) {
      e.preventDefault();
      var form = el.form, status = form.querySelector("output.find-status");
      var target = form.querySelector('[name="' + form.querySelector("select.find-field").value + '"]');
      var span = article && el.value.trim() ? nearest(article.textContent, el.value.trim(), Number(el.dataset.anchor)) : null;
      if (!span || !target) { status.textContent = "لم تُوجد هذه الكلمات في النص."; return; }
      fill(target, span);
      show(span);
      status.textContent = "«" + span.text + "» دليلاً (" + span.start + "–" + span.end + ")";
      return;
    }
    if (save && el.tagName === "INPUT" && el.closest("details")) { e.preventDefault(); save.click(); }
  });

  var opened = /^#edit-/.test(window.location.hash) && document.getElementById(window.location.hash.slice(1));
  if (opened) {  // from the queue's "e": the edit form open, the keyboard in it
    opened.open = true;
    var first = opened.querySelector("select.find-field");
    if (first) {  // again once loaded: going to the fragment moves the focus back to the page
      first.focus();
      window.addEventListener("load", function () { first.focus(); });
    }
  }

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

  // An event card and its words: hovering or focusing a card lights its evidence in the text (and
  // brings the first of it into view on a click); clicking highlighted words shows their event.
  function light(id, on) {
    document.querySelectorAll("#report-text mark.ev").forEach(function (m) {
      if ((" " + m.getAttribute("data-events") + " ").indexOf(" " + id + " ") >= 0) m.classList.toggle("lit", on);
    });
  }
  document.querySelectorAll("#events section.event").forEach(function (card) {
    card.addEventListener("mouseenter", function () { light(card.id, true); });
    card.addEventListener("mouseleave", function () { light(card.id, false); });
    card.addEventListener("focusin", function () { light(card.id, true); });
    card.addEventListener("focusout", function () { light(card.id, false); });
    card.querySelector("h3").addEventListener("click", function () {
      light(card.id, true);
      var first = document.querySelector("#report-text mark.ev.lit");
      if (first) first.scrollIntoView({block: "center"});
    });
  });
  if (article) {
    article.addEventListener("click", function (e) {
      var mark = e.target.closest && e.target.closest("mark.ev");
      if (!mark || !window.getSelection().isCollapsed) return;
      var card = document.getElementById((mark.getAttribute("data-events") || "").split(" ")[0]);
      if (card) { card.scrollIntoView({block: "nearest"}); card.classList.add("pointed");
        setTimeout(function () { card.classList.remove("pointed"); }, 1500); }
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var place = form.querySelector("input.place-input");
      if (place && place.value.indexOf(" · ") > 0) place.value = place.value.split(" · ")[0];
    });
  });
})();
