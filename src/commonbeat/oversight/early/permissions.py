"""The early area's actions in the permission policy (gathered by oversight/permissions.py).

Alerts are confidential. Administrators read and review every alert; a supervisor reads and
reviews the alerts of officers in their own unit (the object rules); the flagged officer sees
only that their own alerts exist and how each review ended (never the notes, the figures of
others or who else was flagged). Nobody else, residents and the public included, sees any.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from commonbeat.core.policy import Holders, ObjectRule
from commonbeat.core.roles import Role

_ADMIN = frozenset({Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {
    # The supervisor's queue: a supervisor's lists only their unit's alerts (visible_alerts).
    "alert.queue": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # One alert's figures, peers and review; widened to the officer's unit's supervisors.
    "alert.view": _ADMIN,
    "alert.review": _ADMIN,
    # "Your alerts": an officer or supervisor sees their own alerts' existence and outcome.
    "alert.view_own": frozenset({Role.OFFICER, Role.SUPERVISOR}),
    # Running the rules now (the worker also runs them from the command or a schedule).
    "alert.evaluate": _ADMIN,
    # The rules are operator settings, in the back office.
    "alertrule.view": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "alertrule.add": _ADMIN,
    "alertrule.change": _ADMIN,
    "alertrule.delete": _ADMIN,
}


def supervisor_unit(user: Any) -> str | None:
    """Return the unit a supervisor currently leads (their open assignment's), or None."""
    if getattr(user, "role", None) != Role.SUPERVISOR or not getattr(user, "officer_id", None):
        return None
    assignment = user.officer.current_assignment
    return (assignment.unit or None) if assignment else None


def _unit_supervisor(user: Any, alert: Any) -> bool:
    unit = supervisor_unit(user)
    # A supervisor never reviews an alert about themselves.
    return bool(unit) and alert.unit == unit and alert.officer_id != user.officer_id


OBJECT_RULES: dict[str, ObjectRule] = {
    "alert.view": _unit_supervisor,
    "alert.review": _unit_supervisor,
}


def visible_alerts(user: Any, alerts: QuerySet[Any]) -> QuerySet[Any]:
    """Return the alerts of a queryset the user may read in full (the queue's filter)."""
    if getattr(user, "role", None) == Role.ADMINISTRATOR:
        return alerts
    unit = supervisor_unit(user)
    if unit is None:
        return alerts.none()
    return alerts.filter(unit=unit).exclude(officer_id=user.officer_id)
