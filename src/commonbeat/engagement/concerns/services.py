"""The one way to report, route, follow, update and de-duplicate resident concerns.

`report()` is called by the web form and by the Open311 POST alike: it checks the answers
against the service's definition, finds the place (a point, an address point, or an address
typed as text), routes the concern to the neighbourhood team whose boundary covers the point,
and stores it with its photo (if any) in one transaction. A batch service's concern waits,
with its token, until the worker accepts it (`accept_pending`). Status notes and duplicates
notify the reporter and every follower in their own language, after the transaction commits.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from commonbeat.core.address_search import search
from commonbeat.core.images import CleanImage
from commonbeat.core.models import AddressPoint, Neighbourhood
from commonbeat.core.places import neighbourhood_index
from commonbeat.engagement.concerns import files, mail
from commonbeat.engagement.concerns.models import (
    ApiKey,
    Concern,
    Follower,
    Service,
    ServiceAttribute,
    StatusNote,
)

NEARBY_METRES = 50
EARTH_METRES = 6_371_008.8
DESCRIPTION_MAX = 4000


class ConcernRefused(ValueError):
    """A concern we cannot take as sent: `problems` maps each field (Open311's parameter
    names) to what is wrong with it, said to the sender."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass
class Report:
    """What a resident or an app sends (Open311's parameters)."""

    service: Service
    language: str
    latitude: float | None = None
    longitude: float | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)  # code -> str or list[str]
    description: str = ""
    media_url: str = ""
    photo: CleanImage | None = None
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    hide_name: bool = True
    account_id: str = ""
    device_id: str = ""
    user: Any = None
    api_key: ApiKey | None = None


# Keys ----------------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(name: str, contact: str = "") -> tuple[ApiKey, str]:
    """Make an app's key; the key itself is shown once and only its hash is kept."""
    key = secrets.token_urlsafe(24)
    return ApiKey.objects.create(
        name=name, contact=contact, key_hash=hash_key(key), prefix=key[:6]
    ), key


def key_for(given: str) -> ApiKey | None:
    if not given:
        return None
    return ApiKey.objects.filter(key_hash=hash_key(given), active=True).first()


# Places --------------------------------------------------------------------------------------


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_METRES * math.asin(math.sqrt(h))


def open_nearby(
    service: Service, latitude: float, longitude: float, metres: float = NEARBY_METRES
) -> list[Concern]:
    """Open concerns of the same service within `metres`, nearest first (a bounding box in the
    database, then the exact distance)."""
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(math.cos(math.radians(latitude)), 0.01))
    boxed = Concern.objects.filter(
        service=service,
        status=Concern.Status.OPEN,
        accepted=True,
        duplicate_of__isnull=True,
        latitude__range=(Decimal(str(latitude - dlat)), Decimal(str(latitude + dlat))),
        longitude__range=(Decimal(str(longitude - dlng)), Decimal(str(longitude + dlng))),
    ).select_related("service")[:200]
    found = [
        (metres_between((latitude, longitude), (float(c.latitude), float(c.longitude))), c)
        for c in boxed
    ]
    return [c for d, c in sorted(found, key=lambda x: (x[0], x[1].pk)) if d <= metres]


def _place(report: Report, problems: dict[str, str]) -> tuple[float, float, AddressPoint | None]:
    """The point of the concern, from a point, an address point, or a typed address."""
    if report.latitude is not None and report.longitude is not None:
        if not (-90 <= report.latitude <= 90 and -180 <= report.longitude <= 180):
            problems["lat"] = _(
                "Give a latitude from -90 to 90 and a longitude from -180 to 180, e.g. 41.5868 and -93.6250."
            )
            return 0.0, 0.0, None
        return report.latitude, report.longitude, None
    if report.address_id:
        point = (
            AddressPoint.objects.filter(pk=report.address_id).first()
            if (report.address_id.isascii() and report.address_id.isdigit())
            else None
        )
        if point is None:
            problems["address_id"] = _("No address has the number %(id)s.") % {
                "id": report.address_id[:20]
            }
            return 0.0, 0.0, None
        return float(point.latitude), float(point.longitude), point
    if report.address_string.strip():
        match = search(report.address_string).clear_match
        if match is None:
            problems["address_string"] = _(
                "We could not find “%(address)s”. Give the number and street, e.g. 1200 Grand Avenue, or pick the place on the map."
            ) % {"address": report.address_string[:100]}
            return 0.0, 0.0, None
        return float(match.point.latitude), float(match.point.longitude), match.point
    problems["lat"] = _("Say where: a point (lat and long), an address_id, or an address_string.")
    return 0.0, 0.0, None


