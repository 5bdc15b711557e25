from __future__ import annotations

from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    """Public dashboards, downloads and the data.police.uk-compatible API, read from releases."""

    name = "commonbeat.transparency"
    label = "transparency"
    verbose_name = "Transparency"
