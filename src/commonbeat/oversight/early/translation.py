"""Which early-intervention fields staff write in each language (gathered by
oversight/translation.py): a rule's name, which the flagged officer reads on their page."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.oversight.early.models import AlertRule


@register(AlertRule)
class AlertRuleTranslation(TranslationOptions):
    fields = ("name",)
