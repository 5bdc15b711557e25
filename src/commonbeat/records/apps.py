from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "commonbeat.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from datetime import timedelta

        from commonbeat.core.jobs import JOB_KINDS, PERIODIC, JobKind, Periodic
        from commonbeat.core.policy import register_actions
        from commonbeat.core.registry import import_modules
        from commonbeat.records import permissions, release
        from commonbeat.records.contributions import CONTRIBUTORS

        register_actions(permissions.RULES)
        import_modules("commonbeat.records.mappings")  # each module registers its mappings
        CONTRIBUTORS.register(release.CONTRIBUTOR)  # the public tables, first in every release
        # An import is atomic and a repeat finds the file already stored: safe to run twice.
        JOB_KINDS.register(
            JobKind(
                "records.import",
                "commonbeat.records.services.import_queued",
                max_attempts=2,
                abandoned="commonbeat.records.services.import_abandoned",
            )
        )
        JOB_KINDS.register(
            JobKind("records.clean_uploads", "commonbeat.records.services.clean_uploads_job", 3)
        )
        PERIODIC.register(Periodic("records.clean_uploads", every=timedelta(hours=1)))
