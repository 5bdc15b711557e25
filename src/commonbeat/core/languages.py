"""Staff-entered text in the reader's language, and which language it is really in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import get_language


@dataclass(frozen=True)
class Translated:
    """A field's text and the language it is written in (for the element's `lang`)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def current_language() -> str:
    """Return the active language's code without a region (es-mx → es)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def reading_order(lang: str | None = None) -> list[str]:
    """Return the languages to try, the reader's first, then the fallbacks in order."""
    first = lang or current_language()
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]
    return [first, *(code for code in fallbacks if code != first)]


def translated(obj: Model, field: str, lang: str | None = None) -> Translated:
    """Return `obj.<field>` in the reader's language, or in the first fallback that has it."""
    order = reading_order(lang)
    for code in order:
        text = getattr(obj, f"{field}_{code}", None)
        if text:
            return Translated(str(text), code)
    return Translated("", order[0])


def client_language(view: Any) -> Any:
    """Answer an API call in the client's language (its Accept-Language, English by default).

    The APIs for programs live outside the language prefixes, where Django would always speak
    English (the intake API, Open311)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(translation.get_language_from_request(request)):
            response: HttpResponse = view(request, *args, **kwargs)
            return response

    return wrapped
