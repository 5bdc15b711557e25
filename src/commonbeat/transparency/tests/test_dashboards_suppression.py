"""Dashboards withhold small counts as the release's count tables do (issue 12: they showed
counts of 1 and 2), in the page, its JSON twin and its CSV twin; the release page shows each
table's measured disclosure risk."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards.figures import Column, Figure

AGENCY = "riverton-pd"
BOARDS = ("stops", "calls", "crime", "force", "complaints")


def counts_shown(figure: dict[str, Any]) -> list[tuple[str, int]]:
    keys = [c["key"] for c in figure["columns"] if c["kind"] == "count" and c["key"] != "residents"]
    return [(k, row[k]) for row in figure["rows"] for k in keys if row[k] is not None]


@pytest.mark.parametrize("board", BOARDS)
def test_no_dashboard_shows_a_count_from_1_to_9(published: Release, board: str) -> None:
    client = Client()
    places = [r[0] for r in published.rows("SELECT DISTINCT neighbourhood FROM stop")]
    withheld = 0
    for params in ({}, *({"neighbourhood": p} for p in places if p)):
        data = client.get(f"/dashboards/{AGENCY}/{board}.json", params).json()
        for figure in data["figures"]:
            small = [(k, v) for k, v in counts_shown(figure) if 0 < v < 10]
            assert small == [], (figure["id"], params, small)
            withheld += sum(len(row["suppressed"]) for row in figure["rows"])
            for row in figure["rows"]:
                assert all(row[key] is None for key in row["suppressed"])
        text = client.get(f"/dashboards/{AGENCY}/{board}.csv", params).content.decode()
        rows = list(csv.DictReader(io.StringIO(text)))
        assert "suppressed" in rows[0]
        assert all(row["value"] == "" for row in rows if row["suppressed"] == "true")
        if data["figures"] and withheld:
            page = client.get(f"/dashboards/{AGENCY}/{board}/", params).content.decode()
            assert "fewer than 10" in page
    if board in ("force", "complaints"):
        # A year of 150 force incidents and 100 complaints over four neighbourhoods: some
        # cells are small, and were withheld rather than shown.
        assert withheld > 0


def test_a_rate_that_would_give_back_a_small_count_is_withheld_too() -> None:
    figure = Figure(
        "f",
        "t",
        "d",
        [
            Column("race", "Race", "dimension"),
            Column("stops", "Stops"),
            Column("arrests", "Arrests"),
            Column("arrest_rate", "Arrest rate", "rate", "stops"),
            Column("search_rate", "Search rate", "rate", "stops"),
            Column("residents", "Residents"),
        ],
        [
            {"race": "a", "stops": 200, "arrests": 2, "arrest_rate": 0.01, "search_rate": 0.2},
            {"race": "b", "stops": 4, "arrests": 0, "arrest_rate": 0.0, "search_rate": 0.5},
            {
                "race": "c",
                "stops": 50,
                "arrests": 0,
                "arrest_rate": 0.0,
                "search_rate": 0.4,
                "residents": 3,
            },
        ],
        quality={},
    )
    figure.withhold(10)
    first, second, third = figure.as_data()["rows"]
    assert first["arrests"] is None and first["arrest_rate"] is None
    assert first["search_rate"] == 0.2  # 40 searches: not a small count
    assert set(first["suppressed"]) == {"arrests", "arrest_rate"}
    assert second["stops"] is None and second["search_rate"] is None
    assert second["arrests"] == 0  # none is not a small group of people
    assert third["suppressed"] == [] and third["residents"] == 3  # published by others
    cells = figure.html_rows()[0]["cells"]
    assert [c["text"] for c in cells if c["suppressed"]] == ["fewer than 10", "fewer than 10"]
    assert [r[-1] for r in figure.csv_rows()][:5] == ["", "true", "true", "", ""]


def test_the_release_page_shows_each_tables_disclosure_risk(published: Release) -> None:
    client = Client()
    page = client.get(f"/data/releases/{published.version}/")
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    assert 'id="disclosure"' in html and "Smallest group" in html
    stop = published.manifest["tables"]["stop"]["disclosure"]
    assert stop["passed"] is True
    data = client.get(f"/data/releases/{published.version}.json").json()
    assert data["tables"]["stop"]["disclosure"] == stop
    assert data["privacy"]["max_unique_share"] == 0.05
