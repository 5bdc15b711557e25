"""The resident's concern form, in two steps that work without scripts: what and where, then
(after the open concerns nearby are shown) the details, photo and contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonbeat.core.languages import translated
from commonbeat.engagement.concerns.models import Service, ServiceAttribute


def service_choices() -> list[tuple[str, str]]:
    return [(s.code, translated(s, "name").text) for s in Service.objects.filter(active=True)]


class PlaceForm(forms.Form):
    service = forms.ChoiceField(label=_("What is it about?"), choices=())
    address = forms.CharField(
        label=_("Where: the address or the nearest one"),
        required=False,
        max_length=300,
        help_text=_("The number and street, e.g. 1200 Grand Avenue; or pick the place on the map."),
    )
    # Set by the map (pick.js); hidden, so labelled by the map's own region, not here.
    latitude = forms.FloatField(
        label="", required=False, widget=forms.HiddenInput, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label="", required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        assert isinstance(service, forms.ChoiceField)  # noqa: S101  declared above
        service.choices = service_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_point = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_point and not (data.get("address") or "").strip():
            self.add_error("address", _("Give an address, or pick the place on the map."))
        return data


class DetailsForm(forms.Form):
    description = forms.CharField(
        label=_("What is happening?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("When it happens and what you see. This is shown publicly: leave out names."),
    )
    photo = forms.FileField(
        label=_("A photo (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP. We remove its location and camera data; staff look at it before anyone else can."
        ),
    )
    first_name = forms.CharField(label=_("First name (optional)"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name (optional)"), required=False, max_length=100)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("To hear when its status changes, e.g. ana@example.org."),
    )
    phone = forms.CharField(label=_("Telephone (optional)"), required=False, max_length=40)
    show_name = forms.BooleanField(
        label=_("Show my first name and initial with the concern"),
        required=False,
        help_text=_("Unticked, the public sees no name. Your contact details are never shown."),
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attribute_names: list[str] = []
        for attribute in service.attributes.filter(variable=True).prefetch_related("values"):
            name = f"attribute_{attribute.code}"
            label = translated(attribute, "description").text
            help_text = attribute.datatype_description
            options = [(v.key, translated(v, "name").text) for v in attribute.values.all()]
            kind = attribute.datatype
            field: forms.Field
            if kind == ServiceAttribute.Datatype.SINGLE:
                field = forms.ChoiceField(choices=[("", "—"), *options], widget=forms.Select)
            elif kind == ServiceAttribute.Datatype.MULTI:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple
                )
            elif kind == ServiceAttribute.Datatype.NUMBER:
                field = forms.FloatField()
            elif kind == ServiceAttribute.Datatype.DATETIME:
                field = forms.DateTimeField(
                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
                )
            elif kind == ServiceAttribute.Datatype.TEXT:
                field = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
            else:
                field = forms.CharField(max_length=300)
            field.label, field.help_text, field.required = label, help_text, attribute.required
            self.fields[name] = field
            self.attribute_names.append(name)

    def answers(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name in self.attribute_names:
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            code = name.removeprefix("attribute_")
            if isinstance(value, list):
                found[code] = [str(v) for v in value]
            elif isinstance(value, datetime):
                found[code] = value.isoformat()
            else:
                found[code] = str(value)
        return found


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("We write to you when its status changes.")
    )
