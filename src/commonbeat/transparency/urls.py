"""Public pages of the transparency app; each views module lists its own routes."""

from __future__ import annotations

from commonbeat.transparency.views import catalogue, dashboards, equity

app_name = "transparency"
urlpatterns = [*dashboards.routes, *equity.routes, *catalogue.routes]
