"""The JSON shapes of data.police.uk, built from our places, teams and releases.

Records (crimes, outcomes, stops) are rendered to JSON by DuckDB itself (`to_json` of a
struct), straight from the derived tables in tables.py: an area can hold 10,000 records, and
building that many Python dicts per request would cost more than the query. Places and
people are few and come from the database through core.api, which names only public fields.

Field names, key order and value formats follow the real service: coordinates are decimal
strings, months are YYYY-MM, and absent categorical values are null.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from commonbeat.core import api as core_api
from commonbeat.core.geo import boundary_vertices
from commonbeat.core.models import Agency, Neighbourhood, TeamMembership

SMALL_WORDS = {"of", "and", "the", "on", "in", "for", "de", "la"}


def name_from_slug(slug: str) -> str:
    """Name an agency known only from a release by its slug ("city-of-london" → "City of London")."""
    words = slug.replace("_", "-").split("-")
    return " ".join(
        w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


# Forces and people -------------------------------------------------------------------------


def force_summary(slug: str, name: str) -> dict[str, str]:
    return {"id": slug, "name": name}


def force_detail(agency: Agency | None, slug: str) -> dict[str, Any]:
    """Return `forces/{id}`; an agency only in the release has its name and nothing else."""
    if agency is None:
        return {
            "description": None,
            "url": None,
            "engagement_methods": [],
            "telephone": None,
            "id": slug,
            "name": name_from_slug(slug),
        }
    data = core_api.agency_data(agency)
    return {
        "description": data["description"] or None,
        "url": data["url"] or None,
        "engagement_methods": data["engagement_methods"],
        "telephone": data["telephone"] or None,
        "id": data["id"],
        "name": data["name"],
    }


def person(membership: TeamMembership) -> dict[str, Any]:
    """Return a team member as data.police.uk lists people (public fields only)."""
    data = core_api.person_data(membership)
    return {
        "name": data["name"],
        "rank": data["rank"] or None,
        "bio": data["bio"] or None,
        "contact_details": data["contact_details"],
    }


# Neighbourhoods ------------------------------------------------------------------------------


def neighbourhood_summary(neighbourhood: Neighbourhood) -> dict[str, str]:
    return {"id": neighbourhood.slug, "name": neighbourhood.name}


def neighbourhood_detail(request: HttpRequest, neighbourhood: Neighbourhood) -> dict[str, Any]:
    """Return `{force}/{id}`: url_force is the neighbourhood's page on this site."""
    data = core_api.neighbourhood_data(neighbourhood)
    page = reverse("core:neighbourhood", args=[neighbourhood.agency.slug, neighbourhood.slug])
    population = neighbourhood.population
    return {
        "url_force": request.build_absolute_uri(page),
        "contact_details": data["contact_details"] or {},
        "name": data["name"],
        "links": data["links"],
        "centre": data["centre"],
        "locations": [
            {
                "name": location["name"],
                "longitude": location["longitude"],
                "postcode": location["postcode"] or None,
                "address": location["address"] or None,
                "latitude": location["latitude"],
                "type": location["type"],
                "description": location["description"] or None,
            }
            for location in data["locations"]
        ],
        "description": data["description"] or None,
        "id": data["id"],
        "population": str(population) if population is not None else None,
    }


def boundary(neighbourhood: Neighbourhood) -> list[dict[str, str]]:
    """Return the boundary's outer ring as latitude/longitude strings, first vertex last too."""
    return boundary_vertices(neighbourhood.boundary)


# Records, as SQL -----------------------------------------------------------------------------
# Each expression reads one row of a derived table and has three `?` parameters, in this order:
# the neighbourhood keys ("agency/slug"), their names, and (agency slugs, agency names) flattened
# into the STREET_PARAMS helper below.

STREET_NAME_SQL = (
    "'On or near ' || coalesce("
    "map(?::VARCHAR[], ?::VARCHAR[])[street_agency || '/' || street_neighbourhood], "
    "NULLIF(trim(street_area), ''), "
    "map(?::VARCHAR[], ?::VARCHAR[])[street_agency], street_agency)"
)


