"""Places (agencies, neighbourhoods), people (officers, assignments, teams) and accounts."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import (
    EmailValidator,
    MaxValueValidator,
    MinValueValidator,
    URLValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.geo import BoundaryError, boundary_shape
from commonbeat.core.roles import STAFF_ROLES, Role
from commonbeat.core.vocab import Gender, Race

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]

# The keys data.police.uk uses for contact details, with their labels; anything else is refused.
CONTACT_LABELS = {
    "email": _("Email"),
    "telephone": _("Telephone"),
    "mobile": _("Mobile"),
    "fax": _("Fax"),
    "web": _("Web site"),
    "address": _("Address"),
    "facebook": "Facebook",
    "twitter": "X (Twitter)",
    "youtube": "YouTube",
    "flickr": "Flickr",
    "forum": _("Forum"),
    "e-messaging": _("Online messaging"),
    "blog": _("Blog"),
    "rss": "RSS",
}
CONTACT_KEYS = tuple(CONTACT_LABELS)


def validate_contact_details(value: Any) -> None:
    """Refuse contact details that are not a mapping of known keys to text."""
    if not isinstance(value, dict):
        raise ValidationError(_("Contact details must be a mapping of kind to value."))
    unknown = sorted(set(value) - set(CONTACT_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown contact kinds: %(kinds)s. Use: %(allowed)s."),
            params={"kinds": ", ".join(unknown), "allowed": ", ".join(CONTACT_KEYS)},
        )
    for key, item in value.items():
        if not isinstance(item, str):
            raise ValidationError(_("Contact detail %(key)s must be text."), params={"key": key})


def validate_contact_address(value: str) -> None:
    """Accept a web address, a mailto: address or a tel: number."""
    if value.startswith("mailto:"):
        EmailValidator()(value.removeprefix("mailto:"))
    elif value.startswith("tel:"):
        if not re.fullmatch(r"tel:\+?[0-9().\- ]{3,30}", value):
            raise ValidationError(_("Enter a telephone number after tel:, e.g. tel:+15155550100."))
    else:
        URLValidator(schemes=["http", "https"])(value)


def validate_boundary(value: Any) -> None:
    """Refuse a boundary that is not a valid GeoJSON Polygon or MultiPolygon."""
    try:
        boundary_shape(value)
    except BoundaryError as exc:
        raise ValidationError(str(exc)) from exc


class AccountManager(UserManager["User"]):
    """Django's user manager, with the first administrator made through the role."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """Return a new Administrator: the role gives the back office (`is_superuser` is never
        set; docs/patterns.md), so `commonbeat createsuperuser` makes a working first account."""
        extra.pop("is_staff", None)
        extra.pop("is_superuser", None)
        extra["role"] = Role.ADMINISTRATOR
        return self.create_user(username, email, password, **extra)


class User(AbstractUser):
    objects: ClassVar[AccountManager] = AccountManager()

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    officer = models.OneToOneField(
        "Officer",
        verbose_name=_("officer record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        help_text=_("For officers and supervisors: their entry in the roster."),
    )
    neighbourhood = models.ForeignKey(
        "Neighbourhood",
        verbose_name=_("neighbourhood"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        help_text=_(
            "The neighbourhood the person lives or works in, chosen on their account page."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The site switches to it when they log in; empty follows the address visited."),
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django's admin login checks is_staff; keep it derived from the role so that the
        # permission policy stays the one place that decides.
        self.is_staff = self.role in STAFF_ROLES
        self.is_superuser = False
        super().save(*args, **kwargs)


class Agency(models.Model):
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("web site"), blank=True)
    telephone = models.CharField(_("telephone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Blank means not known: analyses that read local clock times refuse rather than assume UTC.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("IANA name, for example America/Chicago; blank when not known."),
    )
    licence = models.CharField(
        _("licence"),
        max_length=200,
        blank=True,
        help_text=_(
            "Licence of the tables made from the agency's own records, for example CC-BY-4.0 "
            "or OGL-UK-3.0."
        ),
    )
    synthetic = models.BooleanField(
        _("synthetic demo data"),
        default=False,
        help_text=_("Set for generated demo agencies; every page showing them says so."),
    )

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[Agency] = MultilingualManager()
    # Per-language columns that core/translation.py has modeltranslation add, named for mypy.
    description_en: str | None
    description_es: str | None

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EngagementMethod(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="engagement_methods")
    type = models.CharField(_("type"), max_length=40, help_text=_("e.g. facebook, telephone"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        validators=[validate_contact_address],
        help_text=_("A web address, mailto:someone@example.org or tel:+15155550100."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[EngagementMethod] = MultilingualManager()
    # Per-language columns that core/translation.py has modeltranslation add, named for mypy.
    title_en: str | None
    title_es: str | None
    description_en: str | None
    description_es: str | None

    class Meta:
        verbose_name = _("engagement method")
        verbose_name_plural = _("engagement methods")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Neighbourhood(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="neighbourhoods")
    slug = models.SlugField(_("identifier"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    centre_latitude = models.DecimalField(
        _("centre latitude"), max_digits=9, decimal_places=6, validators=LATITUDE
    )
    centre_longitude = models.DecimalField(
        _("centre longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE
    )
    boundary = models.JSONField(
        _("boundary"),
        validators=[validate_boundary],
        help_text=_("A GeoJSON Polygon or MultiPolygon, longitude before latitude."),
    )
    contact_details = models.JSONField(
        _("contact details"), default=dict, blank=True, validators=[validate_contact_details]
    )

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[Neighbourhood] = MultilingualManager()
    # Per-language columns that core/translation.py has modeltranslation add, named for mypy.
    description_en: str | None
    description_es: str | None

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "slug"], name="neighbourhood_slug_per_agency")
        ]

    def __str__(self) -> str:
        return self.name

    def contact_items(self) -> list[tuple[str, str, str]]:
        """Return (kind, label, value) for each contact detail, in the standard order."""
        details = self.contact_details or {}
        return [(k, str(CONTACT_LABELS[k]), details[k]) for k in CONTACT_KEYS if details.get(k)]


class NeighbourhoodLink(models.Model):
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"))
    description = models.TextField(_("description"), blank=True)

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[NeighbourhoodLink] = MultilingualManager()
    # Per-language columns that core/translation.py has modeltranslation add, named for mypy.
    title_en: str | None
    title_es: str | None
    description_en: str | None
    description_es: str | None

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class NeighbourhoodLocation(models.Model):
    class Kind(models.TextChoices):
        STATION = "station", _("Police station")
        CONTACT_POINT = "contact_point", _("Contact point")
        OTHER = "other", _("Other")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="locations"
    )
    type = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE
    )

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[NeighbourhoodLocation] = MultilingualManager()
    # Per-language columns that core/translation.py has modeltranslation add, named for mypy.
    name_en: str | None
    name_es: str | None
    description_en: str | None
    description_es: str | None

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["type", "name"]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A named street's centre line, drawn on the neighbourhood maps."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="streets")
    name = models.CharField(_("name"), max_length=200)
    geometry = models.JSONField(
        _("geometry"), help_text=_("A GeoJSON LineString or MultiLineString, longitude first.")
    )
    source = models.CharField(_("source"), max_length=200, help_text=_("The file it came from."))

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name


class AddressPoint(models.Model):
    """One address from an operator's address file, with the neighbourhood it falls in.

    Loaded in bulk (`commonbeat addresses load`), which writes one audit entry per load instead
    of one per point: a city has hundreds of thousands of them.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="address_points")
    source = models.CharField(_("source"), max_length=200, help_text=_("The file it came from."))
    line = models.PositiveIntegerField(_("line in the file"))
    number = models.CharField(_("number"), max_length=30, blank=True)
    street = models.CharField(_("street"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=LONGITUDE
    )
    # Lower case, accents dropped, street types spelled out: what the search compares.
    street_key = models.CharField(_("street search key"), max_length=200, db_index=True)
    postcode_key = models.CharField(_("postcode search key"), max_length=20, db_index=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="address_points",
        help_text=_("Found from the point when the file was loaded; empty outside them all."),
    )

    class Meta:
        verbose_name = _("address point")
        verbose_name_plural = _("address points")
        ordering = ["street_key", "number", "unit"]
        indexes = [models.Index(fields=["agency", "source"], name="address_point_source")]

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        """Return the address as a person writes it: number, street, unit, postcode."""
        text = " ".join(part for part in (self.number, self.street) if part)
        if self.unit:
            text += f", {self.unit}"
        if self.postcode:
            text += f", {self.postcode}"
        return text


class Officer(models.Model):
    """A person on the roster. Everything here but the name shown on a team page is private."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEAVE = "leave", _("On leave")
        SUSPENDED = "suspended", _("Suspended")
        SEPARATED = "separated", _("Separated")
        RETIRED = "retired", _("Retired")
        DECEASED = "deceased", _("Deceased")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    uid = models.CharField(
        _("internal identifier"),
        max_length=64,
        unique=True,
        help_text=_("Stable across badge changes and source systems."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    middle_initial = models.CharField(_("middle initial"), max_length=5, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_RECORDED
    )
    race = models.CharField(
        _("race or ethnicity"), max_length=30, choices=Race.choices, default=Race.NOT_RECORDED
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    employment_date = models.DateField(_("employment date"), null=True, blank=True)
    separation_date = models.DateField(_("separation date"), null=True, blank=True)
    status = models.CharField(
        _("current status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(separation_date__isnull=True)
                | Q(employment_date__isnull=True)
                | Q(separation_date__gte=models.F("employment_date")),
                name="officer_separation_after_employment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def current_assignment(self) -> Assignment | None:
        """Return the open assignment, if any."""
        return self.assignments.filter(end_date__isnull=True).order_by("-start_date").first()


class Assignment(models.Model):
    """A stretch of an officer's career. Badge numbers change, so they live here."""

    class Shift(models.TextChoices):
        DAY = "day", _("Day")
        EVENING = "evening", _("Evening")
        NIGHT = "night", _("Night")
        ROTATING = "rotating", _("Rotating")

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="assignments")
    badge_number = models.CharField(_("badge or star number"), max_length=20, blank=True)
    rank = models.CharField(_("rank"), max_length=80)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    # Early intervention compares officers with peers in the same unit and shift.
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["officer", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.rank}, {self.unit} ({self.start_date})"


