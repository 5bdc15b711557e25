"""The data.police.uk-compatible API: same addresses, parameters, shapes and status codes.

Places and people come from the database (public fields only, through core.api); crimes and
stops come only from the current release. Bad input is answered as the real service answers
it, with an empty body: a malformed or too-old month, a malformed polygon, an unknown force or
crime is 404; a malformed point is 400; an area with more than 10,000 records is 503; a GET
longer than 4,094 characters is 400 (clients should POST the area instead).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import shapely
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from commonbeat.core import api as core_api
from commonbeat.core import policy
from commonbeat.core.geo import neighbourhood_index
from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.transparency.police import openapi, queries, ratelimit, shapes, tables
from commonbeat.transparency.police.queries import Area, Facts, TooMany
from commonbeat.transparency.release import Release, current_release

MAX_GET_LENGTH = 4094
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
PERSISTENT_ID = re.compile(r"[0-9a-f]{64}")
ALL_CRIME = "all-crime"


class Problem(Exception):
    """Stop and answer this status with an empty body, as data.police.uk does."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def empty(status: int) -> HttpResponse:
    return HttpResponse(status=status, content_type="application/json")


def answer(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data), content_type="application/json")


def answer_text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


ViewFunc = Callable[..., HttpResponseBase]


def endpoint(*methods: str) -> Callable[[ViewFunc], ViewFunc]:
    """Wrap an API view: methods, the GET length limit, the rate limit, empty-bodied errors.

    Views taking POST are exempt from CSRF: they read a form body from non-browser clients
    and change nothing.
    """
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in allowed:
                response = empty(405)
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            if request.method in ("GET", "HEAD") and len(request.get_full_path()) > MAX_GET_LENGTH:
                return empty(400)
            limited = ratelimit.limited(view)
            try:
                return limited(request, *args, **kwargs)
            except Problem as problem:
                return empty(problem.status)
            except TooMany:
                return empty(503)

        return csrf_exempt(wrapped) if "POST" in methods else wrapped

    return decorate


# Parameters ----------------------------------------------------------------------------------


