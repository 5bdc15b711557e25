from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "commonbeat.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from commonbeat.core.policy import register_actions
        from commonbeat.core.registry import import_modules
        from commonbeat.records import permissions, release
        from commonbeat.records.contributions import CONTRIBUTORS

        register_actions(permissions.RULES)
        import_modules("commonbeat.records.mappings")  # each module registers its mappings
        CONTRIBUTORS.register(release.CONTRIBUTOR)  # the public tables, first in every release
