"""The dashboards' figures agree with an independent count of the release's row-level tables.

The dashboards read pre-aggregated cubes; these tests recompute each figure straight from the
release tables (`stop`, `call`, `crime`, `complaint`, `allegation`) and compare.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.test import Client

from commonbeat.releases.cache import Release
from commonbeat.transparency.dashboards.cubes import BINS_PER_DECADE

AGENCY = "riverton-pd"


def get_figure(path: str, name: str, **params: str) -> dict[str, Any]:
    response = Client().get(path, params)
    assert response.status_code == 200, response.content[:500]
    found = [f for f in response.json()["figures"] if f["id"] == name]
    assert found
    figure: dict[str, Any] = found[0]
    return figure


def shown_count(count: int) -> int | None:
    """Return a count as the dashboards show it: withheld (None) from 1 to 9, as the count
    tables withhold it."""
    return None if 0 < count < 10 else count


def test_stops_by_race_match_a_count_of_the_release(published: Release) -> None:
    figure = get_figure(f"/dashboards/{AGENCY}/stops.json", "stops-by-race")
    shown = {r["race"]: (r["stops"], r["searches"], r["arrests"]) for r in figure["rows"]}
    direct = {
        race: (shown_count(stops), shown_count(searches), shown_count(arrests))
        for race, stops, searches, arrests in published.rows(
            "SELECT coalesce(subject_race, 'not_recorded'), count(*), "
            "count(*) FILTER (WHERE search_conducted), count(*) FILTER (WHERE outcome = 'arrest') "
            "FROM stop WHERE agency = ? GROUP BY 1",
            [AGENCY],
        )
    }
    assert shown == direct


def test_search_hit_rates_match_the_release(published: Release) -> None:
    place = str(published.value("SELECT min(neighbourhood) FROM stop"))
    figure = get_figure(f"/dashboards/{AGENCY}/stops.json", "hit-rate-by-race", neighbourhood=place)
    direct = {
        race: (searches, hits)
        for race, searches, hits in published.rows(
            "SELECT coalesce(subject_race, 'not_recorded'), count(*), "
            "count(*) FILTER (WHERE contraband_found) FROM stop "
            "WHERE agency = ? AND neighbourhood = ? AND search_conducted GROUP BY 1",
            [AGENCY, place],
        )
    }
    assert {r["race"] for r in figure["rows"] if r["searches"] != 0} == set(direct)
    for row in figure["rows"]:
        if row["searches"] == 0:
            continue
        searches, hits = direct[row["race"]]
        assert (row["searches"], row["hits"]) == (shown_count(searches), shown_count(hits))
        if "hit_rate" in row["suppressed"]:
            assert row["hit_rate"] is None
            assert shown_count(searches) is None or shown_count(hits) is None
            continue
        assert row["hit_rate"] == pytest.approx(hits / searches, abs=1e-4)
        assert ("hit_rate" in row["unreliable"]) == (searches < 20)


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def test_call_median_response_times_are_within_the_histogram_resolution(
    published: Release,
) -> None:
    figure = get_figure(f"/dashboards/{AGENCY}/calls.json", "response-times")
    step = 10 ** (1 / BINS_PER_DECADE)  # the width of one bin, as a ratio
    checked = 0
    for row in figure["rows"]:
        seconds = [
            value
            for (value,) in published.rows(
                "SELECT epoch(on_scene_at) - epoch(received_at) FROM call WHERE agency = ? "
                "AND discipline IS NOT DISTINCT FROM ? AND priority IS NOT DISTINCT FROM ? "
                "AND epoch(on_scene_at) - epoch(received_at) >= 0",
                [AGENCY, row["discipline"], row["priority"]],
            )
        ]
        assert row["calls"] == len(seconds)
        for key, q in (("total_median", 0.5), ("total_p90", 0.9)):
            exact = nearest_rank(seconds, q)
            assert exact / step <= row[key] <= exact * step, (row, key, exact)
        checked += 1
    assert checked >= 2


def test_crime_clearance_rates_match_the_release(published: Release) -> None:
    params = {"from": "2025-04", "to": "2025-09"}
    figure = get_figure(f"/dashboards/{AGENCY}/crime.json", "crimes-by-category", **params)
    direct = {
        category: (crimes, cleared, known)
        for category, crimes, cleared, known in published.rows(
            "SELECT category, count(*), count(*) FILTER (WHERE cleared), count(cleared) "
            "FROM crime WHERE agency = ? AND occurred_month BETWEEN ? AND ? GROUP BY 1",
            [AGENCY, params["from"], params["to"]],
        )
    }
    assert {r["category"] for r in figure["rows"]} == set(direct)
    for row in figure["rows"]:
        crimes, cleared, known = direct[row["category"]]
        assert (row["crimes"], row["cleared"], row["known"]) == (crimes, cleared, known)
        assert row["clearance_rate"] == pytest.approx(cleared / known, abs=1e-4)


def test_complaint_sustained_rates_match_the_release(published: Release) -> None:
    figure = get_figure(f"/dashboards/{AGENCY}/complaints.json", "allegations-by-category")
    direct = {
        category: (allegations, decided, sustained)
        for category, allegations, decided, sustained in published.rows(
            "SELECT a.category, count(*), count(*) FILTER (WHERE a.final_finding IN "
            "('sustained', 'not_sustained', 'unfounded', 'exonerated')), "
            "count(*) FILTER (WHERE a.final_finding = 'sustained') "
            "FROM allegation a JOIN complaint c ON c.record_id = a.parent_id "
            "AND c.agency = a.agency WHERE a.agency = ? GROUP BY 1",
            [AGENCY],
        )
    }
    assert {r["category"] for r in figure["rows"]} == set(direct)
    for row in figure["rows"]:
        allegations, decided, sustained = direct[row["category"]]
        assert (row["allegations"], row["decided"], row["sustained"]) == (
            shown_count(allegations),
            shown_count(decided),
            shown_count(sustained),
        )
        if "sustained_rate" in row["suppressed"]:
            assert row["sustained_rate"] is None
            assert shown_count(decided) is None or shown_count(sustained) is None
            continue
        expected = sustained / decided if decided else None
        assert row["sustained_rate"] == pytest.approx(expected, abs=1e-4)
        assert ("sustained_rate" in row["unreliable"]) == (decided < 20)


def test_stops_beside_residents_use_the_release_benchmark(published: Release) -> None:
    place = str(published.value("SELECT min(neighbourhood) FROM stop"))
    figure = get_figure(
        f"/dashboards/{AGENCY}/stops.json", "stops-and-residents", neighbourhood=place
    )
    residents = dict(
        published.rows(
            "SELECT replace(\"group\", 'race: ', ''), sum(value)::BIGINT FROM external_series "
            "WHERE measure = 'residents' AND area = ? GROUP BY 1",
            [place],
        )
    )
    stops = dict(
        published.rows(
            "SELECT subject_race, count(*) FROM stop WHERE agency = ? AND neighbourhood = ? "
            "GROUP BY 1",
            [AGENCY, place],
        )
    )
    assert {r["race"]: r["residents"] for r in figure["rows"]} == residents
    for row in figure["rows"]:
        assert row["stops"] == stops.get(row["race"], 0)
        assert row["stops_per_1000"] == pytest.approx(
            1000 * row["stops"] / residents[row["race"]], abs=0.05
        )
    assert any("weak benchmark" in note for note in figure["notes"])
