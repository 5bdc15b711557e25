"""Volunteer programmes: neighbourhood watch, citizen academies, youth mentoring, civilian
observers. A programme has roles; residents sign up for one; staff record whether each has been
screened (a background check) and the hours they served.

Who volunteers is private: their name, contact details, notes and screening are for staff
(the screening outcome for supervisors and administrators only). The public side shows the
programme, its roles, and aggregates that hide small numbers (volunteers/api.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import Agency, Neighbourhood


class Programme(models.Model):
    class Kind(models.TextChoices):
        WATCH = "neighbourhood_watch", _("Neighbourhood watch")
        ACADEMY = "citizen_academy", _("Citizen academy")
        MENTORING = "youth_mentoring", _("Youth mentoring")
        OBSERVERS = "civilian_observers", _("Civilian observers")
        OTHER = "other", _("Other programme")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="programmes")
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text=_("Leave empty for a city-wide programme."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requirements = models.TextField(
        _("requirements"),
        blank=True,
        help_text=_("What volunteers commit to: time, training, anything they must bring."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("A public e-mail or telephone.")
    )
    signups_open = models.BooleanField(
        _("sign-ups open"), default=True, help_text=_("Whether residents may sign up now.")
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty for no minimum."),
    )
    screening_required = models.BooleanField(
        _("screening required"),
        default=False,
        help_text=_("Whether volunteers must pass a background check before they start."),
    )
    public = models.BooleanField(
        _("shown to the public"),
        default=True,
        help_text=_("Untick to prepare a programme before it is listed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: MultilingualManager[Programme] = MultilingualManager()
    title_en: str | None
    title_es: str | None
    description_en: str | None
    description_es: str | None
    requirements_en: str | None
    requirements_es: str | None

    class Meta:
        verbose_name = _("volunteer programme")
        verbose_name_plural = _("volunteer programmes")
        ordering = ("kind", "pk")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        place = self.neighbourhood if self.neighbourhood_id else None
        if place is not None and self.agency_id and place.agency_id != self.agency_id:
            raise ValidationError(
                {"neighbourhood": _("Choose a neighbourhood of the programme's agency.")}
            )


class ProgrammeRole(models.Model):
    """A role volunteers take in a programme ("Block captain", "Mentor")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    places = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many volunteers the role takes; empty for no limit."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects: MultilingualManager[ProgrammeRole] = MultilingualManager()
    title_en: str | None
    title_es: str | None

    class Meta:
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")
        ordering = ("order", "pk")

    def __str__(self) -> str:
        return self.title


class Volunteer(models.Model):
    """One person's sign-up for a programme, and what became of it."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up, not yet started")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("No longer volunteering")
        WITHDRAWN = "withdrawn", _("Withdrew")

    class Screening(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        PENDING = "pending", _("Pending")
        CLEARED = "cleared", _("Cleared")
        NOT_CLEARED = "not_cleared", _("Not cleared")

    class Availability(models.TextChoices):
        WEEKDAY_DAYTIME = "weekday_daytime", _("Weekdays, daytime")
        WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
        WEEKEND = "weekend", _("Weekends")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="volunteers")
    role = models.ForeignKey(
        ProgrammeRole,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("role wanted"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteering",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("lives in"),
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    consented_at = models.DateTimeField(_("agreed to be contacted"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SIGNED_UP
    )
    notes = models.TextField(_("staff notes"), blank=True)
    # Screening is for supervisors and administrators only (the policy's volunteer.screen);
    # the volunteer sees only whether it is in progress or complete.
    screening = models.CharField(
        _("screening"), max_length=12, choices=Screening.choices, default=Screening.NOT_NEEDED
    )
    screened_on = models.DateField(_("screening decided on"), null=True, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)
    # A random value from which the volunteer's own link is keyed with the site's secret
    # (volunteers/links.py), as a registration's is.
    link_nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ("created_at", "pk")
        constraints = [
            # One live sign-up per address and programme (a withdrawn one stays as history).
            models.UniqueConstraint(
                "programme",
                models.functions.Lower("email"),
                condition=~Q(status="withdrawn"),
                name="volunteer_once_per_email",
            )
        ]

    def __str__(self) -> str:
        # Never the name: the audit log keeps each record's text, and the name is private.
        return f"{self.programme} · {_('volunteer')} {self.pk}"


class HoursServed(models.Model):
    """Hours a volunteer served on one day, as staff recorded them."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    served_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    activity = models.CharField(_("activity"), max_length=200, help_text=_("e.g. Evening patrol"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours served")
        verbose_name_plural = _("hours served")
        ordering = ("-served_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="hours_served_in_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{_('volunteer')} {self.volunteer_id}: {self.hours} h, {self.served_on}"
