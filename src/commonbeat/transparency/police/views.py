"""The data.police.uk-compatible API: same addresses, parameters, shapes and status codes.

Places and people come from the database (public fields only, through core.api); crimes and
stops come only from the current release. Bad input is answered as the real service answers
it, with an empty body: a malformed or too-old month, a malformed polygon, an unknown force or
crime is 404; a malformed point is 400; an area with more than 10,000 records is 503; a GET
longer than 4,094 characters is 400 (clients should POST the area instead).

Every request's work is bounded (docs/transparency.md, "Limits"): a polygon of more than 2,000
vertices is 400 (params.py), a body over API_MAX_BODY_BYTES 413 (middleware.py), queries past
PUBLIC_QUERY_SECONDS 503 (releases/budget.py); other methods than a view's are 405 with Allow
(answers.py).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from commonbeat.core import api as core_api
from commonbeat.core import policy
from commonbeat.core.models import Neighbourhood
from commonbeat.core.places import neighbourhood_index
from commonbeat.releases.cache import Release, current_release
from commonbeat.transparency.police import examples, openapi, queries, shapes, tables
from commonbeat.transparency.police.answers import answer, answer_text, empty, endpoint
from commonbeat.transparency.police.params import (
    ALL_CRIME,
    MAX_POLYGON_VERTICES,
    Problem,
    area,
    category_filter,
    coordinate,
    force_names,
    known_force,
    location_param,
    month,
    param,
    point,
)
from commonbeat.transparency.police.queries import Facts

PERSISTENT_ID = re.compile(r"[0-9a-f]{64}")


# The release and its records ------------------------------------------------------------------


def the_release() -> tuple[Release | None, Facts]:
    release = current_release()
    if release is None:
        return None, Facts(None, None)
    return release, queries.facts(release)


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
    # Listed by the engagement app when it is installed (core.api.NEIGHBOURHOOD_LISTINGS).
    found = find_neighbourhood(force, neighbourhood)
    return answer([shapes.event(item) for item in core_api.listing("events", found)])


@policy.requires("public.view")
@endpoint("GET")
def neighbourhood_priorities(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    found = find_neighbourhood(force, neighbourhood)
    return answer([shapes.priority(item) for item in core_api.listing("priorities", found)])


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
        f"SELECT {shapes.CRIME_JSON_SQL}, "  # noqa: S608  fixed table and column names; request values are ? parameters
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


@csrf_exempt
@policy.requires("public.view")
def not_found(request: HttpRequest) -> HttpResponse:
    return empty(404)


# The description -----------------------------------------------------------------------------


def _served_licences() -> tuple[list[dict[str, str]], str]:
    """Return the current release's licences and its page (the API serves its data)."""
    # Imported here: the catalogue module builds URL patterns at import, which needs the
    # format converter core.urls registers, and this module is imported before it.
    from commonbeat.transparency.views import catalogue

    release = current_release()
    if release is None:
        return [], ""
    return catalogue.licences(release), reverse("transparency:release", args=[release.version])


@policy.requires("public.view")
def docs(request: HttpRequest) -> HttpResponse:
    """The human page: what the API is, how it differs, every endpoint, examples that work.

    Routed in both languages (/api/ and /es/api/) by transparency's i18n routes, unlike the
    API itself, which keeps data.police.uk's addresses.
    """
    licences, release_url = _served_licences()
    _release, facts = the_release()
    place = examples.sample_place()
    return render(
        request,
        "transparency/api_docs.html",
        {
            "licences": licences,
            "release_url": release_url,
            "place": place,
            "examples": [
                {"title": e.title, "url": e.url(request), "curl": e.curl(request)}
                for e in examples.examples(place, facts)
            ],
            "endpoints": openapi.endpoints(),
            "max_results": queries.MAX_RESULTS,
            "max_vertices": MAX_POLYGON_VERTICES,
            "max_body_kib": settings.API_MAX_BODY_BYTES // 1024,
            "query_seconds": settings.PUBLIC_QUERY_SECONDS,
            "rate": settings.API_RATE_PER_SECOND,
            "burst": settings.API_RATE_BURST,
        },
    )


@policy.requires("public.view")
@endpoint("GET")
def openapi_json(request: HttpRequest) -> HttpResponse:
    licences, release_url = _served_licences()
    return answer(
        openapi.document(
            request.build_absolute_uri("/api/"),
            licences,
            request.build_absolute_uri(release_url) if release_url else "",
        )
    )
