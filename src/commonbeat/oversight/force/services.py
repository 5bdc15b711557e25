"""Every operation on a use-of-force report: file, edit, submit, review, refer, link.

Views and tests call these; each is atomic and checks who may act, so that a page, a command
or a future API behave alike. Input arrives as plain values (`fields` for the report, lists
of dicts for each kind of child row); what is wrong is raised as a ValidationError naming the
field, and nothing is stored.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.core import audit
from commonbeat.core.models import Neighbourhood, Officer
from commonbeat.core.places import neighbourhood_index
from commonbeat.core.roles import Role
from commonbeat.oversight.cases import receipts
from commonbeat.oversight.cases import services as cases_services
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer, Stage
from commonbeat.oversight.force import chain
from commonbeat.oversight.force.models import (
    FORCE_TYPE_CHOICES,
    OTHER,
    RESISTANCE_CHOICES,
    BodyCamera,
    ForceOfficer,
    ForceReport,
    ForceResistance,
    ForceReview,
    ForceSubject,
    ForceUse,
    Outcome,
    State,
)

FILERS = frozenset({Role.OFFICER, Role.SUPERVISOR})
REPORT_FIELDS = (
    "incident_date",
    "incident_time",
    "location_text",
    "latitude",
    "longitude",
    "incident_number",
    "narrative",
    "deescalation_attempted",
    "deescalation_description",
    "warnings_given",
    "warnings_description",
    "officer_intervened",
    "intervention_description",
)
CHILD_KINDS = ("subjects", "officers", "uses", "resistances", "cameras")
FORCE_TYPES = frozenset(code for code, _label in FORCE_TYPE_CHOICES)
RESISTANCES = frozenset(code for code, _label in RESISTANCE_CHOICES)


# Input checks ------------------------------------------------------------------------------


def _check_fields(fields: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    incident_date = fields.get("incident_date")
    if not isinstance(incident_date, date):
        errors["incident_date"].append(
            _("Enter the date of the incident as YYYY-MM-DD, e.g. 2026-03-14.")
        )
    elif incident_date > timezone.localdate():
        errors["incident_date"].append(
            _("The date of the incident is in the future: enter the day it happened, e.g. %(d)s.")
            % {"d": timezone.localdate().isoformat()}
        )
    if not str(fields.get("narrative") or "").strip():
        errors["narrative"].append(_("Describe what happened, in your own words."))
    latitude, longitude = fields.get("latitude"), fields.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["latitude"].append(
            _("Give both latitude and longitude, e.g. 41.881832 and -87.623177, or neither.")
        )
    if latitude is None and not str(fields.get("location_text") or "").strip():
        errors["location_text"].append(
            _("Say where it happened: an address such as 120 Main Street, or a map point.")
        )
    for flag, text, message in (
        (
            "deescalation_attempted",
            "deescalation_description",
            _("Say what de-escalation you tried, e.g. time, distance, calm talk."),
        ),
        (
            "warnings_given",
            "warnings_description",
            _("Say what warning was given, e.g. 'Stop or I will use the Taser'."),
        ),
        (
            "officer_intervened",
            "intervention_description",
            _("Say how the other officer intervened."),
        ),
    ):
        if fields.get(flag) and not str(fields.get(text) or "").strip():
            errors[text].append(message)


def _row_error(errors: dict[str, list[str]], kind: str, index: int, message: str) -> None:
    errors[kind].append(_("Row %(row)s: %(message)s") % {"row": index + 1, "message": message})


def _check_children(
    author_officer: Officer, children: Mapping[str, list[dict[str, Any]]], errors: Any
) -> None:
    numbers: set[int] = set()
    for i, subject in enumerate(children.get("subjects", [])):
        number = subject.get("number")
        if not isinstance(number, int) or number < 1:
            _row_error(errors, "subjects", i, _("give the subject a number, e.g. 1."))
        elif number in numbers:
            _row_error(
                errors, "subjects", i, _("two subjects have the number %(n)s.") % {"n": number}
            )
        else:
            numbers.add(number)
        age = subject.get("age")
        if age is not None and not (0 <= age <= 120):
            _row_error(errors, "subjects", i, _("an age is a number of years, e.g. 34."))
        if subject.get("injured") and not str(subject.get("injury_description") or "").strip():
            _row_error(errors, "subjects", i, _("describe the subject's injuries."))
    officers = {author_officer.pk}
    for i, row in enumerate(children.get("officers", [])):
        officer = row.get("officer")
        if not isinstance(officer, Officer) or officer.agency_id != author_officer.agency_id:
            _row_error(errors, "officers", i, _("choose an officer of your agency from the list."))
            continue
        officers.add(officer.pk)
        if row.get("injured") and not str(row.get("injury_description") or "").strip():
            _row_error(errors, "officers", i, _("describe the officer's injuries."))
    for kind, key, known, name in (
        ("uses", "force_type", FORCE_TYPES, _("force type")),
        ("resistances", "resistance", RESISTANCES, _("resistance")),
    ):
        for i, row in enumerate(children.get(kind, [])):
            value = row.get(key)
            if value not in known:
                _row_error(
                    errors,
                    kind,
                    i,
                    _(
                        "%(value)r is not a %(name)s we know: choose one from the list, or "
                        "“Other” and describe it."
                    )
                    % {"value": value, "name": name},
                )
            elif value == OTHER and not str(row.get("other_text") or "").strip():
                _row_error(errors, kind, i, _("describe the “Other” %(name)s.") % {"name": name})
            officer = row.get("officer")
            if not isinstance(officer, Officer) or officer.pk not in officers:
                _row_error(
                    errors,
                    kind,
                    i,
                    _("choose one of the officers involved (add them above first)."),
                )
            if row.get("subject_number") not in numbers:
                _row_error(errors, kind, i, _("choose one of the subjects listed above."))
    for i, row in enumerate(children.get("cameras", [])):
        if not str(row.get("footage") or "").strip():
            _row_error(errors, "cameras", i, _("give the footage identifier, e.g. AXON-2026-0042."))
        officer = row.get("officer")
        if officer is not None and (
            not isinstance(officer, Officer) or officer.agency_id != author_officer.agency_id
        ):
            _row_error(errors, "cameras", i, _("choose an officer of your agency from the list."))


def validate(
    author_officer: Officer, fields: Mapping[str, Any], children: Mapping[str, list[dict[str, Any]]]
) -> None:
    """Raise a ValidationError naming every field that is wrong, with an example."""
    errors: dict[str, list[str]] = defaultdict(list)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        errors["__all__"].append(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    _check_fields(fields, errors)
    _check_children(author_officer, children, errors)
    if errors:
        raise ValidationError(dict(errors))


def _locate(fields: Mapping[str, Any]) -> Neighbourhood | None:
    if fields.get("latitude") is None or fields.get("longitude") is None:
        return None
    found = neighbourhood_index().locate(float(fields["latitude"]), float(fields["longitude"]))
    return Neighbourhood.objects.filter(pk=found.neighbourhood_id).first() if found else None


# Child rows are kept in step with what was sent: rows with a natural key (a subject's number,
# an officer) are matched by it, the others position by position. An unchanged row is not
# saved again, so its history shows only real edits.
def _sync(
    existing: Iterable[models.Model],
    wanted: list[dict[str, Any]],
    make: Any,
    actor: Any,
    key: str | None = None,
) -> list[models.Model]:
    rows = list(existing)
    if key is None:
        pairs: list[tuple[models.Model | None, dict[str, Any]]] = [
            (rows[i] if i < len(rows) else None, values) for i, values in enumerate(wanted)
        ]
        surplus = rows[len(wanted) :]
    else:
        by_key = {getattr(row, key): row for row in rows}
        pairs = [(by_key.pop(values[key], None), values) for values in wanted]
        surplus = list(by_key.values())
    for row in surplus:
        row._history_user = actor  # type: ignore[attr-defined]
        row.delete()
    kept: list[models.Model] = []
    for found, values in pairs:
        if found is None:
            row = make(**values)
            changed = list(values)
        else:
            row = found
            changed = [k for k, v in values.items() if getattr(row, k) != v]
            for name in changed:
                setattr(row, name, values[name])
        if changed:
            row._history_user = actor  # type: ignore[attr-defined]
            row.save()
        kept.append(row)
    return kept


def _maker(model: type[models.Model], report: ForceReport) -> Any:
    return lambda **values: model(report=report, **values)


def _write_children(
    report: ForceReport, children: Mapping[str, list[dict[str, Any]]], actor: Any
) -> None:
    subjects = _sync(
        report.subjects.order_by("id"),
        [dict(s) for s in children.get("subjects", [])],
        _maker(ForceSubject, report),
        actor,
        key="number",
    )
    by_number = {s.number: s for s in subjects}  # type: ignore[attr-defined]
    officer_rows = [dict(r) for r in children.get("officers", [])]
    if report.author_officer_id not in {r["officer"].pk for r in officer_rows}:
        officer_rows.insert(0, {"officer": report.author_officer})
    _sync(
        report.officers.order_by("id"),
        officer_rows,
        _maker(ForceOfficer, report),
        actor,
        key="officer",
    )
    for kind, model, key in (
        ("uses", ForceUse, "force_type"),
        ("resistances", ForceResistance, "resistance"),
    ):
        wanted = []
        for row in children.get(kind, []):
            values = {k: v for k, v in row.items() if k != "subject_number"}
            values["subject"] = by_number[row["subject_number"]]
            if values[key] != OTHER:
                values["other_text"] = ""
            wanted.append(values)
        _sync(getattr(report, kind).order_by("id"), wanted, _maker(model, report), actor)
    _sync(
        report.cameras.order_by("id"),
        [dict(r) for r in children.get("cameras", [])],
        _maker(BodyCamera, report),
        actor,
    )


def _normalise(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = {key: fields.get(key) for key in REPORT_FIELDS}
    for key in ("latitude", "longitude"):
        if values[key] is not None:
            values[key] = Decimal(str(values[key])).quantize(Decimal("0.000001"))
    for key in REPORT_FIELDS:
        if values[key] is None and key not in ("incident_time", "latitude", "longitude"):
            values[key] = (
                False
                if key in ("deescalation_attempted", "warnings_given", "officer_intervened")
                else ""
            )
    return values


# Filing and editing ------------------------------------------------------------------------


def may_file(user: Any) -> bool:
    """Return whether the user may file reports (an officer or supervisor on the roster)."""
    return bool(user.is_authenticated and user.role in FILERS and user.officer_id)


@transaction.atomic
def create_report(
    author: Any, fields: Mapping[str, Any], children: Mapping[str, list[dict[str, Any]]]
) -> ForceReport:
    """Return a new draft report by the author, with its child rows."""
    if not may_file(author):
        raise PermissionDenied(
            _("Only an officer or supervisor linked to the roster files reports.")
        )
    validate(author.officer, fields, children)
    report = ForceReport(
        agency_id=author.officer.agency_id,
        author=author,
        author_officer=author.officer,
        created_at=timezone.now(),
        **_normalise(fields),
    )
    report.neighbourhood = _locate(fields)
    report._history_user = author  # type: ignore[attr-defined]
    report.save()
    _write_children(report, children, author)
    return report


@transaction.atomic
def update_report(
    report: ForceReport,
    actor: Any,
    fields: Mapping[str, Any],
    children: Mapping[str, list[dict[str, Any]]],
) -> ForceReport:
    """Save the author's edit of a draft or returned report (every version is kept)."""
    report = ForceReport.objects.select_for_update().get(pk=report.pk)
    if actor.pk != report.author_id:
        raise PermissionDenied(_("Only the report's author may edit it."))
    if not report.editable:
        raise PermissionDenied(
            _("A report under review or reviewed cannot be edited; it can be returned to you.")
        )
    validate(report.author_officer, fields, children)
    values = _normalise(fields)
    values["neighbourhood"] = _locate(fields)
    changed = [k for k, v in values.items() if getattr(report, k) != v]
    for key in changed:
        setattr(report, key, values[key])
    if changed:
        report._history_user = actor  # type: ignore[attr-defined]
        report.save()
    _write_children(report, children, actor)
    return report


