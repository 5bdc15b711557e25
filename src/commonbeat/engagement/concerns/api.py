"""The public shapes of concerns: the Open311 GeoReport v2 service list, definitions and
requests, and the concern pages' JSON.

Never public: the reporter's contact details, their name when hidden, the address they typed
or the address point (a house), and the exact point, which is snapped to the centre of a
100-metre grid cell. A photo's address appears only once staff have set `photo_public`.
"""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse

from commonbeat.core.languages import translated
from commonbeat.engagement.concerns.models import Concern, Service, ServiceAttribute

GRID_METRES = 100
METRES_PER_DEGREE = 111_320


def snapped(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre of the 100-metre grid cell holding the point."""
    lat_step = GRID_METRES / METRES_PER_DEGREE
    lat = (math.floor(latitude / lat_step) + 0.5) * lat_step
    lng_step = GRID_METRES / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    lng = (math.floor(longitude / lng_step) + 0.5) * lng_step
    return round(lat, 6), round(lng, 6)


def service_data(service: Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": translated(service, "name").text,
        "description": translated(service, "description").text,
        "metadata": service.attributes.exists(),
        "type": service.type,
        "keywords": ", ".join(k.strip() for k in service.keywords.split(",") if k.strip()),
        "group": service.group,
    }


def definition_data(service: Service) -> dict[str, Any]:
    attributes = []
    for attribute in service.attributes.prefetch_related("values"):
        listed = attribute.datatype in (
            ServiceAttribute.Datatype.SINGLE,
            ServiceAttribute.Datatype.MULTI,
        )
        item: dict[str, Any] = {
            "variable": attribute.variable,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.datatype_description or None,
            "order": attribute.order,
            "description": translated(attribute, "description").text,
        }
        if listed:
            item["values"] = [
                {"key": v.key, "name": translated(v, "name").text} for v in attribute.values.all()
            ]
        attributes.append(item)
    return {"service_code": service.code, "attributes": attributes}


def _moment(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def photo_url(concern: Concern) -> str | None:
    if concern.photo and concern.photo_public:
        return reverse("engagement:concern_photo", args=[concern.pk])
    return None


def notes_of(concern: Concern) -> list[Any]:
    """The concern's notes, from a prefetched list when the query made one."""
    found = getattr(concern, "note_list", None)
    return list(concern.notes.all()) if found is None else found


def latest_note(concern: Concern) -> str:
    notes = notes_of(concern)
    return translated(notes[-1], "note").text if notes else ""


def request_data(concern: Concern, base_url: str = "") -> dict[str, Any]:
    """One service request as Open311 GET requests lists it (public fields only)."""
    lat, lng = snapped(float(concern.latitude), float(concern.longitude))
    photo = photo_url(concern)
    point = concern.address
    return {
        "service_request_id": str(concern.pk),
        "status": concern.status,
        "status_notes": latest_note(concern) or None,
        "service_name": translated(concern.service, "name").text,
        "service_code": concern.service.code,
        "description": concern.description or None,
        "agency_responsible": (
            concern.neighbourhood.name if concern.neighbourhood else concern.agency.name
        ),
        "service_notice": None,
        "requested_datetime": _moment(concern.requested_at),
        "updated_datetime": _moment(concern.updated_at),
        "expected_datetime": _moment(concern.expected_at),
        "address": point.street if point is not None else None,
        "address_id": None,
        "zipcode": (point.postcode or None) if point is not None else None,
        "lat": lat,
        "long": lng,
        "media_url": base_url + photo if photo else None,
    }


def concern_data(concern: Concern) -> dict[str, Any]:
    """A concern's page as JSON: the request, its notes, its duplicates and its reporter's
    public name."""
    return {
        **request_data(concern),
        "url": reverse("engagement:concern", args=[concern.pk]),
        "neighbourhood": concern.neighbourhood.slug if concern.neighbourhood else None,
        "reported_by": concern.public_name or None,
        "duplicate_of": concern.duplicate_of_id,
        "duplicates": [d.pk for d in concern.duplicates.all()],
        "followers": (
            concern.follower_count
            if hasattr(concern, "follower_count")
            else concern.followers.count()
        ),
        "notes": [
            {
                "status": n.status,
                "note": translated(n, "note").text,
                "at": _moment(n.created_at),
            }
            for n in notes_of(concern)
        ],
    }
