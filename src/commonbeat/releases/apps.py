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
        from commonbeat.core.jobs import JOB_KINDS, JobKind
        from commonbeat.core.policy import register_actions
        from commonbeat.releases import cache, models, permissions, publish

        del cache  # imported for its effect: it registers its own derived table (`coverage`)

        register_actions(permissions.RULES)
        JOB_KINDS.register(
            JobKind(
                "releases.publish",
                "commonbeat.releases.services.publish_job",
                abandoned="commonbeat.releases.services.publish_abandoned",
            )
        )
        audit.register(models.PublishRun)  # every publication, its start and its end
        # Each release's manifest holds the log's head: `audit verify --release` checks it.
        audit.AUDIT_ANCHORS.register(audit.AnchorSource("release", publish.audit_anchors))
