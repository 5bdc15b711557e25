"""What one run of the test carries from step to step: its options, and what it has learnt so far
for the result's texts (decisions, coverage, assumptions, caveats, diagnostics)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from commonbeat.insights.context import Context
from commonbeat.insights.intervals import group_name
from commonbeat.insights.results import DecisionLog, Result, Text

MIN_PER_RACE = 100  # Stanford: at least 100 stops of each race per location and year
MAX_AREAS = 20  # Stanford: at most the 20 largest locations
ROUND_MINUTES = 5  # Stanford: plyr::round_any(minute, 5)
DST_DAYS = 30  # methods.md: 30 days either side of each clock change
FIELDS = (
    "occurred_time",
    "occurred_date",
    "latitude",
    "longitude",
    "subject_race",
    "stop_type",
    "area",
)


@dataclass(frozen=True)
class Options:
    """The test's own options; the groups, min_count and time zone are the run's `Context`."""

    max_areas: int
    min_per_race: int
    stop_types: tuple[str, ...] | None
    dst_days: int | None  # None: the full-year test; else the daylight-saving variant


@dataclass
class Run:
    """What a run has learnt so far, for the result's texts."""

    context: Context
    options: Options
    log: DecisionLog
    coverage: dict[str, float]
    assumptions: list[Text] = field(default_factory=list)
    caveats: list[Text] = field(default_factory=list)
    diagnostics: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> dict[str, str]:
        """The two groups' names, as the texts' parameters."""
        return names(self.context.group, self.context.reference)

    def not_applicable(self, reason: Text) -> Result:
        return self.context.not_applicable(
            reason,
            decisions=self.log.decisions,
            coverage=self.coverage,
            assumptions=self.assumptions,
            caveats=self.caveats,
            diagnostics=self.diagnostics,
        )


def names(group: str, reference: str) -> dict[str, str]:
    return {"group": group_name(group), "reference": group_name(reference)}


class Timer:
    """Adds up the seconds spent in each phase, when the caller asked for timings."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            if self.timings is not None:
                spent = time.perf_counter() - started
                self.timings[name] = self.timings.get(name, 0.0) + spent


def clock_time(minute: int) -> str:
    """A minute of the day as a clock time, 17:05."""
    return f"{minute // 60:02d}:{minute % 60:02d}"
