"""The intake area's actions in the permission policy (gathered by oversight/permissions.py)."""

from __future__ import annotations

from commonbeat.core.policy import Holders, ObjectRule

RULES: dict[str, Holders] = {}
OBJECT_RULES: dict[str, ObjectRule] = {}
