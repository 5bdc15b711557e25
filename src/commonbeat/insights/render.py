"""Showing results to people: sentences translated, numbers formatted, and a report as text.

The web pages (transparency/dashboards/equity.py) and `commonbeat report equity` both format
through here, so a figure reads the same in a terminal and on the page. Everything is rendered
in the active language: wrap calls in `translation.override("es")` for Spanish.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.insights.results import LEVEL, Column, Decision, Result, Table, Text
from commonbeat.records import labels

INTERVAL_SUFFIXES = ("_low", "_high")


def say(sentence: Text | None) -> str:
    """Render a Text in the active language (`Text.render()`), or "" for none."""
    return sentence.render() if sentence is not None else ""


def number(value: float | None) -> str:
    """A measured number with about three significant figures (2.20, 0.358, 12.3, 1,204)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    magnitude = abs(float(value))
    if magnitude >= 100 or magnitude == 0:
        decimals = 0 if magnitude >= 100 else 2
    else:
        decimals = min(6, max(0, 2 - math.floor(math.log10(magnitude))))
    return number_format(round(float(value), decimals), decimals, force_grouping=True)


def share(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{number_format(round(float(value) * 100, 1), 1)} %"


def display(kind: str, value: Any) -> str:
    """Format a table cell by its column's kind (results.Column: text, count, share, rate, number)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind == "count" and isinstance(value, int | float):
        return number_format(int(value), force_grouping=True)
    if kind == "share" and isinstance(value, int | float):
        return share(value)
    if kind in ("rate", "number") and isinstance(value, int | float):
        return number(value)
    return label(str(value))


# Coded values the analyses report that are not records' vocabularies (the threshold model).
VALUE_LABELS = {
    "beta_2017": gettext_lazy("Beta signals (Simoiu, Corbett-Davies and Goel, 2017)"),
    "normal_2020": gettext_lazy("Normal signals (Pierson, Corbett-Davies and Goel, 2020)"),
}


def label(code: str) -> str:
    """A code as a reader should see it: race codes by their names in the catalogue, the
    analyses' own coded values by theirs."""
    if code in labels.RACE:
        return labels.label("race", code).text
    known = VALUE_LABELS.get(code)
    return str(known) if known is not None else code


def interval(kind: str, value: Any, low: Any, high: Any) -> str:
    """“2.20 (1.98 to 2.44)”: an estimate with its interval, as one cell."""
    shown = display(kind, value)
    if value is None or low is None or high is None:
        return shown
    return _("%(value)s (%(low)s to %(high)s)") % {
        "value": shown,
        "low": display(kind, low),
        "high": display(kind, high),
    }


# Tables ------------------------------------------------------------------------------------


def grouped_columns(columns: list[Column]) -> list[tuple[Column, Column | None, Column | None]]:
    """Each column with its interval bounds (`key_low`, `key_high`), which then show inside it."""
    keys = {c.key: c for c in columns}
    bounds = {
        f"{c.key}{suffix}"
        for c in columns
        for suffix in INTERVAL_SUFFIXES
        if f"{c.key}_low" in keys and f"{c.key}_high" in keys
    }
    return [
        (c, keys.get(f"{c.key}_low"), keys.get(f"{c.key}_high"))
        for c in columns
        if c.key not in bounds
    ]


def cells(table: Table) -> list[list[dict[str, Any]]]:
    """Rows of display cells: text, whether numeric, whether the cell was withheld."""
    groups = grouped_columns(table.columns)
    out = []
    for row in table.rows:
        withheld = bool(row.get("suppressed"))
        shown = []
        for column, low, high in groups:
            value = row.get(column.key)
            if low is not None and high is not None:
                text = interval(column.kind, value, row.get(low.key), row.get(high.key))
            else:
                text = display(column.kind, value)
            shown.append(
                {
                    "text": text,
                    "numeric": column.kind != "text",
                    "suppressed": withheld and value is None and column.kind != "text",
                }
            )
        out.append(shown)
    return out


def headers(table: Table) -> list[dict[str, Any]]:
    """Column headings; a column carrying its interval says so."""
    out = []
    for column, low, high in grouped_columns(table.columns):
        heading = say(column.label)
        if low is not None and high is not None:
            heading = _("%(label)s (%(level)s%% interval)") % {
                "label": heading,
                "level": number_format(round(LEVEL * 100)),
            }
        out.append({"text": heading, "numeric": column.kind != "text"})
    return out


# Headline figures -------------------------------------------------------------------------


def estimate_lines(estimates: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Flatten a result's `estimates` into (name, shown value) pairs, intervals beside values."""
    lines: list[tuple[str, str]] = []
    keys = set(estimates)
    for key, value in estimates.items():
        name = f"{prefix}{key}"
        if key.endswith(INTERVAL_SUFFIXES) and key.rsplit("_", 1)[0] in keys:
            continue
        if isinstance(value, Mapping):
            lines.extend(estimate_lines(value, f"{name}."))
        elif (
            isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value)
        ):
            # A list of records (counts per area and year): one numbered line per field, so
            # no page prints a dictionary.
            for index, item in enumerate(value, start=1):
                lines.extend(estimate_lines(item, f"{name}.{index}."))
        elif isinstance(value, list | tuple):
            if len(value) == 2 and all(isinstance(v, int | float) for v in value):
                lines.append(
                    (
                        name,
                        _("%(low)s to %(high)s")
                        % dict(zip(("low", "high"), map(number, value), strict=True)),
                    )
                )
            else:
                lines.append((name, ", ".join(_plain(v) for v in value)))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            low, high = estimates.get(f"{key}_low"), estimates.get(f"{key}_high")
            kind = "count" if isinstance(value, int) else "number"
            lines.append((name, interval(kind, value, low, high)))
        else:
            lines.append((name, _plain(value)))
    return lines


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        return number(value)
    return label(str(value))


def headline(result: Result, group: str = "") -> str:
    """One sentence for a result: its finding about `group` (a race code), else its first
    finding, or why it does not apply.

    The analyses name the race a sentence is about in its `race` parameter.
    """
    if not result.applicable:
        return say(result.reason)
    about = [t for t in result.summary if group and t.params.get("race") == group]
    if about or result.summary:
        return say((about or result.summary)[0])
    return _("No finding was stated.")


# The terminal -----------------------------------------------------------------------------


def report_text(report: Any, tables: bool = False) -> str:
    """A report as plain text for the terminal (`commonbeat report equity`)."""
    dataset = report.dataset
    lines = [
        _("Equity report: %(agency)s")
        % {"agency": ", ".join(dataset.get("agencies") or []) or "—"},
        _("%(rows)s stops from %(first)s to %(last)s; sources: %(sources)s.")
        % {
            "rows": number_format(int(dataset.get("rows") or 0), force_grouping=True),
            "first": dataset.get("first_date") or "—",
            "last": dataset.get("last_date") or "—",
            "sources": ", ".join(dataset.get("sources") or []) or "—",
        },
        _(
            "Where an analysis compares two groups: %(group)s with %(reference)s; the others compare every group with white people. Cells resting on fewer than %(count)s rows are withheld."
        )
        % {
            "group": label(report.group),
            "reference": label(report.reference),
            "count": report.min_count,
        },
        _area_line(dataset),
        _("Generated %(when)s.") % {"when": report.generated},
    ]
    for number_, result in enumerate(report.results, start=1):
        lines += ["", *_result_lines(number_, result, tables)]
    return "\n".join(lines) + "\n"


def _area_line(dataset: Mapping[str, Any]) -> str:
    """Say which stop field gave the areas, and whether it was asked for or chosen."""
    field = dataset.get("area_field") or ""
    if not field:
        return _("Areas: none (the stops record neither a neighbourhood nor an area code).")
    asked = (dataset.get("selection") or {}).get("area_field")
    values = {
        "field": field,
        "meaning": {
            "neighbourhood": _("the Commonbeat neighbourhood containing the stop"),
            "area": _("the agency's own area code as recorded (precinct, district, beat)"),
        }.get(field, field),
    }
    if asked:
        return _("Areas: the %(field)s field (%(meaning)s), as asked with --area-field.") % values
    return (
        _(
            "Areas: the %(field)s field (%(meaning)s), chosen because the stops record it; "
            "choose another with --area-field."
        )
        % values
    )


def _result_lines(index: int, result: Result, tables: bool) -> list[str]:
    title = f"{index}. {say(result.title)}"
    lines = [title, "=" * len(title)]
    if not result.applicable:
        lines.append(_("Not applicable: %(reason)s") % {"reason": say(result.reason)})
        lines.append(_("Method: %(method)s") % {"method": say(result.method)})
        lines += _decision_lines(result.decisions)
        lines += _coverage_lines(result.coverage)
        return lines
    lines.append(_("Method: %(method)s") % {"method": say(result.method)})
    if result.summary:
        lines.append(_("Findings:"))
        lines += [f"  - {say(t)}" for t in result.summary]
    if result.estimates:
        lines.append(_("Headline estimates:"))
        lines += [f"  {name}: {shown}" for name, shown in estimate_lines(result.estimates)]
    if result.uncertainty:
        lines.append(_("Intervals: %(what)s") % {"what": say(result.uncertainty)})
    lines.append(
        _(
            "Sample size: %(rows)s rows analysed; %(cells)s cells withheld (fewer than %(count)s rows)."
        )
        % {
            "rows": number_format(result.sample_size, force_grouping=True),
            "cells": number_format(result.suppressed, force_grouping=True),
            "count": result.min_count,
        }
    )
    lines += _decision_lines(result.decisions)
    lines += _coverage_lines(result.coverage)
    if tables:
        for table in result.tables:
            lines += ["", *table_lines(table)]
    for heading, items in (
        (_("Assumptions:"), result.assumptions),
        (_("Caveats:"), result.caveats),
    ):
        if items:
            lines.append(heading)
            lines += [f"  - {say(t)}" for t in items]
    if result.diagnostics:
        lines.append(_("Diagnostics:"))
        lines += [f"  {name}: {shown}" for name, shown in estimate_lines(result.diagnostics)]
    return lines


def _decision_lines(decisions: Iterable[Decision]) -> list[str]:
    decisions = list(decisions)
    if not decisions:
        return []
    lines = [_("Decision log (step; reason; rows before → after; removed):")]
    for d in decisions:
        lines.append(
            f"  - {say(d.step)}; {say(d.reason)}; "
            f"{number_format(d.rows_before, force_grouping=True)} → "
            f"{number_format(d.rows_after, force_grouping=True)}; "
            + _("%(removed)s removed")
            % {"removed": number_format(d.removed, force_grouping=True)}
        )
    return lines


def _coverage_lines(coverage: Mapping[str, float]) -> list[str]:
    if not coverage:
        return []
    shown = ", ".join(f"{name} {share(value)}" for name, value in coverage.items())
    return [_("Coverage (share missing per field used): %(fields)s") % {"fields": shown}]


def table_lines(table: Table) -> list[str]:
    """A table as aligned text, withheld cells marked."""
    heads = [h["text"] for h in headers(table)]
    body = [[c["text"] + (" *" if c["suppressed"] else "") for c in row] for row in cells(table)]
    widths = [max(len(r[i]) for r in [heads, *body]) for i in range(len(heads))]
    lines = [say(table.title)]
    for row in [heads, ["-" * w for w in widths], *body]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    if any(c["suppressed"] for row in cells(table) for c in row):
        lines.append(_("* withheld: fewer rows than the minimum count"))
    if table.note:
        lines.append(say(table.note))
    return lines
