"""The staff forms of a case: intake review, a transition's note, an extension, allegations
and findings. The services check everything again; the forms give the field's message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonbeat.core.models import User
from commonbeat.core.roles import Role
from commonbeat.oversight import vocab
from commonbeat.oversight.cases.models import Complaint, InvolvedOfficer
from commonbeat.oversight.cases.services import MAX_EXTENSION_DAYS

_TRI_STATE = [("", _("Not decided")), ("yes", _("Yes")), ("no", _("No"))]


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class TriageForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *vocab.CATEGORY_CHOICES], required=False
    )
    in_jurisdiction = forms.ChoiceField(
        label=_("Within our jurisdiction"), choices=_TRI_STATE, required=False
    )
    referred_to = forms.CharField(
        label=_("Referred to"),
        max_length=200,
        required=False,
        help_text=_("Where a case outside our jurisdiction goes, e.g. State police."),
    )
    mediation_offered = forms.BooleanField(label=_("Mediation offered"), required=False)
    mediation_accepted = forms.ChoiceField(
        label=_("Mediation accepted by both sides"), choices=_TRI_STATE, required=False
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=120,
        required=False,
        help_text=_("The accused officers' unit, whose supervisors follow the case."),
    )
    investigator = forms.ModelChoiceField(
        label=_("Investigator"),
        queryset=User.objects.filter(role=Role.INVESTIGATOR, is_active=True).order_by("username"),
        required=False,
    )

    def cleaned(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["in_jurisdiction"] = _tri(data["in_jurisdiction"])
        data["mediation_accepted"] = _tri(data["mediation_accepted"])
        return data

    @classmethod
    def for_case(cls, case: Complaint) -> TriageForm:
        as_tri = {True: "yes", False: "no", None: ""}
        return cls(
            initial={
                "category": case.category,
                "in_jurisdiction": as_tri[case.in_jurisdiction],
                "referred_to": case.referred_to,
                "mediation_offered": case.mediation_offered,
                "mediation_accepted": as_tri[case.mediation_accepted],
                "unit": case.unit,
                "investigator": case.investigator_id,
            }
        )


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Reasons or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close, appeal or reopen a case."),
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days to add"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        help_text=_("A whole number of days, e.g. 30."),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why more time is needed, e.g. waiting for the body-worn camera footage."),
    )


class AllegationForm(forms.Form):
    accused = forms.ModelChoiceField(label=_("Accused officer"), queryset=InvolvedOfficer.objects)
    category = forms.ChoiceField(label=_("Category"), choices=vocab.CATEGORY_CHOICES)
    description = forms.CharField(
        label=_("Allegation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is alleged, e.g. pushed the complainant to the ground."),
    )

    def __init__(self, *args: Any, case: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accused"].queryset = case.officers.filter(  # type: ignore[attr-defined]
            role=InvolvedOfficer.Role.ACCUSED
        )


class AllegationEditForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=vocab.CATEGORY_CHOICES)
    description = forms.CharField(
        label=_("Allegation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is alleged, e.g. pushed the complainant to the ground."),
    )

    def __init__(self, *args: Any, prefix_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"e{prefix_id}"  # one form per allegation on the page
        super().__init__(*args, **kwargs)


class FindingForm(forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=[("", "—"), *vocab.FINDING_CHOICES])
    reason = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this finding, e.g. the video shows the push."),
    )
    discipline = forms.ChoiceField(
        label=_("Discipline"), choices=[("", "—"), *vocab.SANCTION_CHOICES], required=False
    )

    def __init__(self, *args: Any, prefix_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"a{prefix_id}"  # one form per allegation on the page
        super().__init__(*args, **kwargs)
