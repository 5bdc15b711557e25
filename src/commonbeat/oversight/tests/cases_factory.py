"""A small factory of cases for the cases area's tests (straight through the ORM, as intake
would store them, then `record_receipt`)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from commonbeat.core.models import Agency, Assignment, Officer, User
from commonbeat.core.roles import Role
from commonbeat.oversight.cases import services
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer, Witness

_numbers = itertools.count(1)

IDENTITY = {
    "complainant_name": "Maria Lopez",
    "complainant_email": "maria.lopez@example.org",
    "complainant_phone": "555-0199-123",
    "complainant_address": "12 Elm Row",
}


def agency() -> Agency:
    found, _ = Agency.objects.get_or_create(slug="test-pd", defaults={"name": "Test PD"})
    return found


def officer(last_name: str = "Smith", unit: str = "District 1") -> Officer:
    n = next(_numbers)
    person = Officer.objects.create(
        agency=agency(), uid=f"off-{n}", first_name="Sam", last_name=last_name
    )
    Assignment.objects.create(
        officer=person,
        badge_number=str(1000 + n),
        rank="Officer",
        unit=unit,
        start_date=date(2020, 1, 1),
    )
    return person


def user(role: str, name: str | None = None, **fields: Any) -> User:
    account = User(username=name or f"{role}-{next(_numbers)}", role=role, **fields)
    account.set_unusable_password()
    account.save()
    return account


def complaint(
    *,
    kind: str = Complaint.Kind.COMPLAINT,
    accused: Officer | None = None,
    language: str = "en",
    unit: str = "District 1",
    filed_by: User | None = None,
    anonymous: bool = False,
    receive: bool = True,
    **fields: Any,
) -> Complaint:
    n = next(_numbers)
    identity = {} if anonymous else IDENTITY
    case = Complaint.objects.create(
        agency=agency(),
        kind=kind,
        reference=f"C-TEST-{n:05d}",
        secret_hash="x",
        received_at=timezone.now(),
        channel=Complaint.Channel.WEB,
        language=language,
        filed_by=filed_by,
        anonymous=anonymous,
        incident_date=date(2026, 11, 1),
        narrative=fields.pop(
            "narrative",
            "Maria Lopez says the officer pushed her; her neighbour John Reyes saw it. "
            "Call her on 555-0199-123 or maria.lopez@example.org.",
        ),
        content_hash=f"h{n}",
        stage_entered_at=timezone.now(),
        unit=unit,
        **identity,
        **fields,
    )
    role = (
        InvolvedOfficer.Role.COMMENDED
        if kind == Complaint.Kind.COMMENDATION
        else InvolvedOfficer.Role.ACCUSED
    )
    InvolvedOfficer.objects.create(complaint=case, officer=accused or officer(), role=role)
    if not anonymous:
        Witness.objects.create(complaint=case, name="John Reyes", contact="555-0100-777")
    if receive:
        services.record_receipt(case, actor=None)
    return case


def staff() -> dict[str, User]:
    """One account per role that moves a case."""
    return {
        "intake": user(Role.INVESTIGATOR, "intake"),
        "investigator": user(Role.INVESTIGATOR, "investigator"),
        "board": user(Role.BOARD_MEMBER, "board"),
        "admin": user(Role.ADMINISTRATOR, "admin"),
    }
