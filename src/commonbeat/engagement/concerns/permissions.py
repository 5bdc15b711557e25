"""The concerns area's actions (gathered by engagement/permissions.py)."""

from __future__ import annotations

from commonbeat.core.policy import PUBLIC, Holders, ObjectRule
from commonbeat.core.roles import Role

CONCERN_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {
    # Anyone may report a concern (the web form; apps post with an API key) and follow one.
    "concern.report": PUBLIC,
    # The back office: the neighbourhood teams answer concerns; administrators keep the
    # services and the apps' keys.
    "concern.view": CONCERN_STAFF,
    "concern.change": CONCERN_STAFF,
    "concern.delete": frozenset({Role.ADMINISTRATOR}),
    "service.view": CONCERN_STAFF,
    "service.add": frozenset({Role.ADMINISTRATOR}),
    "service.change": frozenset({Role.ADMINISTRATOR}),
    "service.delete": frozenset({Role.ADMINISTRATOR}),
    "serviceattribute.view": CONCERN_STAFF,
    "serviceattribute.add": frozenset({Role.ADMINISTRATOR}),
    "serviceattribute.change": frozenset({Role.ADMINISTRATOR}),
    "serviceattribute.delete": frozenset({Role.ADMINISTRATOR}),
    "apikey.view": frozenset({Role.ADMINISTRATOR}),
    "apikey.add": frozenset({Role.ADMINISTRATOR}),
    "apikey.change": frozenset({Role.ADMINISTRATOR}),
    "apikey.delete": frozenset({Role.ADMINISTRATOR}),
}
OBJECT_RULES: dict[str, ObjectRule] = {}
