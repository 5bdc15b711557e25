"""The force area's actions in the permission policy (gathered by oversight/permissions.py).

A report is its author's and its chain of command's: other officers never see it, and
residents, visitors and board members see no individual report (the public reads the
aggregates releases carry). Internal affairs (investigators) and administrators see them all.
"""

from __future__ import annotations

from typing import Any

from commonbeat.core.policy import Holders, ObjectRule
from commonbeat.core.roles import Role
from commonbeat.oversight.force import chain

_READERS = frozenset({Role.INVESTIGATOR, Role.ADMINISTRATOR})

RULES: dict[str, Holders] = {
    # File a report and read one's own list ("my reports"); the author must be on the roster.
    "forcereport.file": frozenset({Role.OFFICER, Role.SUPERVISOR}),
    # The reviewer's queue; which report at which level is chain.py's to say.
    "forcereport.review": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # One report: widened to its author and its chain of command by the object rule.
    "forcereport.view": _READERS,
    # Only the author edits, while a draft or returned (no role holds it outright).
    "forcereport.edit": frozenset(),
    # Every version of the report, for those who review it (not its author).
    "forcereport.history": _READERS,
    # Link complaints about the same incident.
    "forcereport.link": _READERS,
}


def _is_author(user: Any, report: Any) -> bool:
    return bool(report is not None and user.pk == report.author_id)


def _in_chain(user: Any, report: Any) -> bool:
    if report is None or _is_author(user, report):
        return False
    if report.reviews.filter(reviewer=user).exists():
        return True
    return chain.may_review(user, report) or chain.is_unit_supervisor(user, report)


def _may_view(user: Any, report: Any) -> bool:
    return _is_author(user, report) or _in_chain(user, report)


def _may_edit(user: Any, report: Any) -> bool:
    return _is_author(user, report) and report.editable


OBJECT_RULES: dict[str, ObjectRule] = {
    "forcereport.view": _may_view,
    "forcereport.edit": _may_edit,
    "forcereport.history": _in_chain,
    "forcereport.link": _in_chain,
}
