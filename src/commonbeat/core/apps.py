from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "commonbeat.core"
    label = "core"
    verbose_name = _("Places, people and accounts")

    def ready(self) -> None:
        from commonbeat.core import audit, models, places, policy

        policy.register_actions(policy.CORE_RULES, policy.CORE_OBJECT_RULES)

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
