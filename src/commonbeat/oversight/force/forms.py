"""The use-of-force report form, its child-row formsets (with spare rows, no script needed)
and the review form. The forms read and shape input; services.py decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from commonbeat.core.models import Assignment, Officer
from commonbeat.core.vocab import Gender, Race
from commonbeat.oversight.force.models import (
    FORCE_TYPE_CHOICES,
    RESISTANCE_CHOICES,
    ForceReport,
    ForceReview,
    ForceSubject,
)

EXTRA_ROWS = 2  # spare rows in each list; save and edit again for more
MAX_SUBJECTS = 20

DATE_ERROR = _("Enter the date as YYYY-MM-DD, e.g. 2026-03-14.")
TIME_ERROR = _("Enter the time as HH:MM on a 24-hour clock, e.g. 21:45.")
NUMBER_ERROR = _("Enter a number, e.g. 41.881832.")


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        badge = getattr(obj, "badge", "")
        return f"{obj.last_name}, {obj.first_name}" + (f" ({badge})" if badge else "")


def roster(agency_id: int | None) -> Any:
    if agency_id is None:
        return Officer.objects.none()
    """Return the agency's officers with their current badge, for the choosers."""
    badge = Assignment.objects.filter(officer=OuterRef("pk"), end_date__isnull=True).order_by(
        "-start_date"
    )
    return (
        Officer.objects.filter(agency_id=agency_id)
        .annotate(badge=Subquery(badge.values("badge_number")[:1]))
        .order_by("last_name", "first_name")
    )


def _officer_field(agency_id: int | None, required: bool = True) -> OfficerChoiceField:
    return OfficerChoiceField(
        queryset=roster(agency_id),
        required=required,
        label=_("Officer"),
        error_messages={"invalid_choice": _("Choose an officer of your agency from the list.")},
    )


class ForceReportForm(forms.Form):
    incident_date = forms.DateField(
        label=_("Date of the incident"),
        help_text=_("YYYY-MM-DD, e.g. 2026-03-14."),
        error_messages={"invalid": DATE_ERROR, "required": DATE_ERROR},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    incident_time = forms.TimeField(
        label=_("Time of the incident"),
        required=False,
        help_text=_("HH:MM, e.g. 21:45."),
        error_messages={"invalid": TIME_ERROR},
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    incident_number = forms.CharField(
        label=_("CAD or incident number"), required=False, max_length=60
    )
    location_text = forms.CharField(
        label=_("Where it happened"),
        required=False,
        max_length=300,
        help_text=_("An address, e.g. 120 Main Street; or give a map point below."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        error_messages={"invalid": NUMBER_ERROR},
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        error_messages={"invalid": _("Enter a number, e.g. -87.623177.")},
    )
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe what happened, in your own words.")},
    )
    deescalation_attempted = forms.BooleanField(label=_("De-escalation attempted"), required=False)
    deescalation_description = forms.CharField(
        label=_("What de-escalation was tried"), required=False, widget=forms.Textarea({"rows": 3})
    )
    warnings_given = forms.BooleanField(label=_("Warnings given"), required=False)
    warnings_description = forms.CharField(
        label=_("What warnings were given"), required=False, widget=forms.Textarea({"rows": 3})
    )
    officer_intervened = forms.BooleanField(label=_("Another officer intervened"), required=False)
    intervention_description = forms.CharField(
        label=_("How they intervened"), required=False, widget=forms.Textarea({"rows": 3})
    )


class SubjectForm(forms.Form):
    number = forms.TypedChoiceField(
        label=_("Subject number"),
        coerce=int,
        choices=[(n, n) for n in range(1, MAX_SUBJECTS + 1)],
    )
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={"invalid": _("Enter the age in years, e.g. 34.")},
    )
    race = forms.ChoiceField(
        label=_("Race or ethnicity"), choices=Race.choices, initial=Race.NOT_RECORDED
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.NOT_RECORDED
    )
    injured = forms.BooleanField(label=_("Injured"), required=False)
    injury_description = forms.CharField(
        label=_("Injuries"), required=False, widget=forms.Textarea({"rows": 2})
    )
    medical_treatment = forms.ChoiceField(
        label=_("Medical treatment"),
        choices=ForceSubject.Treatment.choices,
        initial=ForceSubject.Treatment.NONE,
    )


class _AgencyForm(forms.Form):
    def __init__(self, *args: Any, agency_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_id = agency_id
        self.add_fields()

    def add_fields(self) -> None:
        self.fields["officer"] = _officer_field(self.agency_id)


class OfficerForm(_AgencyForm):
    injured = forms.BooleanField(label=_("Injured"), required=False)
    injury_description = forms.CharField(
        label=_("Injuries"), required=False, widget=forms.Textarea({"rows": 2})
    )

    field_order = ("officer", "injured", "injury_description")


class _PerSubjectForm(_AgencyForm):
    def add_fields(self) -> None:
        super().add_fields()
        self.fields["subject_number"] = forms.TypedChoiceField(
            label=_("Subject"),
            coerce=int,
            choices=[
                ("", "—"),
                *((n, format_lazy("{} {}", _("Subject"), n)) for n in range(1, MAX_SUBJECTS + 1)),
            ],
            error_messages={"required": _("Choose the subject, e.g. Subject 1.")},
        )
        self.order_fields(("officer", "subject_number"))


class ForceUseForm(_PerSubjectForm):
    force_type = forms.ChoiceField(
        label=_("Force used"),
        choices=[("", "—"), *FORCE_TYPE_CHOICES],
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a force type we know: choose one from the list, or “Other” "
                "and describe it."
            )
        },
    )
    other_text = forms.CharField(label=_("Other force, described"), required=False, max_length=200)


