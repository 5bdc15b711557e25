"""Shared vocabularies for people's demographics.

"Unknown" (the source recorded that it was unknown) is kept apart from "not recorded" (the
source left the field empty), because the two mean different things for coverage figures.
Every vocabulary's labels are gathered into one catalogue in `records/labels.py`; the ones
core's own pages show (ranks) live here, with the lookup both use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The language source systems and rosters write free text in (all current sources are US or UK).
SOURCE_LANGUAGE = "en"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NONBINARY = "nonbinary", _("Non-binary")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown (recorded as unknown)")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class Race(models.TextChoices):
    ASIAN_PACIFIC_ISLANDER = "asian_pacific_islander", _("Asian or Pacific Islander")
    BLACK = "black", _("Black")
    HISPANIC = "hispanic", _("Hispanic or Latino")
    NATIVE_AMERICAN = "native_american", _("Native American or Alaska Native")
    WHITE = "white", _("White")
    MULTIRACIAL = "multiracial", _("Multiracial or mixed")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown (recorded as unknown)")
    NOT_RECORDED = "not_recorded", _("Not recorded")


def normal_key(value: Any) -> str:
    """Return a free-text value in the catalogue's key form: lower case, single spaces."""
    return re.sub(r"[\s_\-]+", " ", str(value)).strip().lower()


def normalised(labels: Mapping[str, Promise]) -> dict[str, Promise]:
    """Return a vocabulary with its keys in `normal_key` form."""
    return {normal_key(key): label for key, label in labels.items()}


@dataclass(frozen=True)
class Label:
    """A value as a reader sees it; `lang` is set when it is source text left as written."""

    text: str
    lang: str | None = None

    def __str__(self) -> str:
        return self.text


def lookup(labels: Mapping[str, Promise], code: Any) -> Label:
    """Return a code's translated label, or the code as written, marked as source language."""
    found = labels.get(str(code))
    if found is None:
        found = labels.get(normal_key(code))
    if found is None:
        return Label(str(code), SOURCE_LANGUAGE)
    return Label(str(found))


# Ranks as rosters write them; the team page shows an officer's current one.
RANK = normalised(
    {
        "Police Officer": _("Police officer"),
        "Officer": _("Police officer"),
        "Detective": _("Detective"),
        "Sergeant": _("Sergeant"),
        "Lieutenant": _("Lieutenant"),
        "Captain": _("Captain"),
        "Commander": _("Commander"),
        "Deputy Chief": _("Deputy chief"),
        "Chief": _("Chief"),
    }
)
