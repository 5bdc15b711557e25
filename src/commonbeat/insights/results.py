"""What every analysis returns: figures with their coverage, uncertainty and the decisions that
filtered the data.

A result is computed once (by `commonbeat report equity`, or at publish time into a release) and
read many times, in English and in Spanish. So every sentence in it is a `Text`: an English
message id, marked with `gettext_noop` where it is written so that `make messages` collects it,
plus named parameters; it is translated only when shown (`Text.render()`).

Decisions follow the Stanford Open Policing Project's `add_decision`: each filter is logged with
what was done, why, and how many rows it removed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
from django.utils.formats import number_format
from django.utils.translation import gettext

from commonbeat.records.sql import quote_ident, quote_literals

# Cells (rates, shares) resting on fewer rows than this are suppressed by default: published
# figures use settings.PUBLISH_MIN_COUNT, which the report command passes in.
MIN_COUNT = 10
LEVEL = 0.95  # every interval is a 95% interval unless a result says otherwise
# Race codes that say nothing about the person's race (coverage counts them as missing).
UNKNOWN_RACES = ("unknown", "not_recorded")


@dataclass(frozen=True)
class Text:
    """A sentence to translate when shown: an English msgid and its %-style named parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        """The sentence in the active language.

        Every msgid is a python-format string (a literal percent sign is written "%%"), so it
        is always formatted. String parameters are translated too: group names are passed as
        English labels of the race vocabulary, and area codes, having no translation, pass
        through. Numbers are formatted for the language (2,5 in Spanish).
        """
        params = {key: _param(value) for key, value in self.params.items()}
        return gettext(self.msgid) % params

    def to_dict(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Text:
        return cls(data["msgid"], data.get("params") or {})


def _param(value: Any) -> Any:
    if isinstance(value, str):
        # gettext("") would return the catalogue's header.
        return gettext(value) if value else value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return number_format(value, force_grouping=True)


def text(msgid: str, **params: Any) -> Text:
    """Build a Text. Mark the literal with gettext_noop (imported as N_) where it is written."""
    return Text(msgid, params)


@dataclass(frozen=True)
class Decision:
    step: Text
    reason: Text
    rows_before: int
    rows_after: int

    @property
    def removed(self) -> int:
        return self.rows_before - self.rows_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step.to_dict(),
            "reason": self.reason.to_dict(),
            "rows_before": self.rows_before,
            "rows_after": self.rows_after,
            "removed": self.removed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            Text.from_dict(data["step"]),
            Text.from_dict(data["reason"]),
            int(data["rows_before"]),
            int(data["rows_after"]),
        )


@dataclass(frozen=True)
class Filter:
    """One row filter: a SQL condition over the rows, what it does and why."""

    condition: str
    step: Text
    reason: Text


class DecisionLog:
    """The filters an analysis applied, in order, with the rows each removed."""

    def __init__(self) -> None:
        self.decisions: list[Decision] = []

    def add(self, step: Text, reason: Text, rows_before: int, rows_after: int) -> None:
        """Log a decision whose counts the caller measured (e.g. a filter on aggregated cells)."""
        self.decisions.append(Decision(step, reason, int(rows_before), int(rows_after)))

    def apply(
        self, con: duckdb.DuckDBPyConnection, relation: str, filters: Sequence[Filter]
    ) -> str:
        """Log a chain of row filters over `relation` and return their combined SQL condition.

        All the counts come from one scan: `count(*) FILTER (WHERE c1 AND ... AND ck)` for each k,
        so logging costs one pass however many filters there are.
        """
        if not filters:
            return "TRUE"
        cumulative = []
        for k in range(1, len(filters) + 1):
            condition = " AND ".join(f"({f.condition})" for f in filters[:k])
            cumulative.append(f"count(*) FILTER (WHERE {condition})")
        # fetchall, not fetchone: DuckDB keeps a half-read result open, which blocks register().
        (row,) = con.execute(f"SELECT count(*), {', '.join(cumulative)} FROM {relation}").fetchall()  # noqa: S608  the callers' fixed relations and filter conditions
        before = int(row[0])
        for item, after in zip(filters, row[1:], strict=True):
            self.add(item.step, item.reason, before, int(after))
            before = int(after)
        return " AND ".join(f"({f.condition})" for f in filters)


def coverage(
    con: duckdb.DuckDBPyConnection, relation: str, fields: Iterable[str]
) -> dict[str, float]:
    """Return, for each field, the share of rows where it is missing (NULL, or race not known)."""
    names = list(fields)
    if not names:
        return {}
    parts = []
    for name in names:
        column = quote_ident(name)
        missing = f"{column} IS NULL"
        if name.endswith("_race"):
            missing = f"({missing} OR {column} IN ({quote_literals(UNKNOWN_RACES)}))"
        parts.append(f"avg(CASE WHEN {missing} THEN 1.0 ELSE 0.0 END)")
    (row,) = con.execute(f"SELECT count(*), {', '.join(parts)} FROM {relation}").fetchall()  # noqa: S608  the callers' fixed relations; quoted identifiers and literals
    if not row[0]:
        return dict.fromkeys(names, 1.0)
    return {name: round(float(value), 6) for name, value in zip(names, row[1:], strict=True)}


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    # text | count | share | rate | number: how to format, and whether to right-align
    kind: str = "number"

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label.to_dict(), "kind": self.kind}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Column:
        return cls(data["key"], Text.from_dict(data["label"]), data.get("kind", "number"))


