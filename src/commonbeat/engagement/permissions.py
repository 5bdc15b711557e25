"""Engagement's actions in the permission policy.

The public reads events, priorities and neighbourhood pages, registers without an account and
manages a registration through its own link (the view checks the link). Staff work in the
back office, asked as `<model>.<verb>`: neighbourhood officers, supervisors and administrators
run events and record what meetings raised; supervisors and administrators set priorities;
analysts keep the list of measures.
"""

from __future__ import annotations

from commonbeat.core.policy import PUBLIC, Holders, ObjectRule
from commonbeat.core.roles import Role
from commonbeat.engagement.announcements import permissions as announcements
from commonbeat.engagement.concerns import permissions as concerns
from commonbeat.engagement.surveys import permissions as surveys
from commonbeat.engagement.volunteers import permissions as volunteers

EVENT_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
PRIORITY_STAFF = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
MEASURE_STAFF = frozenset({Role.ANALYST, Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {
    "engagement.view": PUBLIC,
    "event.register": PUBLIC,
    "registration.manage": PUBLIC,
    # The back office.
    "event.view": EVENT_STAFF,
    "event.add": EVENT_STAFF,
    "event.change": EVENT_STAFF,
    "event.delete": frozenset({Role.ADMINISTRATOR}),
    "registration.view": EVENT_STAFF,
    "registration.change": EVENT_STAFF,
    "meetingconcern.view": EVENT_STAFF,
    "meetingconcern.add": EVENT_STAFF,
    "meetingconcern.change": EVENT_STAFF,
    "meetingconcern.delete": frozenset({Role.ADMINISTRATOR}),
    "minutescomment.view": EVENT_STAFF,
    "priority.view": PRIORITY_STAFF | {Role.OFFICER, Role.ANALYST},
    "priority.add": PRIORITY_STAFF,
    "priority.change": PRIORITY_STAFF,
    "priority.delete": frozenset({Role.ADMINISTRATOR}),
    "measure.view": MEASURE_STAFF | PRIORITY_STAFF,
    "measure.add": MEASURE_STAFF,
    "measure.change": MEASURE_STAFF,
    "measure.delete": frozenset({Role.ADMINISTRATOR}),
}
RULES.update(concerns.RULES)
RULES.update(surveys.RULES)
RULES.update(announcements.RULES)
RULES.update(volunteers.RULES)
OBJECT_RULES: dict[str, ObjectRule] = {**concerns.OBJECT_RULES, **announcements.OBJECT_RULES}
