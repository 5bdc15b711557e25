// Replaces the static SVG boundary with an interactive Leaflet map. Without JavaScript, or
// if Leaflet fails to load, the SVG stays and the page still reads.
(function () {
  "use strict";
  var container = document.getElementById("neighbourhood-map");
  var dataNode = document.getElementById("neighbourhood-map-data");
  if (!container || !dataNode || typeof L === "undefined") { return; }
  var config = JSON.parse(dataNode.textContent);
  var fallback = container.querySelector(".map-fallback");
  if (fallback) { fallback.remove(); }
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", container.dataset.mapLabel || "Map");
  var map = L.map(container, { scrollWheelZoom: false, attributionControl: Boolean(config.tileAttribution) });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  var boundary = L.geoJSON(config.boundary, {
    style: { color: "#0b4f8a", weight: 3, fillColor: "#5b9bd5", fillOpacity: 0.25 }
  });
  // Leaflet needs a view before it can draw vector layers.
  map.fitBounds(boundary.getBounds(), { padding: [12, 12] });
  boundary.addTo(map);
  config.locations.forEach(function (location) {
    L.circleMarker([Number(location.latitude), Number(location.longitude)], {
      radius: 8, color: "#ffffff", weight: 2, fillColor: "#b00020", fillOpacity: 1
    }).bindTooltip(location.name).addTo(map);
  });
})();
