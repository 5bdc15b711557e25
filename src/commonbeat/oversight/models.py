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
    InvolvedOfficer,
    Stage,
    StageChange,
    Witness,
)
from commonbeat.oversight.early.models import Alert, AlertReview, AlertRule

__all__ = [
    "Alert",
    "AlertReview",
    "AlertRule",
    "Allegation",
    "Attachment",
    "Complaint",
    "InvolvedOfficer",
    "Stage",
    "StageChange",
    "Witness",
]
