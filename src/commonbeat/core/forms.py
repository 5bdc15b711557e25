from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from commonbeat.core.models import TeamMembership


class BioForm(forms.ModelForm[TeamMembership]):
    class Meta:
        model = TeamMembership
        fields = ["bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 8, "maxlength": 2000})}
        help_texts = {
            "bio": _("Shown on the neighbourhood page. Plain text, up to 2,000 characters."),
        }
