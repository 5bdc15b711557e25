"""Messages about a case, to the complainant and (as policy says) to the accused officers.

Complainants are told when their report is received, when an investigator is assigned, when it
goes to mediation, when the board reviews the findings, the final decision (each allegation's
category and final finding), when the case closes, and when an appeal or reopening sends it
back. Accused officers with an account and an e-mail address are told at the stages
OVERSIGHT_OFFICER_NOTICES names, never who complained. Each message is written in its
recipient's language (the complaint's `language`; an officer's account language) and sent
through Django's e-mail backend after the transaction commits. Each sent message is recorded
as a `Notification` (kind of recipient, language, subject, when), never with the address.
Anonymous complainants without an e-mail address get none.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer, Notification
from commonbeat.oversight.cases.workflow import Stage
from commonbeat.records import labels

# The events a complainant is told about (a stage entered, or an appeal or reopening).
COMPLAINANT_EVENTS = (
    "received",
    "mediation",
    "assigned",
    "board_review",
    "notification",
    "closed",
    "appeal",
    "reopened",
)


def _stage_label(case: Complaint, event: str) -> str:
    # The stage the message is about (sending happens after the commit, maybe later).
    return str(Stage(event).label) if event in Stage.values else str(case.get_stage_display())


def _complainant_message(case: Complaint, event: str) -> tuple[str, str]:
    ref = case.reference
    commendation = case.kind == Complaint.Kind.COMMENDATION
    if event == "received":
        subject = _("We received your report %(ref)s") % {"ref": ref}
        body = _(
            "Thank you. Your report %(ref)s was received on %(date)s. We will write to you "
            "as it moves on; you can follow it on the status page with your tracking code."
        ) % {"ref": ref, "date": case.received_at.date().isoformat()}
    elif event == "mediation":
        subject = _("Your complaint %(ref)s goes to mediation") % {"ref": ref}
        body = _("A mediator will contact you to arrange a meeting about complaint %(ref)s.") % {
            "ref": ref
        }
    elif event == "assigned":
        subject = _("An investigator is assigned to your complaint %(ref)s") % {"ref": ref}
        body = _("Your complaint %(ref)s is now with an investigator, who may contact you.") % {
            "ref": ref
        }
    elif event == "board_review":
        subject = _("The oversight board is reviewing complaint %(ref)s") % {"ref": ref}
        body = _(
            "The investigation of complaint %(ref)s is finished; the civilian oversight board "
            "is now reviewing its findings."
        ) % {"ref": ref}
    elif event == "notification":
        subject = _("The decision on your complaint %(ref)s") % {"ref": ref}
        lines = [
            _("The final decision on complaint %(ref)s:") % {"ref": ref},
            *(
                f"- {labels.label('allegation_category', a.category)}: "
                f"{labels.label('finding', a.final_finding)}"
                for a in case.allegations.order_by("id")
            ),
        ]
        body = "\n".join(str(line) for line in lines)
    elif event == "closed" and commendation:
        subject = _("Your commendation %(ref)s") % {"ref": ref}
        body = _(
            "Thank you. Your commendation %(ref)s has been passed on and recorded with the "
            "officers it names."
        ) % {"ref": ref}
    elif event == "closed" and case.in_jurisdiction is False and case.referred_to:
        subject = _("Your complaint %(ref)s was referred") % {"ref": ref}
        body = _(
            "Complaint %(ref)s is about a matter outside our jurisdiction. We passed it to "
            "%(where)s, which will handle it."
        ) % {"ref": ref, "where": case.referred_to}
    elif event == "closed":
        subject = _("Your complaint %(ref)s is closed") % {"ref": ref}
        body = _("Complaint %(ref)s is closed. You may appeal the decision.") % {"ref": ref}
    elif event == "appeal":
        subject = _("Your appeal on complaint %(ref)s") % {"ref": ref}
        body = _("Complaint %(ref)s is reviewed again following an appeal.") % {"ref": ref}
    else:  # reopened
        subject = _("Complaint %(ref)s is reopened") % {"ref": ref}
        body = _("The investigation of complaint %(ref)s is reopened.") % {"ref": ref}
    stage = _("Stage now: %(stage)s.") % {"stage": _stage_label(case, event)}
    return str(subject), f"{body}\n\n{stage}"


def _officer_message(case: Complaint, event: str) -> tuple[str, str]:
    ref = case.reference
    subject = _("Complaint %(ref)s naming you") % {"ref": ref}
    body = _(
        "A complaint naming you (%(ref)s, %(category)s) is now at the stage: %(stage)s. "
        "Your supervisor or union representative can tell you about your rights in the process."
    ) % {
        "ref": ref,
        "category": labels.label("allegation_category", case.category) if case.category else "",
        "stage": _stage_label(case, event),
    }
    return str(subject), str(body)


def _record(case: Complaint, kind: str, event: str, language: str, subject: str) -> None:
    Notification.objects.create(
        complaint=case,
        recipient_kind=kind,
        event=event,
        language=language,
        subject=subject,
        sent_at=timezone.now(),
    )


def send(case_id: int, event: str) -> int:
    """Send the messages due for the event; return how many went out."""
    case = Complaint.objects.get(pk=case_id)
    sent = 0
    if event in COMPLAINANT_EVENTS and case.complainant_email:
        language = case.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = _complainant_message(case, event)
        send_mail(subject, body, None, [case.complainant_email])
        _record(case, Notification.Recipient.COMPLAINANT, event, language, subject)
        sent += 1
    if event in settings.OVERSIGHT_OFFICER_NOTICES and case.kind == Complaint.Kind.COMPLAINT:
        accused = InvolvedOfficer.objects.filter(
            complaint=case, role=InvolvedOfficer.Role.ACCUSED, officer__account__isnull=False
        ).select_related("officer__account")
        for involved in accused:
            user: Any = involved.officer.account  # type: ignore[union-attr]
            if not user.email or not user.is_active:
                continue
            language = user.language or settings.LANGUAGE_CODE
            with translation.override(language):
                subject, body = _officer_message(case, event)
            send_mail(subject, body, None, [user.email])
            _record(case, Notification.Recipient.OFFICER, event, language, subject)
            sent += 1
    return sent
