"""Deadlines per stage from policy, extensions with reasons, and the overdue work queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from commonbeat.core.models import AuditEntry
from commonbeat.core.roles import Role
from commonbeat.oversight.cases import services
from commonbeat.oversight.cases.models import Complaint, Extension, StageDeadline
from commonbeat.oversight.tests import cases_factory as make

pytestmark = pytest.mark.django_db


def test_a_received_case_is_due_after_the_settings_days(settings: object) -> None:
    settings.OVERSIGHT_STAGE_DAYS = {"received": 3, "intake_review": 14}  # type: ignore[attr-defined]
    case = make.complaint()
    case.refresh_from_db()
    assert case.due_at == case.stage_entered_at + timedelta(days=3)
    people = make.staff()
    case = services.advance(case, "start_intake_review", actor=people["intake"])
    assert case.due_at == case.stage_entered_at + timedelta(days=14)


def test_the_back_office_table_overrides_the_setting() -> None:
    StageDeadline.objects.create(stage="received", days=1)
    case = make.complaint()
    case.refresh_from_db()
    assert case.due_at == case.stage_entered_at + timedelta(days=1)


def test_a_closed_case_has_no_deadline() -> None:
    people = make.staff()
    case = make.complaint(kind=Complaint.Kind.COMMENDATION)
    case = services.advance(case, "start_intake_review", actor=people["intake"])
    case = services.advance(case, "close_at_intake", actor=people["intake"], note="Thanked.")
    assert case.due_at is None and case.closed_at is not None


def test_an_extension_moves_the_deadline_and_is_recorded_and_audited() -> None:
    admin = make.user(Role.ADMINISTRATOR)
    case = make.complaint()
    case.refresh_from_db()
    before = case.due_at
    assert before is not None
    extension = services.extend(case, days=10, reason="Waiting for the footage.", actor=admin)
    case.refresh_from_db()
    assert case.due_at == max(before, extension.at) + timedelta(days=10)
    assert Extension.objects.get().reason == "Waiting for the footage."
    assert AuditEntry.objects.filter(model="oversight.extension").exists()
    assert AuditEntry.objects.filter(
        model="oversight.complaint", object_pk=str(case.pk), changes__has_key="due_at"
    ).exists()


def test_an_extension_needs_reasons_and_sensible_days() -> None:
    admin = make.user(Role.ADMINISTRATOR)
    case = make.complaint()
    with pytest.raises(ValidationError) as refused:
        services.extend(case, days=0, reason=" ", actor=admin)
    assert set(refused.value.message_dict) == {"days", "reason"}
    assert not Extension.objects.exists()


def test_a_board_member_may_not_extend_a_deadline() -> None:
    with pytest.raises(PermissionDenied):
        services.extend(make.complaint(), days=5, reason="x", actor=make.user(Role.BOARD_MEMBER))


def test_the_overdue_queue_shows_a_supervisor_their_units_late_cases_most_late_first(
    client_as: Callable[..., Client],
) -> None:
    boss = make.officer("Boss", unit="District 1")
    client = client_as(Role.SUPERVISOR, boss)
    late = make.complaint(unit="District 1")
    later = make.complaint(unit="District 1")
    on_time = make.complaint(unit="District 1")
    other_unit = make.complaint(unit="District 2")
    now = timezone.now()
    for case, days in ((late, -2), (later, -5), (other_unit, -9), (on_time, 4)):
        Complaint.objects.filter(pk=case.pk).update(due_at=now + timedelta(days=days))
    response = client.get("/oversight/cases.json?overdue=1")
    assert response.status_code == 200
    references = [row["reference"] for row in response.json()["cases"]]
    assert references == [later.reference, late.reference]
    assert all(row["overdue"] for row in response.json()["cases"])
    csv = client.get("/oversight/cases.csv?overdue=1").content.decode()
    assert later.reference in csv and on_time.reference not in csv
    html = client.get("/oversight/cases/?overdue=1").content.decode()
    assert "Overdue cases" in html and late.reference in html


def test_the_supervisor_extends_a_late_case_from_its_page(
    client_as: Callable[..., Client],
) -> None:
    boss = make.officer("Boss", unit="District 1")
    client = client_as(Role.SUPERVISOR, boss)
    case = make.complaint(unit="District 1")
    response = client.post(
        f"/oversight/cases/{case.reference}/extend/", {"days": "7", "reason": "Short staffed."}
    )
    assert response.status_code == 302
    assert Extension.objects.get(complaint=case).days == 7
    refused = client.post(f"/oversight/cases/{case.reference}/extend/", {"days": "7"})
    assert refused.status_code == 400
    assert Extension.objects.count() == 1


def test_the_work_queue_is_paginated_without_loading_every_case(
    client_as: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    for _ in range(55):
        make.complaint(receive=False)
    client = client_as(Role.ADMINISTRATOR)
    # The page reads one window of rows (no count of every case, no query per row).
    with django_assert_max_num_queries(6):
        first = client.get("/oversight/cases.json").json()
    assert len(first["cases"]) == 50 and first["has_next"]
    second = client.get("/oversight/cases.json?page=2").json()
    assert len(second["cases"]) == 5 and not second["has_next"]
    assert client.get("/oversight/cases.json?page=99999").status_code == 404
    assert client.get("/oversight/cases.json?stage=nonsense").status_code == 404
