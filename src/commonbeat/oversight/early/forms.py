"""The supervisor's review form."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonbeat.oversight.early.models import AlertReview


class ReviewForm(forms.ModelForm[AlertReview]):
    met_on = forms.DateField(
        label=_("Met with the officer on"),
        required=False,
        help_text=_("The date of your conversation, like 2026-01-15 (leave empty if none)."),
        error_messages={"invalid": _("Enter the date as year-month-day, like 2026-01-15.")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AlertReview
        fields = ("outcome", "notes", "met_on")
        help_texts = {
            "notes": _(
                "What you discussed with the officer and why you chose this outcome. "
                "Confidential: only the unit's supervisors and administrators read it."
            ),
        }

    def clean_met_on(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("met_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("The meeting date cannot be in the future; enter a date like %(example)s.")
                % {"example": timezone.localdate().isoformat()}
            )
        return value
