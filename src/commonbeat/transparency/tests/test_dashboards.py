"""The dashboards render in every form, honour their filters, refuse bad ones, and are public."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from commonbeat.releases.cache import Release, forget_releases
from commonbeat.testing.personas import PERSONAS

BOARDS = ["calls", "crime", "stops", "force", "complaints"]
AGENCY = "riverton-pd"
RECORD_TYPES = {
    "call": "calls",
    "crime": "crime",
    "stop": "stops",
    "force_incident": "force",
    "complaint": "complaints",
}


def a_neighbourhood(release: Release) -> str:
    return str(
        release.value(
            "SELECT neighbourhood FROM stop WHERE neighbourhood IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
    )


def get_json(path: str, **params: str) -> dict[str, Any]:
    response = Client().get(path, params)
    assert response.status_code == 200, response.content[:500]
    data: dict[str, Any] = response.json()
    return data


def figure(data: dict[str, Any], name: str) -> dict[str, Any]:
    found = [f for f in data["figures"] if f["id"] == name]
    assert found, [f["id"] for f in data["figures"]]
    return found[0]


@pytest.mark.parametrize("board", BOARDS)
def test_every_dashboard_renders_city_wide_and_per_neighbourhood(
    published: Release, board: str
) -> None:
    client = Client()
    place = a_neighbourhood(published)
    for params in ({}, {"neighbourhood": place}):
        page = client.get(f"/dashboards/{AGENCY}/{board}/", params)
        assert page.status_code == 200
        html = page.content.decode()
        assert html.count("<h1") == 1
        assert 'id="figure-' in html and "<figcaption>" in html and "<caption" in html
        assert "<svg viewBox=" in html and 'class="chart ' in html  # server-drawn charts
        data = get_json(f"/dashboards/{AGENCY}/{board}.json", **params)
        assert data["release"] == published.version
        assert data["filters"]["neighbourhood"] == params.get("neighbourhood")
        assert data["figures"] and all("quality" in f for f in data["figures"])
        for item in data["figures"]:
            assert f'id="figure-{item["id"]}"' in html
            assert item["quality"]["release"] == published.version
        response = client.get(f"/dashboards/{AGENCY}/{board}.csv", params)
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert rows and {r["figure"] for r in rows} == {f["id"] for f in data["figures"]}
        assert {r["neighbourhood"] for r in rows} == {params.get("neighbourhood", "")}


def test_every_real_agency_has_its_dashboards_city_wide(real_release: Release) -> None:
    client = Client()
    index = get_json("/dashboards.json")
    listed = {(a["slug"], d["slug"]) for a in index["agencies"] for d in a["dashboards"]}
    expected = {
        (row["agency"], RECORD_TYPES[row["record_type"]])
        for row in real_release.coverage()
        if row["record_type"] in RECORD_TYPES
    }
    assert expected and listed == expected
    for agency, board in sorted(expected):
        for suffix in ("/", ".json", ".csv"):
            response = client.get(f"/dashboards/{agency}/{board}{suffix}")
            assert response.status_code == 200, (agency, board, suffix)


def test_a_month_range_counts_fewer_stops_and_the_total_matches_the_release(
    published: Release,
) -> None:
    place = a_neighbourhood(published)
    year = get_json(f"/dashboards/{AGENCY}/stops.json", neighbourhood=place)
    spring = get_json(
        f"/dashboards/{AGENCY}/stops.json",
        neighbourhood=place,
        **{"from": "2025-03", "to": "2025-05"},
    )
    assert spring["filters"] == {"neighbourhood": place, "from": "2025-03", "to": "2025-05"}
    # By month, not by race: a small group's count is withheld (fewer than 10).
    counted = sum(r["stops"] for r in figure(spring, "stops-by-month")["rows"])
    direct = published.value(
        "SELECT count(*) FROM stop WHERE agency = ? AND neighbourhood = ? "
        "AND occurred_month BETWEEN '2025-03' AND '2025-05'",
        [AGENCY, place],
    )
    assert counted == direct > 0
    assert counted < sum(r["stops"] for r in figure(year, "stops-by-month")["rows"])
    assert figure(spring, "stops-by-month")["quality"]["records"] == direct
    months = {r["month"] for r in figure(spring, "stops-by-month")["rows"]}
    assert months == {"2025-03", "2025-04", "2025-05"}


def test_the_csv_twin_holds_the_same_figures_as_the_json(published: Release) -> None:
    params = {"from": "2025-02", "to": "2025-04"}
    data = get_json(f"/dashboards/{AGENCY}/stops.json", **params)
    response = Client().get(f"/dashboards/{AGENCY}/stops.csv", params)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    from_csv = {
        r["key"]: int(r["value"])
        for r in rows
        if r["figure"] == "stops-by-race" and r["dimension"] == "race" and r["measure"] == "stops"
    }
    from_json = {r["race"]: r["stops"] for r in figure(data, "stops-by-race")["rows"]}
    assert from_csv == from_json
    assert {(r["from"], r["to"]) for r in rows} == {("2025-02", "2025-04")}


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("from", "2025-13"),
        ("to", "March"),
        ("neighbourhood", "no such place"),
        ("neighbourhood", "atlantis"),
    ],
)
def test_a_bad_filter_is_refused_with_400_naming_the_parameter(
    published: Release, parameter: str, value: str
) -> None:
    client = Client()
    response = client.get(f"/dashboards/{AGENCY}/stops.json", {parameter: value})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert parameter in response.json()["error"]
    response = client.get(f"/dashboards/{AGENCY}/stops.csv", {parameter: value})
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{parameter}:")
    page = client.get(f"/dashboards/{AGENCY}/stops/", {parameter: value})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'role="alert"' in html and parameter in html
    assert 'id="figure-' not in html


def test_a_range_running_backwards_is_refused(published: Release) -> None:
    response = Client().get(
        f"/dashboards/{AGENCY}/calls.json", {"from": "2025-06", "to": "2025-02"}
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "from"


def test_an_unknown_dashboard_or_agency_is_not_found(published: Release) -> None:
    client = Client()
    assert client.get(f"/dashboards/{AGENCY}/weather/").status_code == 404
    assert client.get("/dashboards/nowhere-pd/stops/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_dashboard_page_is_public_for_every_persona(
    published: Release, client_as: Any, persona: str
) -> None:
    client = client_as(persona)
    assert client.get("/dashboards/").status_code == 200
    for board in BOARDS:
        assert client.get(f"/dashboards/{AGENCY}/{board}/").status_code == 200


def test_the_index_lists_each_agency_with_its_dashboards_and_coverage(published: Release) -> None:
    data = get_json("/dashboards.json")
    assert data["release"] == published.version
    (agency,) = data["agencies"]
    assert agency["slug"] == AGENCY and agency["name"] == "Riverton Police Department"
    by_slug = {d["slug"]: d for d in agency["dashboards"]}
    assert set(by_slug) == set(BOARDS)
    assert by_slug["stops"]["records"] == published.value("SELECT count(*) FROM stop")
    html = Client().get("/dashboards/").content.decode()
    assert f'href="/dashboards/{AGENCY}/stops/"' in html


def test_spanish_pages_render_at_es(published: Release) -> None:
    client = Client()
    index = client.get("/es/dashboards/")
    assert index.status_code == 200 and 'lang="es"' in index.content.decode()
    page = client.get(f"/es/dashboards/{AGENCY}/stops/")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="es"' in html
    assert 'href="/es/dashboards/' in html


def test_without_a_release_the_pages_say_so_politely(db: None, tmp_path: Path) -> None:
    with override_settings(RELEASES_DIR=tmp_path / "releases", RELEASE_CACHE_DIR=tmp_path / "c"):
        forget_releases()
        try:
            client = Client()
            index = client.get("/dashboards/")
            assert index.status_code == 200 and 'id="no-release"' in index.content.decode()
            page = client.get(f"/dashboards/{AGENCY}/stops/")
            assert page.status_code == 200 and 'id="no-release"' in page.content.decode()
            assert client.get(f"/dashboards/{AGENCY}/stops.json").json()["release"] is None
        finally:
            forget_releases()


def test_the_neighbourhood_page_links_to_each_dashboard_filtered_to_it(published: Release) -> None:
    place = a_neighbourhood(published)
    html = Client().get(f"/agencies/{AGENCY}/neighbourhoods/{place}/").content.decode()
    for board in BOARDS:
        assert f'href="/dashboards/{AGENCY}/{board}/?neighbourhood={place}"' in html


def test_the_map_shades_neighbourhoods_and_never_draws_points(published: Release) -> None:
    html = Client().get(f"/dashboards/{AGENCY}/stops/").content.decode()
    assert 'class="choropleth"' in html
    section = html[html.index('id="figure-stops-by-neighbourhood"') :]
    # The figure draws a bar chart first; the map is the SVG in its dash-map box.
    section = section[section.index('class="dash-map"') :]
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert "<path" in svg and "<circle" not in svg
