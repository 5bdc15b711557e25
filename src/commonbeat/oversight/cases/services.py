"""Every operation that changes a case: receipt, transitions, deadlines, allegations, findings.

Each runs in one transaction, under the actor's name in the audit log, and refuses bad input
with a `ValidationError` naming the field (nothing stored). Transitions go through `advance()`:
django-fsm-2 refuses an illegal move (`TransitionNotAllowed`) and the transition's permission
refuses the wrong person (`PermissionDenied`).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from commonbeat.core import audit
from commonbeat.core.roles import Role
from commonbeat.oversight import vocab
from commonbeat.oversight.cases import notify
from commonbeat.oversight.cases.models import (
    Allegation,
    Complaint,
    Extension,
    InvolvedOfficer,
    StageChange,
    StageDeadline,
)
from commonbeat.oversight.cases.workflow import REASONS_REQUIRED, TRANSITION_LABELS, Stage

MAX_EXTENSION_DAYS = 365

# When the operations happen. Live, now; the demo city (and an import of past cases) records a
# case's history as it happened, by running each step inside `recorded_at(when)`.
_recorded_at: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "oversight_recorded_at", default=None
)


@contextmanager
def recorded_at(when: datetime) -> Iterator[None]:
    """Record the case operations in the block as made at `when` (never used by live pages)."""
    token = _recorded_at.set(when)
    try:
        yield
    finally:
        _recorded_at.reset(token)


def clock() -> datetime:
    """The time case operations record: now, or the time `recorded_at` set."""
    return _recorded_at.get() or timezone.now()


@contextmanager
def _as(actor: Any) -> Any:
    if actor is not None and getattr(actor, "is_authenticated", False):
        with audit.acting_as(audit.actor_for_user(actor)):
            yield
    else:
        yield


# Deadlines ------------------------------------------------------------------------------------


def deadline_days(stage: str) -> int | None:
    """Days allowed in the stage: the back office's table, else OVERSIGHT_STAGE_DAYS."""
    row = StageDeadline.objects.filter(stage=stage).values_list("days", flat=True).first()
    if row is not None:
        return int(row)
    days = settings.OVERSIGHT_STAGE_DAYS.get(stage)
    return int(days) if days else None


def _enter(case: Complaint, at: datetime) -> None:
    case.stage_entered_at = at
    days = deadline_days(case.stage) if case.stage != Stage.CLOSED else None
    case.due_at = at + timedelta(days=days) if days else None
    if case.stage == Stage.CLOSED:
        case.closed_at = at


def _notify_after_commit(case: Complaint, event: str) -> None:
    case_id = case.pk
    transaction.on_commit(lambda: notify.send(case_id, event), robust=True)


def record_receipt(complaint: Complaint, *, actor: Any, acknowledge: bool = True) -> None:
    """Start the case of a newly stored complaint: its deadline, first StageChange, the
    acknowledgement to the complainant (sent once the transaction commits). Public intake
    passes `acknowledge=False`: its own receipt, with the secret, is the acknowledgement."""
    with transaction.atomic(), _as(actor):
        now = clock()
        complaint.stage_entered_at = complaint.received_at or now
        _enter(complaint, complaint.stage_entered_at)
        complaint.save(update_fields=["stage_entered_at", "due_at"])
        StageChange.objects.create(
            complaint=complaint,
            from_stage=Stage.RECEIVED,
            to_stage=Stage.RECEIVED,
            at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            note=_("Received through %(channel)s.") % {"channel": complaint.get_channel_display()},
        )
        if acknowledge:
            _notify_after_commit(complaint, "received")


def available_transitions(case: Complaint, user: Any) -> list[tuple[str, str]]:
    """The transitions this user may make now, as (name, label)."""
    names = [t.name for t in case.get_available_user_stage_transitions(user)]  # type: ignore[attr-defined]
    return [(name, str(TRANSITION_LABELS.get(name, name))) for name in names]


def _event_for(name: str, stage: str) -> str | None:
    if name.startswith("appeal"):
        return "appeal"
    if name == "reopen":
        return "reopened"
    if stage in notify.COMPLAINANT_EVENTS or stage in settings.OVERSIGHT_OFFICER_NOTICES:
        return stage
    return None


