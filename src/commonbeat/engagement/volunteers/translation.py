"""Which volunteer-programme fields staff write in each language (gathered by
engagement/translation.py)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.engagement.volunteers.models import Programme, ProgrammeRole


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "description", "requirements")


@register(ProgrammeRole)
class ProgrammeRoleTranslation(TranslationOptions):
    fields = ("title", "description")
