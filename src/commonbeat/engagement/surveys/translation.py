"""Which survey fields staff write in each language (gathered by engagement/translation.py)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.engagement.surveys.models import (
    Choice,
    Excerpt,
    MatrixRow,
    Question,
    Survey,
    Wave,
)


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "introduction")


@register(Wave)
class WaveTranslation(TranslationOptions):
    fields = ("name",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("label",)


@register(MatrixRow)
class MatrixRowTranslation(TranslationOptions):
    fields = ("text",)


@register(Excerpt)
class ExcerptTranslation(TranslationOptions):
    fields = ("text",)
