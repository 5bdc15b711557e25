"""Early-intervention indicators: counts in the window, peer medians, ratios and percentiles,
checked by hand on a small agency (early_data.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from commonbeat.oversight.early import indicators
from commonbeat.oversight.early.indicators import (
    COUNT_SOURCES,
    CountSource,
    OfficerIndicators,
    Window,
    median_without,
    mid_rank_percentile,
    officer_indicators,
    years_of_service,
)
from commonbeat.oversight.tests import early_data
from commonbeat.records.store import RecordStore


def test_the_window_ends_on_the_as_of_date_and_counts_both_ends() -> None:
    window = Window.ending(datetime.date(2025, 6, 30), 365)
    assert window.start == datetime.date(2024, 7, 1)
    assert window.end == datetime.date(2025, 6, 30)
    with pytest.raises(ValueError, match="at least one day"):
        Window.ending(datetime.date(2025, 6, 30), 0)


def test_the_peer_median_leaves_the_officer_out() -> None:
    assert median_without([0, 1, 2, 4], 4) == 1  # peers 0, 1, 2
    assert median_without([0, 1, 2, 4], 0) == 2  # peers 1, 2, 4
    assert median_without([0, 1, 2, 4], 1) == 2  # peers 0, 2, 4
    assert median_without([0, 0, 3, 5, 9], 9) == 1.5  # peers 0, 0, 3, 5
    assert median_without([7], 7) is None  # no peers


def test_the_percentile_counts_half_of_the_ties() -> None:
    cohort = [0, 1, 1, 4]
    assert mid_rank_percentile(cohort, 4) == 87.5  # (3 below + 1/2) / 4
    assert mid_rank_percentile(cohort, 1) == 50.0  # (1 below + 2/2) / 4
    assert mid_rank_percentile(cohort, 0) == 12.5  # (0 + 1/2) / 4
    assert mid_rank_percentile([2], 2) == 50.0
    assert mid_rank_percentile([0] * 10, 0) == 50.0  # nobody stands out


def test_years_of_service_are_completed_years() -> None:
    as_of = datetime.date(2025, 6, 30)
    assert years_of_service(datetime.date(2020, 3, 1), as_of) == 5
    assert years_of_service(datetime.date(2021, 7, 1), as_of) == 3
    assert years_of_service(datetime.date(2021, 6, 30), as_of) == 4
    assert years_of_service(None, as_of) is None
    assert years_of_service(datetime.date(2026, 1, 1), as_of) is None


@pytest.fixture
def agency(
    run_import: Callable[..., Any], record_store: RecordStore, tmp_path: Path
) -> list[OfficerIndicators]:
    early_data.build(run_import, tmp_path / "csv")
    return officer_indicators(as_of=early_data.AS_OF, store=record_store)


def by_id(items: list[OfficerIndicators]) -> dict[str, OfficerIndicators]:
    return {item.officer_id: item for item in items}


def test_force_counts_peers_and_cohorts_match_the_hand_worked_figures(
    agency: list[OfficerIndicators],
) -> None:
    officers = by_id(agency)
    assert sorted(officers) == ["A", "B", "C", "D", "E", "F"]
    a = officers["A"].figure("force_incidents")
    # A: I2 (first day), I3, I4, I5 (last day); I1 is the day before the window.
    assert a.count == 4
    # Peers on day shift in Patrol: B 1, C 0, D 2, so a median of 1 and a ratio of 4.
    assert (a.peer_median, a.peer_count, a.ratio) == (1.0, 3, 4.0)
    # Cohort of five years' service: A 4, B 1, C 0, E 1.
    assert (a.percentile, a.cohort_size, a.small_cohort) == (87.5, 4, True)
    assert a.small_peer_group  # 3 peers
    b = officers["B"].figure("force_incidents")
    assert (b.count, b.peer_median, b.ratio, b.percentile) == (1, 2.0, 0.5, 50.0)
    d = officers["D"].figure("force_incidents")
    assert (d.count, d.peer_median, d.ratio) == (2, 1.0, 2.0)
    assert (d.percentile, d.cohort_size) == (50.0, 1)  # alone with three years
    e = officers["E"].figure("force_incidents")
    assert (e.count, e.peer_median, e.peer_count, e.ratio) == (1, None, 0, None)
    f = officers["F"].figure("force_incidents")
    assert (f.count, f.percentile, f.cohort_size) == (0, None, 0)  # service not known
    assert officers["A"].years_of_service == 5
    assert (officers["A"].unit, officers["A"].shift) == ("Patrol", "day")


def test_injuries_count_the_injured_subjects_of_the_officers_incidents(
    agency: list[OfficerIndicators],
) -> None:
    officers = by_id(agency)
    # A: one injured in I2, I3 and I4 each, none in I5.
    assert officers["A"].figure("force_injuries").count == 3
    assert officers["B"].figure("force_injuries").count == 1
    assert officers["D"].figure("force_injuries").count == 1
    assert officers["E"].figure("force_injuries").count == 0


def test_complaints_come_from_the_record_store_and_the_workflow(
    agency: list[OfficerIndicators],
) -> None:
    officers = by_id(agency)
    a = officers["A"]
    # K1 (two allegations, one sustained) and K3; K2 is before the window; the commendation
    # naming A in the workflow does not count.
    assert a.figure("complaints").count == 2
    assert a.figure("allegations").count == 3
    assert a.figure("sustained").count == 1
    assert officers["B"].figure("complaints").count == 1
    assert officers["B"].figure("sustained").count == 0
    # C's only complaint is the workflow case, sustained.
    assert officers["C"].figure("complaints").count == 1
    assert officers["C"].figure("sustained").count == 1


def test_a_zero_peer_median_compares_with_one(agency: list[OfficerIndicators]) -> None:
    # Sustained: A 1 with peers B 0, C 1, D 0 (median 0): the ratio is 1 / max(0, 1).
    a = by_id(agency)["A"].figure("sustained")
    assert a.peer_median == 0.0
    assert a.ratio == 1.0


def test_another_area_adds_its_counts_through_the_registry(
    run_import: Callable[..., Any],
    record_store: RecordStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    early_data.build(run_import, tmp_path / "csv")

    def reports(window: Window, agency: str | None) -> list[indicators.CountRow]:
        assert window.end == early_data.AS_OF
        return [(early_data.AGENCY, "F", "force_incidents", 2)]

    monkeypatch.setitem(
        COUNT_SOURCES._entries, "test_reports", CountSource("test_reports", reports)
    )
    officers = by_id(officer_indicators(as_of=early_data.AS_OF, store=record_store))
    assert officers["F"].figure("force_incidents").count == 2
    assert officers["A"].figure("force_incidents").count == 4  # the record store's, unchanged


def test_an_agency_filter_keeps_only_its_officers(
    agency: list[OfficerIndicators], record_store: RecordStore
) -> None:
    assert officer_indicators(as_of=early_data.AS_OF, agency="elsewhere", store=record_store) == []
    assert (
        len(
            officer_indicators(as_of=early_data.AS_OF, agency=early_data.AGENCY, store=record_store)
        )
        == 6
    )


def test_officers_not_assigned_on_the_date_are_left_out(
    agency: list[OfficerIndicators], record_store: RecordStore
) -> None:
    assert officer_indicators(as_of=datetime.date(2018, 12, 31), store=record_store) == []
