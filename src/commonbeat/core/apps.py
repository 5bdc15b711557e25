from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonbeat.core"
    label = "core"
    verbose_name = _("Places, people and accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_delete

        from commonbeat.core import audit, models, places, policy, sections, services
        from commonbeat.core.account import ACCOUNT_SECTIONS
        from commonbeat.core.checks import check_deployment  # noqa: F401  `check --deploy`

        policy.register_actions(policy.CORE_RULES, policy.CORE_OBJECT_RULES)
        for section in sections.CORE_SECTIONS:
            ACCOUNT_SECTIONS.register(section)
        pre_delete.connect(
            services.forget_deleted_neighbourhood,
            sender=models.Neighbourhood,
            dispatch_uid="core.forget_deleted_neighbourhood",
        )

        audit.register(
            models.User,
            models.Agency,
            models.EngagementMethod,
            models.Neighbourhood,
            models.NeighbourhoodLink,
            models.NeighbourhoodLocation,
            models.Officer,
            models.Assignment,
            models.TeamMembership,
        )
        places.connect_cache_invalidation()
        # migrate and flush (test database resets) send it: an empty log always has a head.
        post_migrate.connect(audit.ensure_head, sender=self, dispatch_uid="core.audit_head")
