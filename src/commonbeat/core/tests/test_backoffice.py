from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import Model
from django.test import Client

from commonbeat.core.models import Agency, AuditEntry, Neighbourhood, Officer, TeamMembership
from commonbeat.core.roles import STAFF_ROLES, Role
from commonbeat.testing.personas import ANONYMOUS

ROSTER_READERS = {Role.SUPERVISOR, Role.INVESTIGATOR, Role.ANALYST, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", [ANONYMOUS, *Role.values])
def test_the_back_office_admits_staff_only(client_as: Callable[[str], Client], role: str) -> None:
    response = client_as(role).get("/backoffice/")
    if role in STAFF_ROLES:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/backoffice/login/" in response["Location"]


@pytest.mark.parametrize("role", Role.values)
def test_the_roster_is_shown_only_to_those_whose_work_needs_it(
    city: object, client_as: Callable[[str], Client], role: str
) -> None:
    officer = Officer.objects.first()
    assert officer is not None
    client = client_as(role)
    for url in ("/backoffice/core/officer/", f"/backoffice/core/officer/{officer.pk}/change/"):
        response = client.get(url)
        if role in ROSTER_READERS:
            assert response.status_code == 200, url
            if url.endswith("/change/"):
                assert str(officer.birth_year) in response.content.decode()
        elif role in STAFF_ROLES:
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302, url


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_only_administrators_add_officers(client_as: Callable[[str], Client], role: str) -> None:
    response = client_as(role).get("/backoffice/core/officer/add/")
    assert response.status_code == (200 if role == Role.ADMINISTRATOR else 403)


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_the_audit_log_is_read_only_and_for_admins_and_investigators(
    city: object, client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    allowed = role in (Role.ADMINISTRATOR, Role.INVESTIGATOR)
    assert client.get("/backoffice/core/auditentry/").status_code == (200 if allowed else 403)
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry is not None
    response = client.post(f"/backoffice/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_change_in_the_back_office_is_audit_logged_with_its_author(
    city: object, client_as: Callable[[str], Client]
) -> None:
    agency = Agency.objects.get()
    client = client_as(Role.ADMINISTRATOR)
    form = client.get(f"/backoffice/core/agency/{agency.pk}/change/")
    assert form.status_code == 200
    data = {
        "slug": agency.slug,
        "name": "Riverton Police Service",
        "url": agency.url,
        "telephone": agency.telephone,
        "description_en": agency.description_en,
        "description_es": agency.description_es,
        "time_zone": agency.time_zone,
        "licence": agency.licence,
        "synthetic": "on",
        "engagement_methods-TOTAL_FORMS": "0",
        "engagement_methods-INITIAL_FORMS": "0",
    }
    # Keep the existing engagement methods untouched by submitting them as they are.
    methods = list(agency.engagement_methods.all())
    data["engagement_methods-TOTAL_FORMS"] = str(len(methods))
    data["engagement_methods-INITIAL_FORMS"] = str(len(methods))
    for i, method in enumerate(methods):
        data.update(
            {
                f"engagement_methods-{i}-id": str(method.pk),
                f"engagement_methods-{i}-agency": str(agency.pk),
                f"engagement_methods-{i}-type": method.type,
                f"engagement_methods-{i}-title_en": method.title_en,
                f"engagement_methods-{i}-title_es": method.title_es,
                f"engagement_methods-{i}-description_en": method.description_en,
                f"engagement_methods-{i}-description_es": method.description_es,
                f"engagement_methods-{i}-url": method.url,
                f"engagement_methods-{i}-order": str(method.order),
            }
        )
    response = client.post(f"/backoffice/core/agency/{agency.pk}/change/", data)
    errors = response.context["errors"] if response.status_code == 200 else None
    assert response.status_code == 302, errors
    entry = AuditEntry.objects.filter(model="core.agency", action="update").get()
    assert entry.actor.endswith(":administrator-persona")
    assert entry.changes == {"name": ["Riverton Police Department", "Riverton Police Service"]}


def test_a_supervisor_cannot_change_an_agency(
    city: object, client_as: Callable[[str], Client]
) -> None:
    agency = Agency.objects.get()
    response = client_as(Role.SUPERVISOR).post(
        f"/backoffice/core/agency/{agency.pk}/change/", {"name": "Taken over"}
    )
    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.name == "Riverton Police Department"


@pytest.mark.parametrize("role", Role.values)
def test_address_points_are_read_only_for_staff_and_hidden_from_others(
    client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    listing = client.get("/backoffice/core/addresspoint/")
    streets = client.get("/backoffice/core/street/")
    if role in STAFF_ROLES:
        assert listing.status_code == streets.status_code == 200
        assert client.get("/backoffice/core/addresspoint/add/").status_code == 403
    else:
        assert listing.status_code == streets.status_code == 302


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("agency", ["description_en", "description_es"]),
        ("neighbourhood", ["description_en", "description_es", "links-__prefix__-title_es"]),
        ("teammembership", ["role_en", "role_es", "bio_en", "bio_es"]),
    ],
)
def test_staff_edit_each_translated_field_in_english_and_spanish_side_by_side(
    city: object, client_as: Callable[[str], Client], path: str, fields: list[str]
) -> None:
    models: dict[str, type[Model]] = {
        "agency": Agency,
        "neighbourhood": Neighbourhood,
        "teammembership": TeamMembership,
    }
    obj = models[path]._default_manager.first()
    assert obj is not None
    page = client_as(Role.ADMINISTRATOR).get(f"/backoffice/core/{path}/{obj.pk}/change/")
    html = page.content.decode()
    for name in fields:
        assert f'name="{name}"' in html, name
    # The untranslated column is not offered: only the per-language ones are edited.
    assert 'name="description"' not in html and 'name="bio"' not in html
    english, spanish = html.index(f'name="{fields[0]}"'), html.index(f'name="{fields[1]}"')
    assert english < spanish


@pytest.mark.parametrize("role", Role.values)
def test_background_jobs_are_listed_read_only_to_analysts_and_administrators(
    client_as: Callable[[str], Client], role: str
) -> None:
    from commonbeat.core import jobs

    job = jobs.enqueue("records.clean_uploads")
    client = client_as(role)
    listing = client.get("/backoffice/core/job/")
    if role in {Role.ADMINISTRATOR, Role.ANALYST}:
        assert listing.status_code == 200 and "records.clean_uploads" in listing.content.decode()
        assert client.get("/backoffice/core/job/add/").status_code == 403
        page = client.post(f"/backoffice/core/job/{job.pk}/change/", {"status": "done"})
        assert page.status_code in (200, 403)
        job.refresh_from_db()
        assert job.status == jobs.Job.Status.QUEUED  # nobody changes a job by hand
        assert (
            client.post(f"/backoffice/core/job/{job.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
    elif role in STAFF_ROLES:
        assert listing.status_code == 403
    else:
        assert listing.status_code == 302
