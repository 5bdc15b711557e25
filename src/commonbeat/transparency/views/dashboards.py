"""Dashboard pages: /dashboards/ and /dashboards/<agency>/<dashboard>/ (+ .json/.csv twins).

Each page reads only the current release's cubes (dashboards/cubes.py), so it costs a few
small queries whatever the size of the release. The page, its JSON and its CSV are built from
the same figures with the same filters (GET `neighbourhood`, `from`, `to`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commonbeat.core import policy
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.core.twins import requested_format, respond
from commonbeat.releases.cache import Release, current_release
from commonbeat.transparency.dashboards import charts, memo
from commonbeat.transparency.dashboards import figures as figs
from commonbeat.transparency.dashboards.common import Context, with_resident_rates
from commonbeat.transparency.dashboards.equity import headlines as equity_headlines
from commonbeat.transparency.dashboards.filters import FilterError, parse
from commonbeat.transparency.dashboards.headline import PAGE_MONTHS, headline, months_back
from commonbeat.transparency.dashboards.maps import choropleth
from commonbeat.transparency.dashboards.registry import DASHBOARDS, Dashboard, coverage_by_agency
from commonbeat.transparency.reports import equity_report

CSV_HEADER = [
    "release",
    "agency",
    "dashboard",
    "neighbourhood",
    "from",
    "to",
    "figure",
    "dimension",
    "key",
    "measure",
    "value",
    "unreliable",
    "suppressed",
]


def agency_names(slugs: list[str]) -> dict[str, str]:
    """Names from core's agencies where they exist, otherwise the slug made readable."""
    known = dict(Agency.objects.filter(slug__in=slugs).values_list("slug", "name"))
    small = {"of", "and", "the", "de", "la"}
    return {
        slug: known.get(slug)
        or " ".join(
            w if w in small and i else w.capitalize() for i, w in enumerate(slug.split("-"))
        )
        for slug in slugs
    }