@transaction.atomic
def submit_report(report: ForceReport, actor: Any) -> ForceReport:
    """Send the author's report to level 1 of the chain of command."""
    report = ForceReport.objects.select_for_update().get(pk=report.pk)
    if actor.pk != report.author_id:
        raise PermissionDenied(_("Only the report's author may submit it."))
    problems = []
    if not report.subjects.exists():
        problems.append(_("Add at least one subject force was used on."))
    if not report.uses.exists():
        problems.append(_("Add at least one row of force used."))
    if problems:
        raise ValidationError({"__all__": problems})
    report.unit = chain.current_unit(report.author_officer)
    report.author_rank = chain.current_rank(report.author_officer)
    report.submit()
    report.submitted_at = timezone.now()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    return report


# Review ------------------------------------------------------------------------------------


@transaction.atomic
def review_report(
    report: ForceReport, reviewer: Any, decision: str, comments: str = ""
) -> ForceReview:
    """Record a review step: return it, or decide (level 1 recommends; the last level decides)."""
    report = ForceReport.objects.select_for_update().get(pk=report.pk)
    if not chain.may_review(reviewer, report):
        raise PermissionDenied(
            _("You are not this report's reviewer at level %(level)s of its chain of command.")
            % {"level": report.review_level}
        )
    if decision not in ForceReview.Decision.values:
        raise ValidationError(
            {
                "decision": [
                    _(
                        "Choose a decision: within policy, training needed, referred to "
                        "investigation, or returned for correction."
                    )
                ]
            }
        )
    comments = comments.strip()
    if decision in (ForceReview.Decision.RETURNED, ForceReview.Decision.REFERRED) and not comments:
        raise ValidationError(
            {"comments": [_("Say why, so that the author (or the investigator) knows what to do.")]}
        )
    review = ForceReview.objects.create(
        report=report,
        reviewer=reviewer,
        reviewer_officer=reviewer.officer,
        level=report.review_level,
        decision=decision,
        comments=comments,
        at=timezone.now(),
    )
    if decision == ForceReview.Decision.RETURNED:
        report.return_for_correction()
    elif report.review_level < chain.LEVELS:
        report.forward()
    else:
        report.conclude(decision)
        report.reviewed_at = review.at
        if decision == Outcome.REFERRED:
            report.referral = refer_to_investigation(report, reviewer, comments)
    report._history_user = reviewer  # type: ignore[attr-defined]
    report.save()
    return review


