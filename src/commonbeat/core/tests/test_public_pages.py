from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.test import Client

from commonbeat.conftest import PERSONAS
from commonbeat.core.demo.city import AGENCY_SLUG, CityPlan
from commonbeat.core.models import Officer

# The private roster fields that no public page or twin may ever show.
PRIVATE_FIELDS = ("birth_year", "uid", "badge_number", "race", "gender", "employment_date")


def public_urls(plan: CityPlan) -> list[str]:
    neighbourhood = plan.neighbourhoods[0].slug
    return [
        "/",
        "/es/",
        "/neighbourhoods/",
        f"/agencies/{AGENCY_SLUG}/",
        f"/agencies/{AGENCY_SLUG}/neighbourhoods/{neighbourhood}/",
        f"/es/agencies/{AGENCY_SLUG}/neighbourhoods/{neighbourhood}/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_open_for_everyone(
    city: CityPlan, client_as: Callable[[str], Client], persona: str
) -> None:
    client = client_as(persona)
    for url in public_urls(city):
        response = client.get(url)
        assert response.status_code == 200, url
        assert (
            b"Synthetic demo data" in response.content or b"sint\xc3\xa9ticos" in response.content
        )


def test_the_neighbourhood_page_shows_team_map_and_contact_points(
    city: CityPlan, client: Client
) -> None:
    planned = city.neighbourhoods[0]
    response = client.get(f"/agencies/{AGENCY_SLUG}/neighbourhoods/{planned.slug}/")
    html = response.content.decode()
    assert f"<h1>{planned.name}</h1>" in html
    assert 'class="map-fallback"' in html and '<path d="M' in html
    for member in planned.team:
        officer = Officer.objects.get(uid=member.officer_uid)
        assert f"{officer.first_name} {officer.last_name}" in html
    for location in planned.locations:
        assert location.name in html
    assert 'id="neighbourhood-map-data"' in html
    assert "/static/leaflet/leaflet.js" in html


def test_the_neighbourhood_json_twin_matches_the_page(city: CityPlan, client: Client) -> None:
    planned = city.neighbourhoods[0]
    base = f"/agencies/{AGENCY_SLUG}/neighbourhoods/{planned.slug}"
    data = client.get(f"{base}.json").json()
    assert data == client.get(f"{base}/?format=json").json()
    assert data["id"] == planned.slug
    assert data["name"] == planned.name
    assert data["population"] == planned.population
    assert data["synthetic"] is True
    assert data["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert len(data["team"]) == len(planned.team)
    assert {"name", "rank", "role", "bio", "contact_details"} == set(data["team"][0])
    assert data["team"][0]["bio"] == planned.team[0].bio


def test_no_public_twin_shows_officers_personal_data(city: CityPlan, client: Client) -> None:
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


def test_the_neighbourhood_list_has_json_and_csv_twins(city: CityPlan, client: Client) -> None:
    data = client.get("/neighbourhoods.json").json()
    assert sorted(n["id"] for n in data) == sorted(n.slug for n in city.neighbourhoods)
    response = client.get("/neighbourhoods.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(city.neighbourhoods)
    assert set(rows[0]) == {"agency", "id", "name", "population", "latitude", "longitude"}


def test_the_agency_twin_lists_engagement_methods(city: CityPlan, client: Client) -> None:
    data = client.get(f"/agencies/{AGENCY_SLUG}.json").json()
    assert data["name"] == city.agency["name"]
    assert [m["title"] for m in data["engagement_methods"]] == [
        m["title"] for m in city.engagement_methods
    ]


def test_an_unknown_format_or_place_is_a_404(city: CityPlan, client: Client) -> None:
    assert client.get("/neighbourhoods/?format=xml").status_code == 404
    assert client.get(f"/agencies/{AGENCY_SLUG}.csv").status_code == 404
    assert client.get("/agencies/nowhere/").status_code == 404
    assert client.get(f"/agencies/{AGENCY_SLUG}/neighbourhoods/nowhere/").status_code == 404


def test_pages_carry_a_content_security_policy(city: CityPlan, client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_pages_are_labelled_and_navigable(city: CityPlan, client: Client) -> None:
    html = client.get(
        f"/agencies/{AGENCY_SLUG}/neighbourhoods/{city.neighbourhoods[0].slug}/"
    ).content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<nav aria-label="Main">' in html
    assert 'role="img" aria-labelledby="map-caption"' in html


def test_public_pages_never_open_the_private_record_store(
    city: CityPlan, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The public side reads releases only; opening the record store from a public page is a bug.
    from commonbeat.records.store import RecordStore

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a public page opened the private record store")

    monkeypatch.setattr(RecordStore, "connect", refuse)
    monkeypatch.setattr(RecordStore, "catalog", refuse)
    for url in public_urls(city):
        assert client.get(url).status_code == 200
        if url not in ("/", "/es/"):
            assert client.get(url.rstrip("/") + ".json").status_code == 200
