"""The data shapes of the force pages (their JSON and CSV twins) and the report's versions.

None of this is public: the twins answer only those the page itself admits.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from commonbeat.oversight.force.models import (
    BodyCamera,
    ForceOfficer,
    ForceReport,
    ForceResistance,
    ForceSubject,
    ForceUse,
)

LIST_FIELDS = (
    "id",
    "state",
    "incident_date",
    "incident_number",
    "neighbourhood",
    "unit",
    "author",
    "submitted_at",
    "review_level",
    "outcome",
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def report_row(report: ForceReport) -> dict[str, Any]:
    """Return one report as a row of a list."""
    return {
        "id": report.pk,
        "state": report.state,
        "state_label": str(report.get_state_display()),
        "incident_date": _iso(report.incident_date),
        "incident_number": report.incident_number,
        "neighbourhood": report.neighbourhood.name if report.neighbourhood else None,
        "unit": report.unit,
        "author": str(report.author_officer),
        "submitted_at": _iso(report.submitted_at),
        "review_level": report.review_level,
        "outcome": report.outcome,
        "url": reverse("oversight:force_detail", args=[report.pk]),
    }


def list_table(rows: list[dict[str, Any]]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """Return a list's CSV header and rows."""
    return LIST_FIELDS, [[row[field] for field in LIST_FIELDS] for row in rows]


def report_detail(report: ForceReport) -> dict[str, Any]:
    """Return the whole report: the incident, its rows, the review so far."""
    data = report_row(report)
    data.update(
        {
            "incident_time": _iso(report.incident_time),
            "location_text": report.location_text,
            "latitude": str(report.latitude) if report.latitude is not None else None,
            "longitude": str(report.longitude) if report.longitude is not None else None,
            "narrative": report.narrative,
            "deescalation_attempted": report.deescalation_attempted,
            "deescalation_description": report.deescalation_description,
            "warnings_given": report.warnings_given,
            "warnings_description": report.warnings_description,
            "officer_intervened": report.officer_intervened,
            "intervention_description": report.intervention_description,
            "subjects": [
                {
                    "number": s.number,
                    "age": s.age,
                    "race": s.race,
                    "gender": s.gender,
                    "injured": s.injured,
                    "injury_description": s.injury_description,
                    "medical_treatment": s.medical_treatment,
                }
                for s in report.subjects.order_by("number")
            ],
            "officers": [
                {
                    "officer": str(o.officer),
                    "author": o.officer_id == report.author_officer_id,
                    "injured": o.injured,
                    "injury_description": o.injury_description,
                }
                for o in report.officers.select_related("officer").order_by("id")
            ],
            "force_used": [
                {
                    "officer": str(u.officer),
                    "subject": u.subject.number,
                    "force_type": u.force_type,
                    "other_text": u.other_text,
                }
                for u in report.uses.select_related("officer", "subject").order_by("id")
            ],
            "resistance_met": [
                {
                    "officer": str(r.officer),
                    "subject": r.subject.number,
                    "resistance": r.resistance,
                    "other_text": r.other_text,
                }
                for r in report.resistances.select_related("officer", "subject").order_by("id")
            ],
            "body_cameras": [
                {
                    "officer": str(c.officer) if c.officer else None,
                    "camera": c.camera,
                    "footage": c.footage,
                }
                for c in report.cameras.select_related("officer").order_by("id")
            ],
            "reviews": [
                {
                    "level": r.level,
                    "reviewer": str(r.reviewer_officer or r.reviewer),
                    "decision": r.decision,
                    "comments": r.comments,
                    "at": _iso(r.at),
                }
                for r in report.reviews.select_related("reviewer", "reviewer_officer")
            ],
            "complaints": list(report.complaints.values_list("reference", flat=True)),
            "referral": report.referral.reference if report.referral else None,
        }
    )
    return data


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
_CHILDREN: tuple[Any, ...] = (ForceSubject, ForceOfficer, ForceUse, ForceResistance, BodyCamera)
# Bookkeeping that every save touches or that the state machine moves on its own.
_QUIET = frozenset({"id", "report"})


def _shown(field: Any, value: Any) -> str:
    # A version stores a related row's key and a choice's code: show what a reader knows.
    if value is not None and field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    if value not in (None, "") and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return _value(value)


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def _entry(record: Any, what: str) -> dict[str, Any]:
    changes = []
    previous = record.prev_record if record.history_type == "~" else None
    model = record.instance_type
    if previous is not None:
        for change in record.diff_against(previous).changes:
            if change.field in _QUIET:
                continue
            field = model._meta.get_field(change.field)
            changes.append(
                {
                    "field": str(field.verbose_name),
                    "before": _shown(field, change.old),
                    "after": _shown(field, change.new),
                }
            )
    elif record.history_type == "+":
        for field in model._meta.concrete_fields:
            if field.name in _QUIET:
                continue
            value = getattr(record, field.attname)
            if value not in (None, "", False):
                changes.append(
                    {"field": str(field.verbose_name), "before": "—", "after": _shown(field, value)}
                )
    user = record.history_user
    return {
        "at": record.history_date,
        "who": str(getattr(user, "officer", None) or user or _("unknown")),
        "record": what,
        "action": _ACTIONS[record.history_type],
        "changes": changes,
    }


def versions(report: ForceReport) -> list[dict[str, Any]]:
    """Return every version of the report and its rows, oldest first, with what changed."""
    entries = [_entry(record, str(_("Report"))) for record in report.history.all()]
    for model in _CHILDREN:
        name = str(model._meta.verbose_name).capitalize()
        for record in model.history.filter(report_id=report.pk):
            label = name
            if model is ForceSubject:
                label = f"{name} {record.number}"
            entries.append(_entry(record, label))
    entries.sort(key=lambda e: e["at"])
    return entries


def versions_data(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the versions as JSON-ready values."""
    return [{**e, "at": e["at"].isoformat()} for e in entries]
