"""Which fields staff write in each language: django-modeltranslation adds `<field>_en` and
`<field>_es` beside each one named here, and reading the field gives the current language's
text, or the other language's when it is empty (see `core/templatetags/translated.py`)."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from commonbeat.core.models import (
    Agency,
    EngagementMethod,
    Neighbourhood,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    TeamMembership,
)


@register(Agency)
class AgencyTranslation(TranslationOptions):
    fields = ("description",)


@register(EngagementMethod)
class EngagementMethodTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Neighbourhood)
class NeighbourhoodTranslation(TranslationOptions):
    fields = ("description",)


@register(NeighbourhoodLink)
class NeighbourhoodLinkTranslation(TranslationOptions):
    fields = ("title", "description")


@register(NeighbourhoodLocation)
class NeighbourhoodLocationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(TeamMembership)
class TeamMembershipTranslation(TranslationOptions):
    fields = ("role", "bio")
