"""Shared vocabularies for people's demographics.

"Unknown" (the source recorded that it was unknown) is kept apart from "not recorded" (the
source left the field empty), because the two mean different things for coverage figures.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
