"""Readable, translated names for the codes the release uses (race, finding, stage…).

JSON and CSV keep the codes (stable for programs); pages show these names. A code we do not
know is shown as recorded, so a new source's values are never hidden.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

NOT_RECORDED = _("Not recorded")

RACE = {
    "asian_pacific_islander": _("Asian or Pacific Islander"),
    "black": _("Black"),
    "hispanic": _("Hispanic"),
    "native_american": _("Native American"),
    "white": _("White"),
    "multiracial": _("Multiracial"),
    "other": _("Other"),
    "unknown": _("Unknown"),
}
SEX = {
    "female": _("Female"),
    "male": _("Male"),
    "nonbinary": _("Non-binary"),
    "other": _("Other"),
    "unknown": _("Unknown"),
}
FINDING = {
    "sustained": _("Sustained"),
    "not_sustained": _("Not sustained"),
    "unfounded": _("Unfounded"),
    "exonerated": _("Exonerated"),
    "no_finding": _("No finding"),
    "closed_other": _("Closed, other"),
    "pending": _("Pending"),
    "other": _("Other"),
}
DISCIPLINE = {
    "police": _("Police"),
    "fire": _("Fire"),
    "ems": _("EMS"),
    "other": _("Other"),
}
STAGE = {
    "intake": _("Call to queue"),
    "queue": _("Queue to dispatch"),
    "turnout": _("Dispatch to en route"),
    "travel": _("En route to on scene"),
    "total": _("Total (call to on scene)"),
}
PEOPLE = {"subjects": _("People force was used on"), "officers": _("Officers")}
DENOMINATOR = {
    "arrests": _("Arrests recorded in stops"),
    "calls": _("Calls for service"),
}
BY_COLUMN: dict[str, dict[str, Any]] = {
    "race": RACE,
    "sex": SEX,
    "finding": FINDING,
    "discipline": DISCIPLINE,
    "stage": STAGE,
    "people": PEOPLE,
    "denominator": DENOMINATOR,
}
# Dimension values that stand for a group of others rather than a recorded value.
OTHERS = "__others__"


def value(column: str, code: Any) -> str:
    """Return the readable name of a dimension value."""
    if code is None or code == "not_recorded" or code == "":
        return str(NOT_RECORDED)
    if code == OTHERS:
        return str(_("All others"))
    if column == "priority":
        return str(_("Priority %(priority)s") % {"priority": code})
    names = BY_COLUMN.get(column, {})
    return str(names.get(code, code))