def advance(case: Complaint, name: str, *, actor: Any, note: str = "") -> Complaint:
    """Make the named transition as the actor, with the note (reasons); return the case.

    Refuses a transition the case's stage does not allow or whose conditions are unmet
    (`TransitionNotAllowed`), an actor without the permission (`PermissionDenied`), and
    missing reasons where they are required (`ValidationError` on `note`).
    """
    if name not in TRANSITION_LABELS:
        raise TransitionNotAllowed(f"No transition named {name!r}.")
    note = (note or "").strip()
    if name in REASONS_REQUIRED and not note:
        raise ValidationError(
            {
                "note": _(
                    "Give the reasons, e.g. 'The complainant appealed with new video evidence.'"
                )
            }
        )
    with transaction.atomic(), _as(actor):
        locked = Complaint.objects.select_for_update().get(pk=case.pk)
        method = getattr(locked, name)
        if not can_proceed(method):
            raise TransitionNotAllowed(
                _("A case in the stage %(stage)s cannot do this now: %(action)s.")
                % {"stage": locked.get_stage_display(), "action": TRANSITION_LABELS[name]}
            )
        if not has_transition_perm(method, actor):
            raise PermissionDenied(_("You may not do this on this case."))
        before = locked.stage
        method(actor=actor, note=note)
        now = clock()
        _enter(locked, now)
        locked.save()
        if name == "close_mediated":
            for allegation in locked.allegations.all():
                allegation.final_finding = "mediated"
                allegation.final_reason = note
                allegation.save()
        StageChange.objects.create(
            complaint=locked,
            from_stage=before,
            to_stage=locked.stage,
            at=now,
            actor=actor,
            note=note,
        )
        event = _event_for(name, locked.stage)
        if event:
            _notify_after_commit(locked, event)
    return locked


def extend(case: Complaint, *, days: int, reason: str, actor: Any) -> Extension:
    """Give the case more time in its current stage, with reasons."""
    from commonbeat.core import policy

    if not policy.can(actor, "case.extend", case):
        raise PermissionDenied(_("You may not extend this case's deadline."))
    errors: dict[str, str] = {}
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = _("Give a whole number of days from 1 to %(max)s, e.g. 30.") % {
            "max": MAX_EXTENSION_DAYS
        }
    if not (reason or "").strip():
        errors["reason"] = _("Give the reasons, e.g. 'Waiting for the body-worn camera footage.'")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _as(actor):
        locked = Complaint.objects.select_for_update().get(pk=case.pk)
        if locked.stage == Stage.CLOSED:
            raise ValidationError({"days": _("A closed case has no deadline to extend.")})
        now = clock()
        before = locked.due_at
        locked.due_at = max(before or now, now) + timedelta(days=days)
        locked.save(update_fields=["due_at"])
        return Extension.objects.create(
            complaint=locked,
            stage=locked.stage,
            days=days,
            reason=reason.strip(),
            actor=actor,
            at=now,
            due_before=before,
            due_after=locked.due_at,
        )


# Intake review ------------------------------------------------------------------------------


