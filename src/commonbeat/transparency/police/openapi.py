"""The OpenAPI 3.0 description of the data.police.uk-compatible API (served at /api/openapi.json).

Written as data rather than generated from the views: it is the contract, and the schemathesis
test checks the views against it. The descriptions say where we differ from the real service
because of what our releases hold (datetimes generalised to the month, locations to a grid cell
or a neighbourhood's point; docs/disclosure.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from commonbeat.transparency.police.params import MAX_POLYGON_VERTICES
from commonbeat.transparency.police.queries import MAX_RESULTS

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def _string(nullable: bool = False, **extra: Any) -> dict[str, Any]:
    return {"type": "string", **({"nullable": True} if nullable else {}), **extra}


def _object(properties: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        **({"nullable": True} if nullable else {}),
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


LAT_LNG = {"latitude": _string(), "longitude": _string()}
CRIME_LOCATION = _object(
    {
        "latitude": _string(),
        "longitude": _string(),
        "street": _object({"id": {"type": "integer"}, "name": _string()}),
    },
    nullable=True,
)
CRIME = _object(
    {
        "category": _string(),
        "location_type": _string(nullable=True),
        "location": CRIME_LOCATION,
        "context": _string(),
        "outcome_status": _object(
            {"category": _string(), "date": _string(nullable=True)}, nullable=True
        ),
        "persistent_id": _string(),
        "id": {"type": "integer"},
        "location_subtype": _string(),
        "month": _string(),
    }
)
OUTCOME = _object(
    {
        "category": _object({"code": _string(), "name": _string()}),
        "date": _string(nullable=True),
        "person_id": _string(nullable=True),
    }
)
SCHEMAS: dict[str, Any] = {
    "Force": _object({"id": _string(), "name": _string()}),
    "ForceDetail": _object(
        {
            "id": _string(),
            "name": _string(),
            "url": _string(nullable=True),
            "telephone": _string(nullable=True),
            "description": _string(nullable=True),
            "engagement_methods": {
                "type": "array",
                "items": _object(
                    {
                        "type": _string(),
                        "title": _string(),
                        "description": _string(),
                        "url": _string(),
                    }
                ),
            },
        }
    ),
    "Person": _object(
        {
            "name": _string(),
            "rank": _string(nullable=True),
            "bio": _string(nullable=True),
            "contact_details": {"type": "object"},
        }
    ),
    "NeighbourhoodSummary": _object({"id": _string(), "name": _string()}),
    "Neighbourhood": _object(
        {
            "id": _string(),
            "name": _string(),
            "url_force": _string(),
            "centre": _object(LAT_LNG),
            "population": _string(nullable=True),
            "description": _string(nullable=True),
            "contact_details": {"type": "object"},
            "links": {
                "type": "array",
                "items": _object({"title": _string(), "url": _string(), "description": _string()}),
            },
            "locations": {
                "type": "array",
                "items": _object(
                    {
                        "type": _string(),
                        "name": _string(),
                        "description": _string(nullable=True),
                        "address": _string(nullable=True),
                        "postcode": _string(nullable=True),
                        **LAT_LNG,
                    }
                ),
            },
        }
    ),
    "LatLng": _object(LAT_LNG),
    "Event": _object(
        {
            "title": _string(),
            "type": _string(),
            "description": _string(nullable=True),
            "address": _string(nullable=True),
            "contact_details": {"type": "object"},
            "start_date": _string(description="YYYY-MM-DDTHH:MM:SS, local time, no offset."),
            "end_date": _string(nullable=True),
        }
    ),
    "Priority": _object(
        {
            "issue": _string(),
            "issue-date": _string(description="YYYY-MM-DDTHH:MM:SS"),
            "action": _string(nullable=True),
            "action-date": _string(nullable=True),
        }
    ),
    "Located": _object({"force": _string(), "neighbourhood": _string()}),
    "CrimeCategory": _object({"url": _string(), "name": _string()}),
    "LastUpdated": _object({"date": _string(description="YYYY-MM-DD")}),
    "StreetDate": _object(
        {"date": _string(), "stop-and-search": {"type": "array", "items": _string()}}
    ),
    "Crime": CRIME,
    "OutcomesForCrime": _object({"crime": CRIME, "outcomes": {"type": "array", "items": OUTCOME}}),
    "OutcomeAtLocation": _object({**OUTCOME["properties"], "crime": CRIME}),
    "Stop": _object(
        {
            "type": _string(
                nullable=True,
                description=(
                    "Person search, Vehicle search or Person and Vehicle search; stops without "
                    "a search (from agencies that record them) are Pedestrian stop or "
                    "Vehicle stop, and anything else Other."
                ),
            ),
            "involved_person": {"type": "boolean"},
            "datetime": _string(
                nullable=True,
                description=(
                    "Releases keep only the month of a stop (and its local hour where the "
                    "operator publishes it), so this is the first day of the month at local "
                    "midnight (or at that hour), in UTC with +00:00: the closest instant we "
                    "can honestly give."
                ),
            ),
            "operation": {
                "type": "boolean",
                "nullable": True,
                "description": "Always null: releases do not record policing operations.",
            },
            "operation_name": _string(nullable=True),
            "location": CRIME_LOCATION,
            "gender": _string(nullable=True),
            "age_range": _string(nullable=True),
            "self_defined_ethnicity": _string(nullable=True),
            "officer_defined_ethnicity": _string(
                nullable=True,
                description=(
                    "As recorded for UK forces; for others our race vocabulary mapped to the "
                    "five UK groups (Hispanic and Native American fall under Other)."
                ),
            ),
            "legislation": _string(nullable=True),
            "object_of_search": _string(nullable=True),
            "outcome": _string(nullable=True),
            "outcome_object": _object({"id": _string(), "name": _string()}, nullable=True),
            "outcome_linked_to_object_of_search": {"type": "boolean", "nullable": True},
            "removal_of_more_than_outer_clothing": {"type": "boolean", "nullable": True},
        }
    ),
}


def _query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> Any:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_-]+$"},
    }


DATE = _query(
    "date",
    "Month, YYYY-MM; the latest month by default. Malformed or older than the release: 404. "
    "Later than the release: an empty list.",
    {"type": "string", "pattern": MONTH_PATTERN},
)
LAT = _query(
    "lat",
    "Latitude of the centre of a 1-mile radius.",
    {"type": "number", "minimum": -90, "maximum": 90},
)
LNG = _query(
    "lng",
    "Longitude of the centre of a 1-mile radius.",
    {"type": "number", "minimum": -180, "maximum": 180},
)
POLY = _query(
    "poly",
    "A custom area: lat,lng pairs separated by colons; the last joins the first. Malformed: 404.",
    {"type": "string"},
)
FORCE_PARAM = _query("force", "Force identifier.", {"type": "string"}, required=True)
LOCATION_ID = _query(
    "location_id",
    "A location (street) id from another answer.",
    {"type": "string", "pattern": r"^\d{1,18}$"},
)
AREA_FORM = {
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {
                    "poly": {"type": "string"},
                    "lat": {"type": "number", "minimum": -90, "maximum": 90},
                    "lng": {"type": "number", "minimum": -180, "maximum": 180},
                    "date": {"type": "string", "pattern": MONTH_PATTERN},
                },
            }
        }
    }
}

ERRORS = {
    "400": {
        "description": (
            "A malformed point, a missing parameter, a GET over 4,094 characters, a polygon of "
            f"more than {MAX_POLYGON_VERTICES:,} vertices, or a form body that cannot be read "
            "(empty body)."
        )
    },
    "404": {
        "description": "Unknown force, neighbourhood, crime or location; malformed or too old a month; malformed or self-crossing polygon (empty body)."
    },
    "405": {
        "description": "A method the address does not take; Allow lists those it does (empty body)."
    },
    "413": {
        "description": "A request body over the server's limit, 128 KiB by default (empty body)."
    },
    "429": {"description": "Over the rate limit; Retry-After says when to try again (empty body)."},
    "503": {
        "description": "The query ran past the server's time budget; Retry-After says when to try again (empty body)."
    },
}
TOO_MANY = {
    "503": {
        "description": (
            f"More than {MAX_RESULTS:,} records in the area, or the query ran past the "
            "server's time budget (then with Retry-After) (empty body)."
        )
    }
}


def _ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}}
    }


def _get(
    summary: Any, schema: dict[str, Any], params: Sequence[Any] = (), area: bool = False
) -> Any:
    return {
        "summary": summary,
        "parameters": list(params),
        "responses": {**_ok(schema), **ERRORS, **(TOO_MANY if area else {})},
    }


FORCE = _path("force", "Force identifier.")
NEIGHBOURHOOD = _path("neighbourhood", "Neighbourhood identifier.")


def paths() -> dict[str, Any]:
    street = _get(
        _("Crimes within a mile of a point or inside a custom area, for one month."),
        _list("Crime"),
        [_path("category", "A crime category url, or all-crime."), LAT, LNG, POLY, DATE],
        area=True,
    )
    street_post = {**street, "parameters": street["parameters"][:1], "requestBody": AREA_FORM}
    stops = _get(
        _("Stop and search within a mile of a point or inside a custom area, for one month."),
        _list("Stop"),
        [LAT, LNG, POLY, DATE],
        area=True,
    )
    stops_post = {**stops, "parameters": [], "requestBody": AREA_FORM}
    outcomes = _get(
        _("Outcomes recorded in a month at a location, within a mile of a point, or in an area."),
        _list("OutcomeAtLocation"),
        [LOCATION_ID, LAT, LNG, POLY, DATE],
        area=True,
    )
    outcomes_post = {**outcomes, "parameters": [], "requestBody": AREA_FORM}
    return {
        "/forces": {"get": _get(_("Every force."), _list("Force"))},
        "/forces/{force}": {"get": _get(_("One force."), _ref("ForceDetail"), [FORCE])},
        "/forces/{force}/people": {
            "get": _get(
                _("The force's people: everyone on its neighbourhood teams' public listings."),
                _list("Person"),
                [FORCE],
            )
        },
        "/{force}/neighbourhoods": {
            "get": _get(_("The force's neighbourhoods."), _list("NeighbourhoodSummary"), [FORCE])
        },
        "/{force}/{neighbourhood}": {
            "get": _get(_("One neighbourhood."), _ref("Neighbourhood"), [FORCE, NEIGHBOURHOOD])
        },
        "/{force}/{neighbourhood}/boundary": {
            "get": _get(
                _("The neighbourhood's boundary; the first vertex is repeated last."),
                _list("LatLng"),
                [FORCE, NEIGHBOURHOOD],
            )
        },
        "/{force}/{neighbourhood}/people": {
            "get": _get(_("The neighbourhood's team."), _list("Person"), [FORCE, NEIGHBOURHOOD])
        },
        "/{force}/{neighbourhood}/events": {
            "get": _get(
                _("The neighbourhood's events (empty until engagement events are published)."),
                _list("Event"),
                [FORCE, NEIGHBOURHOOD],
            )
        },
        "/{force}/{neighbourhood}/priorities": {
            "get": _get(
                _("The neighbourhood's priorities (empty until they are published)."),
                _list("Priority"),
                [FORCE, NEIGHBOURHOOD],
            )
        },
        "/locate-neighbourhood": {
            "get": _get(
                _("The neighbourhood covering a point; 404 outside every neighbourhood."),
                _ref("Located"),
                [_query("q", "lat,lng", {"type": "string"}, required=True)],
            )
        },
        "/crime-categories": {
            "get": _get(
                _("The crime categories of a month, with all-crime."),
                _list("CrimeCategory"),
                [DATE],
            )
        },
        "/crime-last-updated": {"get": _get(_("The latest month with data."), _ref("LastUpdated"))},
        "/crimes-street-dates": {
            "get": _get(
                _(
                    "Every month the release holds, newest first, with the forces that have stop and search in it."
                ),
                _list("StreetDate"),
            )
        },
        "/crimes-street/{category}": {"get": street, "post": street_post},
        "/crimes-at-location": {
            "get": _get(
                _(
                    "Crimes at one location (location_id, or the grid cell holding lat/lng) in a month."
                ),
                _list("Crime"),
                [LOCATION_ID, LAT, LNG, DATE],
                area=True,
            )
        },
        "/crimes-no-location": {
            "get": _get(
                _("A force's crimes without a location in a month."),
                _list("Crime"),
                [
                    _query("category", "A crime category url, or all-crime.", {"type": "string"}),
                    FORCE_PARAM,
                    DATE,
                ],
            )
        },
        "/outcomes-for-crime/{persistent_id}": {
            "get": _get(
                _("One crime and its outcome."),
                _ref("OutcomesForCrime"),
                [
                    {
                        "name": "persistent_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    }
                ],
            )
        },
        "/outcomes-at-location": {"get": outcomes, "post": outcomes_post},
        "/stops-street": {"get": stops, "post": stops_post},
        "/stops-at-location": {
            "get": _get(
                _("Stop and search at one location in a month (an unknown location has none)."),
                _list("Stop"),
                [{**LOCATION_ID, "required": True}, DATE],
                area=True,
            )
        },
        "/stops-no-location": {
            "get": _get(
                _("A force's stop and search without a location in a month."),
                _list("Stop"),
                [FORCE_PARAM, DATE],
            )
        },
        "/stops-force": {
            "get": _get(
                _("All of a force's stop and search in a month."),
                _list("Stop"),
                [FORCE_PARAM, DATE],
            )
        },
    }


def document(
    server_url: str = "/api/",
    licences: Sequence[Mapping[str, str]] = (),
    release_url: str = "",
) -> dict[str, Any]:
    """Return the OpenAPI document, with the server at `server_url`.

    `licences` are the current release's (Frictionless entries: name, title, path), which
    the data answered comes under; `release_url` is the page listing them per table.
    """
    # Summaries are translatable (the documentation page lists them); render them as text.
    found = _document(server_url, api_licence(licences, release_url))
    rendered: dict[str, Any] = json.loads(json.dumps(found, default=str))
    return rendered


def api_licence(licences: Sequence[Mapping[str, str]], release_url: str = "") -> dict[str, str]:
    """Return OpenAPI's `info.license`: the one licence, or all titles with the release page."""
    if len(licences) == 1:
        only = licences[0]
        return {"name": only["title"], **({"url": only["path"]} if only.get("path") else {})}
    if not licences:
        return {"name": str(_("No release is published yet: no data is served."))}
    titles = "; ".join(lic["title"] for lic in licences)
    name = str(_("Each table under its own licence: %(titles)s")) % {"titles": titles}
    return {"name": name, **({"url": release_url} if release_url else {})}


def _document(server_url: str, licence: dict[str, str]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Commonbeat data.police.uk-compatible API",
            "version": "1.0",
            "description": (
                "The addresses, parameters, JSON shapes and status codes of data.police.uk "
                "(https://data.police.uk/docs/), served from this site's published releases. "
                "Places and teams come from the site; crimes and stop and search from the "
                "current release only. Locations are the centres of the release's grid "
                "cells; a location id names one cell. Requests are limited per client "
                "(429 with Retry-After)."
            ),
            "license": licence,
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths(),
        "components": {"schemas": SCHEMAS},
    }


def endpoints() -> list[dict[str, str]]:
    """Return (method, path, summary) for each operation, for the documentation page."""
    return [
        {"method": method.upper(), "path": path, "summary": str(operation["summary"])}
        for path, item in paths().items()
        for method, operation in item.items()
    ]
