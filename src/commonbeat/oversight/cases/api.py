"""The data shapes of the case pages and their JSON/CSV twins.

Every shape is cut by `confidentiality.access()`: a twin carries only what its reader may see.
A list row never carries the complainant's identity, for anyone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from commonbeat.oversight.cases.confidentiality import access, redact
from commonbeat.oversight.cases.models import Complaint
from commonbeat.oversight.cases.workflow import Stage
from commonbeat.records import labels

LIST_HEADER = (
    "reference",
    "kind",
    "stage",
    "received_at",
    "stage_entered_at",
    "due_at",
    "overdue",
    "category",
    "unit",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def is_overdue(case: Complaint, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(case.due_at and case.due_at < now and case.stage != Stage.CLOSED)


# Labels by code, looked up once per row: a model's get_<field>_display() rebuilds (and
# translates) the whole list of choices on every call, which a page of 50 rows felt.
_KIND_LABELS = dict(Complaint.Kind.choices)
_STAGE_LABELS = dict(Stage.choices)


def case_row(case: Complaint, now: datetime) -> dict[str, Any]:
    """One line of a work queue: no identity, no narrative."""
    return {
        "reference": case.reference,
        "kind": case.kind,
        "kind_label": str(_KIND_LABELS.get(case.kind, case.kind)),
        "stage": case.stage,
        "stage_label": str(_STAGE_LABELS.get(case.stage, case.stage)),
        "received_at": _iso(case.received_at),
        "stage_entered_at": _iso(case.stage_entered_at),
        "due_at": _iso(case.due_at),
        "overdue": is_overdue(case, now),
        "category": case.category,
        "unit": case.unit,
    }


def _label(vocabulary: str, code: str) -> str | None:
    return str(labels.label(vocabulary, code)) if code else None


def case_data(user: Any, case: Complaint) -> dict[str, Any]:
    """The case as this user may see it."""
    seen = access(user, case)
    data: dict[str, Any] = {
        "reference": case.reference,
        "kind": case.kind,
        "stage": case.stage,
        "stage_label": str(case.get_stage_display()),
        "received_at": _iso(case.received_at),
        "stage_entered_at": _iso(case.stage_entered_at),
        "due_at": _iso(case.due_at),
        "overdue": is_overdue(case),
        "closed_at": _iso(case.closed_at),
        "access": seen.level.name.lower(),
    }
    if not seen.details:
        return data
    data.update(
        {
            "category": case.category,
            "unit": case.unit,
            "in_jurisdiction": case.in_jurisdiction,
            "referred_to": case.referred_to,
            "mediation_offered": case.mediation_offered,
            "mediation_accepted": case.mediation_accepted,
            "investigator": case.investigator.get_username() if case.investigator else None,
            "allegations": [
                {
                    "id": a.pk,
                    "accused": str(a.accused),
                    "category": a.category,
                    "category_label": _label("allegation_category", a.category),
                    "description": redact(case, a.description)
                    if not seen.identity
                    else a.description,
                    "investigator_finding": a.investigator_finding,
                    "investigator_reason": a.investigator_reason,
                    "board_finding": a.board_finding,
                    "board_reason": a.board_reason,
                    "final_finding": a.final_finding,
                    "final_reason": a.final_reason,
                    "recommended_discipline": a.recommended_discipline,
                    "final_discipline": a.final_discipline,
                }
                for a in case.allegations.select_related("accused__officer").order_by("id")
            ],
            "timeline": [
                {
                    "from": change.from_stage,
                    "from_label": str(change.get_from_stage_display()),
                    "to": change.to_stage,
                    "to_label": str(change.get_to_stage_display()),
                    "at": _iso(change.at),
                    "by": change.actor.get_username() if change.actor else None,
                    "note": change.note,
                }
                for change in case.history.select_related("actor")
            ],
            "extensions": [
                {
                    "stage": ext.stage,
                    "days": ext.days,
                    "reason": ext.reason,
                    "by": ext.actor.get_username(),
                    "at": _iso(ext.at),
                    "due_after": _iso(ext.due_after),
                }
                for ext in case.extensions.select_related("actor")
            ],
        }
    )
    if not seen.narrative:
        return data
    data.update(
        {
            "incident_date": case.incident_date.isoformat(),
            "location_text": case.location_text,
            "narrative": case.narrative if seen.identity else redact(case, case.narrative),
            "officers": [
                {"officer": str(involved), "role": involved.role}
                for involved in case.officers.select_related("officer")
            ],
        }
    )
    if not seen.identity:
        return data
    data.update(
        {
            "complainant": {
                "anonymous": case.anonymous,
                "name": case.complainant_name,
                "email": case.complainant_email,
                "phone": case.complainant_phone,
                "address": case.complainant_address,
                "race": case.complainant_race,
                "gender": case.complainant_gender,
                "age": case.complainant_age,
            },
            "witnesses": [
                {"name": w.name, "contact": w.contact, "statement": w.statement}
                for w in case.witnesses.all()
            ],
            "attachments": [
                {
                    "name": f.original_name,
                    "kind": f.kind,
                    "size": f.size,
                    # Served by intake's staff-only download (the same identity rule).
                    "url": reverse("oversight:attachment", args=(case.reference, f.pk)),
                }
                for f in case.attachments.all()
            ],
        }
    )
    return data
