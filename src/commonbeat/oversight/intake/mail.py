"""The receipt by e-mail: the tracking code and the secret, in the language the person chose."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonbeat.oversight.cases.models import Complaint, Notification


def send_receipt(case_id: int, secret: str, status_url: str = "") -> None:
    """Send the receipt of a newly filed report (after its transaction has committed)."""
    case = Complaint.objects.get(pk=case_id)
    if not case.complainant_email:
        return
    language = case.language or settings.LANGUAGE_CODE
    with translation.override(language):
        status = status_url or reverse("oversight:status")
        subject = _("Your report %(ref)s was received") % {"ref": case.reference}
        body = _(
            "Thank you. We received your report on %(date)s.\n\n"
            "Tracking code: %(ref)s\nSecret: %(secret)s\n\n"
            "Keep both: with them you can follow your report at %(status)s. Anyone with "
            "both can see its stage, so do not share the secret. We will also write to you "
            "as the case moves on."
        ) % {
            "date": timezone.localtime(case.received_at).date().isoformat(),
            "ref": case.reference,
            "secret": secret,
            "status": status,
        }
    send_mail(subject, body, None, [case.complainant_email])
    Notification.objects.create(
        complaint=case,
        recipient_kind=Notification.Recipient.COMPLAINANT,
        event="received",
        language=language,
        subject=subject,
        sent_at=timezone.now(),
    )
