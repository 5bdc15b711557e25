"""Every model of the engagement app, gathered from its areas so that Django finds them.

Each area keeps its own models beside its services and views: events (meetings, registrations,
minutes, the concerns raised there) and priorities (priorities, milestones, measures).
"""

from __future__ import annotations

from commonbeat.engagement.events.models import (
    Event,
    MeetingConcern,
    MinutesComment,
    Registration,
)
from commonbeat.engagement.priorities.models import Measure, Milestone, Priority

__all__ = [
    "Event",
    "Measure",
    "MeetingConcern",
    "Milestone",
    "MinutesComment",
    "Priority",
    "Registration",
]