@transaction.atomic
def refer_to_investigation(report: ForceReport, actor: Any, reason: str = "") -> Complaint:
    """Open an internal case (a complaint received) about the report's officers."""
    now = timezone.now()
    narrative = _("Referred to investigation from use-of-force report %(n)s.") % {"n": report.pk}
    if reason:
        narrative += "\n" + _("Reviewer's reasons: %(r)s") % {"r": reason}
    narrative += "\n\n" + report.narrative
    complaint = Complaint(
        agency_id=report.agency_id,
        kind=Complaint.Kind.COMPLAINT,
        reference=receipts.new_reference("UF"),
        # Nobody follows an internal case with a receipt: no secret matches an empty hash.
        secret_hash="",
        stage=Stage.RECEIVED,
        received_at=now,
        channel=Complaint.Channel.INTERNAL,
        filed_by=actor,
        on_behalf=True,
        anonymous=True,
        incident_date=report.incident_date,
        incident_time=report.incident_time,
        location_text=report.location_text,
        latitude=report.latitude,
        longitude=report.longitude,
        neighbourhood=report.neighbourhood,
        narrative=narrative,
        content_hash=hashlib.sha256(
            f"{report.incident_date}|{report.neighbourhood_id}|{narrative}".encode()
        ).hexdigest(),
        unit=report.unit,
        stage_entered_at=now,
    )
    complaint.save()
    for involved in report.officers.select_related("officer"):
        InvolvedOfficer.objects.create(
            complaint=complaint, officer=involved.officer, role=InvolvedOfficer.Role.ACCUSED
        )
    # The case starts as any other: its deadline, its first stage change, the notices.
    cases_services.record_receipt(complaint, actor=actor)
    report.complaints.add(complaint)
    return complaint


