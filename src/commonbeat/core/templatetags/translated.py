"""`{% translated obj "field" as text %}`: staff text with the language it is in, so that
templates write `<p lang="{{ text.lang }}">{{ text }}</p>` and a fallback is marked."""

from __future__ import annotations

from django import template
from django.db.models import Model

from commonbeat.core.languages import Translated
from commonbeat.core.languages import translated as translated_text
from commonbeat.core.vocab import RANK, Label, lookup

register = template.Library()


@register.simple_tag
def translated(obj: Model, field: str) -> Translated:
    """Return the field's text in the reader's language (or its fallback) and that language."""
    return translated_text(obj, field)


@register.simple_tag
def rank_label(rank: str) -> Label:
    """Return a rank's translated name, or the rank as the roster wrote it, marked English."""
    return lookup(RANK, rank)
