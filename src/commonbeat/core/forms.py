from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from commonbeat.core.models import TeamMembership

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
