"""Meetings and events: town halls, listening sessions, walks, workshops and the rest.

An event belongs to an agency and, unless it is city-wide, to one neighbourhood. Times are
stored in UTC and shown in the agency's time zone. Registration is optional per event; with a
capacity, people past it wait in order and are promoted when a place frees up
(events/services.py holds the one way to register, cancel and promote).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import Agency, Neighbourhood


def _language_codes(value: list[str]) -> None:
    if not isinstance(value, list) or not all(
        isinstance(code, str) and 2 <= len(code) <= 8 and code.replace("-", "").isalpha()
        for code in value
    ):
        raise ValidationError(
            _('Give the languages as a list of codes, for example ["en", "es"].'),
            code="languages",
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        TOWN_HALL = "town_hall", _("Town hall")
        LISTENING = "listening_session", _("Listening session")
        WALK = "walk", _("Neighbourhood walk")
        WORKSHOP = "workshop", _("Problem-solving workshop")
        YOUTH = "youth_academy", _("Youth academy")
        RIDE_ALONG = "ride_along", _("Ride-along")
        CULTURAL = "cultural", _("Cultural event")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Minutes(models.TextChoices):
        NONE = "none", _("Not written yet")
        COMMENT = "comment", _("Draft open to attendees' comments")
        PUBLISHED = "published", _("Published")

    # The stable identity calendars keep (iCalendar UID); never changes once made.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="events")
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Leave empty for a city-wide event."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, help_text=_("e.g. Riverside Library"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[_language_codes],
        help_text=_('Languages spoken or interpreted, as codes: ["en", "es"].'),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, interpreters, childcare, transit."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("A public e-mail or telephone.")
    )
    registration = models.BooleanField(
        _("registration"), default=True, help_text=_("Whether people register to come.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Places for registrants; empty for no limit."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_note = models.TextField(_("why it was cancelled"), blank=True)
    attendance = models.PositiveIntegerField(
        _("attendance"), null=True, blank=True, help_text=_("Everyone who came, walk-ins too.")
    )
    organisations = models.TextField(
        _("attending organisations"), blank=True, help_text=_("One per line.")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes"), max_length=10, choices=Minutes.choices, default=Minutes.NONE
    )
    comments_until = models.DateTimeField(_("attendees may comment until"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    # iCalendar SEQUENCE: raised on each change a calendar must pick up (time, place, status).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: MultilingualManager[Event] = MultilingualManager()
    title_en: str | None
    title_es: str | None
    description_en: str | None
    description_es: str | None
    cancellation_note_en: str | None
    cancellation_note_es: str | None
    minutes_en: str | None
    minutes_es: str | None

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event ends after it starts.")})
        place = self.neighbourhood if self.neighbourhood_id else None
        if place is not None and self.agency_id and place.agency_id != self.agency_id:
            raise ValidationError(
                {"neighbourhood": _("Choose a neighbourhood of the event's agency.")}
            )

    @property
    def cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def organisation_list(self) -> list[str]:
        return [line.strip() for line in self.organisations.splitlines() if line.strip()]


class Registration(models.Model):
    """One person's place at an event, or their place in the queue for one."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    needs = models.TextField(
        _("access needs"), blank=True, help_text=_("Interpretation, step-free access, childcare.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # A random value from which the registrant's own link is keyed with the site's secret
    # (events/links.py), so the database alone does not give the link away and e-mails sent
    # later (promotion, reminders, minutes) can carry it again.
    link_nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ("created_at", "pk")
        constraints = [
            # One live registration per address and event (cancelled ones stay as history).
            models.UniqueConstraint(
                "event",
                models.functions.Lower("email"),
                condition=~Q(status="cancelled"),
                name="registration_once_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"


class MinutesComment(models.Model):
    """An attendee's comment on the draft minutes, read by the event's organisers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="minutes_comments")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="minutes_comments"
    )
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on the minutes")
        verbose_name_plural = _("comments on the minutes")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.event}: {self.text[:40]}"


class MeetingConcern(models.Model):
    """A concern raised at a meeting, kept as a tracked item until it is answered or becomes
    a neighbourhood priority."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PRIORITY = "priority", _("Became a priority")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed without a priority")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="concerns")
    summary = models.TextField(_("concern"), help_text=_("As the minutes record it, in one line."))
    response = models.TextField(_("response"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    priority = models.ForeignKey(
        "engagement.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_concerns",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: MultilingualManager[MeetingConcern] = MultilingualManager()
    summary_en: str | None
    summary_es: str | None
    response_en: str | None
    response_es: str | None

    class Meta:
        verbose_name = _("concern raised at a meeting")
        verbose_name_plural = _("concerns raised at meetings")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.summary[:80]
