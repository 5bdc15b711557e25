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
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from commonbeat.core import policy, twins
from commonbeat.core.models import Agency, Officer
from commonbeat.core.vocab import RANK, lookup
from commonbeat.oversight.profiles import release as tables
from commonbeat.oversight.profiles.build import search_key
from commonbeat.oversight.profiles.cache import (
    ASSIGNMENTS_CACHED,
    BADGES,
    BY_OFFICER,
    CASES_CACHED,
    LISTED,
    NAME_WORDS,
)
from commonbeat.records import labels
from commonbeat.releases.cache import Release, current_release

PAGE_SIZE = 50
MAX_PAGE = 500
MAX_QUERY = 100
MAX_WORDS = 5
CASES_PAGE = 100
MAX_CASES = 5000
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


def _agency_names() -> dict[str, str]:
    """Agencies' names by identifier (public: they head every agency page)."""
    return dict(Agency.objects.values_list("slug", "name"))


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404(_("No such page: give a page number from 1 to %(max)s.") % {"max": MAX_PAGE})
    return int(raw)


def _prefix_bounds(word: str) -> tuple[str, str]:
    """Return the range of words beginning with `word`, for a range scan of a sorted index."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def _search(query: str, agency: str, page: int) -> tuple[str, list[Any]]:
    """Return the SQL and parameters of one page of a search, with the number found.

    With no query, the list in name order, a range of places. Otherwise officers with a name
    word beginning as the query's longest word does, whose name also has a word beginning
    with each other one ("ana pe" finds Ana Peña), and officers who have held the query as a
    badge: range scans of the sorted indexes (profiles/cache.py).
    """
    limit, offset = PAGE_SIZE, (page - 1) * PAGE_SIZE
    words = search_key(query).split()[:MAX_WORDS]
    if not words:
        place = "agency_pos" if agency else "pos"
        where = "agency = ? AND " if agency else ""
        return (
            f"SELECT *, (SELECT count(*) FROM {LISTED}{' WHERE agency = ?' if agency else ''}) AS found "  # noqa: S608  fixed table; values are ? parameters
            f"FROM {LISTED} WHERE {where}{place} > ? AND {place} <= ? ORDER BY {place}",
            [*([agency] * 2 if agency else []), offset, offset + limit],
        )
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    first, others = words[longest], words[:longest] + words[longest + 1 :]
    named = " AND ".join(
        ["word >= ? AND word < ?"]
        + ["contains(' ' || name_search, ' ' || ?)" for _ in others]
        + (["agency = ?"] if agency else [])
    )
    badge = "held = ?" + (" AND agency = ?" if agency else "")
    params: list[Any] = [*_prefix_bounds(first), *others, *([agency] if agency else [])]
    params += [query.strip().lstrip("#"), *([agency] if agency else [])]
    sql = (
        f"SELECT *, count(*) OVER () AS found FROM ("  # noqa: S608  fixed tables; values are ? parameters
        f"SELECT * EXCLUDE (word) FROM {NAME_WORDS} WHERE {named} "
        f"UNION SELECT * EXCLUDE (held) FROM {BADGES} WHERE {badge}) "
        "ORDER BY name_search, officer LIMIT ? OFFSET ?"
    )
    return sql, [*params, limit, offset]


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
        sql, params = _search(query, agency, page)
        records = release.records(sql, params)
        rows = [_row(r) for r in records]
        found = int(records[0]["found"]) if records else 0
        if not records and page > 1:  # past the last page: still say how many there are
            first_page = release.records(*_search(query, agency, 1))
            found = int(first_page[0]["found"]) if first_page else 0
    base = reverse("oversight:officer_list")  # one reverse() a page, not one a row
    for row in rows:
        row["rank_label"] = lookup(RANK, row["rank"]) if row["rank"] else None
        row["url"] = f"{base}{row['officer']}/"
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
            "agencies": [(slug, _agency_names().get(slug, slug)) for slug in agencies]
            if len(agencies) > 1
            else [],
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
    found = release.records(f"SELECT * FROM {BY_OFFICER} WHERE officer = ?", [slug])  # noqa: S608  fixed table
    if not found:
        raise Http404(_("There is no officer profile at this address."))
    profile = found[0]
    profile.pop("name_search", None)
    assignments = release.records(
        f'SELECT rank, unit, badge, start, "end" FROM {ASSIGNMENTS_CACHED} '  # noqa: S608  fixed table
        "WHERE officer = ? ORDER BY n",
        [slug],
    )
    # The page shows the cases a hundred at a time; the CSV has them all (up to MAX_CASES).
    everything = twins.requested_format(request, suffix) == "csv"
    page = 1 if everything else _page(request)
    limit = MAX_CASES if everything else CASES_PAGE
    cases = release.records(
        f"SELECT {_CASE_COLUMNS} FROM {CASES_CACHED} "  # noqa: S608  fixed table and columns
        "WHERE officer = ? ORDER BY n LIMIT ? OFFSET ?",
        [slug, limit + 1, (page - 1) * limit],
    )
    more = len(cases) > limit
    cases = cases[:limit]
    section = release.manifest.get("officer_profiles", {})
    data = {
        "release": release.version,
        "as_of": section.get("as_of"),
        "percentile_years": section.get("percentile_years"),
        "profile": {k: v for k, v in profile.items() if k != "badges"},
        "badges": (profile.get("badges") or "").split(),
        "assignments": [dict(row) for row in assignments],
        "cases": [dict(row) for row in cases],
        "cases_page": page,
        "cases_page_size": limit,
        "cases_has_next": more,
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
        "agency_name": _agency_names().get(profile["agency"], profile["agency"]),
        "badges": data["badges"],
        "findings": findings,
        "assignments": assignments,
        "cases": cases,
        "page": page,
        "has_next": more,
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
