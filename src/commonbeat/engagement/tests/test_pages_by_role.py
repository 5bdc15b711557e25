"""Every engagement page as every persona: the public pages for everyone, the back office by
role; the neighbourhood page's twins; no registrant's name or address on the public side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commonbeat.core.roles import Role
from commonbeat.engagement.events.models import Event, Registration
from commonbeat.engagement.priorities.models import Priority
from commonbeat.testing.personas import ANONYMOUS, PERSONAS

BACK_OFFICE = {
    "event": {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR},
    "meetingconcern": {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR},
    "priority": {Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.ANALYST},
    "measure": {Role.SUPERVISOR, Role.ADMINISTRATOR, Role.ANALYST},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_the_public_pages_no_registrant_is_named_and_the_back_office_follows_the_policy(
    persona: str, client_as: Callable[..., Client], engaged_city: Any
) -> None:
    client = client_as(persona)
    town_hall = Event.objects.get(kind=Event.Kind.TOWN_HALL)
    priority = Priority.objects.filter(parent__isnull=True).first()
    assert priority is not None
    place = priority.neighbourhood
    pages = [
        "/engagement/events/",
        "/engagement/events.json",
        "/engagement/events.csv",
        "/es/engagement/events/?when=past",
        f"/engagement/events/{town_hall.pk}/",
        f"/engagement/events/{town_hall.pk}.json",
        f"/engagement/agencies/riverton-pd/neighbourhoods/{place.slug}/",
        f"/engagement/agencies/riverton-pd/neighbourhoods/{place.slug}.json",
        f"/es/engagement/agencies/riverton-pd/neighbourhoods/{place.slug}.csv",
        f"/engagement/priorities/{priority.pk}/",
        f"/agencies/riverton-pd/neighbourhoods/{place.slug}/",
    ]
    names = list(Registration.objects.values_list("name", "email"))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert not any(name in body or email in body for name, email in names), page
    hall = client.get(f"/engagement/events/{town_hall.pk}.json").json()
    assert (hall["capacity"], hall["places_left"]) == (4, 0)
    # The same city serves the back-office check (a city per test is the cost here).
    for model, holders in BACK_OFFICE.items():
        response = client.get(f"/backoffice/engagement/{model}/")
        if persona in holders:
            assert response.status_code == 200, model
        elif persona in (ANONYMOUS, Role.RESIDENT):
            assert response.status_code == 302, model
        else:
            assert response.status_code == 403, model


def test_the_neighbourhood_page_lists_priorities_parts_and_events_in_its_twins(
    engaged_city: Any,
) -> None:
    priority = Priority.objects.filter(parent__isnull=True).first()
    assert priority is not None
    place = priority.neighbourhood
    client = Client()
    data = client.get(
        f"/es/engagement/agencies/riverton-pd/neighbourhoods/{place.slug}.json"
    ).json()
    (listed,) = data["priorities"]
    assert listed["issue"] == priority.issue_es and listed["progress"] == 70
    assert [p["progress"] for p in listed["parts"]] == [100, 40]
    assert {e["kind"] for e in data["events"]} == {"walk", "town_hall"}
    lines = (
        client.get(f"/engagement/agencies/riverton-pd/neighbourhoods/{place.slug}.csv")
        .content.decode()
        .splitlines()
    )
    assert lines[0].startswith("id,neighbourhood,issue,source") and len(lines) == 4
    page = client.get(f"/agencies/riverton-pd/neighbourhoods/{place.slug}/").content.decode()
    assert "You said, we did" in page and str(priority.issue_en) in page
