"""Each neighbourhood's events and priorities, as core.api.NEIGHBOURHOOD_LISTINGS gives them
to the data.police.uk-compatible API (transparency cannot import this app).

Events: upcoming and ongoing, not cancelled, the neighbourhood's own and the agency's
city-wide ones: {title, type, description, address, contact_details, start, end} with times
in the agency's zone. Priorities: public ones, newest first: {issue, issue_date, action,
action_date}. Each list is bounded.
"""

from __future__ import annotations

from typing import Any

from commonbeat.core.api import NeighbourhoodListing
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.events import api as events_api
from commonbeat.engagement.priorities import api as priorities_api
from commonbeat.engagement.priorities.models import Priority

MAX_ITEMS = 100


def events(neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
    return [
        events_api.listing_data(e)
        for e in events_api.neighbourhood_events(neighbourhood)[:MAX_ITEMS]
    ]


def priorities(neighbourhood: Neighbourhood) -> list[dict[str, Any]]:
    found = Priority.objects.filter(neighbourhood=neighbourhood, public=True).order_by(
        "-issue_date", "-pk"
    )[:MAX_ITEMS]
    return [priorities_api.listing_data(p) for p in found]


EVENTS = NeighbourhoodListing("events", events)
PRIORITIES = NeighbourhoodListing("priorities", priorities)
