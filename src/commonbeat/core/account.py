"""The account page's sections: the extension point through which apps show a user their own things.

Core registers the neighbourhood, language and team-bio sections; a workflow app adds its own
(a resident's complaints, meeting registrations, concerns) from its AppConfig.ready():

    ACCOUNT_SECTIONS.register(AccountSection(
        "complaints", YOUR_COMPLAINTS, "oversight/account_complaints.html",
        context=lambda request, form: {"complaints": list(filed_by(request.user))} or None,
        order=40,
    ))

`context(request, form)` returns the section's template context, or None when the section has
nothing for this user (an officer's teams, for a resident); `form` is the section's own bound
form when a post to it was refused (its view returns `account_page(request, {name: form},
status=400)`), so that the page shows the errors beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from commonbeat.core.models import User
from commonbeat.core.registry import Registry

SectionContext = Callable[[HttpRequest, "forms.Form | None"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class AccountSection:
    """One titled part of the account page, rendered from its own template for the user."""

    name: str  # unique; also the heading's id ("account-<name>")
    title: str | Promise
    template: str
    context: SectionContext
    order: int = 50  # lower first; core's own are 10-30, workflow apps' from 40


@dataclass(frozen=True)
class RenderedSection:
    name: str
    title: str | Promise
    html: SafeString


ACCOUNT_SECTIONS: Registry[AccountSection] = Registry("account sections", key=lambda s: s.name)


def render_sections(
    request: HttpRequest, bound: Mapping[str, forms.Form] | None = None
) -> list[RenderedSection]:
    """Return every section that has something for this user, in order, rendered."""
    bound = bound or {}
    shown = []
    for section in sorted(ACCOUNT_SECTIONS.values(), key=lambda s: s.order):
        context = section.context(request, bound.get(section.name))
        if context is None:
            continue
        html = render_to_string(section.template, {**context, "section": section}, request)
        shown.append(RenderedSection(section.name, section.title, SafeString(html)))
    return shown


def account_user(request: HttpRequest) -> User:
    """Return the signed-in user whose account this is (the account views admit no one else)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def account_page(
    request: HttpRequest, bound: Mapping[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """Return the account page; a section's view that refused a post passes its bound form."""
    context = {"sections": render_sections(request, bound)}
    return render(request, "core/account.html", context, status=status)
