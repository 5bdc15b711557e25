"""A user's own choices on the account page: neighbourhood and language, and the sections."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from commonbeat.core.account import ACCOUNT_SECTIONS, AccountSection
from commonbeat.core.models import AuditEntry, Neighbourhood, Officer, TeamMembership, User
from commonbeat.core.roles import Role
from commonbeat.testing.personas import ANONYMOUS

ClientAs = Callable[..., Client]


def persona(role: str) -> User:
    return User.objects.get(username=f"{role}-persona")


def last_user_change(user: User) -> AuditEntry:
    entry = (
        AuditEntry.objects.filter(model="core.user", object_pk=str(user.pk), action="update")
        .order_by("-seq")
        .first()
    )
    assert entry is not None, "the change was not audit-logged"
    return entry


@pytest.mark.parametrize("role", Role.values)
def test_every_role_sees_its_neighbourhood_and_language_choices(
    city: object, client_as: ClientAs, role: str
) -> None:
    page = client_as(role).get("/account/").content.decode()
    assert '<h2 id="account-neighbourhood">Your neighbourhood</h2>' in page
    assert '<h2 id="account-language">Your language</h2>' in page
    assert "You have not chosen a neighbourhood." in page
    # Every neighbourhood is offered, under its agency's name.
    agency = Neighbourhood.objects.select_related("agency").first()
    assert agency is not None
    assert f'<optgroup label="{agency.agency.name}">' in page
    for found in Neighbourhood.objects.all():
        assert f'<option value="{found.pk}">{found.name}</option>' in page
    assert '<option value="es">español</option>' in page
    assert page.index("account-neighbourhood") < page.index("account-language")


def test_only_an_officer_on_a_team_sees_the_team_section(city: object, client_as: ClientAs) -> None:
    membership = TeamMembership.objects.first()
    assert membership is not None
    officer = Officer.objects.get(pk=membership.officer_id)
    on_team = client_as(Role.OFFICER, officer=officer).get("/account/").content.decode()
    assert '<h2 id="account-teams">Your neighbourhood teams</h2>' in on_team
    assert f"/account/team/{membership.pk}/bio/" in on_team
    resident = client_as(Role.RESIDENT).get("/account/").content.decode()
    assert "account-teams" not in resident


@pytest.mark.parametrize("role", Role.values)
def test_every_role_chooses_and_clears_its_neighbourhood_in_the_audit_log(
    city: object, client_as: ClientAs, role: str
) -> None:
    client = client_as(role)
    user = persona(role)
    chosen = Neighbourhood.objects.select_related("agency").order_by("name").first()
    assert chosen is not None
    response = client.post("/account/neighbourhood/", {"neighbourhood": str(chosen.pk)})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.neighbourhood == chosen
    entry = last_user_change(user)
    assert entry.actor.endswith(f":{role}-persona")
    assert entry.changes["neighbourhood_id"] == [None, chosen.pk]
    page = client.get("/account/").content.decode()
    assert f"Your neighbourhood is now {chosen.name}." in page
    assert f'href="/agencies/{chosen.agency.slug}/neighbourhoods/{chosen.slug}/"' in page
    assert f'<option value="{chosen.pk}" selected>' in page

    assert client.post("/account/neighbourhood/", {"neighbourhood": ""}).status_code == 302
    user.refresh_from_db()
    assert user.neighbourhood is None
    assert last_user_change(user).changes["neighbourhood_id"] == [chosen.pk, None]


def test_an_unknown_neighbourhood_is_refused_naming_it_and_an_example(
    city: object, client_as: ClientAs
) -> None:
    client = client_as(Role.RESIDENT)
    response = client.post("/account/neighbourhood/", {"neighbourhood": "99999"})
    assert response.status_code == 400
    page = response.content.decode()
    first = Neighbourhood.objects.order_by("agency__name", "name").first()
    assert first is not None
    assert (
        f"There is no neighbourhood numbered 99999. Choose one from the list, "
        f"for example “{first.name}”, or “None chosen”."
    ) in page
    assert '<h2 id="account-language">' in page  # the rest of the page is still there
    assert persona(Role.RESIDENT).neighbourhood is None


@pytest.mark.parametrize("address", ["/account/neighbourhood/", "/account/language/"])
def test_visitors_may_not_make_choices(city: object, client_as: ClientAs, address: str) -> None:
    before = AuditEntry.objects.count()
    response = client_as(ANONYMOUS).post(address, {"neighbourhood": "1", "language": "es"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("address", ["/account/neighbourhood/", "/account/language/"])
def test_choices_are_only_posted(client_as: ClientAs, address: str) -> None:
    assert client_as(Role.RESIDENT).get(address).status_code == 405


@pytest.mark.parametrize("role", Role.values)
def test_choosing_spanish_switches_the_site_to_it(client_as: ClientAs, role: str) -> None:
    client = client_as(role)
    response = client.post("/account/language/", {"language": "es"})
    assert response.status_code == 302
    assert response["Location"] == "/es/account/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    user = persona(role)
    assert user.language == "es"
    assert last_user_change(user).changes["language"] == ["", "es"]
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="es">' in page
    with translation.override("es"):
        # Said in the language chosen (the catalogue may not have it yet: then in English).
        assert translation.gettext("The site is now in your language.") in page


def test_following_the_address_forgets_the_language(client_as: ClientAs) -> None:
    client = client_as(Role.RESIDENT)
    client.post("/account/language/", {"language": "es"})
    response = client.post("/es/account/language/", {"language": ""})
    assert response.status_code == 302
    assert response["Location"] == "/es/account/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert persona(Role.RESIDENT).language == ""


def test_an_unknown_language_is_refused_with_the_choices(client_as: ClientAs) -> None:
    response = client_as(Role.RESIDENT).post("/account/language/", {"language": "fr"})
    assert response.status_code == 400
    assert (
        "fr is not a language this site offers; choose one from the list (“en”, “es”)."
        in response.content.decode()
    )
    assert persona(Role.RESIDENT).language == ""


@pytest.mark.parametrize(
    ("language", "next_address", "landing"),
    [
        ("es", "", "/es/account/"),
        ("es", "/neighbourhoods/", "/es/neighbourhoods/"),
        ("en", "/es/neighbourhoods/", "/neighbourhoods/"),
        ("", "/es/neighbourhoods/", "/es/neighbourhoods/"),
    ],
)
def test_after_log_in_the_site_switches_to_the_chosen_language(
    db: None, language: str, next_address: str, landing: str
) -> None:
    user = User(username="ana", role=Role.RESIDENT, language=language)
    user.set_password("a long enough password")
    user.save()
    client = Client()
    data = {"username": "ana", "password": "a long enough password"}
    if next_address:
        data["next"] = next_address
    response = client.post("/account/login/", data)
    assert response.status_code == 302
    assert response["Location"] == landing
    cookie = client.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    assert (cookie.value if cookie else "") == language


def test_deleting_a_neighbourhood_clears_it_from_accounts_in_the_audit_log(
    city: object, client_as: ClientAs
) -> None:
    client_as(Role.RESIDENT)
    user = persona(Role.RESIDENT)
    chosen = Neighbourhood.objects.first()
    assert chosen is not None
    user.neighbourhood = chosen
    user.save()
    chosen_pk = chosen.pk
    chosen.delete()  # its team and links go with it; the resident's account stays
    user.refresh_from_db()
    assert user.neighbourhood is None
    assert last_user_change(user).changes["neighbourhood_id"] == [chosen_pk, None]


def test_an_app_adds_a_section_for_the_users_it_concerns(
    monkeypatch: pytest.MonkeyPatch, city: object, client_as: ClientAs
) -> None:
    # As a workflow app would from its ready(); monkeypatch removes it again afterwards.
    section = AccountSection(
        "complaints",
        "Your complaints",
        "core/account/teams.html",
        lambda request, form: {"memberships": []} if request.user.role == Role.RESIDENT else None,
        order=40,
    )
    monkeypatch.setitem(ACCOUNT_SECTIONS._entries, section.name, section)
    resident = client_as(Role.RESIDENT).get("/account/").content.decode()
    assert '<h2 id="account-complaints">Your complaints</h2>' in resident
    assert resident.index("account-language") < resident.index("account-complaints")
    analyst = client_as(Role.ANALYST).get("/account/").content.decode()
    assert "account-complaints" not in analyst
