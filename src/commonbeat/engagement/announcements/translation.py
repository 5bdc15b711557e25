"""Which announcement and incident fields staff write in each language (gathered by
engagement/translation.py)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentLink,
    IncidentUpdate,
)


@register(Announcement)
class AnnouncementTranslation(TranslationOptions):
    fields = ("title", "body")


@register(CriticalIncident)
class CriticalIncidentTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(IncidentUpdate)
class IncidentUpdateTranslation(TranslationOptions):
    fields = ("body", "correction_note")


@register(IncidentLink)
class IncidentLinkTranslation(TranslationOptions):
    fields = ("title",)
