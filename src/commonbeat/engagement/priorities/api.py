"""The public shape of a priority: issue, source, action, owner, milestones, progress, measure.

A parent's progress is the mean of its parts' (Decidim's rule for results); a priority
without parts reports its own. Only public priorities are ever listed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from commonbeat.core.languages import translated
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.priorities.models import Milestone, Priority

MAX_LISTED = 200


def public_priorities(neighbourhood: Neighbourhood) -> QuerySet[Priority]:
    """A neighbourhood's public top-level priorities with their parts and milestones."""
    parts = Priority.objects.filter(public=True).prefetch_related("milestones")
    return (
        Priority.objects.filter(neighbourhood=neighbourhood, public=True, parent__isnull=True)
        .select_related("measure", "source_event", "neighbourhood__agency")
        .prefetch_related(Prefetch("children", queryset=parts), "milestones")
        .order_by("-issue_date", "-pk")[:MAX_LISTED]
    )


def progress(priority: Priority) -> int:
    """A priority's progress in per cent: its own, or the mean of its public parts'."""
    parts = [p for p in priority.children.all() if p.public]
    if not parts:
        return 100 if priority.status == Priority.Status.DONE else priority.progress
    return round(sum(progress(part) for part in parts) / len(parts))


def milestone_data(milestone: Milestone) -> dict[str, Any]:
    return {
        "milestone": translated(milestone, "title").text,
        "due": milestone.due.isoformat() if milestone.due else None,
        "done": milestone.done_on.isoformat() if milestone.done_on else None,
    }


def priority_data(priority: Priority, *, parts: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": priority.pk,
        "url": reverse("engagement:priority", args=[priority.pk]),
        "neighbourhood": priority.neighbourhood.slug,
        "issue": translated(priority, "issue").text,
        "source": priority.source,
        "source_label": str(priority.get_source_display()),
        "meeting": (
            reverse("engagement:event", args=[priority.source_event_id])
            if priority.source_event_id
            else None
        ),
        "issue_date": priority.issue_date.isoformat(),
        "action": translated(priority, "action").text,
        "action_date": priority.action_date.isoformat() if priority.action_date else None,
        "owner": priority.owner,
        "status": priority.status,
        "status_label": str(priority.get_status_display()),
        "progress": progress(priority),
        "outcome": translated(priority, "outcome").text,
        "measure": translated(priority.measure, "name").text if priority.measure else None,
        "milestones": [milestone_data(m) for m in priority.milestones.all()],
    }
    if parts:
        data["parts"] = [
            priority_data(part, parts=False) for part in priority.children.all() if part.public
        ]
    return data


def listing_data(priority: Priority) -> dict[str, Any]:
    """A priority as the neighbourhood listings give it (core.api.NEIGHBOURHOOD_LISTINGS)."""
    return {
        "issue": translated(priority, "issue").text,
        "issue_date": priority.issue_date,
        "action": translated(priority, "action").text,
        "action_date": priority.action_date,
    }
