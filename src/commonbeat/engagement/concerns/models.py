"""Resident concerns, the Open311 GeoReport v2 way: services with their definitions, service
requests routed to a neighbourhood team, status notes, followers and duplicates, and the keys
apps post with.

A concern's reporter and their contact details are private: the public side (the Open311 GET
answers, the concern pages) shows the service, the status and its notes, the description, the
reporter's name only when they did not hide it, and the place snapped to a 100-metre grid
(concerns/api.py). A photo is shown only after staff have looked at it (`photo_public`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import AddressPoint, Agency, Neighbourhood


class Service(models.Model):
    """A kind of concern residents report (noise, vandalism, lighting, …)."""

    class Type(models.TextChoices):
        REALTIME = "realtime", _("Real time: a request number at once")
        BATCH = "batch", _("Batch: a token first, the number later")
        BLACKBOX = "blackbox", _("Black box: no number is given")

    code = models.SlugField(_("service code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=120, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. noise, music")
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.REALTIME)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects: MultilingualManager[Service] = MultilingualManager()
    name_en: str | None
    name_es: str | None

    class Meta:
        verbose_name = _("concern service")
        verbose_name_plural = _("concern services")
        ordering = ("order", "code")

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """A question a service asks (Open311 service definition attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One of a list")
        MULTI = "multivaluelist", _("Any of a list")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=60)
    description = models.CharField(_("question"), max_length=300)
    datatype = models.CharField(_("answer type"), max_length=20, choices=Datatype.choices)
    datatype_description = models.CharField(_("answer help"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # False for an attribute that only informs (Open311's "variable": false).
    variable = models.BooleanField(_("asks for an answer"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects: MultilingualManager[ServiceAttribute] = MultilingualManager()
    description_en: str | None
    description_es: str | None

    class Meta:
        verbose_name = _("service question")
        verbose_name_plural = _("service questions")
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint("service", "code", name="service_attribute_code_once")
        ]

    def __str__(self) -> str:
        return self.code


class AttributeValue(models.Model):
    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects: MultilingualManager[AttributeValue] = MultilingualManager()
    name_en: str | None
    name_es: str | None

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ("order", "pk")
        constraints = [models.UniqueConstraint("attribute", "key", name="attribute_value_once")]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A key an app posts concerns with; only its hash is kept."""

    name = models.CharField(_("app"), max_length=200, help_text=_("Who uses it, e.g. City app"))
    contact = models.EmailField(_("contact"), blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Concern(models.Model):
    """One service request: what, where, who (private), its status and its history."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="concerns")
    # The token an app follows until the request is accepted (batch services); kept after.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    accepted = models.BooleanField(_("accepted"), default=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="concerns")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    address_string = models.CharField(_("address as given"), max_length=300, blank=True)
    address = models.ForeignKey(
        AddressPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    media_url = models.URLField(_("media address given"), max_length=500, blank=True)
    photo = models.CharField(max_length=80, blank=True, editable=False)  # stored file name
    photo_public = models.BooleanField(
        _("photo may be shown"), default=False, help_text=_("Set once you have looked at it.")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    hide_name = models.BooleanField(_("name hidden from the public"), default=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    account_id = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
    )
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    requested_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    expected_at = models.DateTimeField(_("expected"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident concern")
        verbose_name_plural = _("resident concerns")
        ordering = ("-requested_at", "-pk")
        indexes = [
            models.Index(fields=["status", "service", "latitude"], name="concern_open_near"),
            models.Index(fields=["requested_at"], name="concern_requested"),
        ]

    def __str__(self) -> str:
        return f"{self.service} #{self.pk}"

    @property
    def public_name(self) -> str:
        """The reporter's name as the public sees it: first name and initial, or nothing."""
        if self.hide_name or not self.first_name:
            return ""
        return f"{self.first_name} {self.last_name[:1]}.".strip(" .") + (
            "." if self.last_name else ""
        )


class StatusNote(models.Model):
    """A change of status or a note from the team, sent to the reporter and followers."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    status = models.CharField(_("status"), max_length=10, choices=Concern.Status.choices)
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects: MultilingualManager[StatusNote] = MultilingualManager()
    note_en: str | None
    note_es: str | None

    class Meta:
        verbose_name = _("status note")
        verbose_name_plural = _("status notes")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.note[:60]


class Follower(models.Model):
    """Someone who follows a concern (instead of reporting the same one again)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint("concern", models.functions.Lower("email"), name="follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.concern} · {self.pk}"
