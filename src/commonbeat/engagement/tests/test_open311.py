"""The Open311 GeoReport v2 server, driven live by the real `georeport` client (services,
definitions, requests, in JSON and XML) and by plain HTTP for what `georeport` does not do
(POST with an API key, tokens): the `open311` 1.1 package cannot be imported on Python 3
(its modules use Python 2's implicit relative imports), so it cannot drive the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import xmltodict  # type: ignore[import-untyped]
from django.test import override_settings
from georeport import GeoReport  # type: ignore[import-untyped]

from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.concerns import services
from commonbeat.engagement.concerns.models import Concern, Service
from commonbeat.testing.engagement import restore_default_services


@pytest.fixture
def served(live_server: Any, city: Any) -> Iterator[dict[str, Any]]:
    restore_default_services()
    place = Neighbourhood.objects.order_by("name").first()
    assert place is not None
    _, key = services.issue_key("Test app")
    with override_settings(CONCERN_RATE_PER_HOUR=0):
        yield {
            "root": f"{live_server.url}/open311/v2",
            "key": key,
            "place": place,
            "point": (float(place.centre_latitude), float(place.centre_longitude)),
        }


def _post(served: dict[str, Any], fmt: str = "json", **fields: Any) -> requests.Response:
    lat, lng = served["point"]
    data = {"api_key": served["key"], "service_code": "noise", "lat": lat, "long": lng,
            "attribute[when]": "night", "description": "Music every night.", **fields}  # fmt: skip
    return requests.post(f"{served['root']}/requests.{fmt}", data=data, timeout=30)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_our_services_definitions_and_requests(
    served: dict[str, Any], fmt: str
) -> None:
    client = GeoReport(served["root"], output_format=fmt)
    listed = client.get_service_list()
    codes = [s["service_code"] for s in listed]
    assert codes == list(Service.objects.filter(active=True).values_list("code", flat=True))
    noise = next(s for s in listed if s["service_code"] == "noise")
    assert noise["service_name"] == "Noise" and str(noise["metadata"]).lower() == "true"
    definition = client.get_service_definition("noise")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    when = attributes[0]
    assert when["code"] == "when" and when["datatype"] == "singlevaluelist"
    values = when["values"] if fmt == "json" else when["values"]["value"]
    assert [v["key"] for v in values] == ["day", "evening", "night"]

    made = _post(served).json()[0]["service_request_id"]
    _post(served, description="Again on Friday.")
    found = client.get_service_requests(service_code="noise", status="open")
    rows = found if isinstance(found, list) else [found]
    assert {r["service_request_id"] for r in rows} >= {made}
    one = client.get_service_request(made)
    assert one["service_request_id"] == made and one["status"] == "open"
    assert one["service_code"] == "noise" and one["agency_responsible"] == served["place"].name
    # Never the reporter, never the exact point.
    assert "email" not in one and "first_name" not in one
    assert (float(one["lat"]), float(one["long"])) != served["point"]


def test_posting_answers_a_number_or_a_token_that_leads_to_it_in_both_formats(
    served: dict[str, Any],
) -> None:
    realtime = _post(served, email="ana@example.org", first_name="Ana")
    assert realtime.status_code == 201
    (answer,) = realtime.json()
    concern = Concern.objects.get(pk=int(answer["service_request_id"]))
    assert concern.neighbourhood == served["place"] and concern.api_key is not None
    assert concern.attributes == {"when": "night"} and concern.hide_name

    lat, lng = served["point"]
    batch = requests.post(
        f"{served['root']}/requests.xml",
        data={
            "api_key": served["key"],
            "service_code": "lighting",
            "lat": lat,
            "long": lng,
            "attribute[lights_out]": "3",
        },
        timeout=30,
    )
    assert batch.status_code == 201 and batch.headers["Content-Type"].startswith("text/xml")
    token = xmltodict.parse(batch.content)["service_requests"]["request"]["token"]
    waiting = requests.get(f"{served['root']}/tokens/{token}.json", timeout=30).json()
    assert waiting == [{"service_request_id": None, "token": token}]
    assert services.accept_pending() == {"accepted": 1}
    ready = requests.get(f"{served['root']}/tokens/{token}.xml", timeout=30)
    number = xmltodict.parse(ready.content)["service_requests"]["request"]["service_request_id"]
    assert Concern.objects.get(pk=int(number)).attributes == {"lights_out": 3.0}


BAD_POSTS = [
    ({"api_key": ""}, 403, "api_key"),
    ({"api_key": "not-a-key"}, 403, "api_key"),
    ({"service_code": "no-such"}, 404, "no-such"),
    ({"lat": "north"}, 400, "lat"),
    ({"lat": "10.0", "long": "10.0"}, 400, "outside"),
    ({"attribute[when]": ""}, 400, "attribute[when]"),
    ({"attribute[when]": "noon"}, 400, "day, evening, night"),
    ({"attribute[colour]": "red"}, 400, "colour"),
    ({"description": "x" * 4001}, 400, "4,000"),
    ({"email": "not an address"}, 400, "email"),
]
BAD_READS = [
    ("requests.json?status=pending", 400),
    ("requests.json?start_date=yesterday", 400),
    ("requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", 400),
    ("requests.json?service_request_id=1,x", 400),
    ("requests.json?service_request_id=%C2%B2", 400),  # "²" is a digit to str.isdigit()
    ("requests/%C2%B2.json", 404),
    ("requests/999999.json", 404),
    ("requests/abc.xml", 404),
    ("tokens/not-a-token.json", 404),
    ("services/no-such.xml", 404),
    ("requests.json?status=&service_code=", 200),  # empty parameters count as absent
]


def test_bad_posts_get_the_specs_error_shapes(served: dict[str, Any]) -> None:
    # One server for every case (each case in its own test would load a city each).
    for fields, status, words in BAD_POSTS:
        for fmt in ("json", "xml"):
            response = _post(served, fmt, **fields)
            assert response.status_code == status, fields
            if fmt == "json":
                (error,) = response.json()
            else:
                error = xmltodict.parse(response.content)["errors"]["error"]
            assert int(error["code"]) == status and words in error["description"], fields
    assert not Concern.objects.exists()


def test_bad_reads_get_the_specs_error_shapes(served: dict[str, Any]) -> None:
    for address, status in BAD_READS:
        response = requests.get(f"{served['root']}/{address}", timeout=30)
        assert response.status_code == status, address
        if status != 200:
            json_answer = address.split("?")[0].endswith(".json")
            body = response.json() if json_answer else xmltodict.parse(response.content)
            error = body[0] if isinstance(body, list) else body["errors"]["error"]
            assert int(error["code"]) == status and error["description"], address


def test_discovery_advertises_both_formats_and_other_methods_are_refused(
    served: dict[str, Any],
) -> None:
    found = requests.get(f"{served['root']}/discovery.json", timeout=30).json()
    (endpoint,) = found["endpoints"]
    assert endpoint["url"] == served["root"] and endpoint["formats"] == [
        "text/xml",
        "application/json",
    ]
    xml = xmltodict.parse(requests.get(f"{served['root']}/discovery.xml", timeout=30).content)
    assert xml["discovery"]["endpoints"]["endpoint"]["specification"].endswith("GeoReport_v2")
    refused = requests.delete(f"{served['root']}/services.json", timeout=30)
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET"
    spanish = requests.get(
        f"{served['root']}/services.json", headers={"Accept-Language": "es"}, timeout=30
    )
    assert spanish.json()[0]["service_name"] == "Ruido"
