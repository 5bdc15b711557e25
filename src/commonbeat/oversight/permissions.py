"""Oversight's actions in the permission policy, gathered from its areas.

Each area writes its own table (`<area>/permissions.py`); this module joins them for
`OversightConfig.ready()`, and refuses an action two areas both claim.
"""

from __future__ import annotations

from typing import Any

from commonbeat.core.policy import Holders, ObjectRule
from commonbeat.oversight.cases import permissions as cases
from commonbeat.oversight.early import permissions as early
from commonbeat.oversight.force import permissions as force
from commonbeat.oversight.intake import permissions as intake
from commonbeat.oversight.profiles import permissions as profiles

_AREAS: tuple[Any, ...] = (cases, intake, force, early, profiles)

RULES: dict[str, Holders] = {}
OBJECT_RULES: dict[str, ObjectRule] = {}
for _area in _AREAS:
    for _name in _area.RULES:
        if _name in RULES:
            raise KeyError(f"Two oversight areas both define the action {_name!r}.")
    RULES.update(_area.RULES)
    OBJECT_RULES.update(_area.OBJECT_RULES)
