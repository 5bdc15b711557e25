"""Demo text in every language the site speaks (demo content is written in English and Spanish)."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings


def in_languages(field: str, text: Mapping[str, str]) -> dict[str, str]:
    """Return a translated field's columns, e.g. description_en and description_es."""
    return {f"{field}_{code}": text.get(code, "") for code, _name in settings.LANGUAGES}
