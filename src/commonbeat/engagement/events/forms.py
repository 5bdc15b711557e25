"""The forms residents fill: registering for an event, commenting on draft minutes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("As you would like to be greeted; organisers see it, the public never does."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("For your confirmation and a reminder the day before, e.g. ana@example.org."),
    )
    needs = forms.CharField(
        label=_("Anything we should arrange for you (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Interpretation, step-free access, a hearing loop, childcare."),
    )


class MinutesCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment on the draft minutes"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what is missing or wrong; the organisers read every comment."),
    )
