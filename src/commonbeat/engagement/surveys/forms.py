"""The survey form, built from a survey's questions in the reader's language.

Every question is on one page so that it reads without scripts: a question asked only after a
certain answer says so in its help text (pick.js-style scripting is not needed), and the form
ignores, and does not require, answers to questions whose condition was not met.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.core.languages import translated
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.surveys.models import Question, Survey
from commonbeat.engagement.surveys.services import Given

TEXT_MAX = 2000


def _name(question: Question, row_id: int | None = None) -> str:
    return f"q{question.pk}" if row_id is None else f"q{question.pk}_r{row_id}"


class SurveyForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        label=gettext_lazy("Which neighbourhood do you live in?"),
        queryset=Neighbourhood.objects.none(),
        help_text=gettext_lazy("Results are reported by neighbourhood; no address is asked."),
    )

    def __init__(self, survey: Survey, *args: Any, ask_place: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.prefetch_related("choices", "rows").all())
        by_id = {q.pk: q for q in self.questions}
        if ask_place:
            places = Neighbourhood.objects.filter(agency=survey.agency_id).order_by("name")
            self.fields["neighbourhood"].queryset = places  # type: ignore[attr-defined]
        else:
            del self.fields["neighbourhood"]
        for question in self.questions:
            label = translated(question, "text").text
            help_text = translated(question, "help").text
            if question.show_if_id and question.show_if_id in by_id:
                deciding = by_id[question.show_if_id]
                answers = [
                    translated(c, "label").text
                    for c in deciding.choices.all()
                    if c.code in question.show_if_codes
                ]
                condition = _("Answer only if you answered %(answers)s to “%(question)s”.") % {
                    "answers": " / ".join(f"“{a}”" for a in answers),
                    "question": translated(deciding, "text").text,
                }
                help_text = f"{condition} {help_text}".strip()
            if not question.required:
                label = _("%(question)s (optional)") % {"question": label}
            choices = [(str(c.pk), translated(c, "label").text) for c in question.choices.all()]
            if question.kind in (Question.Kind.SINGLE, Question.Kind.LIKERT):
                self.fields[_name(question)] = forms.TypedChoiceField(
                    label=label, help_text=help_text, choices=choices, coerce=int,
                    required=False, widget=forms.RadioSelect,
                )  # fmt: skip
            elif question.kind == Question.Kind.MULTIPLE:
                self.fields[_name(question)] = forms.TypedMultipleChoiceField(
                    label=label, help_text=help_text, choices=choices, coerce=int,
                    required=False, widget=forms.CheckboxSelectMultiple,
                )  # fmt: skip
            elif question.kind == Question.Kind.MATRIX:
                for row in question.rows.all():
                    self.fields[_name(question, row.pk)] = forms.TypedChoiceField(
                        label=f"{label} — {translated(row, 'text').text}",
                        help_text=help_text, choices=choices, coerce=int, required=False,
                        widget=forms.RadioSelect,
                    )  # fmt: skip
            else:
                self.fields[_name(question)] = forms.CharField(
                    label=label,
                    help_text=" ".join(
                        [help_text, _("Kept private: only the survey team reads it.")]
                    ).strip(),
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[int, set[str]] = {}
        self.given: list[Given] = []
        for question in self.questions:
            codes = {c.pk: c.code for c in question.choices.all()}
            if not question.shown_for(chosen):
                continue
            if question.kind == Question.Kind.MATRIX:
                pairs = []
                for row in question.rows.all():
                    value = data.get(_name(question, row.pk))
                    if value in (None, ""):
                        if question.required:
                            self.add_error(_name(question, row.pk), _("Choose one answer."))
                        continue
                    pairs.append((row.pk, int(str(value))))
                if pairs:
                    self.given.append(Given(question, row_choices=tuple(pairs)))
                continue
            value = data.get(_name(question))
            if question.kind == Question.Kind.TEXT:
                if value:
                    self.given.append(Given(question, text=str(value)))
                elif question.required:
                    self.add_error(_name(question), _("Write an answer."))
                continue
            picked = [int(v) for v in (value if isinstance(value, list) else [value]) if v]
            picked = [v for v in picked if v in codes]
            if not picked:
                if question.required:
                    self.add_error(_name(question), _("Choose an answer."))
                continue
            chosen[question.pk] = {codes[v] for v in picked}
            self.given.append(Given(question, choice_ids=tuple(picked)))
        return data
