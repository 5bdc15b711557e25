"""The chain of command a use-of-force report is reviewed through.

Level 1: a SUPERVISOR whose officer's current assignment is in the report's unit (the author's
unit when it was submitted) and whose rank is above the author's. Level 2 (command staff): a
SUPERVISOR whose rank is above the level-1 reviewer's, or an ADMINISTRATOR. Nobody reviews a
report they wrote or about force they were involved in, nor the same report at two levels.
Ranks are ordered as core.vocab's RANK lists them (police officer lowest, chief highest);
spellings with the same label ("officer", "police officer") share a place.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils import translation

from commonbeat.core.roles import Role
from commonbeat.core.vocab import RANK, normal_key

if TYPE_CHECKING:
    from commonbeat.oversight.force.models import ForceReport

LEVELS = 2  # level 1 the unit's supervisor, level 2 command staff (the last level decides)


@cache
def rank_order() -> dict[str, int]:
    """Return each rank spelling's place in the order, lowest first."""
    order: dict[str, int] = {}
    seen: list[str] = []
    with translation.override("en"):
        for key, label in RANK.items():
            text = str(label)
            if text not in seen:
                seen.append(text)
            order[key] = seen.index(text)
    return order


def rank_level(rank: str | None) -> int:
    """Return a rank's place in the order (-1 for a rank the vocabulary does not know)."""
    return rank_order().get(normal_key(rank or ""), -1)


def current_rank(officer: Any) -> str:
    """Return an officer's rank in their open assignment ('' without one)."""
    if officer is None:
        return ""
    assignment = officer.current_assignment
    return assignment.rank if assignment else ""


def current_unit(officer: Any) -> str:
    """Return an officer's unit in their open assignment ('' without one)."""
    if officer is None:
        return ""
    assignment = officer.current_assignment
    return assignment.unit if assignment else ""


def _involved(user: Any, report: ForceReport) -> bool:
    if user.pk == report.author_id:
        return True
    return bool(user.officer_id and report.officers.filter(officer_id=user.officer_id).exists())


def _reviewed_before(user: Any, report: ForceReport) -> bool:
    # Only reviews since the last submission count: a returned report starts the chain again.
    reviews = report.reviews.filter(reviewer=user)
    if report.submitted_at:
        reviews = reviews.filter(at__gte=report.submitted_at)
    return reviews.exists()


def level_one_reviewer(report: ForceReport) -> Any:
    """Return the level-1 review of the current round, if there is one."""
    reviews = report.reviews.filter(level=1).exclude(decision="returned")
    if report.submitted_at:
        reviews = reviews.filter(at__gte=report.submitted_at)
    return reviews.order_by("-at").first()


def eligible_at(user: Any, report: ForceReport, level: int) -> bool:
    """Return whether the user may review the report at the level."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if _involved(user, report) or _reviewed_before(user, report):
        return False
    officer = user.officer
    if user.role == Role.ADMINISTRATOR:
        return level == LEVELS
    if user.role != Role.SUPERVISOR or officer is None or officer.agency_id != report.agency_id:
        return False
    rank = rank_level(current_rank(officer))
    if level == 1:
        return (
            bool(report.unit)
            and current_unit(officer) == report.unit
            and (rank > rank_level(report.author_rank))
        )
    first = level_one_reviewer(report)
    below = (
        rank_level(current_rank(first.reviewer_officer))
        if first
        else rank_level(report.author_rank)
    )
    return rank > below


def may_review(user: Any, report: ForceReport) -> bool:
    """Return whether the user may review the report now, at the level it awaits."""
    from commonbeat.oversight.force.models import State

    if report.state not in (State.SUBMITTED, State.UNDER_REVIEW):
        return False
    return eligible_at(user, report, report.review_level)


def is_unit_supervisor(user: Any, report: ForceReport) -> bool:
    """Return whether the user supervises the report's unit (they follow its reports)."""
    return bool(
        user.role == Role.SUPERVISOR
        and user.officer_id
        and report.unit
        and user.officer.agency_id == report.agency_id
        and current_unit(user.officer) == report.unit
    )
