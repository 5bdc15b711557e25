"""Review up the chain of command: the right reviewer at each level, returns, outcomes, referral."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonbeat.core.models import Assignment, AuditEntry
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer, Stage
from commonbeat.oversight.force import services
from commonbeat.oversight.force.models import ForceReport, ForceReview, Outcome, State
from commonbeat.oversight.tests.force_helpers import (
    Department,
    children,
    dept,
    fields,
    filed,
    submitted,
)

__all__ = ["dept"]


def _get(report: ForceReport) -> ForceReport:
    # A protected state field cannot be refreshed in place; read the row again.
    return ForceReport.objects.get(pk=report.pk)


def test_a_submitted_report_goes_to_its_units_supervisor_first(dept: Department) -> None:
    report = submitted(dept)
    assert (report.state, report.review_level, report.unit) == (State.SUBMITTED, 1, "District 1")
    queue = dept.client("sergeant").get("/oversight/force/queue.json").json()
    assert [row["id"] for row in queue] == [report.pk]
    for name in ("other_sergeant", "lieutenant", "administrator"):
        assert dept.client(name).get("/oversight/force/queue.json").json() == [], name


@pytest.mark.parametrize("name", ["other_sergeant", "lieutenant", "administrator", "partner"])
def test_level_one_refuses_anyone_but_the_units_supervisor(dept: Department, name: str) -> None:
    report = submitted(dept)
    with pytest.raises(PermissionDenied, match="level 1"):
        services.review_report(report, dept.users[name], "within_policy")
    assert not ForceReview.objects.exists()
    response = dept.client(name).post(
        f"/oversight/force/{report.pk}/review/", {"decision": "within_policy"}
    )
    assert response.status_code in (403, 404)
    assert _get(report).review_level == 1


def test_a_supervisor_involved_in_the_force_does_not_review_it(dept: Department) -> None:
    rows = children(dept)
    rows["officers"].append({"officer": dept.officers["sergeant"], "injured": False})
    report = services.create_report(dept.users["author"], fields(), rows)
    services.submit_report(report, dept.users["author"])
    with pytest.raises(PermissionDenied):
        services.review_report(report, dept.users["sergeant"], "within_policy")


def test_level_one_forwards_to_command_staff_who_decide(dept: Department) -> None:
    report = submitted(dept)
    services.review_report(report, dept.users["sergeant"], "within_policy", "Proportionate.")
    report = _get(report)
    assert (report.state, report.review_level, report.outcome) == (State.UNDER_REVIEW, 2, "")
    # The level-1 reviewer does not decide again, nor does a supervisor who does not outrank them.
    for name in ("sergeant", "other_sergeant"):
        with pytest.raises(PermissionDenied, match="level 2"):
            services.review_report(report, dept.users[name], "within_policy")
    assert [
        r["id"] for r in dept.client("lieutenant").get("/oversight/force/queue.json").json()
    ] == [report.pk]
    response = dept.client("lieutenant").post(
        f"/oversight/force/{report.pk}/review/",
        {"decision": "training_needed", "comments": "Refresher on takedowns."},
    )
    assert response.status_code == 302
    report = _get(report)
    assert (report.state, report.outcome, report.review_level) == (
        State.REVIEWED,
        Outcome.TRAINING_NEEDED,
        0,
    )
    steps = list(report.reviews.values_list("level", "decision", "reviewer__username", "comments"))
    assert steps == [
        (1, "within_policy", "sergeant", "Proportionate."),
        (2, "training_needed", "lieutenant", "Refresher on takedowns."),
    ]


def test_an_administrator_acts_as_command_staff_at_level_two(dept: Department) -> None:
    report = submitted(dept)
    services.review_report(report, dept.users["sergeant"], "within_policy")
    services.review_report(_get(report), dept.users["administrator"], "within_policy")
    assert _get(report).outcome == Outcome.WITHIN_POLICY


def test_a_returned_report_goes_back_to_its_author_and_round_again(dept: Department) -> None:
    author = dept.users["author"]
    report = submitted(dept)
    with pytest.raises(ValidationError) as refused:
        services.review_report(report, dept.users["sergeant"], "returned")
    assert "comments" in refused.value.message_dict
    services.review_report(report, dept.users["sergeant"], "returned", "Add the camera of Partner.")
    report = _get(report)
    assert (report.state, report.review_level) == (State.RETURNED, 0)
    assert dept.client("sergeant").get("/oversight/force/queue.json").json() == []
    # The author corrects and submits again; it starts at level 1 once more.
    rows = children(dept)
    rows["cameras"].append(
        {"officer": dept.officers["partner"], "camera": "", "footage": "AXON-2026-0043"}
    )
    services.update_report(report, author, fields(), rows)
    report = services.submit_report(report, author)
    assert (report.state, report.review_level) == (State.SUBMITTED, 1)
    # The sergeant who returned it reviews the corrected report again.
    services.review_report(report, dept.users["sergeant"], "within_policy")
    services.review_report(_get(report), dept.users["lieutenant"], "returned", "Wrong date.")
    assert _get(report).state == State.RETURNED
    assert [r.decision for r in _get(report).reviews.all()] == [
        "returned",
        "within_policy",
        "returned",
    ]


def test_a_draft_or_reviewed_report_takes_no_review(dept: Department) -> None:
    report = filed(dept)
    with pytest.raises(PermissionDenied):
        services.review_report(report, dept.users["sergeant"], "within_policy")
    report = submitted(dept)
    services.review_report(report, dept.users["sergeant"], "within_policy")
    services.review_report(_get(report), dept.users["lieutenant"], "within_policy")
    with pytest.raises(PermissionDenied):
        services.review_report(_get(report), dept.users["administrator"], "referred", "Again")


def test_a_report_needs_a_subject_and_force_before_it_is_submitted(dept: Department) -> None:
    report = services.create_report(
        dept.users["author"], fields(), {"subjects": [], "uses": [], "resistances": []}
    )
    with pytest.raises(ValidationError, match="at least one subject"):
        services.submit_report(report, dept.users["author"])
    assert _get(report).state == State.DRAFT


def test_a_referral_opens_an_internal_case_against_the_officers(dept: Department) -> None:
    report = submitted(dept)
    services.review_report(report, dept.users["sergeant"], "referred", "Strike after compliance.")
    services.review_report(
        _get(report), dept.users["lieutenant"], "referred", "Strike after compliance."
    )
    report = _get(report)
    assert report.outcome == Outcome.REFERRED
    case = report.referral
    assert case is not None
    assert (case.channel, case.kind, case.stage) == (
        Complaint.Channel.INTERNAL,
        Complaint.Kind.COMPLAINT,
        Stage.RECEIVED,
    )
    assert case.incident_date == report.incident_date
    assert case.neighbourhood == dept.neighbourhood
    assert report.narrative in case.narrative
    assert "Strike after compliance." in case.narrative
    accused = set(
        InvolvedOfficer.objects.filter(complaint=case, role="accused").values_list(
            "officer_id", flat=True
        )
    )
    assert accused == {dept.officers["author"].pk, dept.officers["partner"].pk}
    assert list(report.complaints.all()) == [case]
    assert case.complainant_name == ""


def _complaint(dept: Department, **values: object) -> Complaint:
    now = timezone.now()
    defaults: dict[str, object] = {
        "agency": dept.agency,
        "kind": "complaint",
        "reference": f"T-{Complaint.objects.count() + 1}",
        "secret_hash": "!",
        "received_at": now,
        "channel": "web",
        "incident_date": date(2026, 3, 14),
        "narrative": "An officer threw me to the ground.",
        "content_hash": "x",
        "stage_entered_at": now,
    }
    defaults.update(values)
    return Complaint.objects.create(**defaults)


def test_complaints_about_the_same_incident_are_suggested_and_linked(dept: Department) -> None:
    report = submitted(dept)
    same_place = _complaint(dept, neighbourhood=dept.neighbourhood)
    naming = _complaint(dept)
    InvolvedOfficer.objects.create(complaint=naming, officer=dept.officers["partner"])
    _complaint(dept, incident_date=date(2026, 3, 15), neighbourhood=dept.neighbourhood)
    _complaint(dept)  # same day, elsewhere, no officer of ours
    assert set(services.suggest_complaints(report)) == {same_place, naming}

    client = dept.client("sergeant")
    page = client.get(f"/oversight/force/{report.pk}/").content.decode()
    assert same_place.reference in page
    response = client.post(
        f"/oversight/force/{report.pk}/complaints/", {"reference": naming.reference}
    )
    assert response.status_code == 302
    assert list(report.complaints.all()) == [naming]
    assert services.suggest_complaints(report) == [same_place]
    logged = AuditEntry.objects.filter(model="oversight.forcereport", object_pk=str(report.pk))
    assert logged.filter(changes__complaints=[[], [naming.reference]]).exists()
    response = client.post(f"/oversight/force/{report.pk}/complaints/", {"reference": "NOPE-1"})
    assert response.status_code == 400
    assert "No complaint has that tracking code" in response.content.decode()
    client.post(
        f"/oversight/force/{report.pk}/complaints/", {"reference": naming.reference, "unlink": "1"}
    )
    assert not report.complaints.exists()


def test_review_outcome_counts_give_each_month_submitted_reviewed_and_outcomes(
    dept: Department,
) -> None:
    first, second, third = submitted(dept), submitted(dept), submitted(dept)
    filed(dept)  # a draft is not counted
    for report, outcome in ((first, "within_policy"), (second, "referred")):
        services.review_report(report, dept.users["sergeant"], outcome, "Reasons.")
        services.review_report(_get(report), dept.users["lieutenant"], outcome, "Reasons.")
    services.review_report(third, dept.users["sergeant"], "returned", "Fix it.")
    month = timezone.now().strftime("%Y-%m")
    assert services.review_outcome_counts() == [
        {
            "month": month,
            "submitted": 3,
            "reviewed": 2,
            "within_policy": 1,
            "training_needed": 0,
            "referred": 1,
        }
    ]
    assert services.review_outcome_counts(agency=dept.agency)[0]["reviewed"] == 2


def test_ranks_follow_the_rosters_order(dept: Department) -> None:
    from commonbeat.oversight.force import chain

    assert chain.rank_level("Officer") == chain.rank_level("Police Officer")
    assert chain.rank_level("Police Officer") < chain.rank_level("Sergeant")
    assert chain.rank_level("Sergeant") < chain.rank_level("Lieutenant") < chain.rank_level("Chief")
    assert chain.rank_level("Dogcatcher") == -1


def test_a_transfer_after_submission_does_not_reroute_the_report(dept: Department) -> None:
    report = submitted(dept)
    assignment = Assignment.objects.get(officer=dept.officers["author"])
    assignment.unit = "District 2"
    assignment.save()
    services.review_report(_get(report), dept.users["sergeant"], "within_policy")
    assert _get(report).review_level == 2


def test_officer_incident_counts_count_each_officer_involved_once_per_report(
    dept: Department,
) -> None:
    submitted(dept)
    submitted(dept)
    filed(dept)  # drafts are not incidents yet
    counts = services.officer_incident_counts(date(2026, 1, 1), date(2026, 12, 31))
    assert counts == {
        dept.officers["author"].pk: {"incidents": 2, "subject_injuries": 2},
        dept.officers["partner"].pk: {"incidents": 2, "subject_injuries": 2},
    }
    assert services.officer_incident_counts(date(2025, 1, 1), date(2025, 12, 31)) == {}
