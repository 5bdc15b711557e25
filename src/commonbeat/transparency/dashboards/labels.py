"""Readable names for the codes the dashboards show, from the catalogue (records/labels.py).

JSON and CSV keep the codes (stable for programs); pages show these names. A code the
catalogue does not know is shown as recorded, marked with the source's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from commonbeat.core.vocab import Label
from commonbeat.records import labels as catalogue

NOT_RECORDED = catalogue.NOT_RECORDED
# Dimension values that stand for a group of others rather than a recorded value.
OTHERS = "__others__"


def label(column: str, code: Any) -> Label:
    """Return the readable name of a dimension value, with its language if left as recorded."""
    if code == OTHERS:
        return Label(str(catalogue.ALL_OTHERS))
    if column == "priority" and code not in (None, "", "not_recorded"):
        return Label(str(_("Priority %(priority)s") % {"priority": code}))
    if column not in catalogue.CATALOGUE and code not in (None, "", "not_recorded"):
        return Label(str(code))  # months, identifiers: no words to translate
    return catalogue.label(column, code)


def value(column: str, code: Any) -> str:
    """Return the readable name of a dimension value."""
    return label(column, code).text
