"""A small department for the use-of-force tests: one unit's officers and its chain of command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client

from commonbeat.core.models import Agency, Assignment, Neighbourhood, Officer, User
from commonbeat.core.places import invalidate_index
from commonbeat.core.roles import Role
from commonbeat.oversight.force import services
from commonbeat.oversight.force.models import ForceReport

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-87.70, 41.80], [-87.60, 41.80], [-87.60, 41.90], [-87.70, 41.90], [-87.70, 41.80]]
    ],
}
INSIDE = (41.85, -87.65)


@dataclass
class Department:
    agency: Agency
    neighbourhood: Neighbourhood
    users: dict[str, User]
    officers: dict[str, Officer]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


# name: (role, rank, unit); None rank for people not on the roster.
PEOPLE: dict[str, tuple[str, str | None, str]] = {
    "author": (Role.OFFICER, "Police Officer", "District 1"),
    "partner": (Role.OFFICER, "Police Officer", "District 1"),
    "bystander": (Role.OFFICER, "Police Officer", "District 1"),
    "sergeant": (Role.SUPERVISOR, "Sergeant", "District 1"),
    "other_sergeant": (Role.SUPERVISOR, "Sergeant", "District 2"),
    "lieutenant": (Role.SUPERVISOR, "Lieutenant", "District 9"),
    "administrator": (Role.ADMINISTRATOR, None, ""),
    "investigator": (Role.INVESTIGATOR, None, ""),
    "board_member": (Role.BOARD_MEMBER, None, ""),
    "analyst": (Role.ANALYST, None, ""),
    "resident": (Role.RESIDENT, None, ""),
}


@pytest.fixture
def dept(db: None) -> Department:
    agency = Agency.objects.create(slug="metro", name="Metro Police")
    neighbourhood = Neighbourhood.objects.create(
        agency=agency,
        slug="riverside",
        name="Riverside",
        boundary=SQUARE,
        centre_latitude=INSIDE[0],
        centre_longitude=INSIDE[1],
    )
    invalidate_index()
    users, officers = {}, {}
    for i, (name, (role, rank, unit)) in enumerate(PEOPLE.items()):
        officer = None
        if rank:
            officer = Officer.objects.create(
                agency=agency, uid=f"m-{i}", first_name=name.title(), last_name=f"Test{i}"
            )
            Assignment.objects.create(
                officer=officer,
                rank=rank,
                unit=unit,
                badge_number=f"{100 + i}",
                start_date=date(2020, 1, 1),
            )
            officers[name] = officer
        user = User(username=name, role=role, officer=officer)
        user.set_unusable_password()
        user.save()
        users[name] = user
    return Department(agency, neighbourhood, users, officers)


def fields(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "incident_date": date(2026, 3, 14),
        "incident_time": None,
        "location_text": "120 Main Street",
        "latitude": INSIDE[0],
        "longitude": INSIDE[1],
        "incident_number": "CAD-26-0314-117",
        "narrative": "Subject resisted arrest and struck at me; I used a takedown.",
        "deescalation_attempted": True,
        "deescalation_description": "Calm talk and distance for two minutes.",
        "warnings_given": True,
        "warnings_description": "Stop or you will be taken to the ground.",
        "officer_intervened": False,
        "intervention_description": "",
    }
    values.update(overrides)
    return values


def children(dept: Department, **overrides: Any) -> dict[str, list[dict[str, Any]]]:
    author, partner = dept.officers["author"], dept.officers["partner"]
    values: dict[str, list[dict[str, Any]]] = {
        "subjects": [
            {
                "number": 1,
                "age": 34,
                "race": "black",
                "gender": "male",
                "injured": True,
                "injury_description": "Graze to the left elbow.",
                "medical_treatment": "on_scene",
            }
        ],
        "officers": [{"officer": partner, "injured": False, "injury_description": ""}],
        "uses": [
            {"officer": author, "subject_number": 1, "force_type": "takedown", "other_text": ""},
            {
                "officer": partner,
                "subject_number": 1,
                "force_type": "hands on control",
                "other_text": "",
            },
        ],
        "resistances": [
            {
                "officer": author,
                "subject_number": 1,
                "resistance": "assaulted officer",
                "other_text": "",
            }
        ],
        "cameras": [{"officer": author, "camera": "BWC-17", "footage": "AXON-2026-0042"}],
    }
    values.update(overrides)
    return values


def filed(dept: Department, **field_overrides: Any) -> ForceReport:
    """Return a draft report by the author."""
    return services.create_report(dept.users["author"], fields(**field_overrides), children(dept))


def submitted(dept: Department) -> ForceReport:
    """Return a report by the author awaiting its level-1 review."""
    return services.submit_report(filed(dept), dept.users["author"])


def form_data(dept: Department, **overrides: Any) -> dict[str, Any]:
    """Return the report form's POST data: the incident and one row in each list."""
    author, partner = dept.officers["author"], dept.officers["partner"]
    data: dict[str, Any] = {
        "incident_date": "2026-03-14",
        "incident_time": "21:45",
        "incident_number": "CAD-26-0314-117",
        "location_text": "120 Main Street",
        "latitude": str(INSIDE[0]),
        "longitude": str(INSIDE[1]),
        "narrative": "Subject resisted arrest; I used a takedown.",
        "deescalation_attempted": "on",
        "deescalation_description": "Calm talk.",
    }
    rows = {
        "subjects": {
            "number": "1",
            "age": "34",
            "race": "black",
            "gender": "male",
            "medical_treatment": "none",
        },
        "officers": {"officer": str(partner.pk)},
        "uses": {"officer": str(author.pk), "subject_number": "1", "force_type": "takedown"},
        "resistances": {
            "officer": str(author.pk),
            "subject_number": "1",
            "resistance": "passive resistance",
        },
        "cameras": {"officer": str(author.pk), "camera": "BWC-17", "footage": "AXON-2026-0042"},
    }
    for kind, row in rows.items():
        data[f"{kind}-TOTAL_FORMS"] = "1"
        data[f"{kind}-INITIAL_FORMS"] = "0"
        data[f"{kind}-MIN_NUM_FORMS"] = "0"
        data[f"{kind}-MAX_NUM_FORMS"] = "1000"
        for key, value in row.items():
            data[f"{kind}-0-{key}"] = value
    data.update(overrides)
    return data