def param(request: HttpRequest, name: str) -> str | None:
    """Return a parameter from the form body (POST) or the query string; empty means absent."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name)
    value = (value or "").strip()
    return value or None


def coordinate(value: str | None, limit: float, status: int) -> float:
    if value is None:
        raise Problem(status)
    try:
        number = float(value)
    except ValueError:
        raise Problem(status) from None
    if not math.isfinite(number) or abs(number) > limit:
        raise Problem(status)
    return number


def point(request: HttpRequest) -> tuple[float, float]:
    """Return (lat, lng); a missing or non-numeric one is 400."""
    return (
        coordinate(param(request, "lat"), 90, 400),
        coordinate(param(request, "lng"), 180, 400),
    )


def polygon(value: str) -> BaseGeometry:
    """Parse `lat,lng:lat,lng:...`; anything malformed is 404, as the real service answers."""
    vertices = []
    for pair in value.split(":"):
        parts = pair.split(",")
        if len(parts) != 2:
            raise Problem(404)
        lat = coordinate(parts[0].strip(), 90, 404)
        lng = coordinate(parts[1].strip(), 180, 404)
        vertices.append((lng, lat))
    if len(vertices) < 3:
        raise Problem(404)
    shape = Polygon(vertices)  # the last vertex joins the first
    return shape if shape.is_valid else shapely.make_valid(shape)


def the_release() -> tuple[Release | None, Facts]:
    release = current_release()
    if release is None:
        return None, Facts(None, None)
    return release, queries.facts(release)


def month(request: HttpRequest, facts: Facts) -> str:
    """Return the month asked for, or the latest; malformed or older than the release is 404.

    A month after the release's last one is valid and simply holds nothing.
    """
    value = param(request, "date")
    if value is None:
        if facts.last_month is None:
            raise Problem(404)
        return facts.last_month
    if not MONTH.fullmatch(value) or facts.first_month is None or value < facts.first_month:
        raise Problem(404)
    return value


def force_names() -> dict[str, str]:
    """Return every force: agencies in the database, and agencies only the release names."""
    names: dict[str, str] = dict(Agency.objects.values_list("slug", "name"))
    release = current_release()
    if release is not None:
        for slug in queries.facts(release).agencies:
            names.setdefault(slug, shapes.name_from_slug(slug))
    return names


def known_force(slug: str | None) -> str:
    if slug is None:
        raise Problem(400)
    if slug not in force_names():
        raise Problem(404)
    return slug


def street_params() -> list[list[str]]:
    names = {
        f"{agency}/{slug}": name
        for agency, slug, name in Neighbourhood.objects.values_list("agency__slug", "slug", "name")
    }
    return shapes.street_params(names, force_names())


def records(
    release: Release | None,
    table: str,
    select: str,
    where: str,
    params: tuple[Any, ...] | list[Any],
    capped: bool = True,
) -> HttpResponse:
    if release is None or not release.has(table):
        return answer_text("[]")
    body = queries.json_list(release, select, street_params(), table, where, params, capped)
    return answer_text(body)


# Forces --------------------------------------------------------------------------------------


@policy.requires("public.view")
@endpoint("GET")
def forces(request: HttpRequest) -> HttpResponse:
    names = force_names()
    ordered = sorted(names.items(), key=lambda item: (item[1].lower(), item[0]))
    return answer([shapes.force_summary(slug, name) for slug, name in ordered])


@policy.requires("public.view")
@endpoint("GET")
def force(request: HttpRequest, force: str) -> HttpResponse:
    known_force(force)
    agency = core_api.agencies().filter(slug=force).first()
    return answer(shapes.force_detail(agency, force))


@policy.requires("public.view")
@endpoint("GET")
def force_people(request: HttpRequest, force: str) -> HttpResponse:
    """The people of a force: everyone on its neighbourhood teams' public listings, once each."""
    known_force(force)
    people: dict[int, dict[str, Any]] = {}
    for neighbourhood in Neighbourhood.objects.filter(agency__slug=force).order_by("name"):
        for membership in core_api.public_team(neighbourhood):
            people.setdefault(membership.officer_id, shapes.person(membership))
    return answer(sorted(people.values(), key=lambda p: p["name"]))


# Neighbourhoods ------------------------------------------------------------------------------


def find_neighbourhood(force: str, neighbourhood: str) -> Neighbourhood:
    found = (
        Neighbourhood.objects.select_related("agency")
        .prefetch_related("links", "locations")
        .filter(agency__slug=force, slug=neighbourhood)
        .first()
    )
    if found is None:
        raise Problem(404)
    return found


@policy.requires("public.view")
@endpoint("GET")
def neighbourhoods(request: HttpRequest, force: str) -> HttpResponse:
    known_force(force)
    found = Neighbourhood.objects.filter(agency__slug=force).order_by("name")
    return answer([shapes.neighbourhood_summary(n) for n in found])


