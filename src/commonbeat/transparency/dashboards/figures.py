"""One figure of a dashboard: a table (always shown), a chart drawn from it, and its quality.

A figure is built once and rendered three ways: as an HTML table with the chart beside it,
as JSON (columns, rows, which rates rest on small counts, the quality block) and as rows of
the dashboard's tidy CSV. Because all three come from the same rows they cannot disagree.

Before any is rendered, `withhold()` suppresses small counts as the release's count tables do
(under the release's `min_count`, PUBLISH_MIN_COUNT): the count, and any rate that would give
it back, becomes empty, listed in the row's `suppressed`, and reads "fewer than 10" on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from commonbeat.transparency.dashboards import labels

# A rate whose denominator is below this is shown but marked unreliable: one person more or
# less would move it by more than five points.
SMALL_COUNT = 20
MISSING = ("not_recorded",)
# Counts published by others as they are (a neighbourhood's residents), never withheld.
PUBLIC_COUNTS = frozenset({"residents"})
WITHHELD = "_withheld"  # the row's key listing its withheld columns

# How values of each kind are rounded in JSON (rates are fractions 0..1).
KINDS = ("dimension", "count", "rate", "per_1000", "seconds", "days")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"
    denominator: str | None = None  # for rates: the column holding the count they divide by


@dataclass
class Figure:
    id: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    quality: dict[str, Any]
    chart: dict[str, Any] | None = None  # {"type": "bar"|"line", "values": [column keys]}
    notes: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # neighbourhood slug -> page URL
    names: dict[str, str] = field(default_factory=dict)  # neighbourhood slug -> its name
    map_measure: str | None = None  # for figures by neighbourhood: the column to map
    min_count: int = 0  # counts from 1 to below this are withheld (set by withhold())

    # Shared helpers ---------------------------------------------------------------------------

    @property
    def dimensions(self) -> list[Column]:
        return [c for c in self.columns if c.kind == "dimension"]

    @property
    def measures(self) -> list[Column]:
        return [c for c in self.columns if c.kind != "dimension"]

    def unreliable(self, row: dict[str, Any]) -> list[str]:
        """Return the keys of the row's rates whose denominator is a small count."""
        return [
            c.key
            for c in self.measures
            if c.denominator is not None
            and row.get(c.key) is not None
            and (row.get(c.denominator) or 0) < SMALL_COUNT
        ]

    def withhold(self, min_count: int) -> None:
        """Empty every count from 1 to min_count - 1, and every rate that would give one back.

        A rate is withheld when its denominator is, or when rate times denominator (its
        numerator) is a small count; a rate without a denominator column, when any count of
        its row is withheld. The withheld keys are listed in the row under WITHHELD.
        """
        self.min_count = min_count
        for row in self.rows:
            withheld = [
                c.key
                for c in self.measures
                if c.kind == "count"
                and c.key not in PUBLIC_COUNTS
                and row.get(c.key) is not None
                and 0 < int(row[c.key]) < min_count
            ]
            for c in self.measures:
                if c.kind in ("count", "seconds", "days") or row.get(c.key) is None:
                    continue
                if c.denominator is None:
                    small = bool(withheld)
                else:
                    scale = 1000 if c.kind == "per_1000" else 1
                    denominator = row.get(c.denominator) or 0
                    numerator = round(float(row[c.key]) * float(denominator) / scale)
                    small = c.denominator in withheld or 0 < numerator < min_count
                if small:
                    withheld.append(c.key)
            for key in withheld:
                row[key] = None
            row[WITHHELD] = withheld

    def suppressed(self, row: dict[str, Any]) -> list[str]:
        """Return the keys of the row's values withheld for resting on a small count."""
        return list(row.get(WITHHELD, ()))

    def label(self, key: str, value: Any) -> str:
        if key == "neighbourhood" and value in self.names:
            return self.names[value]
        return labels.value(key, value)

    def row_label(self, row: dict[str, Any]) -> str:
        return " · ".join(self.label(c.key, row.get(c.key)) for c in self.dimensions)

    # The three renderings ---------------------------------------------------------------------

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "columns": [
                {"key": c.key, "label": c.label, "kind": c.kind, "denominator": c.denominator}
                for c in self.columns
            ],
            "rows": [
                {
                    **{c.key: _json_value(c, row.get(c.key)) for c in self.columns},
                    "unreliable": self.unreliable(row),
                    "suppressed": self.suppressed(row),
                }
                for row in self.rows
            ],
            "notes": self.notes,
            "quality": self.quality,
        }

    def csv_rows(self) -> list[list[Any]]:
        """Tidy rows: figure, dimension(s), key(s), measure, value, unreliable, suppressed."""
        dimension = "|".join(c.key for c in self.dimensions)
        out = []
        for row in self.rows:
            key = "|".join(
                "" if row.get(c.key) is None else str(row[c.key]) for c in self.dimensions
            )
            weak = set(self.unreliable(row))
            withheld = set(self.suppressed(row))
            for c in self.measures:
                value = _json_value(c, row.get(c.key))
                out.append(
                    [
                        self.id,
                        dimension,
                        key,
                        c.key,
                        "" if value is None else value,
                        "true" if c.key in weak else "",
                        "true" if c.key in withheld else "",
                    ]
                )
        return out

    def html_rows(self) -> list[dict[str, Any]]:
        """Rows of cells for the template: text, whether numeric, unreliable, a link."""
        out = []
        for row in self.rows:
            weak = set(self.unreliable(row))
            withheld = set(self.suppressed(row))
            cells = []
            for index, c in enumerate(self.columns):
                value = row.get(c.key)
                if c.kind == "dimension":
                    text = self.label(c.key, value)
                elif c.key in withheld:
                    text = _("fewer than %(count)s") % {"count": self.min_count}
                else:
                    text = display(c.kind, value)
                cells.append(
                    {
                        "text": text,
                        # Source text the catalogue cannot translate keeps its own language.
                        "lang": labels.label(c.key, value).lang if c.kind == "dimension" else None,
                        "numeric": c.kind != "dimension",
                        "column": c.label,
                        "header": index == 0,
                        "unreliable": c.key in weak,
                        "suppressed": c.key in withheld,
                        "link": self.links.get(str(value)) if c.key == "neighbourhood" else None,
                    }
                )
            out.append({"cells": cells})
        return out


