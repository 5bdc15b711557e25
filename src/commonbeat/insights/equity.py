"""The equity report: every analysis of one stop dataset, run together, kept as one document.

`ANALYSES` is the registry, filled from InsightsConfig.ready(). Each entry names its function
by dotted path and is imported only when the report runs, so importing this module (as the public side does, to read reports from
releases) never loads statsmodels or JAX.

`equity_report()` selects the stops (`stops.select_stops`), then runs each analysis on the same
selection. It catches nothing: an analysis that raises has a bug, and a report that silently
left it out would look complete. An analysis the data cannot support returns a not-applicable
result saying why, and that is shown like any other result.

A `Report` is what `commonbeat report equity` prints and writes (`--json`) and what a release
carries as `equity/<agency>.json` (insights/release.py); the public side reads it back with
`Report.from_dict()`. Its sentences are `Text`s, translated only when shown.
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from commonbeat.core.registry import Registry
from commonbeat.insights.results import MIN_COUNT, Result
from commonbeat.insights.stops import Dataset, Selection, select_stops

# The shape of a report's JSON. Bump it when a reader of old reports would misread new ones.
REPORT_FORMAT = "1"


@dataclass(frozen=True)
class Analysis:
    """One registered analysis: a short name and the function computing it."""

    name: str
    function: str  # dotted path: "commonbeat.insights.benchmark.benchmark_test"

    def load(self) -> Callable[..., Result]:
        """Import the function (an ImportError here is a broken installation, not bad data)."""
        module, _, attribute = self.function.rpartition(".")
        found: Callable[..., Result] = getattr(importlib.import_module(module), attribute)
        return found


# Every analysis a report runs, in the order a reader meets them; InsightsConfig.ready()
# registers insights' own (insights/apps.py), and a later app may add its own.
ANALYSES: Registry[Analysis] = Registry("analyses", key=lambda analysis: analysis.name)


@dataclass
class Report:
    """Every analysis of one dataset, with what was selected and how."""

    dataset: dict[str, Any]  # Dataset.to_dict() plus the selection asked for
    results: list[Result]
    generated: str  # ISO 8601 instant
    version: str = REPORT_FORMAT
    group: str = "black"  # the group compared with the reference, where an analysis compares two
    reference: str = "white"
    min_count: int = MIN_COUNT
    extra: dict[str, Any] = field(default_factory=dict)  # room for readers of newer formats

    def result(self, analysis: str) -> Result | None:
        return next((r for r in self.results if r.analysis == analysis), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "generated": self.generated,
            "dataset": self.dataset,
            "group": self.group,
            "reference": self.reference,
            "min_count": self.min_count,
            "results": [r.to_dict() for r in self.results],
            **({"extra": self.extra} if self.extra else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        return cls(
            dataset=dict(data.get("dataset") or {}),
            results=[Result.from_dict(r) for r in data.get("results") or []],
            generated=str(data.get("generated") or ""),
            version=str(data.get("version") or REPORT_FORMAT),
            group=str(data.get("group") or "black"),
            reference=str(data.get("reference") or "white"),
            min_count=int(data.get("min_count") or MIN_COUNT),
            extra=dict(data.get("extra") or {}),
        )


Progress = Callable[[Analysis, Result, float], None]


def equity_report(
    store_or_con: Any,
    selection: Selection,
    *,
    min_count: int = MIN_COUNT,
    group: str = "black",
    reference: str = "white",
    analyses: Sequence[Analysis] | None = None,
    time_zone: str | None = None,
    generated: datetime | None = None,
    progress: Progress | None = None,
) -> Report:
    """Run every analysis (or those given) on the stops `selection` picks.

    `store_or_con` is a RecordStore (a connection is opened and closed here) or an open
    record-store connection (left open; the temporary view `equity_stops` is redefined on it).
    `time_zone` is the agency's IANA zone, for the analyses that read clock times (the veil of
    darkness); without it they look it up themselves. `progress`, when given, is called after
    each analysis with its result and seconds taken.
    """
    options: dict[str, Any] = {"min_count": min_count, "group": group, "reference": reference}
    if time_zone:
        options["time_zone"] = time_zone
    if isinstance(store_or_con, duckdb.DuckDBPyConnection):
        return _run(store_or_con, selection, options, analyses, generated, progress)
    con = store_or_con.connect()
    try:
        return _run(con, selection, options, analyses, generated, progress)
    finally:
        con.close()


def _run(
    con: duckdb.DuckDBPyConnection,
    selection: Selection,
    options: dict[str, Any],
    analyses: Sequence[Analysis] | None,
    generated: datetime | None,
    progress: Progress | None,
) -> Report:
    dataset = select_stops(con, selection)
    results = []
    for analysis in ANALYSES.values() if analyses is None else analyses:
        function = analysis.load()
        started = time.monotonic()
        result = function(con, dataset, **_accepted(function, options))
        if not isinstance(result, Result):
            raise TypeError(f"{analysis.function} returned {type(result).__name__}, not a Result.")
        results.append(result)
        if progress is not None:
            progress(analysis, result, time.monotonic() - started)
    return Report(
        dataset=describe(dataset),
        results=results,
        generated=(generated or datetime.now(UTC)).isoformat(timespec="seconds"),
        group=options["group"],
        reference=options["reference"],
        min_count=options["min_count"],
    )


def _accepted(function: Callable[..., Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """The options the function takes: min_count always; group, reference and time_zone where
    it has them."""
    parameters = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return dict(options)
    return {name: value for name, value in options.items() if name in parameters}


def describe(dataset: Dataset) -> dict[str, Any]:
    """The dataset as a report records it: what was asked for and what it held."""
    selection = dataset.selection
    return {
        **dataset.to_dict(),
        "selection": {
            "agency": selection.agency or None,
            "sources": list(selection.sources),
            "from": selection.start.isoformat() if selection.start else None,
            "to": selection.end.isoformat() if selection.end else None,
            "area_field": selection.area_field or None,
        },
    }