# Complaints about the same incident --------------------------------------------------------


@transaction.atomic
def link_complaint(report: ForceReport, complaint: Complaint, actor: Any) -> None:
    """Link a complaint about the same incident to the report."""
    if complaint.agency_id != report.agency_id:
        raise ValidationError({"complaint": [_("That complaint is another agency's.")]})
    _log_links(report, lambda: report.complaints.add(complaint), actor)


@transaction.atomic
def unlink_complaint(report: ForceReport, complaint: Complaint, actor: Any) -> None:
    """Remove a complaint's link to the report."""
    _log_links(report, lambda: report.complaints.remove(complaint), actor)


def _log_links(report: ForceReport, change: Any, actor: Any) -> None:
    # Links are a many-to-many table the audit log's save signals do not see: log them here.
    before = sorted(report.complaints.values_list("reference", flat=True))
    change()
    after = sorted(report.complaints.values_list("reference", flat=True))
    if before != after:
        with audit.acting_as(audit.actor_for_user(actor)):
            audit.append("update", report, {"complaints": [before, after]})


def suggest_complaints(report: ForceReport) -> list[Complaint]:
    """Return complaints that may be about the same incident: same date, and same
    neighbourhood or an officer of the report named in them."""
    officers = list(report.officers.values_list("officer_id", flat=True))
    same_place = (
        models.Q(neighbourhood_id=report.neighbourhood_id)
        if report.neighbourhood_id
        else models.Q(pk__in=[])
    )
    found = (
        Complaint.objects.filter(
            agency_id=report.agency_id,
            kind=Complaint.Kind.COMPLAINT,
            incident_date=report.incident_date,
        )
        .filter(same_place | models.Q(officers__officer_id__in=officers))
        .exclude(pk__in=report.complaints.values("pk"))
        .distinct()
        .order_by("received_at")
    )
    return list(found[:20])


