from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonbeat.records.mapping import all_mappings


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Data file"),
        help_text=_("A CSV file, a .zip of CSV files, or a .csv.gz."),
    )
    mapping = forms.ChoiceField(
        label=_("Source format"),
        required=False,
        help_text=_("Leave on “recognise from the columns” unless the file has no header row."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Recognise from the columns")))]
        choices += [(name, f"{m.title} ({name})") for name, m in sorted(all_mappings().items())]
        field = self.fields["mapping"]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices


class ImportChoiceForm(forms.Form):
    """What to do with a file some of whose rows have problems."""

    ALL_OR_NOTHING = "all"
    GOOD_ROWS = "good"
    rows = forms.ChoiceField(
        label=_("Which rows to store"),
        choices=[
            (ALL_OR_NOTHING, _("All or nothing: store the file only if every row is good")),
            (GOOD_ROWS, _("Store the good rows and report the rest")),
        ],
        initial=ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
