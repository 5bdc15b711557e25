"""E-mails to registrants, each in the language they registered in, with their own link."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from commonbeat.core.languages import translated
from commonbeat.engagement.events import links
from commonbeat.engagement.events.models import Event, Registration


def local_start(event: Event) -> str:
    """The start in the agency's time zone, written in the active language."""
    zone = ZoneInfo(event.agency.time_zone or settings.TIME_ZONE)
    return date_format(event.starts_at.astimezone(zone), "DATETIME_FORMAT")


def _send(registration_id: int, subject: str, body: str) -> None:
    registration = Registration.objects.select_related("event__agency").get(pk=registration_id)
    event = registration.event
    with translation.override(registration.language):
        title = translated(event, "title").text
        words = {
            "name": registration.name,
            "title": title,
            "when": local_start(event),
            "venue": event.venue,
            "link": settings.SITE_URL + links.path(registration),
        }
        heading = _(subject) % words
        text = _(body) % words
    send_mail(heading, text, None, [registration.email])


def registered(registration_id: int) -> None:
    registration = Registration.objects.get(pk=registration_id)
    if registration.status == Registration.Status.CONFIRMED:
        _send(
            registration_id,
            N_("Your place at %(title)s"),
            N_(
                "Hello %(name)s,\n\nYou have a place at %(title)s, %(when)s, at %(venue)s.\n\n"
                "To see or cancel your registration: %(link)s"
            ),
        )
    else:
        _send(
            registration_id,
            N_("You are on the waiting list for %(title)s"),
            N_(
                "Hello %(name)s,\n\n%(title)s (%(when)s) is full, so you are on its waiting list. "
                "We will write as soon as a place frees up.\n\n"
                "To see your place in the queue or leave it: %(link)s"
            ),
        )


def promoted(registration_id: int) -> None:
    _send(
        registration_id,
        N_("A place at %(title)s is yours"),
        N_(
            "Hello %(name)s,\n\nA place freed up: you now have a place at %(title)s, %(when)s, "
            "at %(venue)s.\n\nIf you can no longer come, please cancel so someone else may: %(link)s"
        ),
    )


def event_cancelled(registration_id: int) -> None:
    _send(
        registration_id,
        N_("Cancelled: %(title)s"),
        N_(
            "Hello %(name)s,\n\n%(title)s, planned for %(when)s, is cancelled. We are sorry. "
            "The event's page says why: %(link)s"
        ),
    )


def reminder(registration_id: int) -> None:
    _send(
        registration_id,
        N_("Reminder: %(title)s"),
        N_(
            "Hello %(name)s,\n\nA reminder that %(title)s is on %(when)s, at %(venue)s.\n\n"
            "If you can no longer come, please cancel so someone else may: %(link)s"
        ),
    )


def minutes_for_comment(registration_id: int) -> None:
    _send(
        registration_id,
        N_("The draft minutes of %(title)s"),
        N_(
            "Hello %(name)s,\n\nThank you for coming to %(title)s. The draft minutes are ready; "
            "you may read them and comment before they are published: %(link)s"
        ),
    )