@policy.requires("public.view")
def index(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    requested_format(request, suffix)
    release = current_release()
    agencies: list[dict[str, Any]] = []
    if release is not None:
        covered = _covered(release)
        names = agency_names(list(covered))
        for slug, dashboards in covered.items():
            agencies.append(
                {
                    "slug": slug,
                    "name": names[slug],
                    "dashboards": [
                        {
                            "slug": key,
                            "title": str(DASHBOARDS[key].title),
                            "url": request.build_absolute_uri(
                                reverse("transparency:dashboard", args=[slug, key])
                            ),
                            "first_month": row["first_month"],
                            "last_month": row["last_month"],
                            "records": int(row["records"]),
                        }
                        for key, row in dashboards.items()
                    ],
                }
            )
    data = {"release": release.version if release else None, "agencies": agencies}
    rows = [
        [a["slug"], a["name"], d["slug"], d["first_month"], d["last_month"], d["records"], d["url"]]
        for a in agencies
        for d in a["dashboards"]
    ]
    header = ["agency", "agency_name", "dashboard", "first_month", "last_month", "records", "url"]
    return respond(
        request,
        "transparency/dashboards.html",
        {"release": release, "agencies": agencies},
        data,
        suffix=suffix,
        table=(header, rows),
        filename="dashboards",
    )


def _neighbourhoods(release: Release, dashboard: Dashboard, agency: str) -> list[str]:
    """The neighbourhoods this dashboard has records in (what the filter may name)."""

    def compute() -> list[str]:
        found = release.rows(
            f"SELECT DISTINCT neighbourhood FROM {dashboard.cube} "  # noqa: S608  fixed cube names; request values are ? parameters
            "WHERE agency = ? AND neighbourhood IS NOT NULL ORDER BY 1",
            [agency],
        )
        return [row[0] for row in found]

    return memo.per_release(release, ("neighbourhoods", dashboard.cube, agency), compute)


def _covered(release: Release) -> dict[str, dict[str, dict[str, Any]]]:
    return memo.per_release(release, ("coverage",), lambda: coverage_by_agency(release))


@policy.requires("public.view")
def dashboard(
    request: HttpRequest, agency: str, dashboard: str, suffix: str | None = None
) -> HttpResponse:
    fmt = requested_format(request, suffix)
    board = DASHBOARDS.get(dashboard)
    if board is None:
        raise Http404(_("There is no dashboard called %(name)s.") % {"name": dashboard})
    release = current_release()
    if release is None:
        return _no_release(request, fmt, board, agency)
    covered = _covered(release).get(agency, {})
    if dashboard not in covered:
        raise Http404(_("The current release has no data for this dashboard and agency."))
    coverage = covered[dashboard]
    agency_name = agency_names([agency])[agency]
    slugs = _neighbourhoods(release, board, agency)
    known = dict(Neighbourhood.objects.filter(agency__slug=agency).values_list("slug", "name"))
    names = {slug: known.get(slug, slug) for slug in slugs}
    base = {
        "board": board,
        "dashboards": DASHBOARDS,
        "agency": agency,
        "agency_name": agency_name,
        "coverage": coverage,
        "other_dashboards": [DASHBOARDS[key] for key in covered],
        "release": release,
        "neighbourhood_options": sorted(names.items(), key=lambda item: item[1]),
        "form": {
            "neighbourhood": request.GET.get("neighbourhood", ""),
            "from": request.GET.get("from", ""),
            "to": request.GET.get("to", ""),
        },
    }
    try:
        filters = parse(request.GET, coverage["first_month"], coverage["last_month"], slugs)
    except FilterError as error:
        if fmt == "html":
            context = {**base, "error": error, "data": None}
            return render(request, "transparency/dashboard.html", context, status=400)
        if fmt == "json":
            return JsonResponse(
                {"error": error.message, "parameter": error.parameter},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return HttpResponse(
            f"{error.parameter}: {error.message}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )

    page = reverse("transparency:dashboard", args=[agency, dashboard])

    def link(slug: str) -> str:
        query = filters.query(coverage["first_month"], coverage["last_month"])
        return f"{page}?{urlencode({**query, 'neighbourhood': slug})}"

    ctx = Context(release, agency, filters, names, link)
    # A release never changes, so the figures for one set of filters (in one language, whose
    # labels and links they carry) are kept; names come from core, so they are in the key.
    key = (
        *memo.release_key(release),
        agency,
        board.slug,
        filters,
        get_language(),
        tuple(sorted(names.items())),
    )
    # Small counts are withheld as in the release's count tables (its min_count).
    min_count = int(
        release.manifest.get("privacy", {}).get("min_count") or settings.PUBLISH_MIN_COUNT
    )
    built = memo.figures.get(
        key, lambda: figs.withhold(with_resident_rates(ctx, board.build(ctx)), min_count)
    )
    data: dict[str, Any] = {
        "release": release.version,
        "agency": {"slug": agency, "name": agency_name},
        "dashboard": {"slug": board.slug, "title": str(board.title)},
        "filters": filters.as_data(),
        "coverage": {
            "first_month": coverage["first_month"],
            "last_month": coverage["last_month"],
            "records": int(coverage["records"]),
        },
        "figures": [figure.as_data() for figure in built],
    }
    change = None
    if filters.neighbourhood:
        # The chosen months against a year before; when the release does not reach back that
        # far (as for the whole range, the default), the chosen range's last quarter.
        for start in (filters.start, max(filters.start, months_back(filters.end, PAGE_MONTHS))):
            change = headline(
                release,
                board.slug,
                agency,
                filters.neighbourhood,
                start,
                filters.end,
                coverage["first_month"],
            )
            if change is not None:
                break
    if filters.neighbourhood:
        data["headline"] = change
    equity = _equity_headlines(request, release, agency) if board.slug == "stops" else None
    if equity is not None:
        data["equity"] = equity
    prefix = [
        release.version,
        agency,
        board.slug,
        filters.neighbourhood or "",
        filters.start,
        filters.end,
    ]
    # `figure` narrows the CSV to one figure: the download link beside each table.
    wanted = request.GET.get("figure") or None
    if wanted is not None and wanted not in {figure.id for figure in built}:
        raise Http404(
            _("This dashboard has no figure %(figure)s; the figures are: %(known)s.")
            % {"figure": wanted, "known": ", ".join(figure.id for figure in built)}
        )
    csv_rows = (
        [[*prefix, *row] for figure in built if wanted in (None, figure.id) for row in _csv(figure)]
        if fmt == "csv"
        else []
    )
    filename = (
        f"{agency}-{board.slug}-{filters.start}-{filters.end}"
        + (f"-{filters.neighbourhood}" if filters.neighbourhood else "")
        + (f"-{wanted}" if wanted else "")
    )
    if fmt != "html":
        return respond(
            request, "", {}, data, suffix=fmt, table=(CSV_HEADER, csv_rows), filename=filename
        )
    query = urlencode(filters.query(coverage["first_month"], coverage["last_month"]))
    suffix_query = f"?{query}" if query else ""
    boundaries = list(
        Neighbourhood.objects.filter(agency__slug=agency).only("slug", "name", "boundary")
    )
    context = {
        **base,
        "filters": filters,
        "neighbourhood_name": names.get(filters.neighbourhood or ""),
        "neighbourhood_page": (
            reverse("core:neighbourhood", args=[agency, filters.neighbourhood])
            if filters.neighbourhood in known
            else None
        ),
        "figures": [
            _for_page(figure, boundaries, _figure_csv(agency, dashboard, query, figure.id))
            for figure in built
        ],
        "json_url": reverse("transparency:dashboard", args=[agency, dashboard, "json"])
        + suffix_query,
        "csv_url": reverse("transparency:dashboard", args=[agency, dashboard, "csv"])
        + suffix_query,
        "small_count": figs.SMALL_COUNT,
        "min_count": min_count,
        "csv_header": CSV_HEADER,
        "equity": equity,
        "headline": change,
    }
    return respond(
        request,
        "transparency/dashboard.html",
        context,
        data,
        suffix=suffix,
        table=(CSV_HEADER, csv_rows),
        filename=filename,
    )


def _equity_headlines(request: HttpRequest, release: Release, agency: str) -> dict[str, Any] | None:
    """The stops dashboard's equity section: a sentence per analysis, linking to its page.

    The analyses cover the agency's whole release whatever the filters (they were computed at
    publish time), which the section says.
    """
    report = equity_report(release, agency)
    if report is None:
        return None
    page = reverse("transparency:equity", args=[agency])
    return {
        "url": request.build_absolute_uri(page),
        "page": page,
        "generated": report.generated,
        "analyses": equity_headlines(report, page),
    }


def _csv(figure: figs.Figure) -> list[list[Any]]:
    """The figure's tidy rows, then its quality block as rows of the same shape."""
    rows = figure.csv_rows()
    quality = figure.quality
    rows.append(
        [
            figure.id,
            "quality",
            quality.get("record_kind", ""),
            "records",
            quality.get("records", ""),
            "",
            "",
        ]
    )
    for item in quality.get("missing", []):
        share = "" if item["share"] is None else item["share"]
        rows.append([figure.id, "quality", item["field"], "missing_share", share, "", ""])
    return rows


# The fields a figure's quality block names, as a reader would call them (the JSON and CSV
# keep the field names).
FIELDS = {
    "call_type": gettext_lazy("call type"),
    "category": gettext_lazy("category"),
    "cleared": gettext_lazy("cleared or not"),
    "contraband_found": gettext_lazy("contraband found or not"),
    "discipline": gettext_lazy("discipline (police, fire, medical)"),
    "frisk_performed": gettext_lazy("frisk or not"),
    "outcome": gettext_lazy("outcome"),
    "priority": gettext_lazy("priority"),
    "search_conducted": gettext_lazy("search or not"),
    "days_to_close": gettext_lazy("date closed"),
    "neighbourhood": gettext_lazy("neighbourhood"),
    "race": gettext_lazy("race or ethnicity"),
    "force_subject.injured": gettext_lazy("whether the person force was used on was injured"),
    "force_officer.injured": gettext_lazy("whether the officer was injured"),
    "allegation.category": gettext_lazy("allegation category"),
    "allegation.final_finding": gettext_lazy("allegation finding"),
}


def field_name(field: str) -> str:
    """Return a quality block's field as words (unknown ones with separators as spaces)."""
    known = FIELDS.get(field)
    return str(known) if known is not None else field.replace("_", " ").replace(".", ": ")


def _figure_csv(agency: str, dashboard: str, query: str, figure: str) -> str:
    """The address of one figure's rows of the dashboard CSV, with the page's filters."""
    path = reverse("transparency:dashboard", args=[agency, dashboard, "csv"])
    return f"{path}?{query}&figure={figure}" if query else f"{path}?figure={figure}"


def _for_page(figure: figs.Figure, known: list[Neighbourhood], csv_url: str) -> dict[str, Any]:
    """What the template shows for a figure: its table rows, chart, map and quality notes."""
    item: dict[str, Any] = {
        "figure": figure,
        "rows": figure.html_rows(),
        "quality": figure.quality,
        "chart": charts.build(figure),
        "csv_url": csv_url,
        "records": figs.display("count", figure.quality.get("records")),
        "map": None,
        "missing": [
            {
                "field": field_name(m["field"]),
                "text": "—"
                if m["share"] is None
                else _("%(missing)s of %(of)s (%(share)s)")
                % {
                    "missing": figs.display("count", m["missing"]),
                    "of": figs.display("count", m["of"]),
                    "share": figs.display("rate", m["share"]),
                },
            }
            for m in figure.quality.get("missing", [])
        ],
    }
    if figure.map_measure and known:
        column = next(c for c in figure.columns if c.key == figure.map_measure)
        values = {
            row["neighbourhood"]: float(row[figure.map_measure])
            for row in figure.rows
            if row.get(figure.map_measure) is not None
        }

        def describe(name: str, value: float | None) -> str:
            shown = figs.display(column.kind, value) if value is not None else _("no data")
            return f"{name}: {shown}"

        item["map"] = choropleth(known, values, describe)
        item["map_label"] = column.label
        if item["map"] is not None:
            for entry in item["map"].legend:
                entry["text"] = _("%(low)s to %(high)s") % {
                    "low": figs.display("count", entry["low"]),
                    "high": figs.display("count", entry["high"]),
                }
    return item


def _no_release(request: HttpRequest, fmt: str, board: Dashboard, agency: str) -> HttpResponse:
    message = _(
        "Nothing has been published yet, so there are no figures to show. Please come back later."
    )
    if fmt == "json":
        return JsonResponse({"release": None, "message": message, "figures": []})
    if fmt == "csv":
        return respond(
            request, "", {}, None, suffix="csv", table=(CSV_HEADER, []), filename="dashboard"
        )
    context = {
        "board": board,
        "agency": agency,
        "agency_name": agency_names([agency])[agency],
        "release": None,
        "no_release": message,
        "data": None,
    }
    return render(request, "transparency/dashboard.html", context)


routes: list[URLPattern] = [
    path("dashboards/", index, name="dashboards"),
    path("dashboards.<fmt:suffix>", index, name="dashboards"),
    path("dashboards/<slug:agency>/<slug:dashboard>/", dashboard, name="dashboard"),
    path("dashboards/<slug:agency>/<slug:dashboard>.<fmt:suffix>", dashboard, name="dashboard"),
]
