"""The naive baseline's URLs: the same paths as Commonbeat's, so one URL list drives both."""

from __future__ import annotations

from django.urls import path

from naive import views

urlpatterns = [
    path("dashboards/<slug:agency>/stops.json", views.stops),
    path("dashboards/<slug:agency>/calls.json", views.calls),
    path("api/stops-street", views.stops_street),
]
