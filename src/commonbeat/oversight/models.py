"""Every model of the oversight app, gathered from its areas so that Django finds them.

Each area keeps its own models beside its views and services: cases (complaints,
commendations, allegations), force (use-of-force reports and their review), early
(early-intervention rules, alerts and reviews).
"""

from __future__ import annotations

from commonbeat.oversight.cases.models import (
    Allegation,
    Attachment,
    Complaint,
    Extension,
    InvolvedOfficer,
    Notification,
    Stage,
    StageChange,
    StageDeadline,
    Witness,
)
from commonbeat.oversight.early.models import Alert, AlertReview, AlertRule
from commonbeat.oversight.force.models import (
    BodyCamera,
    ForceOfficer,
    ForceReport,
    ForceResistance,
    ForceReview,
    ForceSubject,
    ForceUse,
)

__all__ = [
    "Alert",
    "AlertReview",
    "AlertRule",
    "Allegation",
    "Attachment",
    "BodyCamera",
    "Complaint",
    "Extension",
    "ForceOfficer",
    "ForceReport",
    "ForceResistance",
    "ForceReview",
    "ForceSubject",
    "ForceUse",
    "InvolvedOfficer",
    "Notification",
    "Stage",
    "StageChange",
    "StageDeadline",
    "Witness",
]
