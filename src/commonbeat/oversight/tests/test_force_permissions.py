"""Who sees what of use-of-force reports, tested as every role."""

from __future__ import annotations

import pytest
from django.test import Client

from commonbeat.core import policy
from commonbeat.core.roles import Role
from commonbeat.oversight.tests.force_helpers import Department, dept, submitted
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

__all__ = ["dept"]

# Each persona is someone other than the report's author and outside its chain of command:
# the officer is the author's partner in the incident, the supervisor another unit's.
STAND_IN = {
    Role.RESIDENT: "resident",
    Role.OFFICER: "partner",
    Role.SUPERVISOR: "other_sergeant",
    Role.INVESTIGATOR: "investigator",
    Role.BOARD_MEMBER: "board_member",
    Role.ANALYST: "analyst",
    Role.ADMINISTRATOR: "administrator",
}


def _client(dept: Department, persona: str) -> Client:
    return Client() if persona == ANONYMOUS else dept.client(STAND_IN[persona])


# Someone else's report: only internal affairs and administrators read it outright.
REPORT_STATUS = {
    ANONYMOUS: 302,
    Role.RESIDENT: 404,
    Role.OFFICER: 404,
    Role.SUPERVISOR: 404,
    Role.INVESTIGATOR: 200,
    Role.BOARD_MEMBER: 404,
    Role.ANALYST: 404,
    Role.ADMINISTRATOR: 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("suffix", ["/", ".json"])
def test_someone_elses_report_is_seen_only_by_internal_affairs_and_administrators(
    dept: Department, persona: str, suffix: str
) -> None:
    report = submitted(dept)
    response = _client(dept, persona).get(f"/oversight/force/{report.pk}{suffix}")
    assert response.status_code == REPORT_STATUS[persona]
    if response.status_code != 200:
        assert report.narrative.encode() not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_reports_are_for_officers_and_supervisors_and_hold_only_their_own(
    dept: Department, persona: str
) -> None:
    report = submitted(dept)
    for suffix in ("/", ".json", ".csv"):
        response = _client(dept, persona).get(f"/oversight/force{suffix}")
        if persona == ANONYMOUS:
            assert response.status_code == 302
        elif persona in (Role.OFFICER, Role.SUPERVISOR):
            assert response.status_code == 200
            assert report.incident_number.encode() not in response.content
        else:
            assert response.status_code == 403
    own = dept.client("author").get("/oversight/force.json").json()
    assert [row["id"] for row in own] == [report.pk]
    csv = dept.client("author").get("/oversight/force.csv").content.decode()
    assert csv.splitlines()[0].startswith("id,state,incident_date")
    assert report.incident_number in csv


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_queue_is_for_supervisors_and_administrators(
    dept: Department, persona: str
) -> None:
    submitted(dept)
    response = _client(dept, persona).get("/oversight/force/queue/")
    expected = {ANONYMOUS: 302, Role.SUPERVISOR: 200, Role.ADMINISTRATOR: 200}
    assert response.status_code == expected.get(persona, 403)
    if response.status_code == 200:
        # Neither another unit's supervisor nor command staff have it at level 1.
        assert _client(dept, persona).get("/oversight/force/queue.json").json() == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_officers_and_supervisors_open_the_report_form(dept: Department, persona: str) -> None:
    response = _client(dept, persona).get("/oversight/force/new/")
    expected = {ANONYMOUS: 302, Role.OFFICER: 200, Role.SUPERVISOR: 200}
    assert response.status_code == expected.get(persona, 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_chain_of_command_records_a_review(dept: Department, persona: str) -> None:
    report = submitted(dept)
    response = _client(dept, persona).post(
        f"/oversight/force/{report.pk}/review/", {"decision": "within_policy"}
    )
    assert response.status_code in (302, 403, 404)
    if persona == ANONYMOUS:
        assert response["Location"].startswith("/accounts/") or "login" in response["Location"]
    assert not report.reviews.exists()


def test_the_author_and_the_chain_of_command_see_the_report(dept: Department) -> None:
    report = submitted(dept)
    for name in ("author", "sergeant"):
        response = dept.client(name).get(f"/oversight/force/{report.pk}/")
        assert response.status_code == 200, name
        assert report.narrative.encode() in response.content
    # Command staff see it once it reaches their level.
    assert dept.client("lieutenant").get(f"/oversight/force/{report.pk}/").status_code == 404
    dept.client("sergeant").post(
        f"/oversight/force/{report.pk}/review/", {"decision": "within_policy"}
    )
    assert dept.client("lieutenant").get(f"/oversight/force/{report.pk}/").status_code == 200
    # The level-1 reviewer still reads the report they reviewed.
    assert dept.client("sergeant").get(f"/oversight/force/{report.pk}/").status_code == 200


@pytest.mark.parametrize("role", Role.values)
def test_no_role_but_the_authors_edits_reports(dept: Department, role: str) -> None:
    assert not policy.can(dept.users[STAND_IN[role]], "forcereport.edit")
    report = submitted(dept)
    assert not policy.can(dept.users[STAND_IN[role]], "forcereport.edit", report)
