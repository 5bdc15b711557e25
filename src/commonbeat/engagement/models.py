"""Every model of the engagement app, gathered from its areas so that Django finds them.

Each area keeps its own models beside its services and views: events (meetings, registrations,
minutes, the concerns raised there), concerns (Open311 services and requests) and priorities (priorities, milestones, measures).
"""

from __future__ import annotations

from commonbeat.engagement.concerns.models import (
    ApiKey,
    AttributeValue,
    Concern,
    Follower,
    Service,
    ServiceAttribute,
    StatusNote,
)
from commonbeat.engagement.events.models import (
    Event,
    MeetingConcern,
    MinutesComment,
    Registration,
)
from commonbeat.engagement.priorities.models import Measure, Milestone, Priority

__all__ = [
    "ApiKey",
    "AttributeValue",
    "Concern",
    "Event",
    "Follower",
    "Measure",
    "MeetingConcern",
    "Milestone",
    "MinutesComment",
    "Priority",
    "Registration",
    "Service",
    "ServiceAttribute",
    "StatusNote",
]
