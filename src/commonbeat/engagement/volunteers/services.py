"""The one way to change volunteering: sign up, withdraw, start and end, record screening
and hours served.

A sign-up takes the programme's row lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite lets one
writer in at a time) before counting a role's places and looking for the same address, so two
sign-ups at once never both take the last place or make two rows for one person; the
database's constraint backs the second. E-mails go after the transaction commits, in the
language of the page the person signed up on.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.volunteers import mail
from commonbeat.engagement.volunteers.models import (
    HoursServed,
    Programme,
    ProgrammeRole,
    Volunteer,
)

# Sign-ups that hold a place in a role (a withdrawn or ended one frees it).
HOLDING = (Volunteer.Status.SIGNED_UP, Volunteer.Status.ACTIVE)
MAX_HOURS_A_DAY = Decimal("24")


class Refused(Exception):
    """Why a volunteering action cannot be taken, said to the person who asked."""


@dataclass(frozen=True)
class SignUp:
    """What a person gives when they sign up (the public form, or staff filling it in)."""

    name: str
    email: str
    language: str
    consent: bool
    phone: str = ""
    neighbourhood: Neighbourhood | None = None
    role: ProgrammeRole | None = None
    languages: str = ""
    availability: list[str] = field(default_factory=list)
    user: Any = None


def open_for_sign_up(programme: Programme) -> bool:
    return programme.public and programme.signups_open


def places_taken(role: ProgrammeRole) -> int:
    return role.volunteers.filter(status__in=HOLDING).count()


def role_full(role: ProgrammeRole) -> bool:
    return role.places is not None and places_taken(role) >= role.places


def _already(email: str) -> Refused:
    return Refused(
        _("%(email)s has already signed up for this programme. Your confirmation e-mail has the "
          "link to your sign-up.") % {"email": email}
    )  # fmt: skip


def sign_up(programme: Programme, given: SignUp) -> Volunteer:
    """Sign the person up for the programme (and the role they want, if it has room)."""
    email = given.email.strip()
    if not given.consent:
        raise Refused(_("Tick the box to agree that the programme's staff may contact you."))
    unknown = set(given.availability) - set(Volunteer.Availability.values)
    if unknown:
        raise Refused(_("Choose your availability from the list."))
    try:
        with transaction.atomic():
            locked = Programme.objects.select_for_update().get(pk=programme.pk)
            if not open_for_sign_up(locked):
                raise Refused(_("This programme is not taking sign-ups at the moment."))
            role = given.role
            if role is not None:
                if role.programme_id != locked.pk:
                    raise Refused(_("Choose one of this programme's roles."))
                if role_full(role):
                    raise Refused(
                        _("The role %(role)s is full. Choose another role, or none.")
                        % {"role": role.title}
                    )
            live = locked.volunteers.exclude(status=Volunteer.Status.WITHDRAWN)
            if live.filter(email__iexact=email).exists():
                raise _already(email)
            volunteer = Volunteer.objects.create(
                programme=locked,
                role=role,
                user=given.user if given.user is not None and given.user.is_authenticated else None,
                name=given.name.strip(),
                email=email,
                phone=given.phone.strip(),
                neighbourhood=given.neighbourhood,
                languages=given.languages.strip(),
                availability=[a for a in Volunteer.Availability.values if a in given.availability],
                consented_at=timezone.now(),
                language=given.language,
                screening=(
                    Volunteer.Screening.PENDING
                    if locked.screening_required
                    else Volunteer.Screening.NOT_NEEDED
                ),
                link_nonce=secrets.token_hex(16),
            )
            transaction.on_commit(lambda: mail.signed_up(volunteer.pk))
    except IntegrityError:
        # The same address signing up twice at once: the constraint lets one in.
        raise _already(email) from None
    return volunteer


def withdraw(volunteer: Volunteer) -> None:
    """The volunteer leaves the programme (or withdraws a sign-up not yet started)."""
    with transaction.atomic():
        current = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if current.status == Volunteer.Status.WITHDRAWN:
            raise Refused(_("You have already withdrawn from this programme."))
        current.status = Volunteer.Status.WITHDRAWN
        current.left_at = timezone.now()
        current.save(update_fields=["status", "left_at"])
        transaction.on_commit(lambda: mail.withdrawn(current.pk))
    volunteer.refresh_from_db()


def start(volunteer: Volunteer) -> None:
    """Staff welcome a volunteer who has signed up (once screening is cleared, where needed)."""
    if volunteer.status == Volunteer.Status.ACTIVE:
        raise Refused(_("Already active."))
    if volunteer.status == Volunteer.Status.WITHDRAWN:
        raise Refused(_("This person withdrew; they may sign up again."))
    if volunteer.programme.screening_required and (
        volunteer.screening != Volunteer.Screening.CLEARED
    ):
        raise Refused(_("This programme needs screening to be cleared before a volunteer starts."))
    with transaction.atomic():
        volunteer.status = Volunteer.Status.ACTIVE
        volunteer.started_at = volunteer.started_at or timezone.now()
        volunteer.left_at = None
        volunteer.save(update_fields=["status", "started_at", "left_at"])
        pk = volunteer.pk
        transaction.on_commit(lambda: mail.started(pk))


def end(volunteer: Volunteer) -> None:
    """Staff record that a volunteer no longer serves (their hours stay)."""
    if volunteer.status in (Volunteer.Status.ENDED, Volunteer.Status.WITHDRAWN):
        raise Refused(_("No longer volunteering already."))
    volunteer.status = Volunteer.Status.ENDED
    volunteer.left_at = timezone.now()
    volunteer.save(update_fields=["status", "left_at"])


def record_screening(
    volunteer: Volunteer, outcome: str, *, on: date | None = None, note: str | None = None
) -> None:
    """Record a screening outcome (supervisors and administrators: the caller asks the policy).

    Not cleared also ends an active volunteer's service, since they may no longer serve."""
    if outcome not in Volunteer.Screening.values:
        raise Refused(_("Choose a screening outcome from the list."))
    decided = outcome in (Volunteer.Screening.CLEARED, Volunteer.Screening.NOT_CLEARED)
    volunteer.screening = outcome
    volunteer.screened_on = (on or timezone.localdate()) if decided else None
    fields = ["screening", "screened_on"]
    if note is not None:
        volunteer.screening_note = note.strip()
        fields.append("screening_note")
    if outcome == Volunteer.Screening.NOT_CLEARED and volunteer.status == Volunteer.Status.ACTIVE:
        volunteer.status = Volunteer.Status.ENDED
        volunteer.left_at = timezone.now()
        fields += ["status", "left_at"]
    volunteer.save(update_fields=fields)


