"""The one way to change events and registrations: register, cancel, promote, remind,
record attendance, take minutes through their comment period, and raise concerns.

Registration takes the event's row lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite lets one
writer in at a time) before counting places, so concurrent registrations for the last place
never over-book: the second one waits and then finds the event full. E-mails go out after the
transaction commits, in the language each person registered in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.engagement.events import mail
from commonbeat.engagement.events.models import Event, MeetingConcern, MinutesComment, Registration

REMINDER_AHEAD = timedelta(hours=24)


class Refused(Exception):
    """Why an engagement action (a registration, a cancellation, a comment, a priority) cannot
    be taken, said to the person who asked."""


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.CONFIRMED).count()


def places_left(event: Event) -> int | None:
    """Free places, or None for an event without a limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - places_taken(event), 0)


def open_for_registration(event: Event, now: Any = None) -> bool:
    now = now or timezone.now()
    return event.registration and not event.cancelled and event.starts_at > now


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def register(
    event: Event, *, name: str, email: str, language: str, needs: str = "", user: Any = None
) -> Registration:
    """Give the person a place, or a place on the waiting list when the event is full."""
    email = email.strip()
    try:
        with transaction.atomic():
            locked = _locked(event)
            if not open_for_registration(locked):
                raise Refused(_("This event is not taking registrations."))
            if (
                locked.registrations.exclude(status=Registration.Status.CANCELLED)
                .filter(email__iexact=email)
                .exists()
            ):
                raise Refused(
                    _("%(email)s is already registered for this event.") % {"email": email}
                )
            full = locked.capacity is not None and places_taken(locked) >= locked.capacity
            registration = Registration.objects.create(
                event=locked,
                user=user if user is not None and user.is_authenticated else None,
                name=name.strip(),
                email=email,
                language=language,
                needs=needs.strip(),
                status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                link_nonce=secrets.token_hex(16),
            )
            transaction.on_commit(lambda: mail.registered(registration.pk))
    except IntegrityError:
        # The same address registering twice at once: the constraint lets one in.
        raise Refused(
            _("%(email)s is already registered for this event.") % {"email": email}
        ) from None
    return registration


def _promote(event: Event) -> list[int]:
    """Give free places to the longest waiting, in order; return who was promoted."""
    if event.capacity is None:
        waiting = event.registrations.filter(status=Registration.Status.WAITING)
    else:
        free = event.capacity - places_taken(event)
        if free <= 0:
            return []
        waiting = event.registrations.filter(status=Registration.Status.WAITING)[:free]
    promoted = []
    now = timezone.now()
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        promoted.append(registration.pk)
    return promoted


def promote_waiting(event: Event) -> list[int]:
    """Fill places that have freed up (a cancellation, a larger capacity) from the list."""
    with transaction.atomic():
        locked = _locked(event)
        if locked.cancelled or locked.starts_at <= timezone.now():
            return []
        promoted = _promote(locked)
        for pk in promoted:
            transaction.on_commit(partial(mail.promoted, pk))
    return promoted


