from __future__ import annotations

from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    """Public dashboards, downloads and the data.police.uk-compatible API, read from releases."""

    name = "commonbeat.transparency"
    label = "transparency"
    verbose_name = "Transparency"

    def ready(self) -> None:
        from importlib import import_module

        # Derived tables the release cache builds: the dashboards' cubes, the API's tables.
        from commonbeat.transparency.dashboards import cubes  # noqa: F401
        from commonbeat.transparency.police import tables  # noqa: F401

        # Each dashboard module registers its dashboard; the index lists them in this order.
        for name in ("calls", "crime", "stops", "force", "complaints"):
            import_module(f"commonbeat.transparency.dashboards.{name}")

        from commonbeat.core.panels import NEIGHBOURHOOD_PANELS
        from commonbeat.transparency.panels import PANEL

        NEIGHBOURHOOD_PANELS.register(PANEL)
