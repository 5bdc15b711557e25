// "Use my location": only where scripts run and the browser offers geolocation. The point
// goes to the same server route as the typed address (?lat=&lng=), which finds the
// neighbourhood; nothing else is sent anywhere.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) { return; }
  document.querySelectorAll("button[data-locate]").forEach(function (button) {
    var form = button.closest("form");
    var status = form.querySelector("[data-locate-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locating;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        var url = new URL(form.action, window.location.href);
        url.searchParams.set("lat", position.coords.latitude.toFixed(6));
        url.searchParams.set("lng", position.coords.longitude.toFixed(6));
        window.location.assign(url.toString());
      }, function () {
        status.textContent = button.dataset.denied;
        button.disabled = false;
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  });
})();
