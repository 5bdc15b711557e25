"""Public pages of the transparency app; each views module lists its own routes."""

from __future__ import annotations

from django.urls import path

from commonbeat.transparency.police.views import docs
from commonbeat.transparency.views import catalogue, dashboards, equity

app_name = "transparency"
urlpatterns = [
    *dashboards.routes,
    *equity.routes,
    *catalogue.routes,
    # The API's human page, in each language (the API's own addresses have no prefix).
    path("api/", docs, name="api_docs"),
]
