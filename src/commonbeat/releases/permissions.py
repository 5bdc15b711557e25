"""The releases app's actions in the permission policy (registered by ReleasesConfig.ready())."""

from __future__ import annotations

from commonbeat.core.policy import Holders
from commonbeat.core.roles import Role

RULES: dict[str, Holders] = {
    # Publishing makes records public (through the privacy rules): those who import may publish.
    "release.publish": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
}
