"""Use-of-force reports and their review up the chain of command.

An officer reports force they used (`ForceReport`): the incident, the people force was used on
(`ForceSubject`), the officers involved (`ForceOfficer`, the author among them), each force type
used and each resistance met (`ForceUse`, `ForceResistance`, per officer and subject) and the
body-worn camera footage (`BodyCamera`). The report's state is a protected django-fsm-2 field:
draft → submitted (awaiting level 1) → under review (forwarded up the chain) → reviewed, with
"returned for correction" going back to its author. Each review step is a `ForceReview`.
Only the author edits, and only while a draft or returned; every version of the report and of
each child row is kept by django-simple-history (`history`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords  # type: ignore[import-untyped]

from commonbeat.core.models import Agency, Neighbourhood, Officer
from commonbeat.core.vocab import Gender, Race
from commonbeat.oversight.cases.models import Complaint
from commonbeat.records import labels

# Values besides the catalogue's: "other", with the officer's own words beside it.
OTHER = "other"


def _catalogue_choices(vocabulary: str) -> list[tuple[str, object]]:
    return [*labels.CATALOGUE[vocabulary].items(), (OTHER, _("Other (describe)"))]


FORCE_TYPE_CHOICES = _catalogue_choices("force_type")
RESISTANCE_CHOICES = _catalogue_choices("resistance")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    UNDER_REVIEW = "under_review", _("Under review up the chain of command")
    RETURNED = "returned", _("Returned for correction")
    REVIEWED = "reviewed", _("Reviewed")


class Outcome(models.TextChoices):
    WITHIN_POLICY = "within_policy", _("Within policy")
    TRAINING_NEEDED = "training_needed", _("Training needed")
    REFERRED = "referred", _("Referred to investigation")


class ForceReport(models.Model):
    """One officer's report of force used in one incident."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="force_reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="force_reports"
    )
    author_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="force_reports_written"
    )
    state = FSMField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, protected=True
    )
    # The author's unit and rank when the report was last submitted: the chain of command it
    # routes through (chain.py), kept so that a transfer mid-review does not reroute it.
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    author_rank = models.CharField(_("author's rank"), max_length=80, blank=True)
    review_level = models.PositiveSmallIntegerField(_("review level awaited"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)

    # The incident.
    incident_date = models.DateField(_("date of the incident"))
    incident_time = models.TimeField(_("time of the incident"), null=True, blank=True)
    location_text = models.CharField(_("where it happened"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="force_reports",
    )
    incident_number = models.CharField(_("CAD or incident number"), max_length=60, blank=True)
    narrative = models.TextField(_("what happened"))
    deescalation_attempted = models.BooleanField(_("de-escalation attempted"), default=False)
    deescalation_description = models.TextField(_("de-escalation tried"), blank=True)
    warnings_given = models.BooleanField(_("warnings given"), default=False)
    warnings_description = models.TextField(_("warnings"), blank=True)
    officer_intervened = models.BooleanField(_("another officer intervened"), default=False)
    intervention_description = models.TextField(_("how another officer intervened"), blank=True)

    created_at = models.DateTimeField(_("created"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    # Complaints about the same incident, linked by staff; the internal case a referral opened.
    complaints = models.ManyToManyField(
        Complaint, blank=True, related_name="force_reports", verbose_name=_("related complaints")
    )
    referral = models.ForeignKey(
        Complaint,
        verbose_name=_("internal case opened"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_from_force",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("use-of-force report")
        verbose_name_plural = _("use-of-force reports")
        ordering = ("-incident_date", "-id")
        indexes = [models.Index(fields=("state", "unit", "review_level"))]

    def __str__(self) -> str:
        return str(_("Use-of-force report %(number)s")) % {"number": self.pk}

    # The transitions; services.py calls them (checking who may) and saves.
    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED)
    def submit(self) -> None:
        self.review_level = 1
        self.outcome = ""

    @transition(
        field=state, source=[State.SUBMITTED, State.UNDER_REVIEW], target=State.UNDER_REVIEW
    )
    def forward(self) -> None:
        self.review_level += 1

    @transition(field=state, source=[State.SUBMITTED, State.UNDER_REVIEW], target=State.RETURNED)
    def return_for_correction(self) -> None:
        self.review_level = 0

    @transition(field=state, source=[State.SUBMITTED, State.UNDER_REVIEW], target=State.REVIEWED)
    def conclude(self, outcome: str) -> None:
        self.outcome = outcome
        self.review_level = 0

    @property
    def editable(self) -> bool:
        """Return whether the report may still be edited (by its author)."""
        return self.state in (State.DRAFT, State.RETURNED)


class ForceSubject(models.Model):
    """A person force was used on, numbered within the report (subject 1, 2, ...)."""

    class Treatment(models.TextChoices):
        NONE = "none", _("None needed")
        ON_SCENE = "on_scene", _("First aid on scene")
        HOSPITAL = "hospital", _("Taken to hospital")
        REFUSED = "refused", _("Offered and refused")

    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, related_name="subjects")
    number = models.PositiveSmallIntegerField(_("subject number"))
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    race = models.CharField(
        _("race or ethnicity"), max_length=30, choices=Race.choices, default=Race.NOT_RECORDED
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_RECORDED
    )
    injured = models.BooleanField(_("injured"), default=False)
    injury_description = models.TextField(_("injuries"), blank=True)
    medical_treatment = models.CharField(
        _("medical treatment"), max_length=20, choices=Treatment.choices, default=Treatment.NONE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subject of force")
        verbose_name_plural = _("subjects of force")
        ordering = ("report", "number")
        constraints = [
            models.UniqueConstraint(fields=("report", "number"), name="force_subject_number")
        ]

    def __str__(self) -> str:
        return str(_("Subject %(number)s")) % {"number": self.number}


class ForceOfficer(models.Model):
    """An officer involved in the incident (the author is always one)."""

    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, related_name="officers")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="force_involved")
    injured = models.BooleanField(_("injured"), default=False)
    injury_description = models.TextField(_("injuries"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer involved in force")
        verbose_name_plural = _("officers involved in force")
        constraints = [
            models.UniqueConstraint(fields=("report", "officer"), name="force_officer_once")
        ]

    def __str__(self) -> str:
        return str(self.officer)


class ForceUse(models.Model):
    """One type of force one officer used on one subject."""

    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, related_name="uses")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="force_uses")
    subject = models.ForeignKey(ForceSubject, on_delete=models.CASCADE, related_name="uses")
    force_type = models.CharField(_("force used"), max_length=60, choices=FORCE_TYPE_CHOICES)
    other_text = models.CharField(_("other force, described"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("force used")
        verbose_name_plural = _("force used")

    def __str__(self) -> str:
        return self.other_text or str(self.get_force_type_display())


class ForceResistance(models.Model):
    """One kind of resistance one subject offered to one officer."""

    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, related_name="resistances")
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="force_resistances_met"
    )
    subject = models.ForeignKey(ForceSubject, on_delete=models.CASCADE, related_name="resistances")
    resistance = models.CharField(_("resistance met"), max_length=60, choices=RESISTANCE_CHOICES)
    other_text = models.CharField(_("other resistance, described"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resistance met")
        verbose_name_plural = _("resistance met")

    def __str__(self) -> str:
        return self.other_text or str(self.get_resistance_display())


class BodyCamera(models.Model):
    """A body-worn camera recording of the incident."""

    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, related_name="cameras")
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer wearing it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_cameras",
    )
    camera = models.CharField(_("camera identifier"), max_length=60, blank=True)
    footage = models.CharField(_("footage identifier"), max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("body-worn camera recording")
        verbose_name_plural = _("body-worn camera recordings")

    def __str__(self) -> str:
        return self.footage


class ForceReview(models.Model):
    """One step of the review: who reviewed, at which level, what they decided and why."""

    class Decision(models.TextChoices):
        WITHIN_POLICY = "within_policy", _("Within policy")
        TRAINING_NEEDED = "training_needed", _("Training needed")
        REFERRED = "referred", _("Referred to investigation")
        RETURNED = "returned", _("Returned for correction")

    report = models.ForeignKey(ForceReport, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="force_reviews"
    )
    reviewer_officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="force_reviews"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comments = models.TextField(_("comments"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("use-of-force review")
        verbose_name_plural = _("use-of-force reviews")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.report}: {self.level} {self.decision}"