@dataclass
class Table:
    key: str
    title: Text
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title.to_dict(),
            "columns": [c.to_dict() for c in self.columns],
            "rows": [{k: _plain(v) for k, v in row.items()} for row in self.rows],
            "note": self.note.to_dict() if self.note else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Table:
        return cls(
            data["key"],
            Text.from_dict(data["title"]),
            [Column.from_dict(c) for c in data["columns"]],
            list(data["rows"]),
            Text.from_dict(data["note"]) if data.get("note") else None,
        )


@dataclass
class Result:
    """One analysis of one dataset."""

    analysis: str  # benchmark | outcome | veil_of_darkness | threshold | force | sustained
    title: Text
    method: Text  # what was computed, in a paragraph a resident can read
    applicable: bool = True
    reason: Text | None = None  # why not, when the data cannot support the analysis
    summary: list[Text] = field(default_factory=list)  # plain-language findings
    estimates: dict[str, Any] = field(default_factory=dict)  # headline figures, machine-readable
    tables: list[Table] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    coverage: dict[str, float] = field(default_factory=dict)  # field -> share missing
    sample_size: int = 0  # rows analysed after every decision
    min_count: int = MIN_COUNT
    suppressed: int = 0  # table cells withheld for resting on fewer than min_count rows
    uncertainty: Text | None = None  # what the intervals are
    assumptions: list[Text] = field(default_factory=list)
    caveats: list[Text] = field(default_factory=list)
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysis": self.analysis,
            "title": self.title.to_dict(),
            "method": self.method.to_dict(),
            "applicable": self.applicable,
            "reason": self.reason.to_dict() if self.reason else None,
            "summary": [t.to_dict() for t in self.summary],
            "estimates": _plain(self.estimates),
            "tables": [t.to_dict() for t in self.tables],
            "decisions": [d.to_dict() for d in self.decisions],
            "coverage": self.coverage,
            "sample_size": self.sample_size,
            "min_count": self.min_count,
            "suppressed": self.suppressed,
            "uncertainty": self.uncertainty.to_dict() if self.uncertainty else None,
            "assumptions": [t.to_dict() for t in self.assumptions],
            "caveats": [t.to_dict() for t in self.caveats],
            "diagnostics": _plain(self.diagnostics),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        def texts(key: str) -> list[Text]:
            return [Text.from_dict(t) for t in data.get(key) or []]

        def maybe(key: str) -> Text | None:
            return Text.from_dict(data[key]) if data.get(key) else None

        return cls(
            analysis=data["analysis"],
            title=Text.from_dict(data["title"]),
            method=Text.from_dict(data["method"]),
            applicable=bool(data.get("applicable", True)),
            reason=maybe("reason"),
            summary=texts("summary"),
            estimates=dict(data.get("estimates") or {}),
            tables=[Table.from_dict(t) for t in data.get("tables") or []],
            decisions=[Decision.from_dict(d) for d in data.get("decisions") or []],
            coverage=dict(data.get("coverage") or {}),
            sample_size=int(data.get("sample_size") or 0),
            min_count=int(data.get("min_count") or MIN_COUNT),
            suppressed=int(data.get("suppressed") or 0),
            uncertainty=maybe("uncertainty"),
            assumptions=texts("assumptions"),
            caveats=texts("caveats"),
            diagnostics=dict(data.get("diagnostics") or {}),
        )


def not_applicable(
    analysis: str,
    title: Text,
    method: Text,
    reason: Text,
    *,
    min_count: int = MIN_COUNT,
    decisions: Sequence[Decision] = (),
    coverage: Mapping[str, float] | None = None,
    assumptions: Sequence[Text] = (),
    caveats: Sequence[Text] = (),
    diagnostics: Mapping[str, Any] | None = None,
) -> Result:
    """A result saying why this dataset cannot support the analysis (never a made-up figure).

    The one way an analysis says it cannot run (analyses reach it through
    `Context.not_applicable`). It keeps what the analysis learnt before it stopped (the
    decisions that left nothing to analyse, coverage, assumptions, caveats, diagnostics) but
    no summary, estimates or tables.
    """
    return Result(
        analysis,
        title,
        method,
        applicable=False,
        reason=reason,
        decisions=list(decisions),
        coverage=dict(coverage or {}),
        min_count=min_count,
        assumptions=list(assumptions),
        caveats=list(caveats),
        diagnostics=dict(diagnostics or {}),
    )


def suppress(
    rows: list[dict[str, Any]], count_key: str, figure_keys: Sequence[str], min_count: int
) -> int:
    """Blank the figures of rows whose `count_key` is under `min_count`; return cells blanked.

    A suppressed row keeps its labels and gains `suppressed: True`, so a reader sees the cell
    was withheld rather than missing. Counts under the minimum are withheld too.
    """
    blanked = 0
    for row in rows:
        count = row.get(count_key)
        if count is not None and count < min_count:
            for key in (count_key, *figure_keys):
                if row.get(key) is not None:
                    row[key] = None
                    blanked += 1
            row["suppressed"] = True
        else:
            row.setdefault("suppressed", False)
    return blanked


def _plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN and infinities to None."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
