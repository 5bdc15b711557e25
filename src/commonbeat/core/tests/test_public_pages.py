from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from commonbeat.core.models import Neighbourhood, Officer
from commonbeat.testing.personas import PERSONAS

# The private roster fields that no public page or twin may ever show.
PRIVATE_FIELDS = ("birth_year", "uid", "badge_number", "race", "gender", "employment_date")

# The `city` fixture's value: the root conftest's small demo city, a CityPlan (demo/city.py),
# used by its attributes only, since core's tests name no layer above core.
City = Any


def public_urls(plan: City) -> list[str]:
    agency = plan.agency["slug"]
    neighbourhood = plan.neighbourhoods[0].slug
    return [
        "/",
        "/es/",
        "/neighbourhoods/",
        f"/agencies/{agency}/",
        f"/agencies/{agency}/neighbourhoods/{neighbourhood}/",
        f"/es/agencies/{agency}/neighbourhoods/{neighbourhood}/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_open_for_everyone(
    city: City, client_as: Callable[[str], Client], persona: str
) -> None:
    client = client_as(persona)
    for url in public_urls(city):
        response = client.get(url)
        assert response.status_code == 200, url
        assert (
            b"Synthetic demo data" in response.content or b"sint\xc3\xa9ticos" in response.content
        )


def test_the_neighbourhood_page_shows_team_map_and_contact_points(
    city: City, client: Client
) -> None:
    planned = city.neighbourhoods[0]
    response = client.get(f"/agencies/{city.agency['slug']}/neighbourhoods/{planned.slug}/")
    html = response.content.decode()
    assert f"<h1>{planned.name}</h1>" in html
    assert 'class="map-fallback"' in html and '<path d="M' in html
    for member in planned.team:
        officer = Officer.objects.get(uid=member.officer_uid)
        assert f"{officer.first_name} {officer.last_name}" in html
    for location in planned.locations:
        assert location.name["en"] in html
    assert 'id="neighbourhood-map-data"' in html
    assert "/static/leaflet/leaflet.js" in html


def test_the_neighbourhood_json_twin_matches_the_page(city: City, client: Client) -> None:
    planned = city.neighbourhoods[0]
    base = f"/agencies/{city.agency['slug']}/neighbourhoods/{planned.slug}"
    data = client.get(f"{base}.json").json()
    assert data == client.get(f"{base}/?format=json").json()
    assert data["id"] == planned.slug
    assert data["name"] == planned.name
    assert data["population"] == planned.population
    assert data["synthetic"] is True
    assert data["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert len(data["team"]) == len(planned.team)
    assert {"name", "rank", "role", "bio", "contact_details"} == set(data["team"][0])
    assert data["team"][0]["bio"] == planned.team[0].bio["en"]
    spanish = client.get(f"/es{base}.json").json()
    assert spanish["team"][0]["bio"] == planned.team[0].bio["es"]
    assert spanish["team"][0]["role"] == planned.team[0].role["es"]
    assert spanish["description"] == planned.description["es"]


def test_no_public_twin_shows_officers_personal_data(city: City, client: Client) -> None:
    officers = Officer.objects.prefetch_related("assignments")
    badges = {a.badge_number for o in officers for a in o.assignments.all()}
    uids = {o.uid for o in officers}
    for url in public_urls(city):
        for twin in (
            (url.rstrip("/") + ".json",) if url not in ("/", "/es/") else (url + "index.json",)
        ):
            text = client.get(twin).content.decode()
            json.loads(text)
            for field in PRIVATE_FIELDS:
                assert f'"{field}"' not in text, (twin, field)
            assert not any(uid in text for uid in uids), twin
            assert not any(f'"{badge}"' in text for badge in badges), twin


def test_the_neighbourhood_list_has_json_and_csv_twins(city: City, client: Client) -> None:
    data = client.get("/neighbourhoods.json").json()
    assert sorted(n["id"] for n in data) == sorted(n.slug for n in city.neighbourhoods)
    response = client.get("/neighbourhoods.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(city.neighbourhoods)
    assert set(rows[0]) == {"agency", "id", "name", "population", "latitude", "longitude"}


def test_the_agency_twin_lists_engagement_methods(city: City, client: Client) -> None:
    data = client.get(f"/agencies/{city.agency['slug']}.json").json()
    assert data["name"] == city.agency["name"]
    assert [m["title"] for m in data["engagement_methods"]] == [
        m["title"]["en"] for m in city.engagement_methods
    ]
    spanish = client.get(f"/es/agencies/{city.agency['slug']}.json").json()
    assert spanish["description"] == city.agency["description"]["es"]
    assert [m["title"] for m in spanish["engagement_methods"]] == [
        m["title"]["es"] for m in city.engagement_methods
    ]


def test_an_untranslated_text_shows_the_other_language_marked_with_its_lang(
    city: City, client: Client
) -> None:
    planned = city.neighbourhoods[0]
    neighbourhood = Neighbourhood.objects.get(slug=planned.slug)
    neighbourhood.description_es = ""
    neighbourhood.save()
    url = f"/es/agencies/{city.agency['slug']}/neighbourhoods/{planned.slug}/"
    html = client.get(url).content.decode()
    assert f'<p class="lead" lang="en">{escape(planned.description["en"])}</p>' in html
    assert client.get(url.rstrip("/") + ".json").json()["description"] == planned.description["en"]
    neighbourhood.description_es = "Un barrio tranquilo."
    neighbourhood.save()
    html = client.get(url).content.decode()
    assert '<p class="lead" lang="es">Un barrio tranquilo.</p>' in html


def test_an_unknown_format_or_place_is_a_404(city: City, client: Client) -> None:
    agency = city.agency["slug"]
    assert client.get("/neighbourhoods/?format=xml").status_code == 404
    assert client.get(f"/agencies/{agency}.csv").status_code == 404
    assert client.get("/agencies/nowhere/").status_code == 404
    assert client.get(f"/agencies/{agency}/neighbourhoods/nowhere/").status_code == 404


def test_pages_carry_a_content_security_policy(city: City, client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_pages_are_labelled_and_navigable(city: City, client: Client) -> None:
    html = client.get(
        f"/agencies/{city.agency['slug']}/neighbourhoods/{city.neighbourhoods[0].slug}/"
    ).content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<nav aria-label="Main">' in html
    assert 'role="img" aria-labelledby="map-caption"' in html


def test_public_pages_never_open_the_private_record_store(
    city: City, client: Client, refuse_record_store: Callable[[], None]
) -> None:
    # The public side reads releases only; opening the record store from a public page is a bug.
    refuse_record_store()
    for url in public_urls(city):
        assert client.get(url).status_code == 200
        if url not in ("/", "/es/"):
            assert client.get(url.rstrip("/") + ".json").status_code == 200
