"""Filing a complaint or a commendation: the one way in, for the form, the API and staff.

`file_report()` takes what a person sent (already read into a `Report`), checks all of it,
and either stores the whole report (the case, the officers and witnesses named, the files)
and returns its receipt, or stores nothing and raises `ValidationError` naming each field
that needs fixing with an example of a good value.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from commonbeat.core import address_search
from commonbeat.core.models import Agency, Assignment, Neighbourhood, Officer
from commonbeat.core.places import neighbourhood_index
from commonbeat.core.vocab import Gender, Race
from commonbeat.oversight.cases import receipts
from commonbeat.oversight.cases import services as cases
from commonbeat.oversight.cases.models import Attachment, Complaint, InvolvedOfficer, Witness
from commonbeat.oversight.intake import files

DUPLICATE_DAYS = 30  # the same text about the same incident within this many days
NAME_MATCH = 90  # rapidfuzz token-sort score for a name to be taken as a roster officer
MAX_OFFICERS = 5
# Officers scored against a name given, at most (a large agency's common initials).
MAX_CANDIDATES = 20_000
MAX_WITNESSES = 5


@dataclass
class OfficerGiven:
    name: str = ""
    badge: str = ""
    description: str = ""

    def empty(self) -> bool:
        return not (self.name or self.badge or self.description)


@dataclass
class WitnessGiven:
    name: str = ""
    contact: str = ""
    statement: str = ""

    def empty(self) -> bool:
        return not (self.name or self.contact or self.statement)


@dataclass
class Report:
    """What a person sent, as text (the form and the API read their input into this)."""

    kind: str = "complaint"
    incident_date: str = ""
    incident_time: str = ""
    location_text: str = ""
    latitude: str = ""
    longitude: str = ""
    narrative: str = ""
    officers: list[OfficerGiven] = field(default_factory=list)
    witnesses: list[WitnessGiven] = field(default_factory=list)
    anonymous: bool = False
    complainant_name: str = ""
    complainant_email: str = ""
    complainant_phone: str = ""
    complainant_address: str = ""
    complainant_race: str = ""
    complainant_gender: str = ""
    complainant_age: str = ""
    language: str = "en"
    agency: str = ""
    channel: str = Complaint.Channel.WEB
    on_behalf: bool = False
    organisation: str = ""
    files: list[UploadedFile] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    complaint: Complaint
    secret: str
    duplicate_of: Complaint | None


def _date(text: str, errors: dict[str, str]) -> date | None:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        errors["incident_date"] = _(
            "Give the date it happened as year-month-day, e.g. %(example)s."
        ) % {"example": (timezone.localdate() - timedelta(days=2)).isoformat()}
        return None
    if value > timezone.localdate():
        errors["incident_date"] = _(
            "The date it happened cannot be in the future; e.g. %(example)s."
        ) % {"example": timezone.localdate().isoformat()}
        return None
    if value < date(1950, 1, 1):
        errors["incident_date"] = _("Give a date after 1950, e.g. %(example)s.") % {
            "example": timezone.localdate().isoformat()
        }
        return None
    return value


def _time(text: str, errors: dict[str, str]) -> time | None:
    if not text.strip():
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        errors["incident_time"] = _("Give the time as hours and minutes, e.g. 21:30.")
        return None


def _point(report: Report, errors: dict[str, str]) -> tuple[Decimal, Decimal] | None:
    if not report.latitude.strip() and not report.longitude.strip():
        return None
    try:
        lat, lng = Decimal(report.latitude.strip()), Decimal(report.longitude.strip())
    except ArithmeticError:
        errors["latitude"] = _("Give the place as decimal degrees, e.g. 41.5868 and -93.6250.")
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["latitude"] = _("Give the place as decimal degrees, e.g. 41.5868 and -93.6250.")
        return None
    return lat.quantize(Decimal("0.000001")), lng.quantize(Decimal("0.000001"))


def _agency(report: Report, neighbourhood: Neighbourhood | None, errors: dict[str, str]) -> Agency:
    if neighbourhood is not None:
        return neighbourhood.agency
    agencies = Agency.objects.order_by("name")
    if report.agency:
        chosen = agencies.filter(slug=report.agency).first()
        if chosen is None:
            errors["agency"] = _("Choose the police department from the list.")
        return chosen or agencies.first()  # type: ignore[return-value]
    only = list(agencies[:2])
    if len(only) != 1:
        errors["agency"] = _("Choose the police department from the list.")
    return only[0] if only else Agency()


def _place(report: Report, errors: dict[str, str]) -> tuple[Any, Neighbourhood | None]:
    """Return the point and neighbourhood: from the map pick, else the address looked up."""
    point = _point(report, errors)
    if point is None and report.location_text.strip():
        match = address_search.search(report.location_text).clear_match
        if match is not None:
            point = (match.point.latitude, match.point.longitude)
    neighbourhood = None
    if point is not None:
        found = neighbourhood_index().locate(float(point[0]), float(point[1]))
        if found is not None:
            neighbourhood = Neighbourhood.objects.filter(pk=found.neighbourhood_id).first()
    return point, neighbourhood


def _name_candidates(agency: Agency, name: str) -> Any:
    """The agency's officers whose first or last name begins as a word of `name` does.

    A name scoring NAME_MATCH or more against the one given shares its words' first letters
    (a typo there would cost more than the score allows), so the roster is narrowed in the
    database instead of scoring every officer of a large agency in Python for each report.
    """
    words = [w for w in name.replace(",", " ").split() if len(w) >= 2][:4]
    if not words:
        return Officer.objects.none()
    starts = Q()
    for word in words:
        starts |= Q(last_name__istartswith=word[:2]) | Q(first_name__istartswith=word[:2])
    return Officer.objects.filter(agency=agency).filter(starts).order_by("pk")


def _officer(agency: Agency, given: OfficerGiven, index: int, errors: dict[str, str]) -> Any:
    """Return the roster officer the person means, None when not sure, or record an error."""
    if given.badge:
        badge = given.badge.strip().lstrip("#")
        found = list(
            Assignment.objects.filter(
                officer__agency=agency, badge_number__iexact=badge, end_date__isnull=True
            )
            .select_related("officer")
            .values_list("officer", flat=True)
            .distinct()[:2]
        )
        if len(found) != 1:
            errors[f"officer_badge_{index}"] = _(
                "No officer of %(agency)s has the badge %(badge)s now. Check the number, or "
                "leave it empty and describe the officer instead (e.g. 'tall, grey "
                "moustache, bicycle patrol')."
            ) % {"agency": agency.name, "badge": badge}
            return None
        return Officer.objects.get(pk=found[0])
    if given.name:
        names = {
            pk: f"{first} {last}"
            for pk, first, last in _name_candidates(agency, given.name).values_list(
                "pk", "first_name", "last_name"
            )[:MAX_CANDIDATES]
        }
        best = process.extract(
            given.name, names, scorer=fuzz.token_sort_ratio, limit=2, score_cutoff=NAME_MATCH
        )
        # Linked only when one officer stands out; otherwise intake staff decide.
        if len(best) == 1 or (len(best) == 2 and best[0][1] - best[1][1] >= 5):
            return Officer.objects.get(pk=best[0][2])
    return None


def content_hash(narrative: str, incident_date: date | None, place: str) -> str:
    """The duplicate-detection key: the text as words, the day, the place as words."""
    words = " ".join(re.findall(r"\w+", narrative.lower()))
    where = " ".join(re.findall(r"\w+", place.lower()))
    return hashlib.sha256(f"{words}|{incident_date}|{where}".encode()).hexdigest()


def _check(report: Report) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if report.kind not in Complaint.Kind.values:
        errors["kind"] = _("Choose complaint or commendation.")
    values["incident_date"] = _date(report.incident_date, errors)
    values["incident_time"] = _time(report.incident_time, errors)
    narrative = report.narrative.strip()
    if len(narrative) < 10:
        errors["narrative"] = _(
            "Say what happened in a few words at least, e.g. 'The officer pushed me outside "
            "the library and would not give a badge number.'"
        )
    elif len(narrative) > 20_000:
        errors["narrative"] = _(
            "Keep what happened under 20,000 characters; attach a PDF for more."
        )
    values["narrative"] = narrative
    values["point"], values["neighbourhood"] = _place(report, errors)
    values["agency"] = _agency(report, values["neighbourhood"], errors)
    email = report.complainant_email.strip()
    if not report.anonymous and email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["complainant_email"] = _("Give an e-mail address such as name@example.org.")
    if report.complainant_race and report.complainant_race not in Race.values:
        errors["complainant_race"] = _("Choose from the list, or leave it empty.")
    if report.complainant_gender and report.complainant_gender not in Gender.values:
        errors["complainant_gender"] = _("Choose from the list, or leave it empty.")
    age = report.complainant_age.strip()
    if age and (not age.isdigit() or not 1 <= int(age) <= 120):
        errors["complainant_age"] = _("Give an age in years, e.g. 34, or leave it empty.")
    values["age"] = int(age) if age.isdigit() else None
    officers = [o for o in report.officers if not o.empty()][:MAX_OFFICERS]
    values["officers"] = [
        (o, _officer(values["agency"], o, i, errors) if values["agency"].pk else None)
        for i, o in enumerate(officers, start=1)
    ]
    values["witnesses"] = [w for w in report.witnesses if not w.empty()][:MAX_WITNESSES]
    if len(report.files) > files_limit():
        errors["attachments"] = _("Send at most %(n)s files with one report.") % {
            "n": files_limit()
        }
    checked = []
    for upload in report.files:
        try:
            checked.append(files.check(upload))
        except files.Refused as refused:
            errors["attachments"] = str(refused)
    values["files"] = checked
    return values, errors


def files_limit() -> int:
    from django.conf import settings

    return int(settings.INTAKE_MAX_FILES)


def file_report(report: Report, *, actor: Any = None, status_url: str = "") -> Receipt:
    """Store the whole report and return its receipt, or store nothing (ValidationError)."""
    values, errors = _check(report)
    if errors:
        raise ValidationError(errors)
    signed_in = actor if getattr(actor, "is_authenticated", False) else None
    anonymous = report.anonymous
    digest = content_hash(values["narrative"], values["incident_date"], report.location_text)
    now = timezone.now()
    secret = receipts.new_secret()
    with transaction.atomic(), files.storing() as written:
        earlier = (
            Complaint.objects.filter(
                content_hash=digest,
                received_at__gte=now - timedelta(days=DUPLICATE_DAYS),
                duplicate_of__isnull=True,
            )
            .order_by("received_at")
            .first()
        )
        point = values["point"] or (None, None)
        complaint = Complaint.objects.create(
            agency=values["agency"],
            kind=report.kind,
            reference=receipts.new_reference(),
            secret_hash=receipts.hash_secret(secret),
            received_at=now,
            stage_entered_at=now,
            channel=report.channel,
            language=report.language if report.language in ("en", "es") else "en",
            filed_by=signed_in,
            on_behalf=report.on_behalf,
            organisation=report.organisation.strip()[:200],
            anonymous=anonymous,
            complainant_name="" if anonymous else report.complainant_name.strip()[:200],
            complainant_email="" if anonymous else report.complainant_email.strip()[:254],
            complainant_phone="" if anonymous else report.complainant_phone.strip()[:40],
            complainant_address="" if anonymous else report.complainant_address.strip()[:300],
            complainant_race=report.complainant_race or Race.NOT_RECORDED,
            complainant_gender=report.complainant_gender or Gender.NOT_RECORDED,
            complainant_age=values["age"],
            incident_date=values["incident_date"],
            incident_time=values["incident_time"],
            location_text=report.location_text.strip()[:300],
            latitude=point[0],
            longitude=point[1],
            neighbourhood=values["neighbourhood"],
            narrative=values["narrative"],
            content_hash=digest,
            duplicate_of=earlier,
        )
        role = (
            InvolvedOfficer.Role.COMMENDED
            if report.kind == Complaint.Kind.COMMENDATION
            else InvolvedOfficer.Role.ACCUSED
        )
        for given, officer in values["officers"]:
            InvolvedOfficer.objects.create(
                complaint=complaint,
                officer=officer,
                role=role,
                name_given=given.name.strip()[:200],
                badge_given=given.badge.strip()[:20],
                description=given.description.strip(),
            )
        for witness in values["witnesses"]:
            Witness.objects.create(
                complaint=complaint,
                name=witness.name.strip()[:200],
                contact=witness.contact.strip()[:300],
                statement=witness.statement.strip(),
            )
        for checked in values["files"]:
            stored = files.store(checked, written)
            Attachment.objects.create(
                complaint=complaint,
                kind=checked.kind,
                content_type=checked.content_type,
                original_name=checked.original_name,
                stored_name=stored.stored_name,
                size=len(checked.data),
                sha256=stored.sha256,
                uploaded_at=now,
            )
        cases.record_receipt(complaint, actor=signed_in, acknowledge=False)
        _send_receipt_after_commit(complaint, secret, status_url)
    return Receipt(complaint, secret, earlier)


def _send_receipt_after_commit(complaint: Complaint, secret: str, status_url: str) -> None:
    if complaint.anonymous or not complaint.complainant_email:
        return
    from commonbeat.oversight.intake import mail

    case_id = complaint.pk
    transaction.on_commit(lambda: mail.send_receipt(case_id, secret, status_url), robust=True)
