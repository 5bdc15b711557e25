"""Early intervention: the rules an operator sets, the alerts they open, the supervisor's review.

An alert supports an officer; it is not discipline. It is confidential: the officer's
supervisors (same unit) and administrators read it; the officer sees only that it exists and
how its review ended (early/permissions.py, docs/oversight.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import Officer
from commonbeat.oversight.early.indicators import INDICATOR_CHOICES


class AlertRule(models.Model):
    """When an officer's indicator calls for a supervisor's look, as an operator configures."""

    class Kind(models.TextChoices):
        TOP_PERCENTILE = "top_percentile", _("At or above a percentile of the service-year cohort")
        COUNT = "count", _("At least a count in the window")
        PEER_RATIO = "peer_ratio", _("At least a ratio to the peer median")

    name = models.CharField(_("name"), max_length=200, unique=True)
    indicator = models.CharField(_("indicator"), max_length=30, choices=INDICATOR_CHOICES)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("A percentile (e.g. 95), a count (e.g. 3) or a ratio (e.g. 2), by kind."),
    )
    minimum_count = models.PositiveIntegerField(
        _("minimum count"),
        default=1,
        help_text=_(
            "The rule fires only when the officer's own count is at least this, so that one "
            "event in a quiet group is not an alert."
        ),
    )
    window_days = models.PositiveIntegerField(
        _("window in days"), default=365, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("active"), default=True)

    # modeltranslation's manager, declared so that type checkers see it (it would patch one in).
    objects: MultilingualManager[AlertRule] = MultilingualManager()
    # Per-language columns that early/translation.py has modeltranslation add, named for mypy.
    name_en: str | None
    name_es: str | None

    class Meta:
        verbose_name = _("early-intervention rule")
        verbose_name_plural = _("early-intervention rules")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One rule firing for one officer, with the figures that made it fire."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open: awaiting the supervisor's review")
        CLOSED = "closed", _("Closed: reviewed")

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    # An alert is about its officer: it goes if the roster entry itself is deleted (officers
    # who leave are separated, not deleted; the demo's rebuild deletes its whole city).
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="alerts")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened"))
    as_of = models.DateField(_("figures as of"))
    window_start = models.DateField(_("window starts"))
    # The officer's place on the as-of date, so that their unit's supervisors find it.
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    shift = models.CharField(_("shift"), max_length=10, blank=True)
    years_of_service = models.PositiveSmallIntegerField(
        _("years of service"), null=True, blank=True
    )
    # The indicator's figures (count, peer median, ratio, percentile, cohort size) and the
    # officer's peers' counts, as they were when the alert opened.
    figures = models.JSONField(_("figures"), default=dict)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("early-intervention alert")
        verbose_name_plural = _("early-intervention alerts")
        ordering = ("-opened_at", "-id")
        constraints = [
            # Evaluation is idempotent: one open alert per officer and rule.
            models.UniqueConstraint(
                fields=("officer", "rule"),
                condition=Q(status="open"),
                name="one_open_alert_per_officer_and_rule",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.officer.uid} ({self.as_of})"


class AlertReview(models.Model):
    """The supervisor's confidential review of an alert: what they did and why."""

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", _("No action needed")
        TRAINING = "training", _("Training")
        MENTORING = "mentoring", _("Mentoring")
        REFERRAL = "referral", _("Referral (support services or professional standards)")

    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="review")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="alert_reviews",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("notes"), max_length=5000)
    met_on = models.DateField(_("met with the officer on"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"))

    class Meta:
        verbose_name = _("alert review")
        verbose_name_plural = _("alert reviews")

    def __str__(self) -> str:
        return f"{self.alert}: {self.get_outcome_display()}"
