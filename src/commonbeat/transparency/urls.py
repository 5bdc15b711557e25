"""Public pages of the transparency app; each views module lists its own routes."""

from __future__ import annotations

from commonbeat.transparency.views import catalogue, dashboards

app_name = "transparency"
urlpatterns = [*dashboards.routes, *catalogue.routes]
