"""The public data of places and teams, as the JSON twins and the public API serve it.

Only fields meant for the public are named here; officers' personal data never is. Staff-written
text is given in the reader's language (the address's /es/ or not), falling back to the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from commonbeat.core.address_search import Match
from commonbeat.core.languages import translated
from commonbeat.core.models import Agency, Neighbourhood, TeamMembership
from commonbeat.core.registry import Registry


@dataclass(frozen=True)
class NeighbourhoodListing:
    """A public list an upper layer keeps about each neighbourhood (its events, its
    priorities), read by the pages and APIs that show neighbourhoods; core cannot import it.

    `items(neighbourhood)` returns plain data, public fields only; each listing's docstring
    (engagement/listings.py) names its keys."""

    key: str
    items: Callable[[Neighbourhood], list[dict[str, Any]]]


NEIGHBOURHOOD_LISTINGS: Registry[NeighbourhoodListing] = Registry(
    "neighbourhood listings", key=lambda listing: listing.key
)


def listing(key: str, neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
    """Return a registered listing for a neighbourhood, or an empty one when no app keeps it."""
    if key not in NEIGHBOURHOOD_LISTINGS:
        return []
    return NEIGHBOURHOOD_LISTINGS[key].items(neighbourhood)


def public_team(neighbourhood: Neighbourhood) -> QuerySet[TeamMembership]:
    """Return the current team of a neighbourhood with what its public listing needs."""
    today = timezone.localdate()
    return (
        neighbourhood.team.filter(start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("officer")
        .prefetch_related("officer__assignments")
    )


def person_data(membership: TeamMembership) -> dict[str, Any]:
    """Return a team member as data.police.uk lists people."""
    open_assignments = [a for a in membership.officer.assignments.all() if a.end_date is None]
    rank = open_assignments[-1].rank if open_assignments else ""
    return {
        "name": membership.public_name,
        "rank": rank,
        "role": translated(membership, "role").text,
        "bio": translated(membership, "bio").text,
        "contact_details": {},
    }


def agency_data(agency: Agency) -> dict[str, Any]:
    """Return an agency's public description."""
    return {
        "id": agency.slug,
        "name": agency.name,
        "url": agency.url,
        "telephone": agency.telephone,
        "description": translated(agency, "description").text,
        "synthetic": agency.synthetic,
        "engagement_methods": [
            {
                "type": m.type,
                "title": translated(m, "title").text,
                "description": translated(m, "description").text,
                "url": m.url,
            }
            for m in agency.engagement_methods.all()
        ],
    }


def neighbourhood_summary(neighbourhood: Neighbourhood) -> dict[str, Any]:
    """Return the short form of a neighbourhood used in lists."""
    return {
        "id": neighbourhood.slug,
        "agency": neighbourhood.agency.slug,
        "name": neighbourhood.name,
        "population": neighbourhood.population,
        "centre": {
            "latitude": str(neighbourhood.centre_latitude),
            "longitude": str(neighbourhood.centre_longitude),
        },
    }


def neighbourhood_data(neighbourhood: Neighbourhood) -> dict[str, Any]:
    """Return everything public about a neighbourhood, its boundary and team included."""
    return {
        **neighbourhood_summary(neighbourhood),
        "description": translated(neighbourhood, "description").text,
        "synthetic": neighbourhood.agency.synthetic,
        "boundary": neighbourhood.boundary,
        "contact_details": neighbourhood.contact_details,
        "links": [
            {
                "title": translated(link, "title").text,
                "url": link.url,
                "description": translated(link, "description").text,
            }
            for link in neighbourhood.links.all()
        ],
        "locations": [
            {
                "type": location.type,
                "name": translated(location, "name").text,
                "description": translated(location, "description").text,
                "address": location.address,
                "postcode": location.postcode,
                "latitude": str(location.latitude),
                "longitude": str(location.longitude),
            }
            for location in neighbourhood.locations.all()
        ],
        "team": [person_data(membership) for membership in public_team(neighbourhood)],
    }


def neighbourhoods_with_agency() -> QuerySet[Neighbourhood]:
    """Return all neighbourhoods with their agency loaded, in display order."""
    return Neighbourhood.objects.select_related("agency").order_by("agency__name", "name")


def agencies() -> QuerySet[Agency]:
    """Return agencies with their engagement methods loaded."""
    return Agency.objects.prefetch_related(Prefetch("engagement_methods")).order_by("name")


def neighbourhood_ref(neighbourhood: Neighbourhood | None) -> dict[str, Any] | None:
    """Return the agency, identifier, name and page of a neighbourhood (None outside all)."""
    if neighbourhood is None:
        return None
    return {
        "agency": neighbourhood.agency.slug,
        "id": neighbourhood.slug,
        "name": neighbourhood.name,
        "url": reverse("core:neighbourhood", args=[neighbourhood.agency.slug, neighbourhood.slug]),
    }


def address_match_data(match: Match) -> dict[str, Any]:
    """Return one address search match: the address, how good a match, its neighbourhood."""
    point = match.point
    return {
        "address": point.label(),
        "number": point.number,
        "street": point.street,
        "unit": point.unit,
        "postcode": point.postcode,
        "locality": point.locality,
        "latitude": str(point.latitude),
        "longitude": str(point.longitude),
        "score": round(match.score, 1),
        "exact": match.exact,
        "neighbourhood": neighbourhood_ref(point.neighbourhood),
    }
