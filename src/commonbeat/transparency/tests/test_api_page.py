"""The API page: example requests that work, at a point inside the served city, in both languages."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from shapely.geometry import Point

from commonbeat.core.geo import boundary_shape
from commonbeat.core.models import Neighbourhood
from commonbeat.releases.cache import Release
from commonbeat.transparency.police.examples import sample_place


def test_the_example_point_falls_inside_a_served_neighbourhood(published: Release) -> None:
    place = sample_place()
    assert place is not None
    found = Neighbourhood.objects.get(agency__slug=place.force, slug=place.neighbourhood)
    assert boundary_shape(found.boundary).covers(Point(place.longitude, place.latitude))


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_every_example_on_the_page_answers_with_data(
    published: Release, client_as: Callable[..., Client], role: str
) -> None:
    client = client_as(role)
    page = client.get("/api/")
    assert page.status_code == 200
    text = page.content.decode()
    links = [html.unescape(u) for u in re.findall(r'<li><a href="(http[^"]+)">', text)]
    curls = re.findall(r"<code>curl &#x27;(.+?)&#x27;</code>", text)
    assert len(links) >= 6 and len(curls) == len(links)
    place = sample_place()
    assert place is not None
    for link in links:
        address = urlparse(link)
        response = client.get(address.path, {k: v[0] for k, v in parse_qs(address.query).items()})
        assert response.status_code == 200, link
        assert response.json(), link  # something from this city, not an empty answer
    located = client.get("/api/locate-neighbourhood", {"q": f"{place.latitude},{place.longitude}"})
    assert located.json()["neighbourhood"] == place.neighbourhood


def test_the_api_page_has_a_spanish_version(published: Release) -> None:
    english = Client().get("/api/").content.decode()
    spanish = Client().get("/es/api/")
    assert spanish.status_code == 200
    body = spanish.content.decode()
    assert '<html lang="es">' in body
    assert 'hreflang="es"' in english and 'href="/es/api/"' in english
    assert 'href="/api/"' in body  # the Spanish page links back to the English one


def test_anything_else_under_api_is_the_apis_empty_404() -> None:
    response = Client().get("/api/no-such-thing")
    assert response.status_code == 404 and response.content == b""
