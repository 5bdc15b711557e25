// The concern form's map: a tap or click on the map sets the point (the hidden latitude and
// longitude fields), which the server uses instead of the typed address. Without scripts, or
// without Leaflet, the address field alone does the job.
(function () {
  "use strict";
  var container = document.getElementById("pick-map");
  var dataNode = document.getElementById("pick-map-data");
  var form = container && container.closest("form");
  if (!container || !dataNode || !form || typeof L === "undefined") { return; }
  var config = JSON.parse(dataNode.textContent);
  var latitude = form.querySelector("input[name=latitude]");
  var longitude = form.querySelector("input[name=longitude]");
  var status = document.getElementById("pick-map-status");
  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false, attributionControl: Boolean(config.tileAttribution) });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  var outline = L.geoJSON(config.boundaries, { style: { color: "#0b4f8a", weight: 2, fillOpacity: 0.05 } }).addTo(map);
  map.fitBounds(outline.getBounds(), { padding: [8, 8] });
  var marker = null;
  map.on("click", function (event) {
    latitude.value = event.latlng.lat.toFixed(6);
    longitude.value = event.latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
    status.textContent = config.picked;
  });
})();