def cancel_registration(registration: Registration) -> list[int]:
    """The registrant gives up their place (or their place in the queue)."""
    with transaction.atomic():
        locked = _locked(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            raise Refused(_("This registration was already cancelled."))
        if locked.starts_at <= timezone.now():
            raise Refused(_("This event has begun; it can no longer be cancelled."))
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        promoted = [] if locked.cancelled else _promote(locked)
        for pk in promoted:
            transaction.on_commit(partial(mail.promoted, pk))
    registration.refresh_from_db()
    return promoted


def changed_for_calendars(event: Event) -> None:
    """Raise the iCalendar sequence, so subscribed calendars take the new time or place."""
    Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
    event.refresh_from_db(fields=["sequence"])


def cancel_event(event: Event, note_en: str, note_es: str = "") -> int:
    """Cancel an event and tell everyone registered; return how many were told."""
    with transaction.atomic():
        locked = _locked(event)
        if locked.cancelled:
            raise Refused(_("This event was already cancelled."))
        locked.status = Event.Status.CANCELLED
        locked.cancellation_note_en = note_en
        locked.cancellation_note_es = note_es
        locked.sequence += 1
        locked.save()
        told = list(
            locked.registrations.exclude(status=Registration.Status.CANCELLED).values_list(
                "pk", flat=True
            )
        )
        for pk in told:
            transaction.on_commit(partial(mail.event_cancelled, pk))
    event.refresh_from_db()
    return len(told)


def send_reminders(now: Any = None) -> int:
    """Remind everyone with a place at an event starting within a day (once each)."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminded_at__isnull=True,
        event__status=Event.Status.SCHEDULED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:1000]):
        # The conditional update claims the reminder, so two workers never send it twice.
        if Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
            mail.reminder(pk)
            sent += 1
    return sent


def reminders_job(job: Any) -> dict[str, int]:
    return {"sent": send_reminders()}


def record_attendance(event: Event, *, attendance: int | None, attended: list[int]) -> None:
    """Record the head count and which registrants came (the rest did not)."""
    with transaction.atomic():
        locked = _locked(event)
        locked.attendance = attendance
        locked.save(update_fields=["attendance", "updated_at"])
        live = locked.registrations.filter(status=Registration.Status.CONFIRMED)
        for registration in live:
            came = registration.pk in attended
            if registration.attended != came:
                registration.attended = came
                registration.save(update_fields=["attended"])


def open_minutes_for_comment(event: Event, *, days: int) -> int:
    """Share the draft minutes with attendees for `days`; return how many were told."""
    if not (event.minutes_en or event.minutes_es):
        raise Refused(_("Write the minutes before opening them for comment."))
    if event.minutes_status == Event.Minutes.PUBLISHED:
        raise Refused(_("These minutes are already published."))
    if days < 1:
        raise Refused(_("Give attendees at least a day to comment."))
    with transaction.atomic():
        event.minutes_status = Event.Minutes.COMMENT
        event.comments_until = timezone.now() + timedelta(days=days)
        event.save(update_fields=["minutes_status", "comments_until", "updated_at"])
        readers = list(attendees(event).values_list("pk", flat=True))
        for pk in readers:
            transaction.on_commit(partial(mail.minutes_for_comment, pk))
    return len(readers)


def attendees(event: Event) -> Any:
    """Registrants with a place who were not marked absent."""
    return event.registrations.filter(status=Registration.Status.CONFIRMED).exclude(attended=False)


def may_comment(registration: Registration, now: Any = None) -> bool:
    event = registration.event
    now = now or timezone.now()
    return (
        event.minutes_status == Event.Minutes.COMMENT
        and event.comments_until is not None
        and now < event.comments_until
        and attendees(event).filter(pk=registration.pk).exists()
    )


def comment_on_minutes(registration: Registration, text: str) -> MinutesComment:
    text = text.strip()
    if not text:
        raise Refused(_("Write a comment first."))
    if not may_comment(registration):
        raise Refused(_("The minutes of this event are not open for comment."))
    return MinutesComment.objects.create(
        event=registration.event, registration=registration, text=text[:4000]
    )


def publish_minutes(event: Event, now: Any = None) -> None:
    """Publish the minutes once attendees' comment period has ended."""
    now = now or timezone.now()
    if event.minutes_status == Event.Minutes.PUBLISHED:
        raise Refused(_("These minutes are already published."))
    if event.minutes_status != Event.Minutes.COMMENT or event.comments_until is None:
        raise Refused(_("Open the minutes for attendees' comments first."))
    if now < event.comments_until:
        raise Refused(
            _("Attendees may comment until %(when)s; publish after that.")
            % {"when": timezone.localtime(event.comments_until).strftime("%Y-%m-%d %H:%M")}
        )
    event.minutes_status = Event.Minutes.PUBLISHED
    event.minutes_published_at = now
    event.save(update_fields=["minutes_status", "minutes_published_at", "updated_at"])


def raise_concern(event: Event, summary_en: str, summary_es: str = "") -> MeetingConcern:
    if not (summary_en.strip() or summary_es.strip()):
        raise Refused(_("Write the concern as the minutes record it."))
    return MeetingConcern.objects.create(
        event=event, summary_en=summary_en.strip(), summary_es=summary_es.strip()
    )
