"""Chicago's Police Sentiment Scores, imported from ../shared/data and released, charted as
safety and trust by area over time beside our own surveys (HTML with a table, JSON, CSV)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from commonbeat.releases.cache import Release
from commonbeat.testing.personas import ANONYMOUS


def test_chicago_scores_are_charted_by_area_with_a_table_and_twins(
    sentiment_release: Release, client_as: Callable[..., Client]
) -> None:
    client = client_as(ANONYMOUS)
    listing = client.get("/engagement/surveys.json").json()
    (series,) = listing["published_series"]
    assert series["agency"] == "chicago-pd" and series["url"].endswith("/sentiment/chicago-pd/")
    data = client.get("/engagement/surveys/sentiment/chicago-pd.json").json()
    assert (data["first"], data["last"]) == ("2017-11-01", "2023-02-01")
    levels = [(p["level"], p["area"]) for p in data["places"]]
    assert levels[0] == ("city", "chicago")
    assert [a for lv, a in levels if lv == "area"] == [
        *(f"area_{i}" for i in range(1, 6)),
        "CENTRAL",
        "NORTH",
        "SOUTH",
    ]
    area_5 = next(p for p in data["places"] if p["area"] == "area_5")
    # The file's area_5 row for April 2021 (no district, no sector): SAFETY 58.68, TRUST 68.99.
    april = next(pt for pt in area_5["safety"] if pt["start"] == "2021-04-01")
    assert april == {"start": "2021-04-01", "end": "2021-04-30", "value": pytest.approx(58.68)}
    assert next(pt for pt in area_5["trust"] if pt["start"] == "2021-04-01")["value"] == 68.99
    assert all(0 <= pt["value"] <= 100 for p in data["places"] for pt in p["trust"])
    page = client.get("/engagement/surveys/sentiment/chicago-pd/")
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<polyline") == 2 * len(levels) and "<table" in body
    assert "Area 5:" in body and "Area Central:" in body and "area_5" not in body
    es = client.get("/es/engagement/surveys/sentiment/chicago-pd/").content.decode()
    assert 'lang="es"' in es
    csv = client.get("/engagement/surveys/sentiment/chicago-pd.csv").content.decode()
    header, *rows = csv.strip().splitlines()
    assert header == "level,area,measure,period_start,period_end,value"
    assert "area,area_5,safety,2021-04-01,2021-04-30,58.68" in rows
    assert client.get("/engagement/surveys/sentiment/riverton-pd/").status_code == 404
