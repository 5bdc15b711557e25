from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from commonbeat.core.models import AuditEntry, Officer, TeamMembership
from commonbeat.core.roles import Role
from commonbeat.testing.personas import ANONYMOUS


@pytest.mark.parametrize("role", Role.values)
def test_the_account_page_opens_for_every_role(
    client_as: Callable[[str], Client], role: str
) -> None:
    response = client_as(role).get("/account/")
    assert response.status_code == 200
    assert b"Your account" in response.content


def test_the_account_page_sends_visitors_to_log_in(client_as: Callable[[str], Client]) -> None:
    response = client_as(ANONYMOUS).get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=/account/")


def test_an_officer_edits_their_own_public_bio(
    city: object, client_as: Callable[..., Client]
) -> None:
    membership = TeamMembership.objects.select_related("neighbourhood").first()
    assert membership is not None
    client = client_as(Role.OFFICER, officer=Officer.objects.get(pk=membership.officer_id))
    url = f"/account/team/{membership.pk}/bio/"
    assert client.get("/account/").content.decode().count(url) == 1
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"bio_en": "  I walk the Main Street beat.  ", "bio_es": "Recorro la calle Main."}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.bio_en == "I walk the Main Street beat."
    assert membership.bio_es == "Recorro la calle Main."
    entry = AuditEntry.objects.filter(model="core.teammembership", action="update").first()
    assert entry is not None
    assert entry.actor.endswith(":officer-persona")
    assert entry.changes["bio_en"][1] == "I walk the Main Street beat."
    page = client.get(
        f"/agencies/{membership.neighbourhood.agency.slug}/neighbourhoods/{membership.neighbourhood.slug}/"
    )
    assert b"I walk the Main Street beat." in page.content
    spanish = client.get(
        f"/es/agencies/{membership.neighbourhood.agency.slug}/neighbourhoods/{membership.neighbourhood.slug}/"
    )
    assert '<p lang="es">Recorro la calle Main.</p>' in spanish.content.decode()


def test_an_over_long_bio_is_refused_with_a_message(
    city: object, client_as: Callable[..., Client]
) -> None:
    membership = TeamMembership.objects.first()
    assert membership is not None
    client = client_as(Role.OFFICER, officer=Officer.objects.get(pk=membership.officer_id))
    response = client.post(
        f"/account/team/{membership.pk}/bio/", {"bio_en": "x" * 2001, "bio_es": ""}
    )
    assert response.status_code == 200
    assert b"at most 2000 characters" in response.content


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (ANONYMOUS, 302),
        (Role.RESIDENT, 403),
        (Role.OFFICER, 403),  # an officer, but not this team member
        (Role.ANALYST, 403),
        (Role.BOARD_MEMBER, 403),
        (Role.SUPERVISOR, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_only_the_officer_and_their_supervisors_edit_a_bio(
    city: object, client_as: Callable[[str], Client], role: str, status: int
) -> None:
    membership = TeamMembership.objects.first()
    assert membership is not None
    response = client_as(role).get(f"/account/team/{membership.pk}/bio/")
    assert response.status_code == status
