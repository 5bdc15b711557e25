"""Neighbourhood priorities, from "you said" to "we did".

A priority is an issue residents raised (at a meeting, in a survey, in their concerns), the
action the neighbourhood team promised, who owns it, its milestones and progress, and the
measure that will show whether it worked. A priority may be split into children; a parent's
progress is then the mean of its children's, as Decidim's results are. Measures are chosen
from a list an analyst keeps (`Measure`): each is a monthly count over released records,
restricted to the priority's neighbourhood (priorities/measure.py draws it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.events.models import Event


class Measure(models.Model):
    """A monthly count over released records that can show whether an action worked."""

    class RecordType(models.TextChoices):
        CALL = "call", _("Calls for service")
        CRIME = "crime", _("Recorded crimes")
        STOP = "stop", _("Stops")
        FORCE = "force_incident", _("Use-of-force incidents")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. Calls about disorder at night")
    )
    description = models.TextField(_("description"), blank=True)
    record_type = models.CharField(_("records"), max_length=20, choices=RecordType.choices)
    types = models.JSONField(
        _("types counted"),
        default=list,
        blank=True,
        help_text=_(
            "Call types (for calls) or crime categories (for crimes) counted, as released, "
            'for example ["disturbance", "noise"]; empty counts every record.'
        ),
    )
    from_hour = models.PositiveSmallIntegerField(
        _("from hour"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
        help_text=_("Count only from this local hour (e.g. 22 for night); calls only."),
    )
    to_hour = models.PositiveSmallIntegerField(
        _("to hour"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
        help_text=_("…until before this local hour (e.g. 6); it may wrap past midnight."),
    )
    active = models.BooleanField(_("offered for new priorities"), default=True)

    objects: MultilingualManager[Measure] = MultilingualManager()
    name_en: str | None
    name_es: str | None

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (self.from_hour is None) != (self.to_hour is None):
            raise ValidationError(_("Give both hours, or neither."))
        if self.from_hour is not None and self.from_hour == self.to_hour:
            raise ValidationError({"to_hour": _("The hours must differ (22 to 6 is a night).")})
        if self.from_hour is not None and self.record_type != self.RecordType.CALL:
            raise ValidationError(
                {"from_hour": _("Only calls are released with their time of day.")}
            )
        if self.types and self.record_type not in (self.RecordType.CALL, self.RecordType.CRIME):
            raise ValidationError({"types": _("Only calls and crimes are counted by type.")})
        if not isinstance(self.types, list) or not all(
            isinstance(t, str) and t.strip() for t in self.types
        ):
            raise ValidationError({"types": _('Give a list of texts, for example ["noise"].')})


class Priority(models.Model):
    class Source(models.TextChoices):
        MEETING = "meeting", _("A meeting")
        SURVEY = "survey", _("A survey")
        CONCERNS = "concerns", _("Residents' concerns")
        DATA = "data", _("The data")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Agreed, not started")
        ACTIVE = "active", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped, with a reason")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="priorities"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("A larger priority this one is part of."),
    )
    issue = models.TextField(_("issue"), help_text=_("What residents said, in a sentence."))
    source = models.CharField(_("raised through"), max_length=10, choices=Source.choices)
    source_event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
        verbose_name=_("meeting"),
    )
    issue_date = models.DateField(_("date set"))
    action = models.TextField(_("action promised"), blank=True)
    action_date = models.DateField(
        _("action began"), null=True, blank=True, help_text=_("The before/after split.")
    )
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("e.g. Riverside neighbourhood team")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("For a priority without parts; a parent's comes from its parts."),
    )
    outcome = models.TextField(_("what was done"), blank=True)
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities"
    )
    public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: MultilingualManager[Priority] = MultilingualManager()
    issue_en: str | None
    issue_es: str | None
    action_en: str | None
    action_es: str | None
    outcome_en: str | None
    outcome_es: str | None

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ("neighbourhood", "-issue_date", "pk")

    def __str__(self) -> str:
        return self.issue[:80]

    def clean(self) -> None:
        parent = self.parent if self.parent_id is not None else None
        if parent is not None:
            if parent.pk == self.pk:
                raise ValidationError({"parent": _("A priority cannot be part of itself.")})
            if parent.neighbourhood_id != self.neighbourhood_id:
                raise ValidationError({"parent": _("Choose a priority of the same neighbourhood.")})
            if parent.parent_id is not None:
                raise ValidationError({"parent": _("Priorities have one level of parts.")})
        if self.action_date and self.issue_date and self.action_date < self.issue_date:
            raise ValidationError({"action_date": _("An action begins on or after the date set.")})


class Milestone(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MinValueValidator(0)]
    )

    objects: MultilingualManager[Milestone] = MultilingualManager()
    title_en: str | None
    title_es: str | None

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ("order", "due", "pk")

    def __str__(self) -> str:
        return self.title