def street_params(
    neighbourhood_names: dict[str, str], agency_names: dict[str, str]
) -> list[list[str]]:
    """Return the four parameters STREET_NAME_SQL takes."""
    return [
        list(neighbourhood_names),
        list(neighbourhood_names.values()),
        list(agency_names),
        list(agency_names.values()),
    ]


LOCATION_SQL = (
    "CASE WHEN latitude IS NULL OR longitude IS NULL THEN NULL ELSE {"
    "'latitude': printf('%.6f', latitude), "
    f"'street': {{'id': location_id, 'name': {STREET_NAME_SQL}}}, "
    "'longitude': printf('%.6f', longitude)} END"
)

CRIME_SQL = (
    "{'category': category, "
    "'location_type': CASE WHEN latitude IS NULL THEN NULL ELSE 'Force' END, "
    f"'location': {LOCATION_SQL}, "
    "'context': '', "
    "'outcome_status': CASE WHEN outcome_name IS NULL THEN NULL "
    "ELSE {'category': outcome_name, 'date': outcome_month} END, "
    "'persistent_id': persistent_id, "
    "'id': id, "
    "'location_subtype': '', "
    "'month': month}"
)
CRIME_JSON_SQL = f"to_json({CRIME_SQL})"

OUTCOME_SQL = (
    "{'category': {'code': outcome_code, 'name': outcome_name}, "
    "'date': outcome_month, 'person_id': NULL::VARCHAR}"
)
# An outcome with the crime it belongs to, as outcomes-at-location lists them.
OUTCOME_WITH_CRIME_JSON_SQL = (
    "to_json({'category': {'code': outcome_code, 'name': outcome_name}, "
    f"'date': outcome_month, 'person_id': NULL::VARCHAR, 'crime': {CRIME_SQL}}})"
)

STOP_JSON_SQL = (
    "to_json({'age_range': age_range, "
    "'outcome': outcome, "
    "'involved_person': involved_person, "
    "'self_defined_ethnicity': self_defined_ethnicity, "
    "'gender': gender, "
    "'legislation': legislation, "
    "'outcome_linked_to_object_of_search': outcome_linked_to_object_of_search, "
    "'datetime': datetime, "
    "'removal_of_more_than_outer_clothing': removal_of_more_than_outer_clothing, "
    "'outcome_object': CASE WHEN outcome IS NULL THEN NULL "
    "ELSE {'id': outcome_id, 'name': outcome} END, "
    f"'location': {LOCATION_SQL}, "
    # The releases do not record whether a stop was part of a policing operation.
    "'operation': NULL::BOOLEAN, "
    "'officer_defined_ethnicity': officer_defined_ethnicity, "
    "'type': type, "
    "'operation_name': NULL::VARCHAR, "
    "'object_of_search': object_of_search})"
)


# Events and priorities (listed by the app that keeps them, through core.api) ----------------

POLICE_UK_TIME = "%Y-%m-%dT%H:%M:%S"


def event(item: dict[str, Any]) -> dict[str, Any]:
    """Return an event as data.police.uk lists one: local clock times without an offset."""
    return {
        "contact_details": item["contact_details"],
        "description": item["description"] or None,
        "title": item["title"],
        "address": item["address"] or None,
        "type": item["type"],
        "start_date": item["start"].strftime(POLICE_UK_TIME),
        "end_date": item["end"].strftime(POLICE_UK_TIME) if item["end"] else None,
    }


def priority(item: dict[str, Any]) -> dict[str, Any]:
    """Return a priority as data.police.uk lists one; the action keys are always present."""
    action_date = item["action_date"]
    return {
        "action": item["action"] or None,
        "issue-date": item["issue_date"].strftime(POLICE_UK_TIME),
        "action-date": action_date.strftime(POLICE_UK_TIME) if action_date else None,
        "issue": item["issue"],
    }
