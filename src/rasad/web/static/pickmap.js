// Pick an event's place on a map: the review form's "اختر على الخريطة" opens a map of the outlines
// (Leaflet, loaded from this server only when asked); a click lists the gazetteer's nearest towns and
// villages, and choosing one fills the place and its P-code (the server checks it as any edit). When
// the gazetteer lacks the place, "مكان جديد" keeps the name typed at the point clicked: the server
// learns it (store.learned) and later reports find it.
(function () {
  "use strict";
  var loading = null;

  function leaflet() {
    if (window.L) { return Promise.resolve(window.L); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var css = document.createElement("link");
        css.rel = "stylesheet"; css.href = "/static/vendor/leaflet.css";
        document.head.appendChild(css);
        var js = document.createElement("script");
        js.src = "/static/vendor/leaflet.js";
        js.onload = function () { resolve(window.L); };
        js.onerror = reject;
        document.head.appendChild(js);
      });
    }
    return loading;
  }

  function newPlace(list, form, latlng) {  // the typed name at the clicked point, for the server to learn
    var b = document.createElement("button"), name = form.querySelector("input.place-input");
    b.type = "button"; b.className = "pick-choice pick-new";
    b.textContent = "مكان جديد ليس في المعجم: «" + (name.value.trim() || "اكتب اسمه أولاً") + "» هنا";
    b.addEventListener("click", function () {
      if (!name.value.trim()) { name.focus(); return; }
      form.querySelector("input.new-lat").value = latlng.lat.toFixed(6);
      form.querySelector("input.new-lon").value = latlng.lng.toFixed(6);
      form.querySelector("input.pcode-input").value = "";
      form.querySelector("label.new-kind").hidden = false;
      list.querySelectorAll("button").forEach(function (o) { o.classList.toggle("chosen", o === b); });
    });
    list.appendChild(b);
  }

  function choices(list, places, form, marker, latlng) {
    list.textContent = "";
    form.querySelector("input.new-lat").value = "";
    form.querySelector("input.new-lon").value = "";
    places.forEach(function (p) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "pick-choice";
      b.textContent = [p.name_ar, p.name_en, p.admin2 || p.admin1, p.pcode, p.distance_km + " كم"].filter(Boolean).join(" · ");
      b.addEventListener("click", function () {
        form.querySelector("input.place-input").value = p.name_ar || p.name_en;
        form.querySelector("input.pcode-input").value = p.pcode || "";
        form.querySelector("input.new-lat").value = "";
        form.querySelector("input.new-lon").value = "";
        marker.setLatLng([p.latitude, p.longitude]);
        list.querySelectorAll("button").forEach(function (o) { o.classList.toggle("chosen", o === b); });
      });
      list.appendChild(b);
    });
    newPlace(list, form, latlng);
  }

  function open(button) {
    var form = button.form, box = form.querySelector("div.pick-map"), list = form.querySelector("div.pick-list");
    if (box.dataset.ready) { box.hidden = !box.hidden; return; }
    box.hidden = false;
    leaflet().then(function (L) {
      var map = L.map(box, {minZoom: 5, maxZoom: 15}).setView([35.0, 38.5], 6);
      box.dataset.ready = "1";
      box.rasadMap = map;  // for tests and the console
      window.rasadOutlines(map).then(function () { box.dataset.outlines = "1"; });
      var marker = null;
      map.on("click", function (e) {
        if (marker) { marker.setLatLng(e.latlng); } else {
          marker = L.circleMarker(e.latlng, {radius: 7, color: "#b3261e"}).addTo(map);
        }
        var q = "lat=" + e.latlng.lat.toFixed(5) + "&lon=" + e.latlng.lng.toFixed(5);
        fetch("/api/places/near?" + q, {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (places) { choices(list, places, form, marker, e.latlng); });
      });
    });
  }

  document.querySelectorAll("button.pick-on-map").forEach(function (b) {
    b.addEventListener("click", function () { open(b); });
  });
})();
