"""The "find my neighbourhood" page: by address, postcode or location, for every persona."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonbeat.core import services
from commonbeat.core.models import Agency
from commonbeat.core.tests.test_addresses import address_lines, write
from commonbeat.testing.personas import PERSONAS

City = Any
FIND = "/neighbourhoods/find/"


@pytest.fixture
def loaded(city: City, tmp_path: Path) -> City:
    agency = Agency.objects.get(slug=city.agency["slug"])
    services.load_addresses(write(tmp_path / "city.csv", *address_lines(city)), agency)
    return city


def page(city: City, index: int) -> str:
    return f"/agencies/{city.agency['slug']}/neighbourhoods/{city.neighbourhoods[index].slug}/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_find_their_neighbourhood_by_address(
    loaded: City, client_as: Callable[[str], Client], persona: str
) -> None:
    response = client_as(persona).get(FIND, {"q": "12 Elm Stret"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="clear-match"' in html
    assert f'href="{page(loaded, 0)}"' in html
    assert loaded.neighbourhoods[0].name in html


@pytest.mark.parametrize("url", ["/", "/neighbourhoods/", "/es/"])
def test_the_home_page_and_the_list_carry_the_search_form(
    loaded: City, client: Client, url: str
) -> None:
    html = client.get(url).content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert 'action="/neighbourhoods/find/"' in html or 'action="/es/neighbourhoods/find/"' in html
    # "Use my location" is hidden until locate.js shows it where geolocation exists.
    assert "data-locate" in html and "hidden data-locate" in html
    assert "core/locate.js" in html


def test_the_result_has_json_and_csv_twins(loaded: City, client: Client) -> None:
    data = client.get("/neighbourhoods/find.json", {"q": "12 elm street"}).json()
    assert data["query"] == "12 elm street"
    assert data["clear_match"] == 0
    top = data["matches"][0]
    assert top["address"].startswith("12 Elm Street") and top["exact"] is True
    assert top["neighbourhood"]["id"] == loaded.neighbourhoods[0].slug
    assert top["neighbourhood"]["url"] == page(loaded, 0)
    response = client.get("/neighbourhoods/find.csv", {"q": "12 elm street"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["address", "postcode"]
    assert rows[1][5] == loaded.neighbourhoods[0].slug


def test_no_match_says_so_kindly_with_an_example(loaded: City, client: Client) -> None:
    html = client.get(FIND, {"q": "Zzyzx Boulevard"}).content.decode()
    assert "We could not find that address" in html
    assert "12 Elm Street" in html  # the example comes from the loaded addresses


def test_a_postcode_lists_its_neighbourhood(loaded: City, client: Client) -> None:
    data = client.get("/neighbourhoods/find.json", {"q": "50312"}).json()
    assert {m["neighbourhood"]["id"] for m in data["matches"]} == {loaded.neighbourhoods[2].slug}


def test_a_location_inside_finds_the_neighbourhood_and_outside_says_so(
    loaded: City, client: Client
) -> None:
    lat, lng = loaded.neighbourhoods[1].centre
    response = client.get(FIND, {"lat": str(lat), "lng": str(lng)})
    assert response.status_code == 200
    assert f'href="{page(loaded, 1)}"' in response.content.decode()
    data = client.get("/neighbourhoods/find.json", {"lat": str(lat), "lng": str(lng)}).json()
    assert data["neighbourhood"]["id"] == loaded.neighbourhoods[1].slug
    outside = client.get(FIND, {"lat": "0.5", "lng": "0.5"}).content.decode()
    assert "outside every neighbourhood we cover" in outside
    assert (
        client.get("/neighbourhoods/find.json", {"lat": "0.5", "lng": "0.5"}).json()[
            "neighbourhood"
        ]
        is None
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "north", "lng": "-93.6"}, "e.g. lat=41.5868"),
        ({"lat": "41.5", "lng": "200"}, "e.g. lng=-93.625"),
        ({"lat": "41.5"}, "Give both a latitude and a longitude"),
    ],
)
def test_a_bad_location_is_refused_naming_what_is_wrong(
    loaded: City, client: Client, params: dict[str, str], message: str
) -> None:
    response = client.get(FIND, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert message in json.dumps(client.get("/neighbourhoods/find.json", params).json())


def test_the_spanish_page_answers_in_spanish_urls(loaded: City, client: Client) -> None:
    response = client.get("/es" + FIND, {"q": "12 Elm Street"})
    assert response.status_code == 200
    assert response.content.decode().count('lang="es"') >= 1
    assert f'href="/es{page(loaded, 0)}"' in response.content.decode()


def test_the_map_draws_named_streets_and_leaflet_gets_them_without_tiles(
    loaded: City, client: Client, settings: Any
) -> None:
    agency = Agency.objects.get(slug=loaded.agency["slug"])
    lat, lng = loaded.neighbourhoods[0].centre
    line = {"type": "LineString", "coordinates": [[lng - 0.05, lat], [lng + 0.05, lat]]}
    far = {"type": "LineString", "coordinates": [[10.0, 10.0], [10.1, 10.0]]}
    services.replace_streets(agency, [("Elm Street", line), ("Far Away Road", far)], "test")
    settings.MAP_TILE_URL = ""
    html = client.get(page(loaded, 0)).content.decode()
    assert '<text class="street-label"' in html and ">Elm Street</text>" in html
    assert "Far Away Road" not in html
    config = json.loads(
        html.split('id="neighbourhood-map-data" type="application/json">')[1].split("</script>")[0]
    )
    assert [street["name"] for street in config["streets"]] == ["Elm Street"]
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    html = client.get(page(loaded, 0)).content.decode()
    config = json.loads(
        html.split('id="neighbourhood-map-data" type="application/json">')[1].split("</script>")[0]
    )
    assert config["streets"] == []  # the tiles carry the streets
