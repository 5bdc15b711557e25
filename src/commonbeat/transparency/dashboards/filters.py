"""The filters every dashboard takes: a neighbourhood and a range of months, read from GET.

A malformed value is refused with the parameter named (FilterError), never silently ignored:
a figure computed for a filter the reader did not ask for would mislead them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class FilterError(ValueError):
    """A filter parameter that cannot be used; `parameter` names it for the reader."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Filters:
    neighbourhood: str | None  # slug; None means city-wide
    start: str  # first month, YYYY-MM, inclusive
    end: str  # last month, YYYY-MM, inclusive

    def where(self, agency: str, prefix: str = "") -> tuple[str, list[Any]]:
        """Return the SQL condition (with `?` parameters) selecting cube rows in the filters."""
        sql = f"{prefix}agency = ? AND {prefix}month BETWEEN ? AND ?"
        params: list[Any] = [agency, self.start, self.end]
        if self.neighbourhood is not None:
            sql += f" AND {prefix}neighbourhood = ?"
            params.append(self.neighbourhood)
        return sql, params

    def as_data(self) -> dict[str, str | None]:
        return {"neighbourhood": self.neighbourhood, "from": self.start, "to": self.end}

    def query(self, default_start: str, default_end: str) -> dict[str, str]:
        """Return the GET parameters that reproduce these filters (defaults left out)."""
        params = {}
        if self.neighbourhood:
            params["neighbourhood"] = self.neighbourhood
        if self.start != default_start:
            params["from"] = self.start
        if self.end != default_end:
            params["to"] = self.end
        return params


def _month(params: Mapping[str, str], name: str, default: str) -> str:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not MONTH.match(raw):
        raise FilterError(
            name,
            _(
                "The %(parameter)s filter must be a month written YYYY-MM (for example 2025-03), not “%(value)s”."
            )
            % {"parameter": name, "value": raw[:40]},
        )
    return raw


def parse(
    params: Mapping[str, str],
    first_month: str,
    last_month: str,
    neighbourhoods: Sequence[str],
) -> Filters:
    """Read the filters; default to the agency's whole coverage, city-wide."""
    raw = params.get("neighbourhood", "").strip()
    neighbourhood: str | None = None
    if raw:
        if not SLUG.match(raw):
            raise FilterError(
                "neighbourhood",
                _(
                    "The neighbourhood filter must be a neighbourhood's identifier (letters, digits and hyphens), not “%(value)s”."
                )
                % {"value": raw[:40]},
            )
        if raw not in neighbourhoods:
            raise FilterError(
                "neighbourhood",
                _(
                    "The neighbourhood filter names “%(value)s”, which has no records on this dashboard."
                )
                % {"value": raw},
            )
        neighbourhood = raw
    start = _month(params, "from", first_month)
    end = _month(params, "to", last_month)
    if start > end:
        raise FilterError(
            "from",
            _("The from month (%(start)s) is after the to month (%(end)s).")
            % {"start": start, "end": end},
        )
    return Filters(neighbourhood, start, end)
