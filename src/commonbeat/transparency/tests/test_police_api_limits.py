"""No single request can hold the server: areas, bodies and queries are bounded, and the API's
refusals are a status with an empty body, never an HTML page (issue 12, points 1 and 6)."""

from __future__ import annotations

import math
import threading
from collections import Counter

import duckdb
import pytest
from django.core.cache import cache
from django.http import HttpResponseBase
from django.test import Client, override_settings

from commonbeat.core.models import Neighbourhood
from commonbeat.releases import budget
from commonbeat.releases.cache import Release
from commonbeat.transparency.police import ratelimit
from commonbeat.transparency.police.params import MAX_POLYGON_VERTICES

OPEN = override_settings(API_RATE_PER_SECOND=0)
AREA_ENDPOINTS = ("/api/stops-street", "/api/crimes-street/all-crime", "/api/outcomes-at-location")
GET_ONLY = (
    "/api/forces",
    "/api/forces/riverton-pd",
    "/api/crime-categories",
    "/api/crimes-street-dates",
    "/api/stops-force?force=riverton-pd",
    "/api/openapi.json",
)


def _centre() -> tuple[float, float]:
    hood = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name")[0]
    return float(hood.centre_latitude), float(hood.centre_longitude)


def _ring(lat: float, lng: float, metres: float, vertices: int) -> str:
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        points.append(
            (
                round(lat + metres / 111_195 * math.sin(angle), 6),
                round(lng + metres / 111_195 / math.cos(math.radians(lat)) * math.cos(angle), 6),
            )
        )
    return ":".join(f"{a},{b}" for a, b in points)


def _refused(response: HttpResponseBase, status: int) -> None:
    assert response.status_code == status
    assert getattr(response, "content", None) == b""
    assert response["Content-Type"] == "application/json"


# Areas and bodies ----------------------------------------------------------------------------


@OPEN
@pytest.mark.parametrize("url", AREA_ENDPOINTS)
def test_a_50000_vertex_polygon_is_refused_with_an_empty_body(published: Release, url: str) -> None:
    poly = _ring(*_centre(), 1200, 50_000)
    client = Client(enforce_csrf_checks=True)
    # About a megabyte of form: refused by its length before anything reads it.
    _refused(client.post(url, {"poly": poly}), 413)
    # Let the body through and the vertex count refuses it, before any parsing.
    with override_settings(API_MAX_BODY_BYTES=4 * 1024 * 1024):
        _refused(client.post(url, {"poly": poly}), 400)


@OPEN
@pytest.mark.parametrize("url", AREA_ENDPOINTS)
def test_a_polygon_of_2000_vertices_is_answered_and_one_more_is_400(
    published: Release, url: str
) -> None:
    lat, lng = _centre()
    client = Client(enforce_csrf_checks=True)
    most = _ring(lat, lng, 1200, MAX_POLYGON_VERTICES)
    answered = client.post(url, {"poly": most})
    assert answered.status_code == 200 and isinstance(answered.json(), list)
    first = most.split(":")[0]
    closed = client.post(url, {"poly": f"{most}:{first}"})  # the first vertex repeated last
    assert closed.status_code == 200 and closed.json() == answered.json()
    _refused(client.post(url, {"poly": _ring(lat, lng, 1200, MAX_POLYGON_VERTICES + 1)}), 400)