def withhold(figures: list[Figure], min_count: int) -> list[Figure]:
    """Withhold the small counts of every figure (Figure.withhold); return the figures."""
    for figure in figures:
        figure.withhold(min_count)
    return figures


def _json_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "dimension":
        return value
    if column.kind == "count":
        return int(value)
    if column.kind == "rate":
        return round(float(value), 4)
    return round(float(value), 1)


def display(kind: str, value: Any) -> str:
    """Format a value for a table cell in the reader's language."""
    if value is None:
        return "—"
    if kind == "count":
        return number_format(int(value), force_grouping=True)
    if kind == "rate":
        # Round first: number_format cuts digits off rather than rounding them.
        return f"{number_format(round(float(value) * 100, 1), 1)} %"
    if kind == "seconds":
        return duration(float(value))
    if kind == "days":
        return number_format(round(float(value)), 0, force_grouping=True)
    return number_format(round(float(value), 1), 1, force_grouping=True)


def duration(seconds: float) -> str:
    """Return a duration as people read it: 45 s, 4 min 10 s, 1 h 5 min."""
    seconds = round(seconds)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    if seconds < 3600:
        return _("%(m)d min %(s)d s") % {"m": seconds // 60, "s": seconds % 60}
    return _("%(h)d h %(m)d min") % {"h": seconds // 3600, "m": seconds % 3600 // 60}


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """Return numerator / denominator, or None when there is nothing to divide by."""
    if not denominator or numerator is None:
        return None
    return numerator / denominator


def per_1000(numerator: int | None, denominator: int | None) -> float | None:
    value = rate(numerator, denominator)
    return None if value is None else value * 1000