class TeamMembership(models.Model):
    """An officer serving a neighbourhood. The bio is written by the officer and is public."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="team")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="teams")
    role = models.CharField(_("role in the team"), max_length=120)
    bio = models.TextField(_("public bio"), blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[TeamMembership] = MultilingualManager()
    # Per-language columns that core/translation.py has modeltranslation add, named for mypy.
    role_en: str | None
    role_es: str | None
    bio_en: str | None
    bio_es: str | None

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["neighbourhood", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="team_membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.role}, {self.neighbourhood}"

    @property
    def public_name(self) -> str:
        """Return the name shown publicly: first name and surname, nothing else."""
        return f"{self.officer.first_name} {self.officer.last_name}"

    @property
    def public_rank(self) -> str:
        """Return the rank on the officer's open assignment, or the team role."""
        assignment = self.officer.current_assignment
        return assignment.rank if assignment else ""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log (written only by audit.py)."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created = models.DateTimeField(_("when"))
    actor = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("action"), max_length=10)
    model = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record description"), max_length=200)
    changes = models.JSONField(_("fields, before and after"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # How `hash` was made (audit.SCHEMES): "hmac-sha256" with the audit key for every entry
    # written now; "sha256" (unkeyed) only for entries written before the key existed.
    scheme = models.CharField(max_length=20)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["model", "object_pk"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.model} {self.object_pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit entries are append-only.")


class AuditHead(models.Model):
    """The chain's newest sequence number and hash; its row lock serialises appends."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    # HMAC of seq and hash with the audit key, so the head cannot be moved without the key.
    mac = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


# The background job queue's model lives with its queue (core/jobs.py); importing it here is
# what makes Django see it as one of core's models.
from commonbeat.core.jobs import Job  # noqa: E402

__all__ = ["Job"]
