from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonbeat.core.address_search import MAX_QUERY
from commonbeat.core.models import TeamMembership


class BioForm(forms.ModelForm[TeamMembership]):
    class Meta:
        model = TeamMembership
        fields = ["bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 8, "maxlength": 2000})}
        help_texts = {
            "bio": _("Shown on the neighbourhood page. Plain text, up to 2,000 characters."),
        }


class FindNeighbourhoodForm(forms.Form):
    """An address or postcode, or a point (from "use my location"), to find a neighbourhood by."""

    q = forms.CharField(
        label=_("Your address or postcode"),
        required=False,
        max_length=MAX_QUERY,
        help_text=_("For example: 12 Elm Street, or a postcode such as 50310."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address", "inputmode": "search"}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)

    error_messages = {
        "lat": _("The latitude must be a number between -90 and 90, e.g. lat=41.5868."),
        "lng": _("The longitude must be a number between -180 and 180, e.g. lng=-93.625."),
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if "lat" in self.errors or (lat is not None and not -90 <= lat <= 90):
            self.errors.pop("lat", None)
            self.add_error(None, self.error_messages["lat"])
        if "lng" in self.errors or (lng is not None and not -180 <= lng <= 180):
            self.errors.pop("lng", None)
            self.add_error(None, self.error_messages["lng"])
        if (lat is None) != (lng is None) and not self.errors:
            self.add_error(
                None, _("Give both a latitude and a longitude, e.g. lat=41.5868&lng=-93.625.")
            )
        return cleaned

    def point(self) -> tuple[float, float] | None:
        """Return (lat, lng) when the form carries a valid point."""
        lat, lng = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        return (lat, lng) if lat is not None and lng is not None else None
