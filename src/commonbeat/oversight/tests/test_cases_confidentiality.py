"""What each role sees of a case: the confidentiality matrix, as every persona, through the
rule itself, the case page, its JSON twin and the work queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonbeat.core.models import Officer, User
from commonbeat.core.roles import Role
from commonbeat.oversight.cases import services
from commonbeat.oversight.cases.confidentiality import Level, access, redact, visible_cases
from commonbeat.oversight.cases.models import Complaint
from commonbeat.oversight.tests import cases_factory as make
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

pytestmark = pytest.mark.django_db

N, S, Q, R, F = Level.NONE, Level.STATUS, Level.QUEUE, Level.REDACTED, Level.FULL

# persona → (a case in intake, a case assigned to another investigator, another unit's case
# also in intake)
MATRIX = {
    ANONYMOUS: (N, N, N),
    Role.RESIDENT: (S, N, N),  # the resident filed the first case only
    Role.OFFICER: (N, N, N),  # accused on the first two; sees no case at all
    Role.SUPERVISOR: (Q, Q, N),  # District 1's supervisor
    Role.INVESTIGATOR: (F, R, F),  # intake sees who complained; others' cases redacted
    Role.BOARD_MEMBER: (R, R, R),
    Role.ANALYST: (N, N, N),
    Role.ADMINISTRATOR: (R, R, R),
}
STAFF_PAGES = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.BOARD_MEMBER, Role.ADMINISTRATOR}


@pytest.fixture
def world(client_as: Callable[..., Client]) -> dict[str, Any]:
    accused = make.officer("Accused", unit="District 1")
    supervisor_officer = make.officer("Boss", unit="District 1")
    officers: dict[str, Officer] = {Role.OFFICER: accused, Role.SUPERVISOR: supervisor_officer}
    clients = {persona: client_as(persona, officers.get(persona)) for persona in PERSONAS}
    users = {u.role: u for u in User.objects.filter(username__endswith="-persona")}
    people = make.staff()
    intake = make.complaint(accused=accused, filed_by=users[Role.RESIDENT])
    assigned = make.complaint(accused=accused)
    assigned = services.advance(assigned, "start_intake_review", actor=people["intake"])
    assigned = services.triage(
        assigned,
        actor=people["intake"],
        category="force",
        in_jurisdiction=True,
        investigator=people["investigator"],
    )
    assigned = services.advance(assigned, "assign", actor=people["intake"])
    elsewhere = make.complaint(unit="District 9")
    return {
        "clients": clients,
        "users": users,
        "people": people,
        "cases": (intake, assigned, elsewhere),
    }


def _user(world: dict[str, Any], persona: str) -> Any:
    if persona == ANONYMOUS:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return world["users"][persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_sees_what_the_confidentiality_rule_says(
    world: dict[str, Any], persona: str
) -> None:
    user = _user(world, persona)
    seen = tuple(access(user, case).level for case in world["cases"])
    assert seen == MATRIX[persona]
    listed = set(visible_cases(user).values_list("pk", flat=True))
    assert listed == {c.pk for c, level in zip(world["cases"], seen, strict=True) if level}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_page_and_its_twin_show_identity_only_where_the_rule_allows(
    world: dict[str, Any], persona: str
) -> None:
    client = world["clients"][persona]
    for case, level in zip(world["cases"], MATRIX[persona], strict=True):
        for url in (
            f"/oversight/cases/{case.reference}/",
            f"/oversight/cases/{case.reference}.json",
        ):
            response = client.get(url)
            if persona == ANONYMOUS:
                assert response.status_code == 302
                continue
            if persona not in STAFF_PAGES:
                assert response.status_code == 403
                continue
            if level == N:
                assert response.status_code == 404
                continue
            assert response.status_code == 200
            body = response.content.decode()
            for value in (*make.IDENTITY.values(), "John Reyes"):
                assert (value in body) == (level == F), (persona, url, value)
            assert ("pushed" in body) == (level >= R), (persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_work_queue_lists_only_the_cases_a_role_may_see_and_never_an_identity(
    world: dict[str, Any], persona: str
) -> None:
    client = world["clients"][persona]
    for suffix in (".json", ".csv", "/"):
        response = client.get(f"/oversight/cases{suffix}")
        if persona == ANONYMOUS:
            assert response.status_code == 302
            continue
        if persona not in STAFF_PAGES:
            assert response.status_code == 403
            continue
        assert response.status_code == 200
        body = response.content.decode()
        for case, level in zip(world["cases"], MATRIX[persona], strict=True):
            assert (case.reference in body) == (level > N), (persona, suffix, case.reference)
        for value in (*make.IDENTITY.values(), "John Reyes", "pushed"):
            assert value not in body


def test_the_assigned_investigator_sees_the_identity_and_other_investigators_do_not(
    world: dict[str, Any],
) -> None:
    assigned = world["cases"][1]
    assert access(world["people"]["investigator"], assigned).level == F
    assert access(world["people"]["intake"], assigned).level == R


def test_intake_loses_the_identity_once_an_investigator_is_assigned(world: dict[str, Any]) -> None:
    intake = world["cases"][0]
    people = world["people"]
    assert access(people["intake"], intake).identity
    intake = services.advance(intake, "start_intake_review", actor=people["intake"])
    intake = services.triage(
        intake,
        actor=people["intake"],
        category="force",
        in_jurisdiction=True,
        investigator=people["investigator"],
    )
    assert not access(people["intake"], intake).identity


def test_a_supervisor_accused_on_their_own_units_case_sees_nothing_of_it(
    world: dict[str, Any],
) -> None:
    supervisor = world["users"][Role.SUPERVISOR]
    case = make.complaint(accused=supervisor.officer, unit="District 1")
    assert access(supervisor, case).level == N
    assert not visible_cases(supervisor).filter(pk=case.pk).exists()


def test_the_redacted_narrative_removes_names_and_contact_details() -> None:
    case = make.complaint()
    text = redact(case, case.narrative)
    for value in ("Maria", "Lopez", "John Reyes", "555-0199-123", "maria.lopez@example.org"):
        assert value not in text
    assert "pushed" in text


def test_an_anonymous_filing_has_no_identity_to_show(world: dict[str, Any]) -> None:
    case = make.complaint(anonymous=True, narrative="Someone was pushed.")
    assert isinstance(case, Complaint)
    response = world["clients"][Role.INVESTIGATOR].get(f"/oversight/cases/{case.reference}.json")
    assert response.json()["complainant"]["anonymous"] is True
    assert response.json()["complainant"]["name"] == ""
