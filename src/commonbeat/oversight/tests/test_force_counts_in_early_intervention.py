"""Filed use-of-force reports count in early intervention's figures (oversight/sources.py)."""

from __future__ import annotations

from datetime import date

from commonbeat.oversight.early.indicators import (
    FORCE_INCIDENTS,
    FORCE_INJURIES,
    officer_indicators,
)
from commonbeat.oversight.tests.force_helpers import Department, dept, submitted

__all__ = ["dept"]  # the fixture, used by name


def _figures(dept: Department, name: str, as_of: date) -> dict[str, int]:
    uid = dept.officers[name].uid
    found = [
        i for i in officer_indicators(as_of=as_of, agency=dept.agency.slug) if i.officer_id == uid
    ]
    assert found, f"{name} is not among the serving officers"
    return {key: found[0].figures[key].count for key in (FORCE_INCIDENTS, FORCE_INJURIES)}


def test_a_submitted_report_counts_for_every_officer_it_names(dept: Department) -> None:
    before = _figures(dept, "author", date(2026, 3, 31))
    report = submitted(dept)
    after = _figures(dept, "author", date(2026, 3, 31))
    assert after[FORCE_INCIDENTS] == before[FORCE_INCIDENTS] + 1
    injured = report.subjects.filter(injured=True).exists()
    assert after[FORCE_INJURIES] == before[FORCE_INJURIES] + (1 if injured else 0)
    # Outside the window it does not count.
    assert _figures(dept, "author", date(2026, 3, 13))[FORCE_INCIDENTS] == before[FORCE_INCIDENTS]


def test_a_draft_report_does_not_count_yet(dept: Department) -> None:
    from commonbeat.oversight.tests.force_helpers import filed

    before = _figures(dept, "author", date(2026, 3, 31))
    filed(dept)
    assert _figures(dept, "author", date(2026, 3, 31)) == before
