// The dashboard's map: Leaflet (vendored, no tiles), the gazetteer's outlines, and markers fetched for
// the view from /api/map with the page's filters: one per event or incident, or one per grid cell when
// the view holds too many (the number on it; a click zooms in). Filtering to a governorate zooms to it.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var COLOURS = {"Explosions/Remote violence": "#c0392b", "Battles": "#8e44ad", "Violence against civilians": "#d35400",
    "Strategic developments": "#2c3e50", "Protests": "#16a085", "Riots": "#7f8c8d"};
  var TYPES_AR = {"Explosions/Remote violence": "انفجارات/عنف عن بعد", "Battles": "معارك",
    "Violence against civilians": "عنف ضد المدنيين", "Strategic developments": "تطورات استراتيجية",
    "Protests": "احتجاجات", "Riots": "أعمال شغب"};
  var PRECISION = {1: "المكان نفسه", 2: "قرب المكان", 3: "منطقة (تقريبي)"};
  var box = el.dataset.box.split(",").map(Number);
  var query = el.dataset.query, layerName = el.dataset.layer, admin1 = el.dataset.admin1;
  var map = L.map(el, {zoomSnap: 0.5, minZoom: 4, maxZoom: 16});
  map.attributionControl.setPrefix("Leaflet").addAttribution("OCHA COD, Open-Syria");
  map.fitBounds([[box[1], box[0]], [box[3], box[2]]]);
  window.rasadMap = map;  // for tests and the console
  var markers = L.layerGroup().addTo(map), pending = null;
  var fitted = !query || !!admin1;  // a filter other than a governorate: zoom to what it keeps, once

  function radius(killed) { return 4 + Math.min(10, Math.sqrt(killed || 0) * 1.5); }

  function row(dl, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label; dd.textContent = value; dl.appendChild(dt); dl.appendChild(dd);
  }

  function popup(p) {  // built with textContent: nothing from a report becomes markup
    var div = document.createElement("div"), dl = document.createElement("dl"), a = document.createElement("a");
    div.className = "map-popup"; div.dir = "rtl";
    row(dl, "التاريخ", p.date || "غير معروف");
    row(dl, "النوع", (TYPES_AR[p.event_type] || p.event_type) + (p.sub_event_type ? " — " + p.sub_event_type : ""));
    row(dl, "الفاعل", p.actor);
    var range = p.killed_range && p.killed_range[0] !== null && p.killed_range[0] !== p.killed_range[1]
      ? " (" + p.killed_range[0] + "–" + p.killed_range[1] + ")" : "";
    row(dl, "القتلى", p.killed === null ? "غير معروف" : p.killed + range);
    row(dl, "الجرحى", p.injured);
    row(dl, "المكان", [p.place, p.admin1].filter(Boolean).join("، "));
    row(dl, "الدقة", PRECISION[p.precision] || p.precision);
    row(dl, "التقييم", p.grade);
    a.href = p.href; a.textContent = p.href.indexOf("/incidents/") === 0 ? "صفحة الحادثة" : "صفحة الحدث";
    div.appendChild(dl); div.appendChild(a);
    return div;
  }

  function pointMarker(f) {
    var p = f.properties, c = f.geometry.coordinates, colour = COLOURS[p.event_type] || "#555";
    var approximate = p.precision >= 3;
    var m = L.circleMarker([c[1], c[0]], {radius: radius(p.killed), color: colour, weight: approximate ? 2 : 1.5,
      fillColor: colour, fillOpacity: approximate ? 0 : p.precision === 2 ? 0.35 : 0.75,
      dashArray: approximate ? "3 3" : null, className: "event-marker"});
    m.bindPopup(function () { return popup(p); });
    return m;
  }

  function cellMarker(f) {
    var p = f.properties, c = f.geometry.coordinates, size = Math.round(24 + Math.min(28, Math.log(p.count) * 4));
    var icon = L.divIcon({className: "map-cell", iconSize: [size, size], html: String(Number(p.count))});
    var m = L.marker([c[1], c[0]], {icon: icon, keyboard: false, title: p.count + " · " + p.killed + " قتيلاً"});
    m.on("click", function () { map.setView(m.getLatLng(), Math.min(map.getMaxZoom(), map.getZoom() + 2)); });
    return m;
  }

  function load() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var b = map.getBounds(), params = new URLSearchParams(query);
    params.set("include_background", "false");
    params.set("layer", layerName);
    params.set("zoom", String(Math.round(map.getZoom())));
    params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(4); }).join(","));
    fetch("/api/map?" + params.toString(), {signal: pending.signal, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        markers.clearLayers();
        data.features.forEach(function (f) {
          markers.addLayer(f.properties.cluster ? cellMarker(f) : pointMarker(f));
        });
        el.dataset.kind = data.kind;
        el.dataset.zoom = String(map.getZoom());  // the view these markers are for
        el.dataset.loaded = String(data.features.length);
        if (!fitted && data.features.length) {  // a moved view fetches its own markers (moveend)
          fitted = true;
          map.fitBounds(L.latLngBounds(data.features.map(function (f) {
            return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; })).pad(0.2), {maxZoom: 11});
        }
      })
      .catch(function (e) { if (e.name !== "AbortError") { el.dataset.error = e.message; } });
  }

  window.rasadOutlines(map).then(function (outlines) {
    if (admin1) {  // filtered to a governorate: show it whole
      outlines.eachLayer(function (l) {
        if (l.feature.properties.level === 1 && l.feature.properties.name_en === admin1) { map.fitBounds(l.getBounds()); }
      });
    }
    el.dataset.outlines = "true";
  });

  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {  // open on a wide screen, a one-line summary on a phone
    var div = L.DomUtil.create("details", "map-legend"), summary = L.DomUtil.create("summary", "", div);
    div.dir = "rtl";
    div.open = window.innerWidth > 700;
    summary.textContent = "مفتاح الخريطة";
    Object.keys(COLOURS).forEach(function (t) {
      var item = L.DomUtil.create("div", "", div), swatch = L.DomUtil.create("span", "swatch", item);
      swatch.style.background = COLOURS[t];
      item.appendChild(document.createTextNode(TYPES_AR[t] + " (" + t + ")"));
    });
    var size = L.DomUtil.create("div", "", div);
    size.textContent = "حجم الدائرة: عدد القتلى · الدائرة المفرغة: مكان تقريبي · الرقم: مجموعة أحداث";
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
  map.on("moveend", load);
  load();
}());
