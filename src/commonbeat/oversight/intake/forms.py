"""The report form, its rows of officers and witnesses, and the status look-up form.

The form only gathers text; `services.file_report()` decides what is acceptable, so the page,
the API and staff taking a telephone report all get the same checks and the same messages.
Rows are formsets with spare rows, so naming two officers works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonbeat.core.vocab import Gender, Race
from commonbeat.oversight.cases.models import Complaint

MIN_SECONDS = 3  # a person takes longer than this to fill the form; a script does not
TOKEN_SALT = "oversight-intake-form"  # noqa: S105 (a signing salt, not a secret)


def form_token() -> str:
    """A signed note of when the form was shown (checked when it comes back)."""
    return signing.dumps(timezone.now().timestamp(), salt=TOKEN_SALT)


def token_age(token: str) -> float | None:
    """Seconds since the form was shown, or None when the token is not ours or is a day old."""
    try:
        shown = float(signing.loads(token, salt=TOKEN_SALT, max_age=86400))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return timezone.now().timestamp() - shown


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to report?"),
        choices=Complaint.Kind.choices,
        widget=forms.RadioSelect,
        initial=Complaint.Kind.COMPLAINT,
    )
    incident_date = forms.CharField(
        label=_("Date it happened"),
        help_text=_("Year-month-day, e.g. 2026-03-14."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
    )
    incident_time = forms.CharField(
        label=_("Time (if you know it)"),
        required=False,
        help_text=_("e.g. 21:30"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    location_text = forms.CharField(
        label=_("Where it happened"),
        required=False,
        max_length=300,
        help_text=_("An address or a description of the place, e.g. 120 Main Street."),
    )
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    narrative = forms.CharField(
        label=_("What happened"),
        help_text=_("In your own words, in any language."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously (we will not be able to contact you)"), required=False
    )
    complainant_name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    complainant_email = forms.CharField(
        label=_("Your e-mail"),
        required=False,
        max_length=254,
        help_text=_("We send your receipt and news of the case here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    complainant_phone = forms.CharField(
        label=_("Your telephone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    complainant_race = forms.ChoiceField(
        label=_("Your race or ethnicity (optional)"),
        required=False,
        choices=[("", _("Prefer not to say")), *Race.choices],
    )
    complainant_gender = forms.ChoiceField(
        label=_("Your gender (optional)"),
        required=False,
        choices=[("", _("Prefer not to say")), *Gender.choices],
    )
    complainant_age = forms.CharField(
        label=_("Your age (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=settings.LANGUAGES)
    attachments = forms.FileField(
        label=_("Photos, documents or video (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP photos, PDF, MP4, WebM or MOV. Location data in photos is removed."
        ),
        widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}),
    )
    # Filing for someone else: staff taking a report, or an organisation.
    channel = forms.ChoiceField(
        label=_("How the report came in"),
        required=False,
        choices=[
            (c, label)
            for c, label in Complaint.Channel.choices
            if c not in (Complaint.Channel.API, Complaint.Channel.INTERNAL)
        ],
    )
    on_behalf = forms.BooleanField(label=_("I am filing this for someone else"), required=False)
    organisation = forms.CharField(
        label=_("Organisation filing it (if any)"), required=False, max_length=200
    )
    # Abuse controls: a field people never see, and a signed note of when the form was shown.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["channel"]


class OfficerRow(forms.Form):
    name = forms.CharField(label=_("Officer's name"), required=False, max_length=200)
    badge = forms.CharField(label=_("Badge number"), required=False, max_length=20)
    description = forms.CharField(
        label=_("Description, if you do not know the name or badge"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class WitnessRow(forms.Form):
    name = forms.CharField(label=_("Witness's name"), required=False, max_length=200)
    contact = forms.CharField(label=_("How to reach them"), required=False, max_length=300)
    statement = forms.CharField(
        label=_("What they saw"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


OfficerRows = forms.formset_factory(OfficerRow, extra=2, max_num=5, absolute_max=5)
WitnessRows = forms.formset_factory(WitnessRow, extra=2, max_num=5, absolute_max=5)


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Tracking code"), max_length=20, help_text=_("e.g. CB-7K4M-Q2XP")
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=40,
        help_text=_("From your receipt, e.g. abcd-efgh-jkmn."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
