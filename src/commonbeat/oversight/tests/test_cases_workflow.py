"""A case's walk from received to closed, and the moves it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from commonbeat.core.models import AuditEntry
from commonbeat.oversight.cases import services
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer, Stage, StageChange
from commonbeat.oversight.tests import cases_factory as make

pytestmark = pytest.mark.django_db


def to_investigation(case: Complaint, people: dict[str, Any]) -> Complaint:
    case = services.advance(case, "start_intake_review", actor=people["intake"])
    case = services.triage(
        case,
        actor=people["intake"],
        category="force",
        in_jurisdiction=True,
        investigator=people["investigator"],
    )
    case = services.advance(case, "assign", actor=people["intake"])
    return services.advance(case, "start_investigation", actor=people["investigator"])


def walk_to_closed(case: Complaint, people: dict[str, Any]) -> Complaint:
    case = to_investigation(case, people)
    accused = case.officers.get(role=InvolvedOfficer.Role.ACCUSED)
    allegation = services.add_allegation(
        case,
        accused=accused,
        category="force",
        description="Pushed to the ground.",
        actor=people["investigator"],
    )
    services.record_finding(
        allegation,
        level="investigator",
        finding="sustained",
        reason="The video shows it.",
        discipline="suspension",
        actor=people["investigator"],
    )
    case = services.advance(case, "submit_findings", actor=people["investigator"])
    case = services.advance(case, "send_to_board", actor=people["investigator"])
    services.record_finding(
        allegation,
        level="board",
        finding="sustained",
        reason="We agree.",
        discipline="suspension",
        actor=people["board"],
    )
    case = services.advance(case, "complete_board_review", actor=people["board"])
    services.record_finding(
        allegation,
        level="final",
        finding="not_sustained",
        reason="The chief disagrees.",
        discipline="none",
        actor=people["admin"],
    )
    case = services.advance(case, "decide", actor=people["admin"])
    return services.advance(case, "close", actor=people["admin"], note="Letters sent.")


def test_a_complaint_walks_from_received_to_closed_with_a_final_finding_unlike_the_boards(
    django_capture_on_commit_callbacks: Any,
) -> None:
    people = make.staff()
    with django_capture_on_commit_callbacks(execute=True):
        case = walk_to_closed(make.complaint(), people)
    assert case.stage == Stage.CLOSED
    assert case.closed_at is not None
    allegation = case.allegations.get()
    assert (allegation.board_finding, allegation.final_finding) == ("sustained", "not_sustained")
    stages = list(case.history.values_list("to_stage", flat=True))
    assert stages == [
        "received",
        "intake_review",
        "assigned",
        "investigation",
        "findings",
        "board_review",
        "final_decision",
        "notification",
        "closed",
    ]
    actors = list(case.history.values_list("actor__username", flat=True))
    assert actors[1:] == [
        "intake",
        "intake",
        "investigator",
        "investigator",
        "investigator",
        "board",
        "admin",
        "admin",
    ]
    subjects = [m.subject for m in mail.outbox]
    assert any("decision" in s for s in subjects)
    assert case.notifications.filter(event="closed").exists()


def test_it_refuses_an_illegal_transition() -> None:
    people = make.staff()
    case = make.complaint()
    with pytest.raises(TransitionNotAllowed):
        services.advance(case, "close", actor=people["admin"], note="x")
    with pytest.raises(TransitionNotAllowed):
        case.decide(actor=people["admin"])
    assert Complaint.objects.get(pk=case.pk).stage == Stage.RECEIVED


def test_the_stage_cannot_be_assigned_directly() -> None:
    case = make.complaint()
    with pytest.raises(AttributeError):
        case.stage = Stage.CLOSED


def test_it_refuses_to_assign_a_case_to_someone_who_is_not_an_investigator() -> None:
    people = make.staff()
    case = services.advance(make.complaint(), "start_intake_review", actor=people["intake"])
    with pytest.raises(ValidationError) as refused:
        services.triage(
            case,
            actor=people["intake"],
            category="force",
            in_jurisdiction=True,
            investigator=people["board"],
        )
    assert "investigator" in refused.value.message_dict
    # Without an investigator, assigning is not possible.
    with pytest.raises(TransitionNotAllowed):
        services.advance(case, "assign", actor=people["intake"])


def test_it_refuses_findings_until_every_allegation_has_one_with_reasons() -> None:
    people = make.staff()
    case = to_investigation(make.complaint(), people)
    accused = case.officers.get()
    services.add_allegation(
        case, accused=accused, category="force", description="Pushed.", actor=people["investigator"]
    )
    with pytest.raises(TransitionNotAllowed):
        services.advance(case, "submit_findings", actor=people["investigator"])
    with pytest.raises(ValidationError) as refused:
        services.record_finding(
            case.allegations.get(),
            level="investigator",
            finding="sustained",
            reason=" ",
            actor=people["investigator"],
        )
    assert "reason" in refused.value.message_dict


def test_only_the_assigned_investigator_submits_findings() -> None:
    people = make.staff()
    case = to_investigation(make.complaint(), people)
    with pytest.raises(PermissionDenied):
        services.add_allegation(
            case,
            accused=case.officers.get(),
            category="force",
            description="x",
            actor=people["intake"],
        )


def test_the_board_may_not_record_the_final_decision() -> None:
    people = make.staff()
    case = walk_to_closed(make.complaint(), people)
    with pytest.raises(PermissionDenied):
        services.record_finding(
            case.allegations.get(),
            level="final",
            finding="sustained",
            reason="x",
            discipline="reprimand",
            actor=people["board"],
        )


def test_appeal_and_reopening_need_reasons_and_send_the_case_back() -> None:
    people = make.staff()
    case = walk_to_closed(make.complaint(), people)
    with pytest.raises(ValidationError) as refused:
        services.advance(case, "appeal_to_board", actor=people["admin"], note="")
    assert "note" in refused.value.message_dict
    case = services.advance(
        case, "appeal_to_board", actor=people["admin"], note="The complainant appealed."
    )
    assert case.stage == Stage.BOARD_REVIEW
    assert case.closed_at is None
    change = case.history.last()
    assert change is not None and change.note == "The complainant appealed."


def test_a_case_is_reopened_for_investigation_with_reasons() -> None:
    people = make.staff()
    case = walk_to_closed(make.complaint(), people)
    case = services.advance(case, "reopen", actor=people["admin"], note="New video found.")
    assert case.stage == Stage.INVESTIGATION


def test_a_mediated_case_closes_with_every_allegation_mediated() -> None:
    people = make.staff()
    case = services.advance(make.complaint(), "start_intake_review", actor=people["intake"])
    accused = case.officers.get()
    case.allegations.create(accused=accused, category="discourtesy", description="Rude.")
    case = services.triage(
        case,
        actor=people["intake"],
        category="discourtesy",
        in_jurisdiction=True,
        mediation_offered=True,
        mediation_accepted=True,
    )
    case = services.advance(case, "start_mediation", actor=people["intake"])
    case = services.advance(
        case, "close_mediated", actor=people["intake"], note="Both sides agreed."
    )
    assert case.stage == Stage.CLOSED
    assert set(case.allegations.values_list("final_finding", flat=True)) == {"mediated"}


def test_a_case_outside_our_jurisdiction_closes_at_intake_only_once_referred() -> None:
    people = make.staff()
    case = services.advance(make.complaint(), "start_intake_review", actor=people["intake"])
    with pytest.raises(TransitionNotAllowed):
        services.advance(case, "close_at_intake", actor=people["intake"], note="Not ours.")
    case = services.triage(
        case,
        actor=people["intake"],
        category="other",
        in_jurisdiction=False,
        referred_to="State police",
    )
    case = services.advance(case, "close_at_intake", actor=people["intake"], note="Not ours.")
    assert case.stage == Stage.CLOSED and case.referred_to == "State police"


def test_a_commendation_is_acknowledged_at_intake_and_kept_on_the_officer() -> None:
    people = make.staff()
    praised = make.officer("Nguyen")
    case = make.complaint(kind=Complaint.Kind.COMMENDATION, accused=praised)
    case = services.advance(case, "start_intake_review", actor=people["intake"])
    with pytest.raises(TransitionNotAllowed):
        services.advance(case, "assign", actor=people["intake"])
    case = services.advance(case, "close_at_intake", actor=people["intake"], note="Thanked.")
    assert case.stage == Stage.CLOSED
    assert praised.complaint_roles.filter(
        role=InvolvedOfficer.Role.COMMENDED, complaint__stage=Stage.CLOSED
    ).exists()


def test_every_transition_is_in_the_audit_log_without_the_complainants_identity() -> None:
    people = make.staff()
    case = walk_to_closed(make.complaint(), people)
    changes = AuditEntry.objects.filter(model="oversight.stagechange")
    assert changes.count() == StageChange.objects.filter(complaint=case).count()
    stage_entries = [
        e
        for e in AuditEntry.objects.filter(model="oversight.complaint", object_pk=str(case.pk))
        if "stage" in e.changes
    ]
    assert len(stage_entries) == 1 + 8  # its creation, then each of the eight moves
    assert any(e.actor.endswith(":admin") for e in stage_entries)
    text = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    for value in make.IDENTITY.values():
        assert value not in text
    assert "John Reyes" not in text
