"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import translate_url

from commonbeat.core import policy


def site(request: HttpRequest) -> dict[str, Any]:
    """Return the language links, the demo label and what the visitor may reach."""
    from django.conf import settings

    from commonbeat.core.models import Agency

    path = request.get_full_path()
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code)}
        for code, name in settings.LANGUAGES
    ]
    user = getattr(request, "user", None)
    return {
        "language_links": languages,
        # Evaluated lazily by the template, so pages without the banner pay nothing.
        "synthetic_data": lambda: Agency.objects.filter(synthetic=True).exists(),
        "may_enter_backoffice": policy.can(user, "backoffice.enter"),
        "may_view_imports": policy.can(user, "records.view_imports"),
        # Officer profiles are linked only where the deployment publishes them.
        "officer_profiles": settings.OFFICER_PROFILES == "named",
    }
