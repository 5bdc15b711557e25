"""Every data page has twins: the same content as JSON and, for tables, as CSV.

A view builds its data once and hands it here with its template; the format comes from the
URL suffix (`/neighbourhoods.json`) or `?format=json`, so researchers never need to scrape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from commonbeat.core import csvsafe

FORMATS = ("html", "json", "csv")


class FormatConverter:
    """URL converter for the twin suffix: `.json` or `.csv`."""

    regex = "json|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def requested_format(request: HttpRequest, suffix: str | None) -> str:
    """Return html, json or csv; an unknown ?format= is a 404, not a silent HTML page."""
    fmt = suffix or request.GET.get("format") or "html"
    if fmt not in FORMATS:
        raise Http404(_("Unknown format %(fmt)s: use html, json or csv.") % {"fmt": fmt})
    return fmt


def respond(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    data: Any,
    *,
    suffix: str | None = None,
    table: tuple[Sequence[str], Iterable[Sequence[Any]]] | None = None,
    filename: str = "data",
) -> HttpResponse:
    """Return the page as HTML, or its data as JSON or CSV."""
    fmt = requested_format(request, suffix)
    if fmt == "json":
        return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
    if fmt == "csv":
        if table is None:
            raise Http404(_("This page has no CSV form; try JSON."))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        header, rows = table
        # Cells a spreadsheet would run as formulas are neutralised (core/csvsafe.py).
        csvsafe.write_rows(response, header, rows)
        return response
    return render(request, template, {**context, "data": data})
