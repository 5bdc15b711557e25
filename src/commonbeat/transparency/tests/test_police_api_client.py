"""The real PyPI client for data.police.uk (police-api-client) drives a live server through every
method it has, and what it reads matches the database and the release it came from."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

import pytest
import shapely
from django.test import override_settings
from police_api import PoliceAPI  # type: ignore[import-untyped]
from police_api.crime import Crime, CrimeCategory, NoLocationCrime  # type: ignore[import-untyped]
from police_api.exceptions import APIError, InvalidCategoryException  # type: ignore[import-untyped]
from police_api.forces import Force  # type: ignore[import-untyped]
from police_api.neighbourhoods import Neighbourhood as ClientNeighbourhood  # type: ignore[import-untyped]

from commonbeat.core.api import listing, public_team
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.releases.cache import Release

MILE = 1609.344


@pytest.fixture
def api(live_server: Any, published: Release) -> Iterator[PoliceAPI]:
    # The client fires requests back to back; the rate limit has its own tests.
    with override_settings(API_RATE_PER_SECOND=0):
        # The client caches people and events on its classes, across instances.
        Force._resource_cache.clear()
        ClientNeighbourhood._resource_cache.clear()
        yield PoliceAPI(base_url=live_server.url + "/api/")


def _raw_points(release: Release, month: str) -> list[tuple[float, float]]:
    rows = release.rows(
        "SELECT latitude, longitude FROM crime WHERE occurred_month = ? AND latitude IS NOT NULL",
        (month,),
    )
    return [(float(lat), float(lng)) for lat, lng in rows]


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def test_the_client_reads_forces_and_their_people(api: PoliceAPI) -> None:
    agency = Agency.objects.get(slug="riverton-pd")
    forces = api.get_forces()
    assert [(f.id, f.name) for f in forces] == [("riverton-pd", agency.name)]

    force = api.get_force("riverton-pd")
    assert force.name == agency.name
    assert force.slug == "riverton-pd"
    assert force.url == agency.url
    assert force.telephone == agency.telephone
    assert force.description == agency.description
    assert [m["title"] for m in force.engagement_methods] == [
        m.title for m in agency.engagement_methods.all()
    ]
    expected = {
        m.public_name for n in Neighbourhood.objects.filter(agency=agency) for m in public_team(n)
    }
    officers = force.senior_officers
    assert {o.name for o in officers} == expected
    assert all(o.force is force and o.rank for o in officers)
    assert all(isinstance(o.contact_details, dict) for o in officers)
    assert {o.bio for o in officers} <= {m.bio for m in public_team_all(agency)}

    with pytest.raises(APIError):
        api.get_force("no-such-force").name  # noqa: B018 (the attribute fetches the force)


def public_team_all(agency: Agency) -> list[Any]:
    return [m for n in Neighbourhood.objects.filter(agency=agency) for m in public_team(n)]


def test_the_client_reads_neighbourhoods_their_boundaries_teams_events_and_priorities(
    api: PoliceAPI, engaged_city: Any
) -> None:
    force = api.get_force("riverton-pd")
    hoods = force.neighbourhoods
    stored = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name")
    assert [(n.id, n.name) for n in hoods] == [(n.slug, n.name) for n in stored]
    assert api.get_neighbourhoods("riverton-pd") == hoods

    first = stored[0]
    hood = force.get_neighbourhood(first.slug)
    assert hood.name == first.name
    assert hood.description == (first.description or None)
    assert hood.population == first.population
    assert hood.centre == {
        "latitude": str(first.centre_latitude),
        "longitude": str(first.centre_longitude),
    }
    assert hood.url_force.endswith(f"/agencies/riverton-pd/neighbourhoods/{first.slug}/")
    assert hood.contact_details == first.contact_details
    assert [link["url"] for link in hood.links] == [link.url for link in first.links.all()]
    assert [loc["name"] for loc in hood.locations] == [loc.name for loc in first.locations.all()]

    boundary = hood.boundary
    assert boundary[0] == boundary[-1]
    outline = shapely.geometry.shape(first.boundary)
    assert all(outline.buffer(1e-5).covers(shapely.Point(lng, lat)) for lat, lng in boundary)

    assert [o.name for o in hood.officers] == [m.public_name for m in public_team(first)]
    # Engagement's listings (core.api.NEIGHBOURHOOD_LISTINGS), as the API serves them.
    events = listing("events", first)
    assert events, "the engaged city plans a walk in every neighbourhood"
    assert [(e.title, e.type, e.start_date) for e in hood.events] == [
        (e["title"], e["type"], e["start"].replace(tzinfo=None)) for e in events
    ]
    assert all(e.neighbourhood is hood and e.address for e in hood.events)
    priorities = listing("priorities", first)
    assert priorities
    assert [(p.issue, p.action, p.issue_date.date(), p.action_date) for p in hood.priorities] == [
        (
            p["issue"],
            p["action"] or None,
            p["issue_date"],
            datetime.combine(p["action_date"], time()) if p["action_date"] else None,
        )
        for p in priorities
    ]
    same = api.get_neighbourhood("riverton-pd", first.slug)
    assert same == hood and same.name == first.name


def test_the_client_locates_a_neighbourhood_and_finds_none_outside(api: PoliceAPI) -> None:
    for stored in Neighbourhood.objects.filter(agency__slug="riverton-pd"):
        inside = shapely.geometry.shape(stored.boundary).representative_point()
        located = api.locate_neighbourhood(inside.y, inside.x)
        assert located is not None
        assert (located.force.id, located.id) == ("riverton-pd", stored.slug)
    assert api.locate_neighbourhood(0.5, 0.5) is None


def test_the_client_reads_dates_and_categories(api: PoliceAPI, published: Release) -> None:
    months = [
        row[0]
        for row in published.rows(
            "SELECT DISTINCT occurred_month FROM crime UNION SELECT DISTINCT occurred_month "
            "FROM stop ORDER BY 1 DESC"
        )
    ]
    assert api.get_dates() == months
    latest = api.get_latest_date()
    assert latest == months[0]

    categories = api.get_crime_categories(date=latest)
    raw = {
        row[0]
        for row in published.rows(
            "SELECT DISTINCT category FROM crime WHERE occurred_month = ?", (latest,)
        )
    }
    assert len(categories) == len(raw)
    assert {c.name.lower() for c in categories} == {r.lower() for r in raw}
    assert api.get_crime_categories() == categories  # no date: the latest month
    burglary = api.get_crime_category("burglary", date=latest)
    assert isinstance(burglary, CrimeCategory) and burglary.name == "Burglary"
    with pytest.raises(InvalidCategoryException):
        api.get_crime_category("all-crime", date=latest)  # the client keeps it out of the list


def test_the_client_reads_crimes_around_a_point_in_an_area_and_at_a_location(
    api: PoliceAPI, published: Release
) -> None:
    latest = api.get_latest_date()
    stored = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name")[0]
    centre = (float(stored.centre_latitude), float(stored.centre_longitude))
    points = _raw_points(published, latest)

    around = api.get_crimes_point(*centre, date=latest)
    assert len(around) == sum(1 for p in points if _metres(p, centre) <= MILE)
    assert around, "the synthetic city has crimes near each neighbourhood's centre"
    crime = around[0]
    assert isinstance(crime, Crime) and isinstance(crime.category, CrimeCategory)
    assert crime.month == latest
    assert len(crime.persistent_id) == 64 and isinstance(crime.id, int)
    assert crime.location.type == "Force" and crime.location.subtype == ""
    assert crime.location.name.startswith("On or near ")
    assert (
        _metres((float(crime.location.latitude), float(crime.location.longitude)), centre) <= MILE
    )

    burglaries = api.get_crimes_point(*centre, date=latest, category="burglary")
    assert {c.category.id for c in burglaries} <= {"burglary"}
    assert len(burglaries) == sum(1 for c in around if c.category.id == "burglary")

    hood = api.get_neighbourhood("riverton-pd", stored.slug)
    outline = shapely.geometry.Polygon([(lng, lat) for lat, lng in hood.boundary])
    inside = api.get_crimes_area(hood.boundary, date=latest)
    lats = [p[0] for p in points]
    lngs = [p[1] for p in points]
    assert len(inside) == int(shapely.intersects_xy(outline, lngs, lats).sum())
    assert len(hood.crimes) == len(inside)  # no date: the latest month

    location = crime.location.id
    here = api.get_crimes_location(location, date=latest)
    assert here and all(c.location == crime.location for c in here)
    assert crime.id in {c.id for c in here}


def test_the_client_reads_a_crime_with_its_outcomes(api: PoliceAPI) -> None:
    latest = api.get_latest_date()
    stored = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name")[0]
    around = api.get_crimes_point(
        float(stored.centre_latitude), float(stored.centre_longitude), date=latest
    )
    with_outcome = next(c for c in around if c.outcome_status is not None)
    again = api.get_crime(with_outcome.persistent_id)
    assert again.id == with_outcome.id and again.category == with_outcome.category
    assert [o.category.name for o in again.outcomes] == [with_outcome.outcome_status.category.name]
    assert with_outcome.outcomes[0].date == with_outcome.outcome_status.date
    with pytest.raises(APIError):
        api.get_crime("0" * 64)


def test_the_client_reads_crimes_without_a_location(api: PoliceAPI, published: Release) -> None:
    latest = api.get_latest_date()
    found = api.get_crimes_no_location("riverton-pd", date=latest)
    expected = published.value(
        "SELECT count(*) FROM crime WHERE occurred_month = ? AND agency = 'riverton-pd' "
        "AND latitude IS NULL",
        (latest,),
    )
    assert len(found) == expected
    assert all(isinstance(c, NoLocationCrime) for c in found)
    burglaries = api.get_crimes_no_location(api.get_force("riverton-pd"), category="burglary")
    assert len(burglaries) == published.value(
        "SELECT count(*) FROM crime WHERE occurred_month = ? AND agency = 'riverton-pd' "
        "AND latitude IS NULL AND category = 'burglary'",
        (latest,),
    )
    with pytest.raises(APIError):
        api.get_crimes_no_location("no-such-force", date=latest)
