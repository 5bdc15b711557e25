"""Early-intervention alerts are confidential, tested as every role: the unit's supervisors and
administrators read and review them; the flagged officer sees only that they exist and how
they ended; nobody else sees any. Every page says alerts support officers, not discipline."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonbeat.core.roles import Role
from commonbeat.oversight.early import services
from commonbeat.oversight.early.models import Alert, AlertReview, AlertRule
from commonbeat.oversight.tests import early_data
from commonbeat.records.store import RecordStore
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

NOTICE = "Early-intervention alerts support officers; they are not discipline."


@pytest.fixture
def alert(run_import: Callable[..., Any], record_store: RecordStore, tmp_path: Path) -> Alert:
    officers = early_data.build(run_import, tmp_path / "csv")
    AlertRule.objects.update(active=False)
    AlertRule.objects.create(
        name="Any force", indicator="force_incidents", kind="count", threshold=Decimal("4")
    )
    opened = services.evaluate(early_data.AS_OF, store=record_store).opened
    assert [a.officer for a in opened] == [officers["A"]]
    return opened[0]


@pytest.fixture
def sign_in(client_as: Callable[..., Client], alert: Alert) -> Callable[[str], Client]:
    """Sign in as a persona: the supervisor leads the flagged officer's unit (Patrol), the
    officer is the flagged officer."""

    def persona(role: str) -> Client:
        if role == Role.SUPERVISOR:
            return client_as(role, officer=early_data.supervisor_officer("Patrol"))
        if role == Role.OFFICER:
            return client_as(role, officer=alert.officer)
        return client_as(role)

    return persona


def expect(role: str, allowed: set[str], response: Any) -> None:
    if role in allowed:
        assert response.status_code == 200, role
    elif role == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response["Location"], role
    else:
        assert response.status_code == 403, role


@pytest.mark.parametrize("role", PERSONAS)
def test_only_the_units_supervisors_and_administrators_see_the_queue(
    role: str, sign_in: Callable[[str], Client], alert: Alert
) -> None:
    response = sign_in(role).get(reverse("oversight:early_queue"))
    expect(role, {Role.SUPERVISOR, Role.ADMINISTRATOR}, response)
    if response.status_code == 200:
        assert NOTICE in response.content.decode()
        assert alert.officer.uid in response.content.decode()


@pytest.mark.parametrize("role", PERSONAS)
def test_only_the_units_supervisors_and_administrators_read_an_alert(
    role: str, sign_in: Callable[[str], Client], alert: Alert
) -> None:
    client = sign_in(role)
    for url in (
        reverse("oversight:early_alert", args=[alert.pk]),
        reverse("oversight:early_alert", args=[alert.pk, "json"]),
    ):
        response = client.get(url)
        expect(role, {Role.SUPERVISOR, Role.ADMINISTRATOR}, response)


@pytest.mark.parametrize("role", PERSONAS)
def test_only_officers_and_supervisors_have_a_page_of_their_own_alerts(
    role: str, sign_in: Callable[[str], Client]
) -> None:
    response = sign_in(role).get(reverse("oversight:early_own"))
    expect(role, {Role.OFFICER, Role.SUPERVISOR}, response)
    if response.status_code == 200:
        assert NOTICE in response.content.decode()


@pytest.mark.parametrize("role", PERSONAS)
def test_only_the_units_supervisors_and_administrators_review(
    role: str, sign_in: Callable[[str], Client], alert: Alert
) -> None:
    response = sign_in(role).post(
        reverse("oversight:early_alert", args=[alert.pk]),
        {"outcome": "mentoring", "notes": "We talked about the year.", "met_on": "2025-07-02"},
    )
    if role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        assert response.status_code == 302
        review = AlertReview.objects.get(alert=alert)
        assert (review.outcome, str(review.met_on)) == ("mentoring", "2025-07-02")
        alert.refresh_from_db()
        assert alert.status == Alert.Status.CLOSED
    else:
        assert response.status_code in (302, 403)
        assert not AlertReview.objects.exists()


def test_a_supervisor_of_another_unit_sees_nothing_of_the_alert(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    client = client_as(Role.SUPERVISOR, officer=early_data.supervisor_officer("Traffic"))
    queue = client.get(reverse("oversight:early_queue", args=["json"])).json()
    assert queue["alerts"] == []
    assert client.get(reverse("oversight:early_alert", args=[alert.pk])).status_code == 403


def test_a_supervisor_never_reads_an_alert_about_themselves(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    # The flagged officer promoted to supervisor of the same unit still cannot read it.
    client = client_as(Role.SUPERVISOR, officer=alert.officer)
    assert client.get(reverse("oversight:early_queue", args=["json"])).json()["alerts"] == []
    assert client.get(reverse("oversight:early_alert", args=[alert.pk])).status_code == 403
    assert client.get(reverse("oversight:early_own")).status_code == 200


def test_the_flagged_officer_sees_the_alert_and_its_outcome_but_not_the_notes(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    supervisor = early_data.make_supervisor("Patrol")
    services.record_review(alert, supervisor, outcome="training", notes="Confidential words.")
    client = client_as(Role.OFFICER, officer=alert.officer)
    page = client.get(reverse("oversight:early_own")).content.decode()
    assert "Any force" in page and "Training" in page
    assert "Confidential words." not in page
    data = client.get(reverse("oversight:early_own", args=["json"])).json()
    assert data == {
        "alerts": [
            {
                "rule": "Any force",
                "indicator": "force_incidents",
                "opened": alert.opened_at.date().isoformat(),
                "status": "closed",
                "status_label": "Closed: reviewed",
                "outcome": "training",
                "outcome_label": "Training",
            }
        ]
    }


def test_another_officer_sees_no_alert_of_a_colleague(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    other = alert.officer.agency.officers.get(uid="B")
    client = client_as(Role.OFFICER, officer=other)
    assert client.get(reverse("oversight:early_own", args=["json"])).json() == {"alerts": []}
    assert client.get(reverse("oversight:early_alert", args=[alert.pk])).status_code == 403


def test_the_alert_page_shows_the_figures_and_the_peers(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    client = client_as(Role.ADMINISTRATOR)
    page = client.get(reverse("oversight:early_alert", args=[alert.pk])).content.decode()
    assert NOTICE in page
    assert "Median of the peers" in page and "Record the review" in page
    data = client.get(reverse("oversight:early_alert", args=[alert.pk, "json"])).json()
    assert (data["count"], data["peer_median"], data["percentile"]) == (4, 1.0, 87.5)
    assert [p["officer_id"] for p in data["peers"]] == ["D", "B", "C"]
    peers = client.get(reverse("oversight:early_alert", args=[alert.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(peers.content.decode())))
    assert rows[0] == ["officer_id", "officer", "count"]
    assert rows[1] == ["D", "Officer D", "2"]
    queue = client.get(reverse("oversight:early_queue", args=["csv"])).content.decode()
    assert "A,Officer A,Patrol,day,Any force,force_incidents,4" in queue


def test_a_review_with_a_bad_date_or_no_notes_is_refused_and_nothing_is_stored(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    client = client_as(Role.ADMINISTRATOR)
    url = reverse("oversight:early_alert", args=[alert.pk])
    response = client.post(url, {"outcome": "training", "notes": "Fine.", "met_on": "2025-13-45"})
    assert response.status_code == 400
    assert "like 2026-01-15" in response.content.decode()
    response = client.post(url, {"outcome": "training", "notes": ""})
    assert response.status_code == 400
    assert not AlertReview.objects.exists()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN


def test_an_administrator_queues_an_evaluation_and_a_bad_date_is_refused(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    from commonbeat.core.jobs import Job

    client = client_as(Role.ADMINISTRATOR)
    url = reverse("oversight:early_queue")
    bad = client.post(url, {"as_of": "yesterday"})
    assert bad.status_code == 400 and "like" in bad.content.decode()
    assert not Job.objects.exists()
    assert client.post(url, {"as_of": "2025-06-30"}).status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.args) == ("oversight.early_evaluate", {"as_of": "2025-06-30"})
    supervisor = client_as(Role.SUPERVISOR, officer=early_data.supervisor_officer("Patrol"))
    assert supervisor.post(url, {"as_of": "2025-06-30"}).status_code == 403


def test_the_rules_are_configured_in_the_back_office_by_administrators(
    client_as: Callable[..., Client], db: None
) -> None:
    admin = client_as(Role.ADMINISTRATOR)
    listing = admin.get("/backoffice/oversight/alertrule/")
    assert listing.status_code == 200
    assert "Complaints: five or more in 12 months" in listing.content.decode()
    response = admin.post(
        "/backoffice/oversight/alertrule/add/",
        {
            "name_en": "Injuries",
            "name_es": "Lesiones",
            "indicator": "force_injuries",
            "kind": "count",
            "threshold": "3",
            "minimum_count": "1",
            "window_days": "180",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AlertRule.objects.get(name="Injuries").window_days == 180
    supervisor = client_as(Role.SUPERVISOR)
    assert supervisor.get("/backoffice/oversight/alertrule/").status_code == 200
    assert supervisor.get("/backoffice/oversight/alertrule/add/").status_code == 403
    officer = client_as(Role.OFFICER)
    assert officer.get("/backoffice/oversight/alertrule/").status_code == 403


def test_the_officers_page_speaks_spanish_with_the_rules_spanish_name(
    client_as: Callable[..., Client], alert: Alert
) -> None:
    alert.rule.name_es = "Cualquier fuerza"
    alert.rule.save()
    client = client_as(Role.OFFICER, officer=alert.officer)
    url = reverse("oversight:early_own")
    page = client.get("/es" + url).content.decode()
    assert '<td lang="es">Cualquier fuerza</td>' in page
    english = client.get(url).content.decode()
    assert '<td lang="en">Any force</td>' in english
