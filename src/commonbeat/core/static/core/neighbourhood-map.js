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
  var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: Boolean(config.tileAttribution) });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  var boundary = L.geoJSON(config.boundary, {
    style: { color: "#0b4f8a", weight: 3, fillColor: "#5b9bd5", fillOpacity: 0.25 }
  });
  // Leaflet needs a view before it can draw vector layers.
  map.fitBounds(boundary.getBounds(), { padding: [12, 12] });
  // Without a tile server there is no base map: draw our own streets, in their own pane
  // under the boundary, each named along its middle.
  if (!config.tileUrl && config.streets && config.streets.length) {
    map.createPane("streets").style.zIndex = 350;
    var streets = L.layerGroup();
    var labels = [];
    config.streets.forEach(function (street) {
      L.geoJSON(street.geometry, {
        pane: "streets", interactive: false,
        style: { color: "#8a8a8a", weight: 3, opacity: 0.9 }
      }).addTo(streets);
      if (!street.labelAt) { return; }
      // The name sits at the middle of the street's longest stretch inside the boundary.
      labels.push(L.tooltip({ permanent: true, direction: "center", className: "street-label", pane: "streets" })
        .setLatLng(street.labelAt).setContent(street.name));
    });
    labels.forEach(function (label) { label.addTo(streets); });
    streets.addTo(map);
    // Names that would overlap one already shown wait for a closer zoom.
    var declutter = function () {
      var shown = [];
      labels.forEach(function (label) {
        var element = label.getElement();
        if (!element) { return; }
        element.classList.remove("street-label-hidden");
        var box = element.getBoundingClientRect();
        var clash = shown.some(function (other) {
          return box.left < other.right && box.right > other.left && box.top < other.bottom && box.bottom > other.top;
        });
        if (clash) { element.classList.add("street-label-hidden"); } else { shown.push(box); }
      });
    };
    declutter();
    map.on("zoomend", declutter);
  }
  boundary.addTo(map);
  config.locations.forEach(function (location) {
    // A tooltip from the marker's side facing the map's centre, wrapping long names, and a
    // popup that pans into view on a tap (phones have no hover), so no name is cut off.
    L.circleMarker([Number(location.latitude), Number(location.longitude)], {
      radius: 8, color: "#ffffff", weight: 2, fillColor: "#b00020", fillOpacity: 1
    }).bindTooltip(location.name, { direction: "auto", className: "place-label" })
      .bindPopup(location.name, { autoPan: true, autoPanPadding: [16, 16] })
      .addTo(map);
  });
})();
