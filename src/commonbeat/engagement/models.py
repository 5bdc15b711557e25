"""Every model of the engagement app, gathered from its areas so that Django finds them.

Each area keeps its own models beside its services and views: events (meetings, registrations,
minutes, the concerns raised there), concerns (Open311 services and requests), priorities
(priorities, milestones, measures), surveys (instruments, waves, responses, results),
announcements (news, safety alerts, critical incidents and their updates) and volunteers
(programmes, roles, sign-ups, hours served).
"""

from __future__ import annotations

from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentLink,
    IncidentUpdate,
)
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
from commonbeat.engagement.surveys.models import (
    Answer,
    Choice,
    Excerpt,
    Invitation,
    MatrixRow,
    PopulationCount,
    Question,
    Response,
    Survey,
    Wave,
    WaveResult,
)
from commonbeat.engagement.volunteers.models import (
    HoursServed,
    Programme,
    ProgrammeRole,
    Volunteer,
)

__all__ = [
    "Announcement",
    "Answer",
    "ApiKey",
    "AttributeValue",
    "Choice",
    "Concern",
    "CriticalIncident",
    "Event",
    "Excerpt",
    "Follower",
    "HoursServed",
    "IncidentLink",
    "IncidentUpdate",
    "Invitation",
    "MatrixRow",
    "Measure",
    "MeetingConcern",
    "Milestone",
    "MinutesComment",
    "PopulationCount",
    "Priority",
    "Programme",
    "ProgrammeRole",
    "Question",
    "Registration",
    "Response",
    "Service",
    "ServiceAttribute",
    "StatusNote",
    "Survey",
    "Volunteer",
    "Wave",
    "WaveResult",
]
