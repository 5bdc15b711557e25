from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    """Publication, immutable releases and the release cache the public side reads."""

    name = "commonbeat.releases"
    label = "releases"
    verbose_name = _("Releases")

    def ready(self) -> None:
        from commonbeat.core import audit
        from commonbeat.core.policy import register_actions

        # The cache registers its own derived table (`coverage`) when imported.
        from commonbeat.releases import cache  # noqa: F401
        from commonbeat.releases import models, permissions

        register_actions(permissions.RULES)
        audit.register(models.PublishRun)  # every publication, its start and its end
