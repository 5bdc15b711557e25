"""Surveys of trust and safety: the instrument, its waves, who may answer, and what they said.

A survey is an instrument (its questions, in English and Spanish) asked in waves; the same
question codes across waves make trends. A wave is answered by invitation (a one-time link,
each used once, answered anonymously: the response keeps no link to the invitation) or by
signed-in residents (one response each, kept apart by a keyed hash of the account, never the
account itself). Free text stays private; an analyst may publish an excerpt of it. Results are
published per wave as a snapshot (`WaveResult`) computed by surveys/results.py: the public side
reads only that snapshot, never the responses.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager

from commonbeat.core.models import Agency, Neighbourhood


class Dimension(models.TextChoices):
    """What a demographic question records, matched to the operator's population counts."""

    AGE = "age", _("Age")
    SEX = "sex", _("Sex")
    RACE = "race", _("Race and ethnicity")


class Survey(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    min_cell = models.PositiveSmallIntegerField(
        _("fewest answers shown"),
        default=10,
        validators=[MinValueValidator(3)],
        help_text=_("A place with fewer answers to a question has its results withheld."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: MultilingualManager[Survey] = MultilingualManager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class Wave(models.Model):
    class Access(models.TextChoices):
        INVITATION = "invitation", _("By invitation (a one-time link)")
        RESIDENTS = "residents", _("Signed-in residents")
        BOTH = "both", _("Invitations and signed-in residents")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Spring 2026"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    access = models.CharField(
        _("who may answer"), max_length=12, choices=Access.choices, default=Access.BOTH
    )

    objects: MultilingualManager[Wave] = MultilingualManager()

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ("survey", "opens_at")

    def __str__(self) -> str:
        return f"{self.survey} — {self.name}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A wave closes after it opens.")})

    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    def invites(self) -> bool:
        return self.access in (self.Access.INVITATION, self.Access.BOTH)

    def admits_residents(self) -> bool:
        return self.access in (self.Access.RESIDENTS, self.Access.BOTH)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        LIKERT = "likert", _("Agreement scale")
        MATRIX = "matrix", _("Grid: several statements on one scale")
        TEXT = "text", _("Free text (kept private)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Stays the same across waves so results can be compared, e.g. trust_fair"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("question"))
    help = models.CharField(_("help"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    dimension = models.CharField(
        _("weights by"),
        max_length=4,
        choices=Dimension.choices,
        blank=True,
        help_text=_(
            "For a demographic question: its choices' codes are the groups of the population "
            "counts, and the results are weighted to them."
        ),
    )
    show_if = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("asked only if"),
        help_text=_("An earlier question whose answer decides whether this one is asked."),
    )
    show_if_codes = models.JSONField(
        _("…was answered with"),
        default=list,
        blank=True,
        help_text=_('Codes of that question\'s choices, for example ["yes"].'),
    )

    objects: MultilingualManager[Question] = MultilingualManager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("survey", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=("survey", "code"), name="question_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    def has_choices(self) -> bool:
        return self.kind != self.Kind.TEXT

    def clean(self) -> None:
        if self.dimension and self.kind != self.Kind.SINGLE:
            raise ValidationError({"dimension": _("Only a one-choice question can weight.")})
        if self.show_if is None:
            if self.show_if_codes:
                raise ValidationError({"show_if": _("Name the question these codes belong to.")})
            return
        if self.show_if.survey_id != self.survey_id or self.show_if.kind in (
            self.Kind.TEXT,
            self.Kind.MATRIX,
        ):
            raise ValidationError(
                {
                    "show_if": _(
                        "Choose a one-choice, several-choice or scale question of this survey."
                    )
                }
            )
        if (self.show_if.position, self.show_if.pk or 0) >= (self.position, self.pk or 1 << 62):
            raise ValidationError({"show_if": _("The deciding question must come earlier.")})
        codes = set(self.show_if.choices.values_list("code", flat=True))
        given = self.show_if_codes
        if (
            not isinstance(given, list)
            or not given
            or not all(isinstance(c, str) and c in codes for c in given)
        ):
            raise ValidationError(
                {
                    "show_if_codes": _("Give codes of that question's choices, one of: %(codes)s")
                    % {"codes": ", ".join(sorted(codes)) or "—"}
                }
            )

    def shown_for(self, chosen: dict[int, set[str]]) -> bool:
        """Whether this question applies, given each earlier question's chosen codes."""
        if self.show_if_id is None:
            return True
        return bool(chosen.get(self.show_if_id, set()) & set(self.show_if_codes))


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    favourable = models.BooleanField(
        _("counts as favourable"),
        default=False,
        help_text=_('e.g. "Agree" and "Strongly agree": the headline share and its trend.'),
    )

    objects: MultilingualManager[Choice] = MultilingualManager()

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ("question", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=("question", "code"), name="choice_code_once"),
        ]

    def __str__(self) -> str:
        return self.label


class MatrixRow(models.Model):
    """One statement of a grid question, answered on the question's choices."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("statement"), max_length=300)

    objects: MultilingualManager[MatrixRow] = MultilingualManager()

    class Meta:
        verbose_name = _("grid statement")
        verbose_name_plural = _("grid statements")
        ordering = ("question", "position", "pk")
        constraints = [
            models.UniqueConstraint(fields=("question", "code"), name="row_code_once"),
        ]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """A one-time link: only its hash is kept, and the response it gives does not point back."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class Response(models.Model):
    class Channel(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        RESIDENT = "resident", _("Signed-in resident")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=8)
    # A keyed hash of a signed-in resident's account, so each answers once; empty otherwise.
    # NULL, not "", for invitations: NULLs never collide in the unique constraint.
    respondent_key = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=("wave", "respondent_key"), name="one_response_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    row = models.ForeignKey(MatrixRow, on_delete=models.CASCADE, null=True, blank=True)
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question.code} #{self.pk}"


class Excerpt(models.Model):
    """A passage of a free-text answer an analyst chose to publish (edited to remove anything
    that could identify someone, and translated)."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="excerpt")
    text = models.TextField(_("published text"))
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    objects: MultilingualManager[Excerpt] = MultilingualManager()

    class Meta:
        verbose_name = _("published excerpt")
        verbose_name_plural = _("published excerpts")

    def __str__(self) -> str:
        return self.text[:60]


class PopulationCount(models.Model):
    """Residents of a neighbourhood in one group of one dimension (e.g. age 18-34), loaded by
    an operator from the census so that results can be weighted."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=4, choices=Dimension.choices)
    group = models.SlugField(max_length=40)
    residents = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        constraints = [
            models.UniqueConstraint(
                fields=("neighbourhood", "dimension", "group"), name="population_cell_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.neighbourhood} {self.dimension} {self.group}: {self.residents}"


class WaveResult(models.Model):
    """A wave's published results: computed once by an analyst, read by the public side."""

    wave = models.OneToOneField(Wave, on_delete=models.CASCADE, related_name="result")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    data = models.JSONField()

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    def __str__(self) -> str:
        return str(self.wave)
