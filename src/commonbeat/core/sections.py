"""Core's own sections of the account page: neighbourhood, language, and an officer's teams."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonbeat.core.account import AccountSection, account_user
from commonbeat.core.forms import LanguageForm, NeighbourhoodForm
from commonbeat.core.models import TeamMembership


def neighbourhood(request: HttpRequest, form: forms.Form | None) -> dict[str, Any]:
    user = account_user(request)
    chosen = user.neighbourhood
    initial = {"neighbourhood": chosen.pk if chosen else ""}
    return {"chosen": chosen, "form": form or NeighbourhoodForm(initial=initial)}


def language(request: HttpRequest, form: forms.Form | None) -> dict[str, Any]:
    user = account_user(request)
    return {
        "chosen": user.get_language_display() if user.language else "",
        "form": form or LanguageForm(initial={"language": user.language}),
    }


def teams(request: HttpRequest, form: forms.Form | None) -> dict[str, Any] | None:
    officer_id = account_user(request).officer_id
    if officer_id is None:
        return None
    memberships = list(
        TeamMembership.objects.filter(officer_id=officer_id)
        .select_related("neighbourhood__agency")
        .order_by("neighbourhood__name")
    )
    return {"memberships": memberships} if memberships else None


CORE_SECTIONS = [
    AccountSection(
        "neighbourhood",
        _("Your neighbourhood"),
        "core/account/neighbourhood.html",
        neighbourhood,
        10,
    ),
    AccountSection("language", _("Your language"), "core/account/language.html", language, 20),
    AccountSection("teams", _("Your neighbourhood teams"), "core/account/teams.html", teams, 30),
]
