"""Which concern fields staff write in each language (gathered by engagement/translation.py)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.engagement.concerns.models import (
    AttributeValue,
    Service,
    ServiceAttribute,
    StatusNote,
)


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ServiceAttribute)
class ServiceAttributeTranslation(TranslationOptions):
    fields = ("description",)


@register(AttributeValue)
class AttributeValueTranslation(TranslationOptions):
    fields = ("name",)


@register(StatusNote)
class StatusNoteTranslation(TranslationOptions):
    fields = ("note",)