class ResistanceForm(_PerSubjectForm):
    resistance = forms.ChoiceField(
        label=_("Resistance met"),
        choices=[("", "—"), *RESISTANCE_CHOICES],
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a kind of resistance we know: choose one from the list, or "
                "“Other” and describe it."
            )
        },
    )
    other_text = forms.CharField(
        label=_("Other resistance, described"), required=False, max_length=200
    )


class CameraForm(_AgencyForm):
    camera = forms.CharField(label=_("Camera identifier"), required=False, max_length=60)
    footage = forms.CharField(
        label=_("Footage identifier"),
        max_length=120,
        help_text=_("As the evidence system shows it, e.g. AXON-2026-0042."),
    )

    def add_fields(self) -> None:
        self.fields["officer"] = _officer_field(self.agency_id, required=False)
        self.fields["officer"].label = _("Officer wearing it")
        self.order_fields(("officer", "camera", "footage"))


def _formset(form: type[forms.Form]) -> Any:
    return forms.formset_factory(form, extra=EXTRA_ROWS, can_delete=True, max_num=50)


class _SubjectFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        count = self.initial_form_count()
        if index is not None and index >= count:
            # Spare rows come numbered after the existing subjects (unchanged, they stay empty).
            taken = [row.get("number") or 0 for row in self.initial or []]
            kwargs["initial"] = {"number": max(taken, default=0) + index - count + 1}
        return kwargs


SubjectFormSet = forms.formset_factory(
    SubjectForm, formset=_SubjectFormSet, extra=EXTRA_ROWS, can_delete=True, max_num=50
)
OfficerFormSet = _formset(OfficerForm)
ForceUseFormSet = _formset(ForceUseForm)
ResistanceFormSet = _formset(ResistanceForm)
CameraFormSet = _formset(CameraForm)

FORMSETS = {
    "subjects": (SubjectFormSet, _("People force was used on")),
    "officers": (
        OfficerFormSet,
        _("Officers involved (you are one already: list yourself only to record your injuries)"),
    ),
    "uses": (ForceUseFormSet, _("Force used")),
    "resistances": (ResistanceFormSet, _("Resistance met")),
    "cameras": (CameraFormSet, _("Body-worn camera recordings")),
}


def initial_rows(report: ForceReport | None) -> dict[str, list[dict[str, Any]]]:
    """Return each formset's initial rows for a report (none for a new one)."""
    if report is None:
        return {"subjects": [], "officers": [], "uses": [], "resistances": [], "cameras": []}
    subjects = [
        {k: getattr(s, k) for k in SubjectForm.base_fields} for s in report.subjects.order_by("id")
    ]
    officers = [
        {"officer": o.officer_id, "injured": o.injured, "injury_description": o.injury_description}
        for o in report.officers.order_by("id")
        if o.officer_id != report.author_officer_id or o.injured
    ]
    uses = [
        {
            "officer": u.officer_id,
            "subject_number": u.subject.number,
            "force_type": u.force_type,
            "other_text": u.other_text,
        }
        for u in report.uses.select_related("subject").order_by("id")
    ]
    resistances = [
        {
            "officer": r.officer_id,
            "subject_number": r.subject.number,
            "resistance": r.resistance,
            "other_text": r.other_text,
        }
        for r in report.resistances.select_related("subject").order_by("id")
    ]
    cameras = [
        {"officer": c.officer_id, "camera": c.camera, "footage": c.footage}
        for c in report.cameras.order_by("id")
    ]
    return {
        "subjects": subjects,
        "officers": officers,
        "uses": uses,
        "resistances": resistances,
        "cameras": cameras,
    }


def build_formsets(
    data: Any, agency_id: int | None, initial: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """Return the bound (or unbound) formsets, prefixed by kind."""
    built = {}
    for kind, (formset_class, _title) in FORMSETS.items():
        kwargs: dict[str, Any] = {"prefix": kind, "initial": initial.get(kind) or None}
        if kind != "subjects":
            kwargs["form_kwargs"] = {"agency_id": agency_id}
        built[kind] = formset_class(data, **kwargs)
    return built


def rows_from(formset: Any) -> list[dict[str, Any]]:
    """Return the filled-in, not deleted rows of a valid formset, without the DELETE flag."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ForceReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Required when returning the report or referring it to investigation."),
    )


class LinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Complaint tracking code"),
        max_length=20,
        help_text=_("e.g. UF-7KQ2M9XA, as the case list shows it."),
    )
