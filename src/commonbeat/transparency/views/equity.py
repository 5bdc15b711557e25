"""The equity page: /dashboards/<agency>/stops/equity/ (+ .json and .csv twins).

It shows the equity report the current release carries for the agency (computed at publish
time; see insights/equity.py): each analysis with its method, findings, tables, decision log,
coverage, sample size, assumptions, caveats and diagnostics, or why it does not apply.
`?analysis=<name>` shows one analysis.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from commonbeat.core import policy
from commonbeat.core.models import Neighbourhood
from commonbeat.core.twins import requested_format, respond
from commonbeat.insights.render import label, say
from commonbeat.records.mapping import MAPPINGS
from commonbeat.releases.cache import current_release
from commonbeat.transparency.dashboards import equity
from commonbeat.transparency.dashboards.registry import DASHBOARDS
from commonbeat.transparency.reports import equity_report
from commonbeat.transparency.views.catalogue import file_url
from commonbeat.transparency.views.dashboards import agency_names

TEMPLATE = "transparency/equity.html"


@policy.requires("public.view")
def equity_page(request: HttpRequest, agency: str, suffix: str | None = None) -> HttpResponse:
    fmt = requested_format(request, suffix)
    release = current_release()
    agency_name = agency_names([agency])[agency]
    base = {"agency": agency, "agency_name": agency_name, "board": DASHBOARDS["stops"]}
    if release is None:
        message = _(
            "Nothing has been published yet, so there are no figures to show. Please come back later."
        )
        if fmt == "json":
            return JsonResponse({"release": None, "message": message, "results": []})
        if fmt == "csv":
            return respond(
                request,
                "",
                {},
                None,
                suffix="csv",
                table=(equity.CSV_HEADER, []),
                filename="equity",
            )
        return render(request, TEMPLATE, {**base, "release": None, "no_release": message})
    report = equity_report(release, agency)
    if report is None:
        raise Http404(_("The current release has no equity analyses for this agency."))
    base["release"] = release
    base["report"] = report
    # Sources by their titles (the JSON keeps the mapping names).
    base["sources"] = [
        MAPPINGS[name].title if name in MAPPINGS else name.replace("_", " ")
        for name in report.dataset.get("sources", [])
    ]
    try:
        results = equity.choose(report, request.GET)
    except equity.EquityFilterError as error:
        if fmt == "json":
            return JsonResponse(
                {"error": error.message, "parameter": error.parameter},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        if fmt == "csv":
            return HttpResponse(
                f"{error.parameter}: {error.message}\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return render(request, TEMPLATE, {**base, "error": error}, status=400)

    file = file_url(release, release.manifest["equity"][agency]["path"])
    data = {
        "release": release.version,
        "agency": {"slug": agency, "name": agency_name},
        "file": request.build_absolute_uri(file),
        **equity.report_data(report, results),
    }
    csv_rows = [[release.version, agency, *row] for row in equity.csv_rows(results)]
    chosen = request.GET.get("analysis", "").strip()
    filename = f"{agency}-equity-{release.version}" + (f"-{chosen}" if chosen else "")
    if fmt != "html":
        return respond(
            request,
            "",
            {},
            data,
            suffix=fmt,
            table=(equity.CSV_HEADER, csv_rows),
            filename=filename,
        )
    names = dict(Neighbourhood.objects.filter(agency__slug=agency).values_list("slug", "name"))
    query = f"?{urlencode({'analysis': chosen})}" if chosen else ""
    page_url = reverse("transparency:equity", args=[agency])
    context = {
        **base,
        "results": [equity.for_page(r, names) for r in results],
        # The contents list every analysis: anchors on this page, or links to each alone.
        "contents": [
            {
                "title": say(r.title),
                "applicable": r.applicable,
                "url": f"{page_url}?{urlencode({'analysis': r.analysis})}"
                if chosen
                else f"#{equity.anchor(r)}",
            }
            for r in report.results
        ],
        "chosen": chosen,
        "generated_at": parse_datetime(report.generated),
        "group_label": label(report.group),
        "reference_label": label(report.reference),
        "file": file,
        "file_bytes": release.manifest["equity"][agency]["bytes"],
        "csv_header": equity.CSV_HEADER,
        "stops_url": reverse("transparency:dashboard", args=[agency, "stops"]),
        "page_url": page_url,
        "json_url": reverse("transparency:equity", args=[agency, "json"]) + query,
        "csv_url": reverse("transparency:equity", args=[agency, "csv"]) + query,
        "analysis_csv": reverse("transparency:equity", args=[agency, "csv"]),
    }
    return respond(
        request,
        TEMPLATE,
        context,
        data,
        suffix=suffix,
        table=(equity.CSV_HEADER, csv_rows),
        filename=filename,
    )


routes: list[URLPattern] = [
    path("dashboards/<slug:agency>/stops/equity/", equity_page, name="equity"),
    path("dashboards/<slug:agency>/stops/equity.<fmt:suffix>", equity_page, name="equity"),
]
