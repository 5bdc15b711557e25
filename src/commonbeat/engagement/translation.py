"""Which engagement fields staff write in each language (django-modeltranslation finds this
module; core/translation.py explains the pattern)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.engagement.announcements import translation as announcements  # noqa: F401  registers
from commonbeat.engagement.concerns import translation as concerns  # noqa: F401  registers
from commonbeat.engagement.models import Event, Measure, MeetingConcern, Milestone, Priority
from commonbeat.engagement.surveys import translation as surveys  # noqa: F401  registers
from commonbeat.engagement.volunteers import translation as volunteers  # noqa: F401  registers


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "accessibility", "cancellation_note", "minutes")


@register(MeetingConcern)
class MeetingConcernTranslation(TranslationOptions):
    fields = ("summary", "response")


@register(Priority)
class PriorityTranslation(TranslationOptions):
    fields = ("issue", "action", "outcome")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(Measure)
class MeasureTranslation(TranslationOptions):
    fields = ("name", "description")
