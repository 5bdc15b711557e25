"""Oversight's pages, mounted at /oversight/ in each language; each area brings its own."""

from __future__ import annotations

from django.urls import include, path

app_name = "oversight"

urlpatterns = [
    path("", include("commonbeat.oversight.intake.urls")),
    path("", include("commonbeat.oversight.cases.urls")),
    path("", include("commonbeat.oversight.force.urls")),
    path("", include("commonbeat.oversight.early.urls")),
    path("", include("commonbeat.oversight.profiles.urls")),
]
