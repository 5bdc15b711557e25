"""E-mails to volunteers, each in the language they signed up in, with their own link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from commonbeat.core.languages import translated
from commonbeat.engagement.volunteers import links
from commonbeat.engagement.volunteers.models import Volunteer


def _send(volunteer_id: int, subject: str, body: str) -> None:
    volunteer = Volunteer.objects.select_related("programme", "role").get(pk=volunteer_id)
    programme = volunteer.programme
    with translation.override(volunteer.language):
        words = {
            "name": volunteer.name,
            "title": translated(programme, "title").text,
            "role": translated(volunteer.role, "title").text if volunteer.role else _("any role"),
            "contact": programme.contact or _("the neighbourhood team"),
            "link": settings.SITE_URL + links.path(volunteer),
        }
        heading = _(subject) % words
        text = _(body) % words
        if programme.screening_required and volunteer.status == Volunteer.Status.SIGNED_UP:
            text += "\n\n" + _(
                "This programme asks every volunteer to pass a background check first; "
                "we will tell you what it involves."
            )
    send_mail(heading, text, None, [volunteer.email])


def signed_up(volunteer_id: int) -> None:
    _send(
        volunteer_id,
        N_("You signed up for %(title)s"),
        N_(
            "Hello %(name)s,\n\nThank you for signing up for %(title)s (%(role)s). The "
            "programme's staff will contact you about the next steps; you can reach them at "
            "%(contact)s.\n\nTo see your sign-up, your hours, or to withdraw: %(link)s"
        ),
    )


def started(volunteer_id: int) -> None:
    _send(
        volunteer_id,
        N_("Welcome to %(title)s"),
        N_(
            "Hello %(name)s,\n\nYou are now an active volunteer in %(title)s (%(role)s). "
            "Thank you.\n\nYour sign-up and the hours you serve: %(link)s"
        ),
    )


def withdrawn(volunteer_id: int) -> None:
    _send(
        volunteer_id,
        N_("You have withdrawn from %(title)s"),
        N_(
            "Hello %(name)s,\n\nYou are no longer signed up for %(title)s. Thank you for your "
            "time. You are welcome to sign up again on the programme's page whenever you wish."
        ),
    )
