"""The one permission policy: may this user do this action, to this object?

Every view, API endpoint and admin page asks `can()`. The engine is written once, here. Each
app brings its own actions (a table from action to the roles that hold it) and object rules
(where ownership widens access), registered from its `AppConfig.ready()` with
`register_actions()`; core's own are below. Tests walk the URL configuration to prove that no
view skips the policy, and check each role against every registered action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from commonbeat.core.registry import Registry
from commonbeat.core.roles import STAFF_ROLES, Role

# Who holds each action. PUBLIC includes anonymous visitors.
PUBLIC = "public"
SIGNED_IN = "signed_in"

_ALL_STAFF = frozenset(STAFF_ROLES)
_ROSTER_READERS = frozenset({Role.SUPERVISOR, Role.INVESTIGATOR, Role.ANALYST, Role.ADMINISTRATOR})

Holders = frozenset[str] | str
ObjectRule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Action:
    """One action, the roles that hold it, and the object rule that may widen it."""

    name: str  # "<model>.<verb>" or "<area>.<verb>"
    holders: Holders  # roles, or PUBLIC / SIGNED_IN
    object_rule: ObjectRule | None = None  # may only widen access, never narrow it


ACTIONS: Registry[Action] = Registry("permission actions", key=lambda action: action.name)


def register_actions(
    rules: Mapping[str, Holders], object_rules: Mapping[str, ObjectRule] | None = None
) -> None:
    """Register an app's actions and object rules (call from its AppConfig.ready())."""
    object_rules = object_rules or {}
    unknown = sorted(set(object_rules) - set(rules))
    if unknown:
        raise KeyError(f"Object rules for actions that are not registered: {', '.join(unknown)}.")
    for name, holders in rules.items():
        ACTIONS.register(Action(name, holders, object_rules.get(name)))


class _Holders(Mapping[str, Holders]):
    """Every registered action and its holders, read live from ACTIONS."""

    def __getitem__(self, name: str) -> Holders:
        return ACTIONS[name].holders

    def __iter__(self) -> Iterator[str]:
        return iter(ACTIONS)

    def __len__(self) -> int:
        return len(ACTIONS)


RULES: Mapping[str, Holders] = _Holders()

# Core's own actions, registered by CoreConfig.ready().
CORE_RULES: dict[str, Holders] = {
    # Public side.
    "public.view": PUBLIC,
    "account.view": SIGNED_IN,
    "account.edit": SIGNED_IN,  # one's own neighbourhood and language
    # The back office.
    "backoffice.enter": _ALL_STAFF,
    "agency.view": _ALL_STAFF,
    "agency.add": frozenset({Role.ADMINISTRATOR}),
    "agency.change": frozenset({Role.ADMINISTRATOR}),
    "agency.delete": frozenset({Role.ADMINISTRATOR}),
    "neighbourhood.view": _ALL_STAFF,
    "neighbourhood.add": frozenset({Role.ADMINISTRATOR}),
    "neighbourhood.change": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "neighbourhood.delete": frozenset({Role.ADMINISTRATOR}),
    # The roster holds officers' personal data: only those whose work needs it.
    "officer.view": _ROSTER_READERS,
    "officer.add": frozenset({Role.ADMINISTRATOR}),
    "officer.change": frozenset({Role.ADMINISTRATOR}),
    "officer.delete": frozenset({Role.ADMINISTRATOR}),
    "assignment.view": _ROSTER_READERS,
    "assignment.add": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "assignment.change": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "assignment.delete": frozenset({Role.ADMINISTRATOR}),
    "teammembership.view": _ALL_STAFF,
    "teammembership.add": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "teammembership.change": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "teammembership.delete": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    # An officer writes their own public bio (see CORE_OBJECT_RULES).
    "teammembership.edit_bio": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "user.view": frozenset({Role.ADMINISTRATOR}),
    "user.add": frozenset({Role.ADMINISTRATOR}),
    "user.change": frozenset({Role.ADMINISTRATOR}),
    "user.delete": frozenset({Role.ADMINISTRATOR}),
    "auditentry.view": frozenset({Role.ADMINISTRATOR, Role.INVESTIGATOR}),
    # Address points and streets come from files (`commonbeat addresses`), never typed in.
    "addresspoint.view": _ALL_STAFF,
    "addresspoint.add": frozenset(),
    "addresspoint.change": frozenset(),
    "addresspoint.delete": frozenset(),
    "street.view": _ALL_STAFF,
    "street.add": frozenset(),
    "street.change": frozenset(),
    "street.delete": frozenset(),
    # Background jobs (core/jobs.py) are started by imports, publication and the worker's
    # chores, never typed in; those who start imports and publications follow them here.
    "job.view": frozenset({Role.ADMINISTRATOR, Role.ANALYST}),
    "job.add": frozenset(),
    "job.change": frozenset(),
    "job.delete": frozenset(),
}


def _own_team_membership(user: Any, obj: Any) -> bool:
    return obj is not None and user.officer_id is not None and obj.officer_id == user.officer_id


# Extra grants that depend on the object: (action, rule). A rule may only widen access.
CORE_OBJECT_RULES: dict[str, ObjectRule] = {
    "teammembership.edit_bio": _own_team_membership,
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Return whether the user may perform the action (on the object, where one is given)."""
    if action not in RULES:
        raise KeyError(f"The permission policy has no action {action!r}.")
    holders = ACTIONS[action].holders
    if holders == PUBLIC:
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if holders == SIGNED_IN:
        return True
    if user.role in holders:
        return True
    rule = ACTIONS[action].object_rule
    return rule is not None and obj is not None and rule(user, obj)


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def requires(action: str) -> Callable[[ViewFunc], ViewFunc]:
    """Let a view run only for users who hold the action (object rules are the view's to ask).

    An anonymous visitor refused is sent to log in; a signed-in user refused gets 403.
    """
    if action not in RULES:
        raise KeyError(f"The permission policy has no action {action!r}.")

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if RULES[action] != PUBLIC and not _may_enter(request.user, action):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.policy_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def _may_enter(user: Any, action: str) -> bool:
    # Actions with object rules let the view in; the view then asks can() with the object.
    if ACTIONS[action].object_rule is not None:
        return bool(user.is_authenticated and user.is_active)
    return can(user, action)