def check_hours(volunteer: Volunteer, served_on: date, hours: Decimal) -> None:
    """Refuse hours no one could have served: none, more than a day's, or in the future."""
    if not Decimal("0") < hours <= MAX_HOURS_A_DAY:
        raise Refused(_("Give the hours served that day, more than 0 and at most 24."))
    if served_on > timezone.localdate():
        raise Refused(_("Hours are recorded once served: the date is in the future."))


def record_hours(
    volunteer: Volunteer, *, served_on: date, hours: Decimal, activity: str, by: Any = None
) -> HoursServed:
    """Record hours a volunteer served on a day."""
    hours = Decimal(hours)
    check_hours(volunteer, served_on, hours)
    if not activity.strip():
        raise Refused(_("Say what the volunteer did, e.g. Evening patrol."))
    return HoursServed.objects.create(
        volunteer=volunteer,
        served_on=served_on,
        hours=hours,
        activity=activity.strip()[:200],
        recorded_by=by if by is not None and by.is_authenticated else None,
    )


def screening_progress(volunteer: Volunteer) -> str:
    """What the volunteer is told of their screening: not needed, in progress or complete,
    never the outcome (that is said to them in person)."""
    if volunteer.screening == Volunteer.Screening.NOT_NEEDED:
        return "not_needed"
    if volunteer.screening == Volunteer.Screening.PENDING:
        return "in_progress"
    return "complete"
