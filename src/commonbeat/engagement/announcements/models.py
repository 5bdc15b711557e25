"""Announcements (news and safety alerts) and critical-incident pages.

An announcement is public once its `published_at` has come: empty is a draft, a future time
is scheduled. A critical incident is a timeline of updates that the public reads as it was
posted: an update is never edited once public, and a correction is a new update naming the
one it corrects and what was wrong (announcements/services.py is the one way to post, correct
and publish; the models refuse a changed public update as a second line of defence).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import Agency, Neighbourhood

# What the public read of an update: once it is public, none of these may change.
FINAL_FIELDS = ("body_en", "body_es", "posted_at", "corrects_id", "incident_id")


class PublishedUpdateIsFinal(ValueError):
    """A public update was about to be changed or deleted: post a correction instead."""


def _same_agency(agency_id: int | None, place: Neighbourhood | None, message: Any) -> None:
    if place is not None and agency_id and place.agency_id != agency_id:
        raise ValidationError({"neighbourhood": message})


class Announcement(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        SAFETY_ALERT = "safety_alert", _("Safety alert")

    # The stable identity feeds keep (the Atom entry id is made from it); never changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="announcements")
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        help_text=_("Leave empty for a city-wide announcement."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_(
            "Empty keeps it a draft. A time in the future publishes it then; until that time "
            "the public does not see it."
        ),
    )
    expires_at = models.DateTimeField(
        _("alert ends"),
        null=True,
        blank=True,
        help_text=_("Safety alerts only: when the alert stops being current."),
    )
    # Who wrote it, for the agency's own records; never shown on the public side.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="announcements",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: MultilingualManager[Announcement] = MultilingualManager()
    title_en: str | None
    title_es: str | None
    body_en: str | None
    body_es: str | None

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ("-published_at", "-pk")
        indexes = [models.Index(fields=["agency", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        place = self.neighbourhood if self.neighbourhood_id else None
        _same_agency(
            self.agency_id, place, _("Choose a neighbourhood of the announcement's agency.")
        )
        if self.expires_at is not None and self.kind != self.Kind.SAFETY_ALERT:
            raise ValidationError({"expires_at": _("Only a safety alert has an end.")})
        if self.expires_at and self.published_at and self.expires_at <= self.published_at:
            raise ValidationError({"expires_at": _("An alert ends after it is published.")})

    def is_public(self, now: datetime | None = None) -> bool:
        return self.published_at is not None and self.published_at <= (now or timezone.now())

    def is_active_alert(self, now: datetime | None = None) -> bool:
        """A published safety alert that has not ended yet."""
        now = now or timezone.now()
        return (
            self.kind == self.Kind.SAFETY_ALERT
            and self.is_public(now)
            and (self.expires_at is None or self.expires_at > now)
        )


class CriticalIncident(models.Model):
    """A serious incident the agency reports on in the open, update by update."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="critical_incidents")
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="critical_incidents",
        help_text=_("Where it happened, if in one neighbourhood."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    occurred_at = models.DateTimeField(
        _("happened"),
        help_text=_("When the incident happened: the time to the first update counts from it."),
    )
    # Set by services.publish(): from then the page, its updates and its measure are public.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="critical_incidents",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: MultilingualManager[CriticalIncident] = MultilingualManager()
    title_en: str | None
    title_es: str | None
    summary_en: str | None
    summary_es: str | None

    class Meta:
        verbose_name = _("critical incident")
        verbose_name_plural = _("critical incidents")
        ordering = ("-occurred_at", "-pk")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        place = self.neighbourhood if self.neighbourhood_id else None
        _same_agency(self.agency_id, place, _("Choose a neighbourhood of the incident's agency."))
        if self.occurred_at and self.occurred_at > timezone.now():
            raise ValidationError({"occurred_at": _("An incident cannot happen in the future.")})

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


class IncidentUpdate(models.Model):
    """One entry of an incident's timeline, or a correction of an earlier one."""

    incident = models.ForeignKey(CriticalIncident, on_delete=models.CASCADE, related_name="updates")
    body = models.TextField(_("update"))
    # When the public could first read it: stamped by the services, never typed in. Empty
    # while the incident is still a draft.
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True, editable=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_note = models.TextField(
        _("what was wrong"), blank=True, help_text=_("For a correction: what the update got wrong.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="incident_updates",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: MultilingualManager[IncidentUpdate] = MultilingualManager()
    body_en: str | None
    body_es: str | None
    correction_note_en: str | None
    correction_note_es: str | None

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        # Drafts (no time yet) after the posted ones, in the order they were written.
        ordering = (models.F("posted_at").asc(nulls_last=True), "pk")

    def __str__(self) -> str:
        return self.body[:80]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            before = (
                IncidentUpdate.objects.filter(pk=self.pk)
                .values(*FINAL_FIELDS, "correction_note_en", "correction_note_es")
                .first()
            )
            if before is not None and before["posted_at"] is not None:
                now = {name: getattr(self, name) for name in before}
                if now != before:
                    raise PublishedUpdateIsFinal(
                        _("A public update is never edited: post a correction instead.")
                    )
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.posted_at is not None:
            raise PublishedUpdateIsFinal(
                _("A public update stays on the timeline: post a correction instead.")
            )
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_public(self) -> bool:
        return self.posted_at is not None


class IncidentLink(models.Model):
    """Released footage or a released document about an incident."""

    class Kind(models.TextChoices):
        FOOTAGE = "footage", _("Footage")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    incident = models.ForeignKey(CriticalIncident, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where it is published, starting https://"),
    )
    released_on = models.DateField(_("released"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects: MultilingualManager[IncidentLink] = MultilingualManager()
    title_en: str | None
    title_es: str | None

    class Meta:
        verbose_name = _("released footage or document")
        verbose_name_plural = _("released footage and documents")
        ordering = ("released_on", "pk")

    def __str__(self) -> str:
        return self.title