@OPEN
@pytest.mark.parametrize(
    "poly",
    [
        "41.5,-93.7:41.6,-93.6:41.5,-93.6:41.6,-93.7",  # a bow tie: the ring crosses itself
        "41.5,-93.75:41.625,-93.625:41.75,-93.5",  # three points on a line: no area
    ],
)
def test_a_self_crossing_or_flat_polygon_is_refused_as_malformed(
    published: Release, poly: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    for url in AREA_ENDPOINTS:
        _refused(client.get(url, {"poly": poly}), 404)
        _refused(client.post(url, {"poly": poly}), 404)


@OPEN
def test_a_3_megabyte_post_is_413_with_no_html(published: Release) -> None:
    body = {"poly": "1" * (3 * 1024 * 1024)}
    client = Client(enforce_csrf_checks=True)
    for url in (*AREA_ENDPOINTS, "/api/forces", "/api/no/such/address"):
        _refused(client.post(url, body), 413)


@OPEN
def test_a_malformed_or_overfull_form_is_400_with_no_html(published: Release) -> None:
    client = Client(enforce_csrf_checks=True)
    broken = client.post(
        "/api/stops-street",
        data=b"--x\r\nnot a part",
        content_type="multipart/form-data",  # no boundary: Django cannot parse it
    )
    _refused(broken, 400)
    fields = "&".join(f"f{i}=1" for i in range(1500))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    overfull = client.post(
        "/api/stops-street", data=fields, content_type="application/x-www-form-urlencoded"
    )
    _refused(overfull, 400)


# Methods -------------------------------------------------------------------------------------


@OPEN
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_on_a_get_endpoint_are_405_with_allow_and_no_body(
    published: Release, method: str
) -> None:
    client = Client(enforce_csrf_checks=True)  # as a browser's CSRF checks would apply
    for url in GET_ONLY:
        response = getattr(client, method)(url)
        _refused(response, 405)
        assert response["Allow"] == "GET, HEAD", url


@OPEN
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_area_endpoints_take_get_and_post_only(published: Release, method: str) -> None:
    client = Client(enforce_csrf_checks=True)
    for url in AREA_ENDPOINTS:
        response = getattr(client, method)(url)
        _refused(response, 405)
        assert response["Allow"] == "GET, HEAD, POST", url


@OPEN
def test_an_unknown_api_address_is_404_with_no_body_whatever_the_method(
    published: Release,
) -> None:
    client = Client(enforce_csrf_checks=True)
    for method in ("get", "post", "put", "delete"):
        _refused(getattr(client, method)("/api/no/such/address"), 404)


def test_the_api_description_page_stays_html(published: Release) -> None:
    page = Client().get("/api/")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


# The time budget -----------------------------------------------------------------------------


@OPEN
def test_past_the_time_budget_the_api_answers_503_with_an_empty_body(published: Release) -> None:
    lat, lng = _centre()
    client = Client()
    with override_settings(PUBLIC_QUERY_SECONDS=0):
        for url in (
            f"/api/stops-street?lat={lat}&lng={lng}",
            "/api/stops-force?force=riverton-pd",
        ):
            response = client.get(url)
            _refused(response, 503)
            assert response["Retry-After"] == str(budget.RETRY_AFTER_SECONDS)
    assert client.get(f"/api/stops-street?lat={lat}&lng={lng}").status_code == 200


def test_past_the_time_budget_a_page_answers_the_busy_page_in_its_language(
    published: Release,
) -> None:
    client = Client()
    with override_settings(PUBLIC_QUERY_SECONDS=0):
        for url in ("/dashboards/riverton-pd/stops/", "/es/dashboards/riverton-pd/stops/"):
            response = client.get(url)
            assert response.status_code == 503
            assert response["Retry-After"] == str(budget.RETRY_AFTER_SECONDS)
            html = response.content.decode()
            assert 'id="busy"' in html
            assert f'lang="{url[1:3] if url.startswith("/es/") else "en"}"' in html
    assert client.get("/dashboards/riverton-pd/stops/").status_code == 200


def test_past_the_time_budget_a_pages_twins_answer_in_their_own_form(
    published: Release,
) -> None:
    # In Spanish: the English page may already be cached by the tests above, needing no query.
    client = Client()
    with override_settings(PUBLIC_QUERY_SECONDS=0):
        as_json = client.get("/es/dashboards/riverton-pd/stops.json")
        as_csv = client.get("/es/dashboards/riverton-pd/stops.csv")
        by_format = client.get("/es/dashboards/riverton-pd/stops/?format=json")
    for response in (as_json, as_csv, by_format):
        assert response.status_code == 503
        assert response["Retry-After"] == str(budget.RETRY_AFTER_SECONDS)
        assert b"<html" not in response.content
    assert as_json["Content-Type"] == by_format["Content-Type"] == "application/json"
    body = as_json.json()
    assert (body["error"], body["retry_after"]) == ("busy", budget.RETRY_AFTER_SECONDS)
    assert "Vuelva a intentarlo" in body["message"]  # in the page's language
    assert as_csv["Content-Type"].startswith("text/plain")
    assert "Vuelva a intentarlo" in as_csv.content.decode()


def test_a_query_running_past_the_budget_is_interrupted() -> None:
    connection = duckdb.connect()
    slow = "SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = 7"
    with budget.deadline(0.2), pytest.raises(budget.QueryTimeout):
        budget.run(connection, lambda c: c.execute(slow).fetchall())
    # The connection is still good for the next question.
    assert connection.execute("SELECT 42").fetchall() == [(42,)]


def test_a_release_query_past_the_budget_raises_and_the_release_still_answers(
    published: Release,
) -> None:
    slow = "SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = ?"
    with budget.deadline(0.2), pytest.raises(budget.QueryTimeout):
        published.rows(slow, (7,))
    assert published.value("SELECT count(*) FROM stop") > 0


def test_building_a_release_cache_is_left_out_of_the_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(budget, "clock", lambda: now[0])
    with budget.deadline(5):
        with budget.paused():  # as Release does around building its cache database
            now[0] += 60
        assert budget.remaining() == 5
        now[0] += 6
        remaining = budget.remaining()
        assert remaining is not None and remaining < 0
        with pytest.raises(budget.QueryTimeout):
            budget.run(duckdb.connect(), lambda c: c.execute("SELECT 1").fetchall())


def test_outside_a_request_queries_have_no_budget(published: Release) -> None:
    assert budget.remaining() is None
    assert published.value("SELECT 1") == 1


# The rate limit within one process -----------------------------------------------------------


@override_settings(API_RATE_PER_SECOND=15, API_RATE_BURST=30)
def test_threads_of_one_process_share_the_burst_exactly(
    published: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `commonbeat serve` runs one process of several threads (with the in-process cache, as
    # configured without CACHE_URL): all its threads must count one client's requests together.
    cache.clear()
    monkeypatch.setattr(ratelimit, "clock", lambda: 2_000_000.25)  # all within one window
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def fire() -> None:
        client = Client(REMOTE_ADDR="192.0.2.50")
        start.wait()
        for _ in range(10):
            status = client.get("/api/crimes-street-dates").status_code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=fire) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(statuses) == {200: 30, 429: 50}


def test_the_api_page_states_the_limits(published: Release) -> None:
    text = Client().get("/api/").content.decode()
    assert f"at most {MAX_POLYGON_VERTICES} vertices" in text
    assert "over 128 KiB is refused with status 413" in text
    assert "more than 5 seconds is stopped and answered with status 503" in text
    assert "status 405 and an Allow header" in text
