"""The record store's actions in the permission policy (registered by RecordsConfig.ready())."""

from __future__ import annotations

from commonbeat.core.policy import Holders
from commonbeat.core.roles import Role

RULES: dict[str, Holders] = {
    # Importing data, and reading import reports (which quote raw rows).
    "records.import": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "records.view_imports": frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.SUPERVISOR}),
}
