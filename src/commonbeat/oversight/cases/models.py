"""Complaints and commendations, and the case that handles each one.

A `Complaint` is what a member of the public reports (a complaint or a commendation) and,
once received, the case: its stage is a protected state field (django-fsm-2), so it moves only
through the transitions `cases/workflow.py` defines, each of which is logged in the audit log and
as a `StageChange`. Who the complainant is (name, contact details, witnesses) is confidential:
`cases/confidentiality.py` decides who reads it; the public reads aggregates through releases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from commonbeat.core.models import Agency, Neighbourhood, Officer
from commonbeat.core.vocab import Gender, Race
from commonbeat.oversight import vocab
from commonbeat.oversight.cases.workflow import CaseWorkflow, Stage

__all__ = [
    "Allegation",
    "Attachment",
    "Complaint",
    "Extension",
    "InvolvedOfficer",
    "Notification",
    "Stage",
    "StageChange",
    "StageDeadline",
    "Witness",
]


class Complaint(CaseWorkflow, FSMModelMixin, models.Model):
    """A complaint or a commendation from the public, and the case that handles it."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        COMMENDATION = "commendation", _("Commendation")

    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        API = "api", _("API")
        PHONE = "phone", _("Telephone")
        WALK_IN = "walk_in", _("In person")
        MAIL = "mail", _("Letter")
        EMAIL = "email", _("E-mail")
        ORGANISATION = "organisation", _("Community organisation")
        INTERNAL = "internal", _("Internal referral")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="complaints")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The receipt: a public tracking code and a separate secret, kept only as a hash.
    reference = models.CharField(_("tracking code"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=128, editable=False)
    stage = FSMField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED, protected=True
    )
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("how it came in"), max_length=20, choices=Channel.choices)
    language = models.CharField(
        _("language for messages"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # Who submitted it: a signed-in resident, or staff or an organisation filing on someone's
    # behalf (recorded as such); empty for an anonymous visitor.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints_filed",
    )
    on_behalf = models.BooleanField(_("filed on someone's behalf"), default=False)
    organisation = models.CharField(_("organisation filing"), max_length=200, blank=True)

    # The complainant (confidential). Anonymous filings leave all of it empty.
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = models.CharField(_("name"), max_length=200, blank=True)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    complainant_phone = models.CharField(_("telephone"), max_length=40, blank=True)
    complainant_address = models.CharField(_("postal address"), max_length=300, blank=True)
    # Optional demographics, in the one vocabulary (never shown with the identity publicly).
    complainant_race = models.CharField(
        _("race or ethnicity"), max_length=30, choices=Race.choices, default=Race.NOT_RECORDED
    )
    complainant_gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_RECORDED
    )
    complainant_age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)

    # What happened, when and where.
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
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    narrative = models.TextField(_("what happened"))
    # Duplicate detection: a hash of the normalised narrative with the incident's date and place.
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )

    # Intake review.
    category = models.CharField(
        _("category"), max_length=40, choices=vocab.CATEGORY_CHOICES, blank=True
    )
    in_jurisdiction = models.BooleanField(_("within our jurisdiction"), null=True, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    mediation_offered = models.BooleanField(_("mediation offered"), default=False)
    mediation_accepted = models.BooleanField(_("mediation accepted"), null=True, blank=True)

    # The case.
    unit = models.CharField(
        _("unit"),
        max_length=120,
        blank=True,
        help_text=_("The unit whose supervisors follow the case (the accused officers' unit)."),
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_investigated",
    )
    stage_entered_at = models.DateTimeField(_("entered this stage"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        verbose_name = _("complaint or commendation")
        verbose_name_plural = _("complaints and commendations")
        ordering = ("-received_at",)
        indexes = [
            models.Index(fields=("stage", "due_at")),
            models.Index(fields=("agency", "received_at")),
            # The work queues (read a page at a time, newest first, with 300,000 cases): all
            # cases, by stage, a unit's, an investigator's, a resident's, and the overdue ones.
            models.Index(fields=("-received_at", "-id"), name="complaint_newest"),
            models.Index(fields=("stage", "-received_at", "-id"), name="complaint_stage_newest"),
            models.Index(fields=("unit", "-received_at", "-id"), name="complaint_unit_newest"),
            models.Index(fields=("unit", "due_at"), name="complaint_unit_due"),
            models.Index(
                fields=("due_at", "id"),
                condition=~models.Q(stage="closed"),
                name="complaint_open_due",
            ),
            models.Index(fields=("investigator", "stage"), name="complaint_investigator"),
            models.Index(fields=("filed_by", "-received_at"), name="complaint_filed_by"),
        ]

    def __str__(self) -> str:
        return self.reference


class InvolvedOfficer(models.Model):
    """An officer a report names: known (linked to the roster) or described when unknown."""

    class Role(models.TextChoices):
        ACCUSED = "accused", _("Accused")
        WITNESS = "witness", _("Witness officer")
        COMMENDED = "commended", _("Commended")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="officers")
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="complaint_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ACCUSED)
    # As the complainant gave them (kept even once linked to the roster).
    name_given = models.CharField(_("name given"), max_length=200, blank=True)
    badge_given = models.CharField(_("badge given"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("officer involved")
        verbose_name_plural = _("officers involved")

    def __str__(self) -> str:
        if self.officer_id:
            return str(self.officer)
        return self.name_given or self.badge_given or str(_("unidentified officer"))


class Witness(models.Model):
    """A witness the complainant names (confidential, as the complainant is)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="witnesses")
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.CharField(_("contact details"), max_length=300, blank=True)
    statement = models.TextField(_("what they saw"), blank=True)

    class Meta:
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")

    def __str__(self) -> str:
        return self.name or str(_("witness"))


class Attachment(models.Model):
    """A file sent with a report, stored privately (OVERSIGHT_FILES_ROOT), served to staff."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF document")
        VIDEO = "video", _("Video")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("type"), max_length=100)
    original_name = models.CharField(_("file name as sent"), max_length=255)
    stored_name = models.CharField(max_length=255, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Allegation(models.Model):
    """One allegation against one accused officer, with findings at each level and discipline."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="allegations")
    accused = models.ForeignKey(
        InvolvedOfficer, on_delete=models.CASCADE, related_name="allegations"
    )
    category = models.CharField(_("category"), max_length=40, choices=vocab.CATEGORY_CHOICES)
    description = models.TextField(_("allegation"))
    investigator_finding = models.CharField(
        _("finding recommended by the investigator"),
        max_length=30,
        choices=vocab.FINDING_CHOICES,
        blank=True,
    )
    investigator_reason = models.TextField(_("investigator's reasons"), blank=True)
    board_finding = models.CharField(
        _("finding recommended by the board"),
        max_length=30,
        choices=vocab.FINDING_CHOICES,
        blank=True,
    )
    board_reason = models.TextField(_("board's reasons"), blank=True)
    final_finding = models.CharField(
        _("final finding"), max_length=30, choices=vocab.FINDING_CHOICES, blank=True
    )
    final_reason = models.TextField(_("reasons for the final finding"), blank=True)
    recommended_discipline = models.CharField(
        _("discipline recommended"), max_length=20, choices=vocab.SANCTION_CHOICES, blank=True
    )
    final_discipline = models.CharField(
        _("discipline imposed"), max_length=20, choices=vocab.SANCTION_CHOICES, blank=True
    )

    class Meta:
        verbose_name = _("allegation")
        verbose_name_plural = _("allegations")

    def __str__(self) -> str:
        return f"{self.complaint}: {self.get_category_display()}"


class StageChange(models.Model):
    """One transition of a case, with who made it and why (also in the audit log)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.TextField(_("reason or note"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.complaint}: {self.from_stage} → {self.to_stage}"


class StageDeadline(models.Model):
    """How many days a case may spend in a stage (the back office's table; defaults from
    the OVERSIGHT_STAGE_DAYS setting)."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days allowed"))

    class Meta:
        verbose_name = _("stage deadline")
        verbose_name_plural = _("stage deadlines")
        ordering = ("stage",)

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.days}"


class Extension(models.Model):
    """More time for a case in a stage, with the reasons and who granted it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(_("days added"))
    reason = models.TextField(_("reasons"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(_("when"))
    due_before = models.DateTimeField(_("due before"), null=True, blank=True)
    due_after = models.DateTimeField(_("due after"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.complaint}: +{self.days}"


class Notification(models.Model):
    """A message sent about a case: to whom (a kind, never the address), when, in which
    language and with which subject."""

    class Recipient(models.TextChoices):
        COMPLAINANT = "complainant", _("Complainant")
        OFFICER = "officer", _("Accused officer")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notifications")
    recipient_kind = models.CharField(_("sent to"), max_length=20, choices=Recipient.choices)
    event = models.CharField(_("about"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("sent_at", "id")

    def __str__(self) -> str:
        return f"{self.complaint}: {self.subject}"
