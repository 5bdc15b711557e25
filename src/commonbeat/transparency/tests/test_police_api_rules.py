"""The API answers bad and awkward input as data.police.uk does, limits each client's rate, and
serves the UK forces' real stop and search as the real service does."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from commonbeat.core.models import Neighbourhood
from commonbeat.releases.cache import Release
from commonbeat.testing.personas import PERSONAS
from commonbeat.transparency.police import queries, ratelimit

OPEN = override_settings(API_RATE_PER_SECOND=0)


def _centre() -> tuple[str, str]:
    hood = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name")[0]
    return str(hood.centre_latitude), str(hood.centre_longitude)


def _latest(release: Release) -> str:
    return str(release.value("SELECT max(last_month) FROM coverage WHERE record_type = 'stop'"))


def _first(release: Release) -> str:
    return str(release.value("SELECT min(first_month) FROM coverage WHERE record_type = 'stop'"))


def _metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, l1, p2, l2 = map(math.radians, (lat1, lng1, lat2, lng2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


@OPEN
@pytest.mark.parametrize("date", ["2025-13", "25-01", "2025-1", "May 2025", "2025-05-01"])
def test_a_malformed_month_is_404_with_an_empty_body(published: Release, date: str) -> None:
    lat, lng = _centre()
    client = Client()
    for url in (
        f"/api/stops-street?lat={lat}&lng={lng}&date={date}",
        f"/api/crimes-street/all-crime?lat={lat}&lng={lng}&date={date}",
        f"/api/stops-force?force=riverton-pd&date={date}",
        f"/api/crime-categories?date={date}",
    ):
        response = client.get(url)
        assert (response.status_code, response.content) == (404, b""), url


@OPEN
def test_a_month_before_the_release_is_404_and_one_after_it_is_an_empty_list(
    published: Release,
) -> None:
    lat, lng = _centre()
    first = _first(published)
    year, month = int(first[:4]), int(first[5:])
    before = f"{year - 1:04d}-{month:02d}"
    client = Client()
    for path in (
        f"stops-street?lat={lat}&lng={lng}",
        f"crimes-street/all-crime?lat={lat}&lng={lng}",
    ):
        assert client.get(f"/api/{path}&date={before}").status_code == 404
        later = client.get(f"/api/{path}&date=2999-01")
        assert (later.status_code, later.json()) == (200, [])
        assert client.get(f"/api/{path}&date={first}").json() != []


@OPEN
def test_no_month_means_the_latest_the_release_holds(published: Release) -> None:
    lat, lng = _centre()
    client = Client()
    latest = _latest(published)
    without = client.get(f"/api/stops-street?lat={lat}&lng={lng}").json()
    assert without == client.get(f"/api/stops-street?lat={lat}&lng={lng}&date={latest}").json()
    assert without and {s["datetime"][:7] for s in without} <= {latest, _previous(latest)}


def _previous(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year:04d}-{number - 1:02d}" if number > 1 else f"{year - 1:04d}-12"


@OPEN
def test_the_mile_around_a_point_holds_exactly_the_records_within_a_mile(
    published: Release,
) -> None:
    lat, lng = _centre()
    latest = _latest(published)
    found = Client().get(f"/api/stops-street?lat={lat}&lng={lng}&date={latest}").json()
    rows = published.rows(
        "SELECT latitude, longitude FROM stop WHERE occurred_month = ? AND latitude IS NOT NULL",
        (latest,),
    )
    within = [r for r in rows if _metres(float(lat), float(lng), r[0], r[1]) <= queries.MILE_METRES]
    assert len(found) == len(within) > 0
    assert all(
        _metres(
            float(lat),
            float(lng),
            float(s["location"]["latitude"]),
            float(s["location"]["longitude"]),
        )
        <= queries.MILE_METRES
        for s in found
    )


@OPEN
@pytest.mark.parametrize(
    "query", ["lat=abc&lng=-93.6", "lat=41.5", "lng=-93.6", "lat=nan&lng=-93.6", "lat=91&lng=0", ""]
)
def test_a_malformed_or_missing_point_is_400(published: Release, query: str) -> None:
    client = Client()
    assert client.get(f"/api/stops-street?{query}").status_code == 400
    assert client.get(f"/api/crimes-street/all-crime?{query}").status_code == 400


@OPEN
@pytest.mark.parametrize(
    "poly",
    ["41.5,-93.6:41.6,-93.6", "41.5,-93.6:x,y:41.6,-93.5", "41.5;-93.6:1,2:3,4", "1,2,3:4,5:6,7"],
)
def test_a_malformed_polygon_is_404(published: Release, poly: str) -> None:
    client = Client()
    assert client.get("/api/stops-street", {"poly": poly}).status_code == 404
    assert client.post("/api/crimes-street/all-crime", {"poly": poly}).status_code == 404


def _circle(lat: float, lng: float, metres: float, vertices: int) -> list[tuple[float, float]]:
    out = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        out.append(
            (
                round(lat + metres / 111_195 * math.sin(angle), 6),
                round(lng + metres / 111_195 / math.cos(math.radians(lat)) * math.cos(angle), 6),
            )
        )
    return out


@OPEN
def test_a_get_over_4094_characters_is_400_and_the_same_area_posted_is_answered(
    published: Release,
) -> None:
    lat, lng = map(float, _centre())
    latest = _latest(published)
    ring = _circle(lat, lng, 1200, 250)
    poly = ":".join(f"{a},{b}" for a, b in ring)
    client = Client(enforce_csrf_checks=True)  # a form POST from a non-browser client
    assert client.get("/api/stops-street", {"poly": poly, "date": latest}).status_code == 400
    posted = client.post("/api/stops-street", {"poly": poly, "date": latest})
    assert posted.status_code == 200 and posted["Content-Type"] == "application/json"
    rows = published.rows(
        "SELECT latitude, longitude FROM stop WHERE occurred_month = ? AND latitude IS NOT NULL",
        (latest,),
    )
    shape = shapely.Polygon([(b, a) for a, b in ring])
    expected = int(shapely.intersects_xy(shape, [r[1] for r in rows], [r[0] for r in rows]).sum())
    assert len(posted.json()) == expected > 0


@OPEN
def test_an_area_with_more_records_than_the_limit_is_503_with_an_empty_body(
    published: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    lat, lng = _centre()
    url = f"/api/stops-street?lat={lat}&lng={lng}&date={_latest(published)}"
    count = len(Client().get(url).json())
    assert count > 1
    monkeypatch.setattr(queries, "MAX_RESULTS", count)
    assert Client().get(url).status_code == 200
    monkeypatch.setattr(queries, "MAX_RESULTS", count - 1)
    response = Client().get(url)
    assert (response.status_code, response.content) == (503, b"")


@OPEN
def test_an_unknown_force_neighbourhood_or_crime_is_404(published: Release) -> None:
    client = Client()
    for url in (
        "/api/forces/no-such-force",
        "/api/forces/no-such-force/people",
        "/api/no-such-force/neighbourhoods",
        "/api/riverton-pd/no-such-neighbourhood",
        "/api/riverton-pd/no-such-neighbourhood/events",
        "/api/stops-force?force=no-such-force",
        "/api/stops-no-location?force=no-such-force",
        "/api/crimes-no-location?force=no-such-force",
        "/api/crimes-street/no-such-category?lat=41.5&lng=-93.6",
        "/api/outcomes-for-crime/" + "0" * 64,
        "/api/outcomes-for-crime/not-an-id",
        "/api/no/such/address/at/all",
    ):
        response = client.get(url)
        assert (response.status_code, response.content) == (404, b""), url


@OPEN
def test_an_unknown_location_is_404_for_crimes_and_an_empty_list_for_stops(
    published: Release,
) -> None:
    client = Client()
    latest = _latest(published)
    for location in ("1", "abc"):
        crimes = client.get(f"/api/crimes-at-location?location_id={location}&date={latest}")
        assert crimes.status_code == 404
        stops = client.get(f"/api/stops-at-location?location_id={location}&date={latest}")
        assert (stops.status_code, stops.json()) == (200, [])
    lat, lng = _centre()
    one = client.get(f"/api/stops-street?lat={lat}&lng={lng}&date={latest}").json()[0]
    location = one["location"]["street"]["id"]
    here = client.get(f"/api/stops-at-location?location_id={location}&date={latest}").json()
    assert here and {s["location"]["street"]["id"] for s in here} == {location}


@OPEN
def test_events_and_priorities_keep_the_services_keys_and_are_empty_where_there_are_none(
    published: Release,
) -> None:
    client = Client()
    hood = Neighbourhood.objects.filter(agency__slug="riverton-pd").first()
    assert hood is not None
    for kind in ("events", "priorities"):
        response = client.get(f"/api/riverton-pd/{hood.slug}/{kind}")
        assert (response.status_code, response.json()) == (200, [])


@OPEN
def test_events_and_priorities_are_filled_in_the_services_shapes(
    published: Release, engaged_city: Any
) -> None:
    client = Client()
    for hood in Neighbourhood.objects.filter(agency__slug="riverton-pd"):
        events = client.get(f"/api/riverton-pd/{hood.slug}/events").json()
        assert events and all(
            set(e) == {"contact_details", "description", "title", "address", "type",
                       "start_date", "end_date"}
            and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", e["start_date"])
            for e in events
        )  # fmt: skip
        priorities = client.get(f"/api/riverton-pd/{hood.slug}/priorities").json()
        assert priorities and all(
            list(p) == ["action", "issue-date", "action-date", "issue"] for p in priorities
        )
        assert all(p["issue-date"].endswith("T00:00:00") for p in priorities)


@OPEN
@pytest.mark.parametrize("q", ["", "41.5", "abc,def", "41.5,-93.6,1"])
def test_locating_a_malformed_point_is_400(published: Release, q: str) -> None:
    assert Client().get("/api/locate-neighbourhood", {"q": q}).status_code == 400


# The rate limit ------------------------------------------------------------------------------


@override_settings(API_RATE_PER_SECOND=15, API_RATE_BURST=30)
def test_a_client_over_its_burst_gets_429_with_retry_after_and_others_are_served(
    published: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_000_000.5)  # all within one window
    statuses = [Client(REMOTE_ADDR="192.0.2.1").get("/api/forces").status_code for _ in range(30)]
    assert statuses == [200] * 30
    refused = Client(REMOTE_ADDR="192.0.2.1").get("/api/forces")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2"  # the window rolls over 1.5 s later
    assert Client(REMOTE_ADDR="192.0.2.2").get("/api/forces").status_code == 200


@override_settings(API_RATE_PER_SECOND=15, API_RATE_BURST=30)
def test_a_client_at_the_average_rate_is_never_refused_and_a_faster_one_is() -> None:
    cache.clear()
    request = RequestFactory().get("/api/forces", REMOTE_ADDR="192.0.2.3")
    start = 1_000_000.0
    steady = [ratelimit.check(request, now=start + i / 15) for i in range(15 * 6)]
    assert steady == [None] * len(steady)
    cache.clear()
    fast = [ratelimit.check(request, now=start + i / 30) for i in range(30 * 4)]
    assert fast[:30] == [None] * 30
    assert sum(wait is not None for wait in fast) > 30


@override_settings(API_RATE_PER_SECOND=0, API_RATE_BURST=30)
def test_a_rate_of_zero_turns_the_limit_off(published: Release) -> None:
    cache.clear()
    client = Client(REMOTE_ADDR="192.0.2.4")
    assert {client.get("/api/forces").status_code for _ in range(60)} == {200}


# Pages and permissions -----------------------------------------------------------------------


@pytest.mark.parametrize("role", PERSONAS)
def test_everyone_may_read_the_api_and_its_description(
    published: Release, client_as: Callable[..., Client], role: str
) -> None:
    client = client_as(role)
    page = client.get("/api/")
    assert page.status_code == 200
    assert b'href="/api/openapi.json"' in page.content
    described = client.get("/api/openapi.json")
    assert described.status_code == 200 and described.json()["openapi"].startswith("3.")
    assert "/stops-street" in described.json()["paths"]
    forces = client.get("/api/forces")
    assert forces.status_code == 200 and forces["Content-Type"] == "application/json"


# Real data from data.police.uk ---------------------------------------------------------------


@OPEN
def test_a_uk_forces_stops_are_served_as_data_police_uk_published_them(
    real_release: Release, shared_data: Path
) -> None:
    client = Client()
    forces = {f["id"]: f["name"] for f in client.get("/api/forces").json()}
    assert forces["metropolitan"] == "Metropolitan"
    assert forces["city-of-london"] == "City of London"
    assert client.get("/api/forces/metropolitan").json()["name"] == "Metropolitan"
    assert client.get("/api/metropolitan/neighbourhoods").json() == []

    served = client.get("/api/stops-force?force=metropolitan&date=2018-05").json()
    held = real_release.value(
        "SELECT count(*) FROM stop WHERE agency = 'metropolitan' AND occurred_month = '2018-05'"
    )
    assert len(served) == held
    source = shared_data / "uk_stop_search" / "2018-05-metropolitan-stop-and-search.csv"
    with source.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(served) == len(rows)
    for ours, theirs in (
        ("type", "Type"),
        ("legislation", "Legislation"),
        ("object_of_search", "Object of search"),
        ("outcome", "Outcome"),
        ("age_range", "Age range"),
        ("gender", "Gender"),
        ("officer_defined_ethnicity", "Officer-defined ethnicity"),
        ("self_defined_ethnicity", "Self-defined ethnicity"),
    ):
        assert Counter(s[ours] for s in served) == Counter(r[theirs] or None for r in rows), ours
    assert sum(s["location"] is None for s in served) == sum(not r["Latitude"] for r in rows)
    assert all(s["datetime"].endswith("+00:00") for s in served)
    assert {s["outcome_object"]["id"] for s in served} <= {
        "bu-no-further-action",
        "bu-arrest",
        "bu-community-resolution",
        "bu-caution",
        "bu-khat-or-cannabis-warning",
        "bu-penalty-notice",
        "bu-summons",
    }
    no_location = client.get("/api/stops-no-location?force=metropolitan&date=2018-05").json()
    assert len(no_location) == sum(not r["Latitude"] for r in rows)


@OPEN
def test_a_custom_area_holding_more_than_10000_stops_is_503(real_release: Release) -> None:
    # Greater London held 12,353 stops in May 2018: too many for one custom area.
    london = {"poly": "51.2,-0.6:51.8,-0.6:51.8,0.4:51.2,0.4", "date": "2018-05"}
    response = Client().post("/api/stops-street", london)
    assert (response.status_code, response.content) == (503, b"")
    smaller = Client().post(
        "/api/stops-street", {**london, "poly": "51.50,-0.15:51.52,-0.15:51.52,-0.10:51.50,-0.10"}
    )
    assert smaller.status_code == 200 and 0 < len(smaller.json()) <= queries.MAX_RESULTS
