"""The staff's forms on an incident's page: post an update, correct a public one.

Each text is asked for in English and Spanish side by side (one may be left for the
translator; the page falls back to the other, marked with its language)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def _text(label: Any, help_text: Any = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class UpdateForm(forms.Form):
    body_en = _text(_("The update, in English"), _("What is known now, and what is not yet."))
    body_es = _text(_("The update, in Spanish"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("body_en", "").strip() or data.get("body_es", "").strip()):
            raise forms.ValidationError(_("Write the update in English or Spanish."))
        return data


class CorrectionForm(forms.Form):
    wrong_en = _text(
        _("What was wrong, in English"),
        _("Say plainly what the update got wrong, e.g. “The time given was 14:00; it was 13:40.”"),
        rows=3,
    )
    wrong_es = _text(_("What was wrong, in Spanish"), rows=3)
    body_en = _text(_("The corrected update, in English"))
    body_es = _text(_("The corrected update, in Spanish"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("wrong_en", "").strip() or data.get("wrong_es", "").strip()):
            self.add_error("wrong_en", _("Say what the update got wrong."))
        if not (data.get("body_en", "").strip() or data.get("body_es", "").strip()):
            self.add_error("body_en", _("Write the corrected update in English or Spanish."))
        return data