def locate(sent: Report) -> tuple[float, float, AddressPoint | None]:
    """The concern's point and address point, or ConcernRefused saying why there is none (a
    place outside every neighbourhood included)."""
    problems: dict[str, str] = {}
    latitude, longitude, point = _place(sent, problems)
    if not problems and neighbourhood_index().locate(latitude, longitude) is None:
        problems["lat"] = _("This place is outside every neighbourhood we serve.")
    if problems:
        raise ConcernRefused(problems)
    return latitude, longitude, point


# Answers -------------------------------------------------------------------------------------


def _answers(service: Service, given: dict[str, Any], problems: dict[str, str]) -> dict[str, Any]:
    """Check the answers against the service's definition; return them keyed by code."""
    checked: dict[str, Any] = {}
    attributes = list(service.attributes.prefetch_related("values"))
    known = {a.code for a in attributes}
    for code in given:
        if code not in known:
            problems[f"attribute[{code}]"] = _(
                "The service %(service)s asks no question %(code)s."
            ) % {"service": service.code, "code": code[:60]}
    for attribute in attributes:
        if not attribute.variable:
            continue
        raw = given.get(attribute.code)
        values = [v for v in (raw if isinstance(raw, list) else [raw]) if v not in (None, "")]
        name = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                problems[name] = _("This question must be answered: %(question)s") % {
                    "question": attribute.description
                }
            continue
        keys = {v.key for v in attribute.values.all()}
        kind = attribute.datatype
        if kind in (ServiceAttribute.Datatype.SINGLE, ServiceAttribute.Datatype.MULTI):
            wrong = [str(v) for v in values if str(v) not in keys]
            if wrong or (kind == ServiceAttribute.Datatype.SINGLE and len(values) > 1):
                problems[name] = _("Choose from: %(keys)s.") % {"keys": ", ".join(sorted(keys))}
                continue
            checked[attribute.code] = (
                values if kind == ServiceAttribute.Datatype.MULTI else values[0]
            )
        elif kind == ServiceAttribute.Datatype.NUMBER:
            try:
                number = float(str(values[0]))
                if not math.isfinite(number):
                    raise ValueError
            except ValueError:
                problems[name] = _("Give a number, e.g. 3.")
                continue
            checked[attribute.code] = number
        elif kind == ServiceAttribute.Datatype.DATETIME:
            moment = parse_datetime(str(values[0]))
            if moment is None:
                problems[name] = _("Give a date and time, e.g. 2026-05-01T22:30:00-05:00.")
                continue
            checked[attribute.code] = moment.isoformat()
        else:
            checked[attribute.code] = str(values[0])[:DESCRIPTION_MAX]
    return checked


# Reporting -----------------------------------------------------------------------------------


