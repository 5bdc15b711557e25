"""What an analysis of one dataset runs on, and the one way it says it cannot run.

`equity.py` calls every analysis as `function(con, dataset, **options)`, passing only the options
its signature names (min_count always; group, reference and time_zone where it has them), and
the tests call them the same way. Each analysis gathers its arguments into a `Context` with its
result's name, title and method, so that a figure and a reason for giving none carry the same
header and the same `min_count`: `context.result(...)` builds the one, and
`context.not_applicable(reason, ...)` (through `results.not_applicable`) the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from commonbeat.insights.results import MIN_COUNT, Decision, Result, Text, not_applicable
from commonbeat.insights.stops import Dataset


@dataclass(frozen=True)
class Context:
    """One analysis of one dataset: its result's header, and what it reads and is asked."""

    analysis: str  # the result's name: benchmark, outcome, veil_of_darkness, ...
    title: Text
    method: Text
    con: duckdb.DuckDBPyConnection  # a record-store connection holding the `equity_stops` view
    dataset: Dataset
    min_count: int = MIN_COUNT
    group: str = "black"  # the group compared with the reference, where an analysis compares two
    reference: str = "white"
    time_zone: str | None = None  # the agency's IANA zone, for analyses that read clock times

    def result(self, **fields: Any) -> Result:
        """The analysis's result: its header and min_count, and the given fields of `Result`."""
        return Result(self.analysis, self.title, self.method, min_count=self.min_count, **fields)

    def not_applicable(
        self,
        reason: Text,
        *,
        decisions: Sequence[Decision] = (),
        coverage: Mapping[str, float] | None = None,
        assumptions: Sequence[Text] = (),
        caveats: Sequence[Text] = (),
        diagnostics: Mapping[str, Any] | None = None,
    ) -> Result:
        """Why this dataset cannot support the analysis, with what was learnt before it stopped."""
        return not_applicable(
            self.analysis,
            self.title,
            self.method,
            reason,
            min_count=self.min_count,
            decisions=decisions,
            coverage=coverage,
            assumptions=assumptions,
            caveats=caveats,
            diagnostics=diagnostics,
        )
