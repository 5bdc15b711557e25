"""The equity analyses as the public side shows them, from the report a release carries.

A release holds one report per agency with stops (`equity/<agency>.json`, computed at publish
time from the private records). This module turns it into what the stops dashboard's headline
section, the equity page, and the page's JSON and CSV twins show, in the reader's language.
Nothing here computes a figure: every number is the report's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.insights import render
from commonbeat.insights.equity import Report
from commonbeat.insights.results import Result, Table, Text

CSV_HEADER = [
    "release",
    "agency",
    "analysis",
    "table",
    "dimension",
    "key",
    "measure",
    "value",
    "suppressed",
]
# Text columns whose values are neighbourhood slugs, shown by the neighbourhood's name.
PLACE_KEYS = ("area", "neighbourhood")
# What the common diagnostics of a fitted model mean; other keys are shown by name only.
DIAGNOSTICS = {
    "r_hat_max": gettext_lazy("Largest R-hat (should be under 1.05: the chains agree)"),
    "ess_min": gettext_lazy("Smallest effective sample size (independent draws' worth)"),
    "ess_race_min": gettext_lazy("Smallest effective sample size of a group's threshold"),
    "divergences": gettext_lazy("Divergent transitions (should be 0)"),
    "chains": gettext_lazy("Chains"),
    "warmup": gettext_lazy("Warm-up iterations per chain"),
    "samples": gettext_lazy("Draws kept per chain"),
    "converged": gettext_lazy("Converged"),
    "seconds": gettext_lazy("Seconds to fit"),
}


# Words for the other names a result's estimates and diagnostics use; a name not listed here
# is shown with its separators as spaces, so no page shows an identifier.
NAMES = {
    "mean_steps": gettext_lazy("Mean integration steps per draw"),
    "pinned_area": gettext_lazy(
        "Area whose effects are fixed at zero (the one with the most stops)"
    ),
    "ess_per_second": gettext_lazy("Effective draws per second"),
    "phi_prior": gettext_lazy("Prior of the contraband share"),
    "by_race": gettext_lazy("By race"),
    "difference": gettext_lazy("Difference"),
    "diff": gettext_lazy("Difference"),
    "threshold": gettext_lazy("Threshold"),
    "search_rate_error": gettext_lazy("Largest gap between fitted and observed search rates"),
    "hit_rate_error": gettext_lazy("Largest gap between fitted and observed hit rates"),
    "probability": gettext_lazy("Probability"),
    "probability_lower": gettext_lazy("Probability that the threshold is lower"),
    "reference": gettext_lazy("Reference group"),
    "group": gettext_lazy("Group compared"),
    "model": gettext_lazy("Model"),
    "areas": gettext_lazy("Areas"),
    "races": gettext_lazy("Groups"),
    "cells": gettext_lazy("Cells"),
    "stops": gettext_lazy("Stops"),
    "searches": gettext_lazy("Searches"),
    "hits": gettext_lazy("Hits"),
    "mean": gettext_lazy("Mean"),
    "value": gettext_lazy("Value"),
    # The record fields and counts the analyses name in coverage and headline figures.
    "subject_race": gettext_lazy("Race of the person"),
    "search_conducted": gettext_lazy("Search conducted"),
    "contraband_found": gettext_lazy("Contraband found"),
    "occurred_time": gettext_lazy("Time"),
    "occurred_date": gettext_lazy("Date"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "stop_type": gettext_lazy("Stop type"),
    "area": gettext_lazy("Area"),
    "arrested": gettext_lazy("Arrested"),
    "outcome": gettext_lazy("Outcome"),
    "stop": gettext_lazy("Stop"),
    "complaints": gettext_lazy("Complaints"),
    "overall": gettext_lazy("Overall"),
    "sustained": gettext_lazy("Sustained"),
    "allegations": gettext_lazy("Allegations"),
    "sustained_allegations": gettext_lazy("Sustained allegations"),
    "sustained_rate": gettext_lazy("Sustained rate"),
    "allegation_sustained_rate": gettext_lazy("Allegation sustained rate"),
    "complainant_race": gettext_lazy("Complainant's race"),
    "received_date": gettext_lazy("Date received"),
}


def readable(name: str) -> str:
    """Return a dotted JSON name (`by_race.black.threshold`) in words."""
    words = []
    for part in name.split("."):
        known = NAMES.get(part) or DIAGNOSTICS.get(part)
        if known is not None:
            words.append(str(known))
            continue
        shown = render.label(part)
        words.append(shown if shown != part else part.replace("_", " ").capitalize())
    return " · ".join(words)


class EquityFilterError(ValueError):
    """A query parameter the equity page cannot honour; `parameter` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def anchor(result: Result) -> str:
    return f"analysis-{result.analysis.replace('_', '-')}"


def choose(report: Report, params: Mapping[str, str]) -> list[Result]:
    """Return the results the query asks for (`?analysis=`), refusing what cannot be honoured.

    The analyses cover the agency's whole release: they were computed once, at publish time,
    so a neighbourhood or a month range cannot be applied to them, and asking for one is
    refused rather than silently ignored.
    """
    for name in ("neighbourhood", "from", "to"):
        if params.get(name, "").strip():
            raise EquityFilterError(
                name,
                _(
                    "The equity analyses cover all of the agency's stops in the release, so the %(parameter)s filter cannot be applied to them. The stops dashboard shows figures for a neighbourhood or months."
                )
                % {"parameter": name},
            )
    wanted = params.get("analysis", "").strip()
    if not wanted:
        return list(report.results)
    found = [r for r in report.results if r.analysis == wanted]
    if not found:
        raise EquityFilterError(
            "analysis",
            _("The analysis filter names “%(value)s”; this report holds: %(known)s.")
            % {"value": wanted[:40], "known": ", ".join(r.analysis for r in report.results)},
        )
    return found


