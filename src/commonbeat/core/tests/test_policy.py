from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver

from commonbeat.core import policy
from commonbeat.core.models import Officer, TeamMembership
from commonbeat.core.roles import Role
from commonbeat.testing.personas import make_persona


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_view_asks_the_permission_policy() -> None:
    unguarded = []
    for route, view in walk(get_resolver().url_patterns):
        if route.startswith("backoffice/"):
            continue  # The back office asks the policy through BackOffice and PolicyAdmin.
        if not hasattr(view, "policy_action"):
            unguarded.append(route)
    assert unguarded == []


def test_every_back_office_page_asks_the_policy() -> None:
    from commonbeat.core.admin import PolicyMixin, backoffice

    for model, model_admin in backoffice._registry.items():
        assert isinstance(model_admin, PolicyMixin), f"{model.__name__} admin bypasses the policy"


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match=r"no action 'officer\.teleport'"):
        policy.can(AnonymousUser(), "officer.teleport")
    with pytest.raises(KeyError):
        policy.requires("officer.teleport")


def test_anonymous_visitors_hold_only_public_actions() -> None:
    visitor = AnonymousUser()
    for action, holders in policy.RULES.items():
        assert policy.can(visitor, action) is (holders == policy.PUBLIC), action


@pytest.mark.parametrize("role", Role.values)
def test_each_role_holds_exactly_its_listed_actions(db: None, role: str) -> None:
    user = make_persona(role)
    for action, holders in policy.RULES.items():
        expected = holders in (policy.PUBLIC, policy.SIGNED_IN) or role in holders
        assert policy.can(user, action) is expected, (role, action)


def test_a_deactivated_account_holds_nothing_but_public_actions(db: None) -> None:
    user = make_persona(Role.ADMINISTRATOR)
    user.is_active = False
    user.save()
    assert policy.can(user, "officer.view") is False
    assert policy.can(user, "public.view") is True


def test_the_officers_personal_data_is_not_for_officers_or_the_public(db: None) -> None:
    assert not policy.can(make_persona(Role.OFFICER), "officer.view")
    assert not policy.can(make_persona(Role.RESIDENT), "officer.view")
    assert policy.can(make_persona(Role.INVESTIGATOR), "officer.view")


def test_an_officer_may_edit_only_their_own_bio(city: object) -> None:
    memberships = list(TeamMembership.objects.all()[:2])
    own, other = memberships
    officer = make_persona(Role.OFFICER, officer=Officer.objects.get(pk=own.officer_id))
    assert policy.can(officer, "teammembership.edit_bio", own)
    assert not policy.can(officer, "teammembership.edit_bio", other)
    assert not policy.can(officer, "teammembership.edit_bio")
    assert policy.can(make_persona(Role.SUPERVISOR), "teammembership.edit_bio", other)
    assert not policy.can(make_persona(Role.RESIDENT), "teammembership.edit_bio", own)