@policy.requires("public.view")
@endpoint("GET")
def neighbourhood(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    return answer(shapes.neighbourhood_detail(request, find_neighbourhood(force, neighbourhood)))


@policy.requires("public.view")
@endpoint("GET")
def neighbourhood_boundary(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    return answer(shapes.boundary(find_neighbourhood(force, neighbourhood)))


@policy.requires("public.view")
@endpoint("GET")
def neighbourhood_people(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    found = find_neighbourhood(force, neighbourhood)
    return answer([shapes.person(m) for m in core_api.public_team(found)])


@policy.requires("public.view")
@endpoint("GET")
def neighbourhood_events(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    # Events come with the engagement capability; until then every neighbourhood has none.
    find_neighbourhood(force, neighbourhood)
    return answer([])


@policy.requires("public.view")
@endpoint("GET")
def neighbourhood_priorities(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    # Priorities come with the engagement capability; until then every neighbourhood has none.
    find_neighbourhood(force, neighbourhood)
    return answer([])


@policy.requires("public.view")
@endpoint("GET")
def locate_neighbourhood(request: HttpRequest) -> HttpResponse:
    query = param(request, "q")
    parts = (query or "").split(",")
    if len(parts) != 2:
        raise Problem(400)
    lat = coordinate(parts[0].strip(), 90, 400)
    lng = coordinate(parts[1].strip(), 180, 400)
    located = neighbourhood_index().locate(lat, lng)
    if located is None:
        raise Problem(404)
    return answer({"force": located.agency_slug, "neighbourhood": located.neighbourhood_slug})


# Crimes --------------------------------------------------------------------------------------


@policy.requires("public.view")
@endpoint("GET")
def crime_categories(request: HttpRequest) -> HttpResponse:
    _, facts = the_release()
    chosen = month(request, facts)
    found = sorted(facts.categories.get(chosen, {}).items(), key=lambda item: item[1])
    listed = [{"url": ALL_CRIME, "name": "All crime"}]
    listed += [{"url": slug, "name": name} for slug, name in found]
    return answer(listed)


@policy.requires("public.view")
@endpoint("GET")
def crime_last_updated(request: HttpRequest) -> HttpResponse:
    _, facts = the_release()
    if facts.last_month is None:
        raise Problem(404)
    return answer({"date": f"{facts.last_month}-01"})


@policy.requires("public.view")
@endpoint("GET")
def crimes_street_dates(request: HttpRequest) -> HttpResponse:
    _, facts = the_release()
    return answer(
        [{"date": m, "stop-and-search": facts.stop_forces.get(m, [])} for m in facts.months]
    )


def category_filter(facts: Facts, category: str | None) -> tuple[str, tuple[str, ...]]:
    if category in (None, ALL_CRIME):
        return "", ()
    if category not in facts.all_categories():
        raise Problem(404)
    return " AND category = ?", (category,)


def area(
    request: HttpRequest, release: Release | None, table: str, month_column: str, chosen: str
) -> Area:
    """Return the custom area (`poly`) or the mile around (`lat`, `lng`) the request names."""
    poly = param(request, "poly")
    if poly is not None:
        shape = polygon(poly)
        if release is None or not release.has(table):
            return Area("false", ())
        return queries.polygon_area(release, table, month_column, chosen, shape)
    return queries.radius(*point(request))


@policy.requires("public.view")
@endpoint("GET", "POST")
def crimes_street(request: HttpRequest, category: str) -> HttpResponse:
    release, facts = the_release()
    chosen = month(request, facts)
    extra, extra_params = category_filter(facts, category)
    place = area(request, release, "police_crime", "month", chosen)
    return records(
        release,
        "police_crime",
        shapes.CRIME_JSON_SQL,
        f"month = ? AND {place.where}{extra}",
        (chosen, *place.params, *extra_params),
    )


def location_param(request: HttpRequest) -> int | None:
    value = param(request, "location_id")
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Problem(404)
    return int(value)


@policy.requires("public.view")
@endpoint("GET")
def crimes_at_location(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    location = location_param(request)
    if location is None:
        lat, lng = point(request)
        grid = tables.grid_metres(release) if release else tables.DEFAULT_GRID_METRES
        location = tables.location_id(grid, lat, lng)
    elif release is None or not queries.known_location(release, location):
        raise Problem(404)
    chosen = month(request, facts)
    if release is None:
        return answer_text("[]")
    place = queries.at_location(release, location)
    return records(
        release,
        "police_crime",
        shapes.CRIME_JSON_SQL,
        f"month = ? AND {place.where}",
        (chosen, *place.params),
    )


@policy.requires("public.view")
@endpoint("GET")
def crimes_no_location(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    agency = known_force(param(request, "force"))
    chosen = month(request, facts)
    extra, extra_params = category_filter(facts, param(request, "category"))
    return records(
        release,
        "police_crime",
        shapes.CRIME_JSON_SQL,
        f"agency = ? AND month = ? AND (latitude IS NULL OR longitude IS NULL){extra}",
        (agency, chosen, *extra_params),
        capped=False,
    )


@policy.requires("public.view")
@endpoint("GET")
def outcomes_for_crime(request: HttpRequest, persistent_id: str) -> HttpResponse:
    release = current_release()
    if not PERSISTENT_ID.fullmatch(persistent_id) or release is None:
        raise Problem(404)
    if not release.has("police_crime_by_id"):
        raise Problem(404)
    found = release.rows(
        f"SELECT {shapes.CRIME_JSON_SQL}, "
        f"CASE WHEN outcome_name IS NOT NULL THEN to_json({shapes.OUTCOME_SQL}) END "
        "FROM police_crime_by_id WHERE persistent_id = ?",
        [*street_params(), persistent_id],
    )
    if not found:
        raise Problem(404)
    crime, outcome = found[0]
    return answer_text(f'{{"crime":{crime},"outcomes":[{outcome or ""}]}}')


@policy.requires("public.view")
@endpoint("GET", "POST")
def outcomes_at_location(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    location = location_param(request)
    chosen = month(request, facts)
    if release is None:
        return answer_text("[]")
    if location is not None:
        if not queries.known_location(release, location):
            raise Problem(404)
        place = queries.at_location(release, location)
    else:
        place = area(request, release, "police_crime", "outcome_month", chosen)
    return records(
        release,
        "police_crime",
        shapes.OUTCOME_WITH_CRIME_JSON_SQL,
        f"outcome_name IS NOT NULL AND outcome_month = ? AND {place.where}",
        (chosen, *place.params),
    )


# Stop and search -----------------------------------------------------------------------------


@policy.requires("public.view")
@endpoint("GET", "POST")
def stops_street(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    chosen = month(request, facts)
    place = area(request, release, "police_stop", "month", chosen)
    return records(
        release,
        "police_stop",
        shapes.STOP_JSON_SQL,
        f"month = ? AND {place.where}",
        (chosen, *place.params),
    )


@policy.requires("public.view")
@endpoint("GET")
def stops_at_location(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    value = param(request, "location_id")
    if value is None:
        raise Problem(400)
    chosen = month(request, facts)
    # An unknown location holds no stops: the real service answers an empty list, not 404.
    if release is None or not value.isdigit() or len(value) > 18:
        return answer_text("[]")
    place = queries.at_location(release, int(value))
    return records(
        release,
        "police_stop",
        shapes.STOP_JSON_SQL,
        f"month = ? AND {place.where}",
        (chosen, *place.params),
    )


@policy.requires("public.view")
@endpoint("GET")
def stops_no_location(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    agency = known_force(param(request, "force"))
    chosen = month(request, facts)
    return records(
        release,
        "police_stop",
        shapes.STOP_JSON_SQL,
        "agency = ? AND month = ? AND (latitude IS NULL OR longitude IS NULL)",
        (agency, chosen),
        capped=False,
    )


@policy.requires("public.view")
@endpoint("GET")
def stops_force(request: HttpRequest) -> HttpResponse:
    release, facts = the_release()
    agency = known_force(param(request, "force"))
    chosen = month(request, facts)
    return records(
        release,
        "police_stop",
        shapes.STOP_JSON_SQL,
        "agency = ? AND month = ?",
        (agency, chosen),
        capped=False,
    )


@policy.requires("public.view")
def not_found(request: HttpRequest) -> HttpResponse:
    return empty(404)


# The description -----------------------------------------------------------------------------


@policy.requires("public.view")
def docs(request: HttpRequest) -> HttpResponse:
    """The human page: what the API is, how it differs, and every endpoint."""
    return render(
        request,
        "transparency/api_docs.html",
        {
            "endpoints": openapi.endpoints(),
            "max_results": queries.MAX_RESULTS,
            "rate": settings.API_RATE_PER_SECOND,
            "burst": settings.API_RATE_BURST,
        },
    )


@policy.requires("public.view")
def openapi_json(request: HttpRequest) -> HttpResponse:
    return answer(openapi.document(request.build_absolute_uri("/api/")))