def headlines(report: Report, page: str) -> list[dict[str, Any]]:
    """One line per analysis for the stops dashboard: its title, one sentence, a link."""
    return [
        {
            "analysis": result.analysis,
            "title": render.say(result.title),
            "applicable": result.applicable,
            "headline": render.headline(result, report.group),
            "url": f"{page}#{anchor(result)}",
        }
        for result in report.results
    ]


# The JSON twin -----------------------------------------------------------------------------


def _texts(items: list[Text]) -> list[str]:
    return [render.say(t) for t in items]


def result_data(result: Result) -> dict[str, Any]:
    """A result with every sentence rendered in the reader's language (figures as stored)."""
    raw = result.to_dict()
    return {
        **raw,
        "title": render.say(result.title),
        "method": render.say(result.method),
        "reason": render.say(result.reason) if result.reason else None,
        "summary": _texts(result.summary),
        "uncertainty": render.say(result.uncertainty) if result.uncertainty else None,
        "assumptions": _texts(result.assumptions),
        "caveats": _texts(result.caveats),
        "decisions": [
            {**d.to_dict(), "step": render.say(d.step), "reason": render.say(d.reason)}
            for d in result.decisions
        ],
        "tables": [
            {
                **t.to_dict(),
                "title": render.say(t.title),
                "note": render.say(t.note) if t.note else None,
                "columns": [
                    {"key": c.key, "label": render.say(c.label), "kind": c.kind} for c in t.columns
                ],
            }
            for t in result.tables
        ],
    }


def report_data(report: Report, results: list[Result]) -> dict[str, Any]:
    return {
        "generated": report.generated,
        "report_format": report.version,
        "dataset": report.dataset,
        "group": report.group,
        "reference": report.reference,
        "min_count": report.min_count,
        "results": [result_data(r) for r in results],
    }


# The CSV twin ------------------------------------------------------------------------------


def csv_rows(results: list[Result]) -> list[list[Any]]:
    """Every result table as one long table (analysis, table, dimension, key, measure, value),
    then each result's coverage (share missing per field) and sample size in the same shape."""
    out: list[list[Any]] = []
    for result in results:
        for table in result.tables:
            out += _table_rows(result.analysis, table)
        for name, missing in result.coverage.items():
            out.append([result.analysis, "coverage", "field", name, "missing_share", missing, ""])
        out.append([result.analysis, "result", "", "", "sample_size", result.sample_size, ""])
    return out


def _table_rows(analysis: str, table: Table) -> list[list[Any]]:
    dimensions = [c for c in table.columns if c.kind == "text"]
    measures = [c for c in table.columns if c.kind != "text"]
    dimension = "|".join(c.key for c in dimensions)
    out = []
    for row in table.rows:
        key = "|".join("" if row.get(c.key) is None else str(row[c.key]) for c in dimensions)
        withheld = "true" if row.get("suppressed") else ""
        for column in measures:
            value = row.get(column.key)
            out.append(
                [
                    analysis,
                    table.key,
                    dimension,
                    key,
                    column.key,
                    "" if value is None else value,
                    withheld,
                ]
            )
    return out


# The HTML page -----------------------------------------------------------------------------


def for_page(result: Result, names: Mapping[str, str]) -> dict[str, Any]:
    """What the template shows for one result."""
    return {
        "analysis": result.analysis,
        "anchor": anchor(result),
        "title": render.say(result.title),
        "method": render.say(result.method),
        "applicable": result.applicable,
        "reason": render.say(result.reason),
        "summary": _texts(result.summary),
        "estimates": [
            (readable(name), shown) for name, shown in render.estimate_lines(result.estimates)
        ],
        "uncertainty": render.say(result.uncertainty),
        "tables": [
            _table(result, index, table, names) for index, table in enumerate(result.tables)
        ],
        "decisions": [
            {
                "step": render.say(d.step),
                "reason": render.say(d.reason),
                "before": d.rows_before,
                "after": d.rows_after,
                "removed": d.removed,
            }
            for d in result.decisions
        ],
        "coverage": [
            {"field": readable(name), "missing": render.share(value)}
            for name, value in result.coverage.items()
        ],
        "sample_size": result.sample_size,
        "min_count": result.min_count,
        "suppressed": result.suppressed,
        "assumptions": _texts(result.assumptions),
        "caveats": _texts(result.caveats),
        "diagnostics": [
            {"label": readable(name), "shown": shown}
            for name, shown in render.estimate_lines(result.diagnostics)
        ],
    }


def _table(result: Result, index: int, table: Table, names: Mapping[str, str]) -> dict[str, Any]:
    rows = render.cells(table)
    groups = render.grouped_columns(table.columns)
    for row, source in zip(rows, table.rows, strict=True):
        for cell, (column, _low, _high) in zip(row, groups, strict=True):
            if column.key in PLACE_KEYS and source.get(column.key) in names:
                cell["text"] = names[source[column.key]]
    headers = render.headers(table)
    # A column showing the same numbers as one before it in every row (stops and stops a
    # year, over a release of one year) says nothing new; the JSON and CSV keep both.
    keep = [
        i
        for i in range(len(headers))
        if not rows
        or not any(
            headers[j]["numeric"] and all(row[j]["text"] == row[i]["text"] for row in rows)
            for j in range(i)
        )
        or not headers[i]["numeric"]
    ]
    return {
        "id": f"{anchor(result)}-table-{index + 1}",
        "title": render.say(table.title),
        "note": render.say(table.note),
        "headers": [headers[i] for i in keep],
        "rows": [[{**row[i], "label": headers[i]["text"]} for i in keep] for row in rows],
        "withheld": any(cell["suppressed"] for row in rows for cell in row),
    }
