"""A small hand-made agency for the early-intervention tests: six officers, a few force
incidents and complaints in the record store, one workflow case. The expected figures are
worked out by hand in test_early_indicators.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from commonbeat.core import csvsafe
from commonbeat.core.models import Agency, Assignment, Officer, User
from commonbeat.core.roles import Role
from commonbeat.oversight.cases.models import Allegation, Complaint, InvolvedOfficer
from commonbeat.records.schema import RECORD_TYPES

AGENCY = "test-pd"
AS_OF = datetime.date(2025, 6, 30)

# uid: (unit, shift, employed)
OFFICERS = {
    "A": ("Patrol", "day", datetime.date(2020, 3, 1)),
    "B": ("Patrol", "day", datetime.date(2020, 3, 1)),
    "C": ("Patrol", "day", datetime.date(2020, 3, 1)),
    "D": ("Patrol", "day", datetime.date(2021, 7, 1)),  # 3 completed years on 30 June 2025
    "E": ("Patrol", "night", datetime.date(2020, 1, 1)),
    "F": ("Traffic", "day", None),
}

# incident: (date, officers, subjects' injuries)
INCIDENTS = {
    "I1": ("2024-06-30", "A", (True,)),  # the day before the window: not counted
    "I2": ("2024-07-01", "AB", (True, False)),  # the window's first day
    "I3": ("2024-09-01", "A", (True,)),
    "I4": ("2025-01-01", "AD", (True,)),
    "I5": ("2025-06-30", "AE", (False,)),  # the window's last day
    "I6": ("2025-03-01", "D", (False,)),
}

# complaint: (received, [(officer, final finding)])
COMPLAINTS = {
    "K1": ("2025-02-01", [("A", "sustained"), ("A", "not_sustained"), ("B", "unfounded")]),
    "K2": ("2024-05-01", [("A", "sustained")]),  # before the window
    "K3": ("2025-05-01", [("A", "exonerated")]),
}


def _write(path: Path, record_type: str, rows: list[dict[str, Any]]) -> Path:
    names = [f.name for f in RECORD_TYPES[record_type].fields if f.name != "source"]
    with path.open("w", newline="", encoding="utf-8") as stream:
        out = csvsafe.source_writer(stream)
        out.writerow(names)
        for row in rows:
            out.writerow([row.get(name, "") for name in names])
    return path


def write_records(folder: Path) -> list[Path]:
    """Write the agency's force and complaint records as standard CSV files."""
    folder.mkdir(parents=True, exist_ok=True)
    incidents, officers, subjects, complaints, allegations = [], [], [], [], []
    for incident, (day, who, injuries) in INCIDENTS.items():
        incidents.append({"record_id": incident, "agency": AGENCY, "occurred_date": day})
        for n, uid in enumerate(who, start=1):
            officers.append(
                {"record_id": f"{incident}-O{n}", "parent_id": incident, "agency": AGENCY}
                | {"officer_id": uid}
            )
        for n, injured in enumerate(injuries, start=1):
            subjects.append(
                {"record_id": f"{incident}-S{n}", "parent_id": incident, "agency": AGENCY}
                | {"injured": "true" if injured else "false"}
            )
    for complaint, (received, rows) in COMPLAINTS.items():
        complaints.append({"record_id": complaint, "agency": AGENCY, "received_date": received})
        for n, (uid, finding) in enumerate(rows, start=1):
            allegations.append(
                {"record_id": f"{complaint}-{n}", "parent_id": complaint, "agency": AGENCY}
                | {"officer_id": uid, "final_finding": finding}
            )
    return [
        _write(folder / "incidents.csv", "force_incident", incidents),
        _write(folder / "officers.csv", "force_officer", officers),
        _write(folder / "subjects.csv", "force_subject", subjects),
        _write(folder / "complaints.csv", "complaint", complaints),
        _write(folder / "allegations.csv", "allegation", allegations),
    ]


def make_agency() -> dict[str, Officer]:
    """Create the agency and its officers, each assigned on AS_OF; return them by uid."""
    agency, _ = Agency.objects.get_or_create(slug=AGENCY, defaults={"name": "Test police"})
    found = {}
    for uid, (unit, shift, employed) in OFFICERS.items():
        officer = Officer.objects.create(
            agency=agency, uid=uid, first_name="Officer", last_name=uid, employment_date=employed
        )
        Assignment.objects.create(
            officer=officer,
            rank="Police Officer",
            unit=unit,
            shift=shift,
            start_date=datetime.date(2019, 1, 1),
        )
        found[uid] = officer
    return found


def workflow_case(officer: Officer, *, finding: str = "sustained", kind: str = "complaint") -> None:
    """Add a workflow case received on 1 April 2025 with one allegation against the officer."""
    received = timezone.make_aware(datetime.datetime(2025, 4, 1, 10, 0))
    complaint = Complaint.objects.create(
        agency=officer.agency,
        kind=kind,
        reference=f"CB-{Complaint.objects.count() + 1:05d}",
        secret_hash="x",
        received_at=received,
        channel=Complaint.Channel.WEB,
        incident_date=datetime.date(2025, 3, 30),
        narrative="Synthetic test case.",
        content_hash=f"{Complaint.objects.count()}",
        stage_entered_at=received,
    )
    accused = InvolvedOfficer.objects.create(
        complaint=complaint,
        officer=officer,
        role=InvolvedOfficer.Role.ACCUSED
        if kind == "complaint"
        else InvolvedOfficer.Role.COMMENDED,
    )
    if kind == "complaint":
        Allegation.objects.create(
            complaint=complaint,
            accused=accused,
            category="discourtesy",
            description="Was rude.",
            final_finding=finding,
        )


def build(run_import: Callable[..., Any], folder: Path) -> dict[str, Officer]:
    """Create the agency, import its records and add one workflow case against C."""
    officers = make_agency()
    report = run_import(*write_records(folder))
    assert report.ok and report.committed, report
    workflow_case(officers["C"])
    workflow_case(officers["A"], kind="commendation")  # commendations are not counted
    return officers


def supervisor_officer(unit: str, name: str = "sergeant") -> Officer:
    """Return a sergeant on the roster, assigned to the unit now."""
    agency, _ = Agency.objects.get_or_create(slug=AGENCY, defaults={"name": "Test police"})
    officer = Officer.objects.create(
        agency=agency, uid=f"SUP-{name}", first_name="Sergeant", last_name=name
    )
    Assignment.objects.create(
        officer=officer, rank="Sergeant", unit=unit, start_date=datetime.date(2019, 1, 1)
    )
    return officer


def make_supervisor(unit: str, username: str = "sergeant") -> User:
    """Return a supervisor account whose roster entry is assigned to the unit now."""
    officer = supervisor_officer(unit, username)
    user = User(username=username, role=Role.SUPERVISOR, officer=officer)
    user.set_unusable_password()
    user.save()
    return user
