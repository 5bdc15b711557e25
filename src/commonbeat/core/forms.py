from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from commonbeat.core.address_search import MAX_QUERY
from commonbeat.core.models import Neighbourhood, TeamMembership

# The bio is written once per language, side by side; an empty one shows the other language.
BIO_FIELDS = [f"bio_{code}" for code, _name in settings.LANGUAGES]
BIO_LABELS = {"bio_en": _("Public bio in English"), "bio_es": _("Public bio in Spanish")}


class BioForm(forms.ModelForm[TeamMembership]):
    class Meta:
        model = TeamMembership
        fields = BIO_FIELDS
        labels = BIO_LABELS
        widgets = {
            name: forms.Textarea(attrs={"rows": 8, "maxlength": 2000}) for name in BIO_FIELDS
        }
        help_texts = dict.fromkeys(
            BIO_FIELDS,
            _(
                "Shown on the neighbourhood page. Plain text, up to 2,000 characters. "
                "Leave one language empty to show the other in its place."
            ),
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Each language's textarea says which language it holds, for screen readers and spelling.
        for name in BIO_FIELDS:
            self.fields[name].widget.attrs["lang"] = name.removeprefix("bio_")


class NeighbourhoodForm(forms.Form):
    """Choose one's neighbourhood from every agency's list (grouped by agency in the select)."""

    neighbourhood = forms.TypedChoiceField(
        label=_("Your neighbourhood"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Where you live or work. Choose “None chosen” to clear it. "
            "Only you and the site's administrators see it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        self._example = ""
        for found in Neighbourhood.objects.select_related("agency").order_by(
            "agency__name", "name"
        ):
            groups.setdefault(found.agency.name, []).append((found.pk, found.name))
            self._example = self._example or found.name
        field = cast(forms.TypedChoiceField, self.fields["neighbourhood"])
        field.choices = [("", _("None chosen")), *groups.items()]
        field.error_messages["invalid_choice"] = _(
            "There is no neighbourhood numbered %(value)s. Choose one from the list, "
            "for example “%(example)s”, or “None chosen”."
        ).replace(
            # A % in a name would otherwise be read as a placeholder when the message is filled.
            "%(example)s",
            (self._example or "—").replace("%", "%%"),
        )

    def chosen(self) -> Neighbourhood | None:
        """Return the neighbourhood chosen (None clears it); call after is_valid()."""
        pk = self.cleaned_data["neighbourhood"]
        return None if pk is None else Neighbourhood.objects.get(pk=pk)


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name, so that a reader of either finds theirs.
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class LanguageForm(forms.Form):
    """Choose the language the site switches to at log-in."""

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_(
            "The site switches to it now and whenever you log in. “Follow the address” keeps "
            "whichever language the page you open is in."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["language"])
        field.choices = [("", _("Follow the address")), *_language_choices()]
        codes = ", ".join(f"“{code}”" for code, _name in settings.LANGUAGES)
        field.error_messages["invalid_choice"] = _(
            "%(value)s is not a language this site offers; choose one from the list (%(codes)s)."
        ).replace("%(codes)s", codes)


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
