"""E-mails about a concern: its receipt, and each status note to the reporter and every
follower, each in their own language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from commonbeat.core.languages import translated
from commonbeat.engagement.concerns.models import Concern, StatusNote


def _page(concern: Concern) -> str:
    return settings.SITE_URL + reverse("engagement:concern", args=[concern.pk])


def received(concern_id: int) -> None:
    concern = Concern.objects.select_related("service", "neighbourhood").get(pk=concern_id)
    with translation.override(concern.language):
        service = translated(concern.service, "name").text
        subject = _("We received your concern: %(service)s") % {"service": service}
        body = _(
            "Thank you. Your concern (number %(number)s) went to the %(team)s neighbourhood "
            "team. We will write when its status changes. You can follow it here: %(link)s"
        ) % {
            "number": concern.pk,
            "team": concern.neighbourhood.name if concern.neighbourhood else "",
            "link": _page(concern),
        }
    send_mail(subject, body, None, [concern.email])


def status_note(note_id: int) -> None:
    note = StatusNote.objects.select_related("concern__service").get(pk=note_id)
    concern = note.concern
    readers = [(concern.email, concern.language)] if concern.email else []
    readers += [(f.email, f.language) for f in concern.followers.all()]
    seen: set[str] = set()
    for email, language in readers:
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        with translation.override(language):
            subject = _("Concern %(number)s: %(status)s") % {
                "number": concern.pk,
                "status": Concern.Status(note.status).label,
            }
            body = _(
                # The note first, as the team wrote it; then where to read the whole story.
                "%(note)s\n\nThe concern's page: %(link)s"
            ) % {
                "note": translated(note, "note").text,
                "link": _page(concern),
            }
        send_mail(subject, body, None, [email])
