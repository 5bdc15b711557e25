"""Public officer profiles: the search (by name or badge) and one officer's profile.

Both read the current release's profile tables only, never the roster or the cases, so they
show exactly what publication let out (profiles/release.py). The deployment's OFFICER_PROFILES
policy is asked on every request: "off" answers 404 even where an older release holds
profiles. Each page has JSON and CSV twins; every query is bounded (page size, deepest page,
search length, rows of cases shown).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from commonbeat.core import policy, twins
from commonbeat.core.models import Officer
from commonbeat.core.vocab import RANK, lookup
from commonbeat.oversight.profiles import release as tables
from commonbeat.oversight.profiles.build import search_key
from commonbeat.records import labels
from commonbeat.releases.cache import Release, current_release

PAGE_SIZE = 50
MAX_PAGE = 500
MAX_QUERY = 100
MAX_WORDS = 5
MAX_CASES = 500
LIST_HEADER = (
    "officer", "name", "agency", "rank", "unit", "badge", "complaints", "allegations",
    "sustained", "commendations", "force_incidents",
)  # fmt: skip
CASE_HEADER = (
    "origin", "kind", "case", "received", "closed", "category", "allegation", "finding",
    "discipline",
)  # fmt: skip

_CASE_COLUMNS = ", ".join(f'"{c}"' for c in CASE_HEADER)


def _published() -> Release | None:
    """The release with profiles, None when none is published yet; 404 when policy says off."""
    if settings.OFFICER_PROFILES != "named":
        raise Http404(_("This deployment does not publish officer profiles."))
    release = current_release()
    if release is None or not release.has(tables.PROFILES):
        return None
    return release


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(raw)


def _search(release: Release, query: str, agency: str) -> tuple[str, list[Any]]:
    """Return the WHERE clause and parameters for a name or badge search."""
    where, params = ["TRUE"], []
    if agency:
        where.append("agency = ?")
        params.append(agency)
    words = search_key(query).split()[:MAX_WORDS]
    if words:
        # Every word in the name, or the whole query one of the badges held.
        name = " AND ".join("contains(name_search, ?)" for _ in words)
        where.append(f"(({name}) OR contains(badges, ?))")
        params += [*words, f" {query.strip()} "]
    return " AND ".join(where), params


def _row(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(key) for key in LIST_HEADER}


@policy.requires("profile.view")
def officer_list(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    release = _published()
    query = request.GET.get("q", "").strip()
    agency = request.GET.get("agency", "")
    page = _page(request)
    errors = []
    if len(query) > MAX_QUERY:
        errors.append(
            _(
                "Search for at most %(max)s characters: a name, such as “Ana Reyes”, or a badge number."
            )
            % {"max": MAX_QUERY}
        )
        query = ""
    rows: list[dict[str, Any]] = []
    found = 0
    agencies: list[str] = []
    if release is not None:
        agencies = release.agencies()
        if agency and agency not in agencies:
            errors.append(_("There is no agency %(agency)s in this release.") % {"agency": agency})
            agency = ""
        where, params = _search(release, query, agency)
        found = int(release.value(f"SELECT count(*) FROM {tables.PROFILES} WHERE {where}", params))  # noqa: S608  fixed table; values are ? parameters
        rows = [
            _row(r)
            for r in release.records(
                f"SELECT * FROM {tables.PROFILES} WHERE {where} "  # noqa: S608  fixed table and columns; values are ? parameters
                "ORDER BY name_search, officer LIMIT ? OFFSET ?",
                [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
            )
        ]
    for row in rows:
        row["rank_label"] = lookup(RANK, row["rank"]) if row["rank"] else None
    has_next = page * PAGE_SIZE < found
    data = {
        "published": release is not None,
        "release": release.version if release else None,
        "q": query,
        "agency": agency or None,
        "page": page,
        "page_size": PAGE_SIZE,
        "found": found,
        "has_next": has_next,
        "officers": [{k: v for k, v in row.items() if k != "rank_label"} for row in rows],
    }
    keep = {k: v for k, v in (("q", query), ("agency", agency)) if v}
    response = twins.respond(
        request,
        "oversight/profiles/list.html",
        {
            "release": release,
            "rows": rows,
            "q": query,
            "agency": agency,
            "agencies": agencies if len(agencies) > 1 else [],
            "found": found,
            "page": page,
            "has_next": has_next,
            "query": urlencode(keep),
            "errors": errors,
        },
        data,
        suffix=suffix,
        table=(LIST_HEADER, [[row[h] for h in LIST_HEADER] for row in rows]),
        filename="officer-profiles",
    )
    if errors:
        response.status_code = 400
    return response


@policy.requires("profile.view")
def officer_detail(request: HttpRequest, slug: str, suffix: str | None = None) -> HttpResponse:
    release = _published()
    if release is None:
        raise Http404(_("No officer profiles have been published yet."))
    found = release.records(f"SELECT * FROM {tables.PROFILES} WHERE officer = ?", [slug])  # noqa: S608  fixed table
    if not found:
        raise Http404(_("There is no officer profile at this address."))
    profile = found[0]
    profile.pop("name_search", None)
    assignments = release.records(
        f'SELECT rank, unit, badge, start, "end" FROM {tables.ASSIGNMENTS} '  # noqa: S608  fixed table
        "WHERE officer = ? ORDER BY n",
        [slug],
    )
    cases = release.records(
        f"SELECT {_CASE_COLUMNS} FROM {tables.CASES} "  # noqa: S608  fixed table and columns
        "WHERE officer = ? ORDER BY n LIMIT ?",
        [slug, MAX_CASES],
    )
    section = release.manifest.get("officer_profiles", {})
    data = {
        "release": release.version,
        "as_of": section.get("as_of"),
        "percentile_years": section.get("percentile_years"),
        "profile": {k: v for k, v in profile.items() if k != "badges"},
        "badges": (profile.get("badges") or "").split(),
        "assignments": [dict(row) for row in assignments],
        "cases": [dict(row) for row in cases],
        "cases_shown": len(cases),
        "cases_limit": MAX_CASES,
    }
    findings = [
        {"finding": f, "label": labels.label("finding", f), "allegations": profile[f]}
        for f in tables.FINDINGS
        if profile.get(f)
    ]
    for row in cases:
        row["finding_label"] = labels.label("finding", row["finding"]) if row["finding"] else None
        row["discipline_label"] = (
            labels.label("sanction", row["discipline"]) if row["discipline"] else None
        )
        row["category_label"] = (
            labels.label("allegation_category", row["category"]) if row["category"] else None
        )
    for row in assignments:
        row["rank_label"] = lookup(RANK, row["rank"]) if row["rank"] else None
    status = profile.get("status")
    context = {
        "profile": profile,
        "rank_label": lookup(RANK, profile["rank"]) if profile.get("rank") else None,
        "status_label": Officer.Status(status).label if status in Officer.Status.values else status,
        "badges": data["badges"],
        "findings": findings,
        "assignments": assignments,
        "cases": cases,
        "cases_limited": len(cases) >= MAX_CASES,
        "as_of": section.get("as_of"),
        "percentile_years": section.get("percentile_years"),
        "release": release,
    }
    return twins.respond(
        request,
        "oversight/profiles/detail.html",
        context,
        data,
        suffix=suffix,
        table=(CASE_HEADER, [[row[h] for h in CASE_HEADER] for row in cases]),
        filename=f"officer-{slug}-cases",
    )