def report(sent: Report) -> Concern:
    """Store a concern, routed to its neighbourhood, or raise ConcernRefused naming each problem."""
    problems: dict[str, str] = {}
    service = sent.service
    if not service.active:
        problems["service_code"] = _("The service %(code)s no longer takes concerns.") % {
            "code": service.code
        }
    if len(sent.description) > DESCRIPTION_MAX:
        problems["description"] = _("Keep the description within 4,000 characters.")
    try:
        latitude, longitude, point = locate(sent)
    except ConcernRefused as refused:
        problems.update(refused.problems)
        latitude, longitude, point = 0.0, 0.0, None
    answers = _answers(service, sent.attributes, problems)
    if problems:
        raise ConcernRefused(problems)
    located = neighbourhood_index().locate(latitude, longitude)
    if located is None:  # the boundaries changed since locate(): refuse rather than guess
        raise ConcernRefused({"lat": _("This place is outside every neighbourhood we serve.")})
    place = Neighbourhood.objects.select_related("agency").get(pk=located.neighbourhood_id)
    with files.storing() as written, transaction.atomic():
        concern = Concern.objects.create(
            service=service,
            accepted=service.type != Service.Type.BATCH,
            agency=place.agency,
            neighbourhood=place,
            description=sent.description.strip(),
            latitude=Decimal(f"{latitude:.6f}"),
            longitude=Decimal(f"{longitude:.6f}"),
            address_string=sent.address_string.strip()[:300],
            address=point,
            attributes=answers,
            media_url=sent.media_url[:500],
            photo=files.store(sent.photo, written) if sent.photo else "",
            first_name=sent.first_name.strip()[:100],
            last_name=sent.last_name.strip()[:100],
            email=sent.email.strip()[:254],
            phone=sent.phone.strip()[:40],
            hide_name=sent.hide_name,
            language=sent.language,
            account_id=sent.account_id[:100],
            device_id=sent.device_id[:100],
            user=sent.user if sent.user is not None and sent.user.is_authenticated else None,
            api_key=sent.api_key,
        )
        if concern.email:
            transaction.on_commit(partial(mail.received, concern.pk))
    return concern


def accept_pending(job: Any = None) -> dict[str, int]:
    """Accept batch services' concerns waiting with a token (the worker runs this)."""
    accepted = Concern.objects.filter(accepted=False).update(
        accepted=True, updated_at=timezone.now()
    )
    return {"accepted": accepted}


# Following, updating, duplicates ---------------------------------------------------------------


def follow(concern: Concern, email: str, language: str) -> Follower | None:
    """Follow a concern's news by e-mail; None if that address already follows it."""
    try:
        with transaction.atomic():
            return Follower.objects.create(concern=concern, email=email.strip(), language=language)
    except IntegrityError:
        return None


def update_status(
    concern: Concern, status: str, note_en: str, note_es: str = "", expected: datetime | None = None
) -> StatusNote:
    """Record a status note (the status may stay as it is) and tell the reporter and followers."""
    if status not in Concern.Status.values:
        raise ConcernRefused({"status": _("Give open or closed.")})
    if not (note_en.strip() or note_es.strip()):
        raise ConcernRefused({"note": _("Write the note the reporter will read.")})
    with transaction.atomic():
        note = StatusNote.objects.create(
            concern=concern, status=status, note_en=note_en.strip(), note_es=note_es.strip()
        )
        concern.status = status
        if expected is not None:
            concern.expected_at = expected
        concern.save(update_fields=["status", "expected_at", "updated_at"])
        transaction.on_commit(partial(mail.status_note, note.pk))
    return note


def mark_duplicate(concern: Concern, original: Concern) -> StatusNote:
    """Close a concern as the same as another; its reporter and followers follow the other."""
    if original.pk == concern.pk or original.duplicate_of_id is not None:
        raise ConcernRefused(
            {"duplicate_of": _("Choose the original concern, not this one or another duplicate.")}
        )
    if original.service_id != concern.service_id:
        raise ConcernRefused({"duplicate_of": _("A duplicate is of the same service.")})
    with transaction.atomic():
        concern.duplicate_of = original
        concern.save(update_fields=["duplicate_of", "updated_at"])
        if concern.email:
            follow(original, concern.email, concern.language)
        for follower in concern.followers.all():
            follow(original, follower.email, follower.language)
        return update_status(
            concern,
            Concern.Status.CLOSED,
            f"The same as concern #{original.pk}: we follow it there, and so will you.",
            f"Es la misma que la preocupación n.º {original.pk}: la seguimos allí, y usted también.",
        )
