"""A case's stages and the transitions between them (django-fsm-2).

`Complaint.stage` is a protected `FSMField`: it cannot be assigned, and it changes only through
the `@transition` methods below, which `Complaint` inherits. Each transition names the stages it
leaves from, the one it enters, the conditions the case must meet and who may make it (a
permission asking the policy, `cases/permissions.py`). An illegal move raises
`TransitionNotAllowed`. Views and commands never call these methods directly: they call
`cases.services.advance()`, which checks the permission, asks for reasons, sets the deadline,
writes the `StageChange` and sends the notifications, all in one transaction.

The main path: received → intake review → assigned → investigation → findings → board review →
final decision → notification → closed. Side paths: intake review → mediation → closed (every
allegation `mediated`); intake review → closed (outside our jurisdiction, referred on; or a
commendation acknowledged); closed → board review or investigation (an appeal); closed →
investigation (reopening). The final authority is the chief of police; in Commonbeat an
ADMINISTRATOR records the chief's decision (docs/oversight.md, "Cases").
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from commonbeat.core import policy
from commonbeat.core.roles import Role
from commonbeat.records import labels

# The labels live in the one catalogue, which the public dashboards read too.
_LABEL = labels.CASE_STAGE


class Stage(models.TextChoices):
    RECEIVED = "received", _LABEL["received"]
    INTAKE_REVIEW = "intake_review", _LABEL["intake_review"]
    MEDIATION = "mediation", _LABEL["mediation"]
    ASSIGNED = "assigned", _LABEL["assigned"]
    INVESTIGATION = "investigation", _LABEL["investigation"]
    FINDINGS = "findings", _LABEL["findings"]
    BOARD_REVIEW = "board_review", _LABEL["board_review"]
    FINAL_DECISION = "final_decision", _LABEL["final_decision"]
    NOTIFICATION = "notification", _LABEL["notification"]
    CLOSED = "closed", _LABEL["closed"]


OPEN_STAGES = tuple(stage for stage in Stage.values if stage != Stage.CLOSED)

# Transitions whose note (the reasons) may not be empty.
REASONS_REQUIRED = frozenset(
    {
        "close_at_intake",
        "close_mediated",
        "end_mediation",
        "appeal_to_board",
        "appeal_for_investigation",
        "reopen",
    }
)

# The labels a person reads for each transition (buttons, the timeline).
TRANSITION_LABELS: dict[str, Any] = {
    "start_intake_review": _("Start intake review"),
    "assign": _("Assign to the chosen investigator"),
    "start_mediation": _("Send to mediation"),
    "end_mediation": _("Mediation failed: back to intake review"),
    "close_mediated": _("Close as mediated"),
    "close_at_intake": _("Close at intake (referred elsewhere, or commendation acknowledged)"),
    "start_investigation": _("Start the investigation"),
    "submit_findings": _("Submit the investigator's findings"),
    "send_to_board": _("Send to the board"),
    "complete_board_review": _("Record the board's recommendation"),
    "decide": _("Record the final decision"),
    "close": _("Close the case (the parties have been notified)"),
    "appeal_to_board": _("Appeal: back to the board"),
    "appeal_for_investigation": _("Appeal: back to investigation"),
    "reopen": _("Reopen the investigation"),
}


# Conditions ---------------------------------------------------------------------------------


def is_complaint(case: Any) -> bool:
    return bool(case.kind == "complaint")


def is_commendation(case: Any) -> bool:
    return bool(case.kind == "commendation")


def ready_to_assign(case: Any) -> bool:
    """Within our jurisdiction, categorised, not in mediation, an investigator chosen."""
    return bool(
        is_complaint(case)
        and case.in_jurisdiction is True
        and case.category
        and case.mediation_accepted is not True
        and case.investigator_id is not None
        and case.investigator.role == Role.INVESTIGATOR
        and case.investigator.is_active
    )


def mediation_agreed(case: Any) -> bool:
    return bool(is_complaint(case) and case.mediation_offered and case.mediation_accepted)


def may_close_at_intake(case: Any) -> bool:
    """A commendation acknowledged, or a complaint outside our jurisdiction referred on."""
    if is_commendation(case):
        return True
    return bool(case.in_jurisdiction is False and case.referred_to.strip())


def has_allegations(case: Any) -> bool:
    return bool(case.allegations.exists())


def investigator_findings_complete(case: Any) -> bool:
    allegations = list(case.allegations.all())
    return bool(allegations) and all(
        a.investigator_finding and a.investigator_reason.strip() for a in allegations
    )


def board_findings_complete(case: Any) -> bool:
    allegations = list(case.allegations.all())
    return bool(allegations) and all(
        a.board_finding and a.board_reason.strip() for a in allegations
    )


def final_findings_complete(case: Any) -> bool:
    """Every allegation has a final finding with reasons, and a sustained one its discipline."""
    allegations = list(case.allegations.all())
    return bool(allegations) and all(
        a.final_finding
        and a.final_reason.strip()
        and (a.final_finding != "sustained" or a.final_discipline)
        for a in allegations
    )


def has_investigator(case: Any) -> bool:
    return case.investigator_id is not None


def went_to_board(case: Any) -> bool:
    return bool(is_complaint(case) and board_findings_complete(case))


def was_investigated(case: Any) -> bool:
    return bool(is_complaint(case) and has_investigator(case) and has_allegations(case))


# Permissions (who may make each transition) -------------------------------------------------


def _not_accused(case: Any, user: Any) -> bool:
    # Nobody moves a case that accuses them, whatever their role.
    officer_id = getattr(user, "officer_id", None)
    if officer_id is None:
        return True
    return not case.officers.filter(officer_id=officer_id, role="accused").exists()


def _holds(action: str) -> Any:
    def permission(case: Any, user: Any) -> bool:
        return policy.can(user, action, case) and _not_accused(case, user)

    return permission


def _assigned_investigator(case: Any, user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.INVESTIGATOR
        and case.investigator_id == user.pk
        and _not_accused(case, user)
    )


def _investigator_or(action: str) -> Any:
    def permission(case: Any, user: Any) -> bool:
        return _assigned_investigator(case, user) or _holds(action)(case, user)

    return permission


class CaseWorkflow:
    """The transitions of `Complaint.stage`; `Complaint` inherits them.

    Each method receives the actor and the note (reasons); `services.advance()` calls them.
    The body changes only what the transition itself records; the stage is set by django-fsm.
    """

    @transition(
        field="stage",
        source=Stage.RECEIVED,
        target=Stage.INTAKE_REVIEW,
        permission=_holds("case.triage"),
    )
    def start_intake_review(self, *, actor: Any, note: str = "") -> None:
        """Intake looks at jurisdiction and category and offers mediation."""

    @transition(
        field="stage",
        source=Stage.INTAKE_REVIEW,
        target=Stage.ASSIGNED,
        conditions=[ready_to_assign],
        permission=_holds("case.assign"),
    )
    def assign(self, *, actor: Any, note: str = "") -> None:
        """The chosen investigator (an INVESTIGATOR account) takes the case."""

    @transition(
        field="stage",
        source=Stage.INTAKE_REVIEW,
        target=Stage.MEDIATION,
        conditions=[mediation_agreed],
        permission=_holds("case.triage"),
    )
    def start_mediation(self, *, actor: Any, note: str = "") -> None:
        """Both sides accepted mediation."""

    @transition(
        field="stage",
        source=Stage.MEDIATION,
        target=Stage.INTAKE_REVIEW,
        permission=_holds("case.triage"),
    )
    def end_mediation(self, *, actor: Any, note: str = "") -> None:
        """Mediation did not resolve it: back to intake review for an investigation."""
        case: Any = self
        case.mediation_accepted = False

    @transition(
        field="stage",
        source=Stage.MEDIATION,
        target=Stage.CLOSED,
        permission=_holds("case.triage"),
    )
    def close_mediated(self, *, actor: Any, note: str = "") -> None:
        """Mediation resolved it: every allegation's final finding is `mediated`."""
        case: Any = self
        case.closure_reason = note

    @transition(
        field="stage",
        source=Stage.INTAKE_REVIEW,
        target=Stage.CLOSED,
        conditions=[may_close_at_intake],
        permission=_holds("case.triage"),
    )
    def close_at_intake(self, *, actor: Any, note: str = "") -> None:
        """Outside our jurisdiction (referred_to recorded), or a commendation acknowledged."""
        case: Any = self
        case.closure_reason = note

    @transition(
        field="stage",
        source=Stage.ASSIGNED,
        target=Stage.INVESTIGATION,
        permission=_investigator_or("case.assign"),
    )
    def start_investigation(self, *, actor: Any, note: str = "") -> None:
        """The assigned investigator starts work."""

    @transition(
        field="stage",
        source=Stage.INVESTIGATION,
        target=Stage.FINDINGS,
        conditions=[investigator_findings_complete],
        permission=_assigned_investigator,
    )
    def submit_findings(self, *, actor: Any, note: str = "") -> None:
        """Every allegation has the investigator's finding and reasons."""

    @transition(
        field="stage",
        source=Stage.FINDINGS,
        target=Stage.BOARD_REVIEW,
        conditions=[investigator_findings_complete],
        permission=_investigator_or("case.board_review"),
    )
    def send_to_board(self, *, actor: Any, note: str = "") -> None:
        """The findings go to the civilian board."""

    @transition(
        field="stage",
        source=Stage.BOARD_REVIEW,
        target=Stage.FINAL_DECISION,
        conditions=[board_findings_complete],
        permission=_holds("case.board_review"),
    )
    def complete_board_review(self, *, actor: Any, note: str = "") -> None:
        """Every allegation has the board's recommended finding and reasons."""

    @transition(
        field="stage",
        source=Stage.FINAL_DECISION,
        target=Stage.NOTIFICATION,
        conditions=[final_findings_complete],
        permission=_holds("case.decide"),
    )
    def decide(self, *, actor: Any, note: str = "") -> None:
        """The final authority's findings and discipline are recorded."""

    @transition(
        field="stage",
        source=Stage.NOTIFICATION,
        target=Stage.CLOSED,
        permission=_holds("case.decide"),
    )
    def close(self, *, actor: Any, note: str = "") -> None:
        """The parties have been told; the case closes."""
        case: Any = self
        case.closure_reason = note

    @transition(
        field="stage",
        source=Stage.CLOSED,
        target=Stage.BOARD_REVIEW,
        conditions=[went_to_board],
        permission=_holds("case.reopen"),
    )
    def appeal_to_board(self, *, actor: Any, note: str = "") -> None:
        """An appeal against the decision: the board looks again."""
        case: Any = self
        case.closed_at = None

    @transition(
        field="stage",
        source=Stage.CLOSED,
        target=Stage.INVESTIGATION,
        conditions=[was_investigated],
        permission=_holds("case.reopen"),
    )
    def appeal_for_investigation(self, *, actor: Any, note: str = "") -> None:
        """An appeal naming new evidence or a flawed investigation: investigate again."""
        case: Any = self
        case.closed_at = None

    @transition(
        field="stage",
        source=Stage.CLOSED,
        target=Stage.INVESTIGATION,
        conditions=[is_complaint, has_investigator],
        permission=_holds("case.reopen"),
    )
    def reopen(self, *, actor: Any, note: str = "") -> None:
        """Reopened by the oversight body itself (new evidence), with reasons."""
        case: Any = self
        case.closed_at = None