def triage(
    case: Complaint,
    *,
    actor: Any,
    category: str,
    in_jurisdiction: bool | None,
    referred_to: str = "",
    mediation_offered: bool = False,
    mediation_accepted: bool | None = None,
    unit: str = "",
    investigator: Any = None,
) -> Complaint:
    """Record intake review's decisions (only while the case is in intake review)."""
    from commonbeat.core import policy

    if not policy.can(actor, "case.triage", case):
        raise PermissionDenied(_("You may not review this case at intake."))
    errors: dict[str, str] = {}
    if category and category not in vocab.CATEGORIES:
        errors["category"] = _("Choose a category from the list, e.g. force.")
    if in_jurisdiction is False and not referred_to.strip():
        errors["referred_to"] = _(
            "Say where a case outside our jurisdiction goes, e.g. 'State police'."
        )
    if investigator is not None and investigator.role != Role.INVESTIGATOR:
        errors["investigator"] = _("Choose an investigator's account.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _as(actor):
        locked = Complaint.objects.select_for_update().get(pk=case.pk)
        if locked.stage != Stage.INTAKE_REVIEW:
            raise ValidationError(
                {"category": _("Intake review's decisions are made in intake review.")}
            )
        locked.category = category
        locked.in_jurisdiction = in_jurisdiction
        locked.referred_to = referred_to.strip()
        locked.mediation_offered = mediation_offered
        locked.mediation_accepted = mediation_accepted
        if unit:
            locked.unit = unit
        locked.investigator = investigator
        locked.save()
        return locked


# Allegations and findings -------------------------------------------------------------------


def _check_codes(errors: dict[str, str], field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value and value not in allowed:
        errors[field] = _("%(value)s is not one of the choices, e.g. %(example)s.") % {
            "value": value,
            "example": allowed[0],
        }


def add_allegation(
    case: Complaint, *, accused: InvolvedOfficer, category: str, description: str, actor: Any
) -> Allegation:
    """Add an allegation against one accused officer (the assigned investigator, during the
    investigation)."""
    from commonbeat.core import policy

    case = Complaint.objects.get(pk=case.pk)  # its stage as it is now
    if not policy.can(actor, "case.investigate", case):
        raise PermissionDenied(_("Only the assigned investigator adds allegations."))
    errors: dict[str, str] = {}
    if case.stage not in (Stage.ASSIGNED, Stage.INVESTIGATION):
        errors["category"] = _("Allegations are added during the investigation.")
    _check_codes(errors, "category", category, vocab.CATEGORIES)
    if not category:
        errors["category"] = _("Choose a category, e.g. force.")
    if not (description or "").strip():
        errors["description"] = _(
            "Say what is alleged, e.g. 'Pushed the complainant to the ground.'"
        )
    if accused.complaint_id != case.pk or accused.role != InvolvedOfficer.Role.ACCUSED:
        errors["accused"] = _("Choose one of this case's accused officers.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _as(actor):
        return Allegation.objects.create(
            complaint=case, accused=accused, category=category, description=description.strip()
        )


def edit_allegation(
    allegation: Allegation, *, category: str, description: str, actor: Any
) -> Allegation:
    """Correct an allegation's category and wording (the assigned investigator, during the
    investigation)."""
    from commonbeat.core import policy

    case = Complaint.objects.get(pk=allegation.complaint_id)
    if not policy.can(actor, "case.investigate", case):
        raise PermissionDenied(_("Only the assigned investigator edits allegations."))
    errors: dict[str, str] = {}
    if case.stage not in (Stage.ASSIGNED, Stage.INVESTIGATION):
        errors["category"] = _("Allegations are edited during the investigation.")
    _check_codes(errors, "category", category, vocab.CATEGORIES)
    if not category:
        errors["category"] = _("Choose a category, e.g. force.")
    if not (description or "").strip():
        errors["description"] = _(
            "Say what is alleged, e.g. 'Pushed the complainant to the ground.'"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _as(actor):
        locked = Allegation.objects.select_for_update().get(pk=allegation.pk)
        locked.category, locked.description = category, description.strip()
        locked.save()
        return locked


def record_finding(
    allegation: Allegation,
    *,
    level: str,
    finding: str,
    reason: str,
    discipline: str = "",
    actor: Any,
    category: str = "",
    description: str = "",
) -> Allegation:
    """Record a finding with its reasons at one level: `investigator` (the assigned
    investigator, during the investigation; may also correct the category and description),
    `board` (a board member, in board review) or `final` (the final authority, in the final
    decision; a sustained finding needs its discipline)."""
    from commonbeat.core import policy

    case = Complaint.objects.get(pk=allegation.complaint_id)  # its stage as it is now
    rules = {
        "investigator": ("case.investigate", Stage.INVESTIGATION),
        "board": ("case.board_review", Stage.BOARD_REVIEW),
        "final": ("case.decide", Stage.FINAL_DECISION),
    }
    if level not in rules:
        raise ValueError(f"Unknown level {level!r}.")
    action, stage = rules[level]
    if not policy.can(actor, action, case):
        raise PermissionDenied(_("You may not record this finding."))
    errors: dict[str, str] = {}
    if case.stage != stage:
        errors["finding"] = _("This finding is recorded in the stage %(stage)s.") % {
            "stage": Stage(stage).label
        }
    _check_codes(errors, "finding", finding, vocab.FINDINGS)
    if not finding:
        errors["finding"] = _("Choose a finding, e.g. sustained.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reasons, e.g. 'The video shows the push.'")
    _check_codes(errors, "discipline", discipline, vocab.SANCTIONS)
    if level == "final" and finding == "sustained" and not discipline:
        errors["discipline"] = _("A sustained finding needs its discipline, e.g. reprimand.")
    if category:
        _check_codes(errors, "category", category, vocab.CATEGORIES)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _as(actor):
        locked = Allegation.objects.select_for_update().get(pk=allegation.pk)
        if level == "investigator":
            locked.investigator_finding, locked.investigator_reason = finding, reason.strip()
            locked.recommended_discipline = discipline
            if category:
                locked.category = category
            if description.strip():
                locked.description = description.strip()
        elif level == "board":
            locked.board_finding, locked.board_reason = finding, reason.strip()
            if discipline:
                locked.recommended_discipline = discipline
        else:
            locked.final_finding, locked.final_reason = finding, reason.strip()
            locked.final_discipline = discipline
        locked.save()
        return locked


# The overdue queue ----------------------------------------------------------------------------


def overdue(cases: Any, now: datetime | None = None) -> Any:
    """The open cases among `cases` past their due date, the most overdue first."""
    now = now or timezone.now()
    return cases.filter(due_at__lt=now).exclude(stage=Stage.CLOSED).order_by("due_at", "id")