# The public aggregate ----------------------------------------------------------------------


def review_outcome_counts(agency: Any = None) -> list[dict[str, Any]]:
    """Return per month: reports submitted, reports reviewed, and each outcome's count.

    A report counts in the month it was (last) submitted and in the month its review
    concluded. Drafts are not counted. For the release contributor; small cells are the
    release's to suppress.
    """
    reports = ForceReport.objects.all()
    if agency is not None:
        reports = reports.filter(agency=agency)
    months: dict[str, dict[str, Any]] = {}

    def month_row(month: Any) -> dict[str, Any]:
        key = month.strftime("%Y-%m")
        return months.setdefault(
            key,
            {"month": key, "submitted": 0, "reviewed": 0, **dict.fromkeys(Outcome.values, 0)},
        )

    submitted = (
        reports.filter(submitted_at__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=models.Count("id"))
    )
    for row in submitted:
        month_row(row["month"])["submitted"] += row["n"]
    reviewed = (
        reports.filter(state=State.REVIEWED, reviewed_at__isnull=False)
        .annotate(month=TruncMonth("reviewed_at"))
        .values("month", "outcome")
        .annotate(n=models.Count("id"))
    )
    for row in reviewed:
        entry = month_row(row["month"])
        entry["reviewed"] += row["n"]
        entry[row["outcome"]] += row["n"]
    return [months[key] for key in sorted(months)]


def officer_incident_counts(
    since: date, until: date, agency: Any = None
) -> dict[int, dict[str, int]]:
    """Return per officer id: force incidents (reports beyond draft naming them as involved,
    by incident date in [since, until]) and those with an injured subject.

    For early intervention's indicators; a report's author and the officers they list count
    alike.
    """
    rows = ForceOfficer.objects.filter(
        report__incident_date__gte=since, report__incident_date__lte=until
    ).exclude(report__state=State.DRAFT)
    if agency is not None:
        rows = rows.filter(report__agency=agency)
    counts: dict[int, dict[str, int]] = {}
    injured = set(
        ForceSubject.objects.filter(injured=True).values_list("report_id", flat=True).distinct()
    )
    for officer_id, report_id in rows.values_list("officer_id", "report_id"):
        entry = counts.setdefault(officer_id, {"incidents": 0, "subject_injuries": 0})
        entry["incidents"] += 1
        if report_id in injured:
            entry["subject_injuries"] += 1
    return counts
