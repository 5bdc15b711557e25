"""The one way to publish announcements and to post, correct and publish critical-incident
updates.

An update is stamped with the time the public could first read it (`posted_at`): updates
written while the incident is still a draft get the moment it is published; later ones the
moment they are posted. Nobody types that time, so the time from an incident to its first
public update cannot be flattered. A public update is final: a correction is a new update
that names the one it corrects and says what was wrong, and both stay on the timeline.
Every change is an ORM save of an audited model, so the audit log records who did what.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentUpdate,
)


class Refused(Exception):
    """Why an announcement or incident action cannot be taken, said to the staff member."""


def _staff(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _text(en: str, es: str, missing: str) -> tuple[str, str]:
    en, es = (en or "").strip(), (es or "").strip()
    if not (en or es):
        raise Refused(missing)
    return en, es


# Announcements ----------------------------------------------------------------------------


def publish_announcement(
    announcement: Announcement, *, at: datetime | None = None, now: datetime | None = None
) -> Announcement:
    """Publish now, or at `at` (a future time schedules it: it stays hidden until then)."""
    now = now or timezone.now()
    if announcement.is_public(now):
        raise Refused(_("This announcement is already published."))
    if not (announcement.title_en or announcement.title_es):
        raise Refused(_("Give the announcement a title first."))
    when = at or now
    if announcement.expires_at is not None and announcement.expires_at <= when:
        raise Refused(_("This alert would end before it is published: change its end first."))
    announcement.published_at = when
    announcement.save(update_fields=["published_at", "updated_at"])
    return announcement


def withdraw_announcement(announcement: Announcement) -> Announcement:
    """Take a published or scheduled announcement back to the drafts."""
    if announcement.published_at is None:
        raise Refused(_("This announcement is a draft already."))
    announcement.published_at = None
    announcement.save(update_fields=["published_at", "updated_at"])
    return announcement


# Critical incidents -----------------------------------------------------------------------


def _locked(incident: CriticalIncident) -> CriticalIncident:
    # The row lock keeps two staff posting at once from interleaving the timeline's stamps.
    return CriticalIncident.objects.select_for_update().get(pk=incident.pk)


def _next_stamp(incident: CriticalIncident, now: datetime) -> datetime:
    last = incident.updates.aggregate(last=Max("posted_at"))["last"]
    if last is not None and now < last:
        raise Refused(_("An update cannot be posted before the last one."))
    if now < incident.occurred_at:
        raise Refused(_("An update cannot be posted before the incident happened."))
    return now


def post_update(
    incident: CriticalIncident,
    body_en: str,
    body_es: str = "",
    *,
    by: Any = None,
    now: datetime | None = None,
) -> IncidentUpdate:
    """Add an update to the timeline: public at once if the incident is, else a draft."""
    en, es = _text(body_en, body_es, _("Write the update in English or Spanish."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(incident)
        posted = _next_stamp(locked, now) if locked.is_public else None
        return IncidentUpdate.objects.create(
            incident=locked, body_en=en, body_es=es, posted_at=posted, author=_staff(by)
        )


def correct_update(
    original: IncidentUpdate,
    *,
    wrong_en: str,
    wrong_es: str = "",
    body_en: str,
    body_es: str = "",
    by: Any = None,
    now: datetime | None = None,
) -> IncidentUpdate:
    """Post a correction of a public update; the original stays, marked as corrected."""
    if not original.is_public:
        raise Refused(_("This update is still a draft: change it instead of correcting it."))
    wrong = _text(wrong_en, wrong_es, _("Say what the update got wrong."))
    body = _text(body_en, body_es, _("Write the corrected update in English or Spanish."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(original.incident)
        return IncidentUpdate.objects.create(
            incident=locked, corrects=original, body_en=body[0], body_es=body[1],
            correction_note_en=wrong[0], correction_note_es=wrong[1],
            posted_at=_next_stamp(locked, now), author=_staff(by),
        )  # fmt: skip


def change_draft(update: IncidentUpdate, body_en: str, body_es: str = "") -> IncidentUpdate:
    """Rewrite an update the public has not read yet."""
    if update.is_public:
        raise Refused(_("A public update is never edited: post a correction instead."))
    update.body_en, update.body_es = _text(
        body_en, body_es, _("Write the update in English or Spanish.")
    )
    update.save(update_fields=["body_en", "body_es"])
    return update


def publish(
    incident: CriticalIncident, *, by: Any = None, now: datetime | None = None
) -> CriticalIncident:
    """Make the incident's page public, with its draft updates stamped in the order written."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(incident)
        if locked.is_public:
            raise Refused(_("This incident is already public."))
        if not (locked.title_en or locked.title_es):
            raise Refused(_("Give the incident a title first."))
        if locked.occurred_at > now:
            raise Refused(_("An incident cannot happen in the future: check when it happened."))
        drafts = list(locked.updates.filter(posted_at__isnull=True).order_by("pk"))
        if not drafts:
            raise Refused(
                _(
                    "Write the first update before publishing: the time to the first public "
                    "update is measured from it."
                )
            )
        locked.published_at = now
        if locked.author_id is None:
            locked.author = _staff(by)
        locked.save(update_fields=["published_at", "author", "updated_at"])
        for draft in drafts:
            draft.posted_at = now
            draft.save(update_fields=["posted_at"])
    incident.refresh_from_db()
    return incident
