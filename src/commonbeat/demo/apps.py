from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`commonbeat demo`: the synthetic city, composed from the generators in demo/steps/."""

    name = "commonbeat.demo"
    label = "demo"
    verbose_name = _("Demo city")

    def ready(self) -> None:
        from commonbeat.core.registry import import_modules

        import_modules("commonbeat.demo.steps")  # each module registers its generator
