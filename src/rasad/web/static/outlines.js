// The gazetteer's governorate and district outlines under a map (Leaflet's, once loaded): the one
// drawing the dashboard's map and the review form's place picker share. Returns the fetch's promise
// of the outline layer, put behind everything else on the map.
window.rasadOutlines = function (map) {
  "use strict";
  return fetch("/api/boundaries", {credentials: "same-origin"}).then(function (r) { return r.json(); })
    .then(function (geo) {
      var layer = window.L.geoJSON(geo, {interactive: false, style: function (f) {
        return f.properties.level === 1
          ? {color: "#555", weight: 1.5, fillColor: "#f3efe6", fillOpacity: 1, className: "admin1"}
          : {color: "#999", weight: 0.6, fill: false, className: "admin2"};
      }}).addTo(map);
      layer.bringToBack();
      return layer;
    });
};
