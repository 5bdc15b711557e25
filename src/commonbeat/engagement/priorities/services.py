"""The one way to change priorities that is more than a back-office edit: a concern raised at
a meeting becoming a priority of the meeting's neighbourhood."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.engagement.events.models import MeetingConcern
from commonbeat.engagement.events.services import Refused
from commonbeat.engagement.priorities.models import Priority


def make_priority(concern: MeetingConcern, **fields: Any) -> Priority:
    """Turn a concern raised at a meeting into a priority of the meeting's neighbourhood."""
    event = concern.event
    if event.neighbourhood_id is None:
        raise Refused(
            _("A city-wide meeting's concern needs a neighbourhood: create the priority there.")
        )
    if concern.priority_id is not None:
        raise Refused(_("This concern is already a priority."))
    with transaction.atomic():
        priority = Priority.objects.create(
            neighbourhood_id=event.neighbourhood_id,
            source=Priority.Source.MEETING,
            source_event=event,
            issue_en=fields.pop("issue_en", None) or concern.summary_en or concern.summary_es,
            issue_es=fields.pop("issue_es", None) or concern.summary_es or "",
            issue_date=fields.pop("issue_date", None) or timezone.localdate(),
            **fields,
        )
        concern.priority = priority
        concern.status = MeetingConcern.Status.PRIORITY
        concern.save(update_fields=["priority", "status"])
    return priority
