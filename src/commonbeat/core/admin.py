"""The back office: Django's admin, with every decision handed to the permission policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from commonbeat.core import policy
from commonbeat.core.jobs import Job
from commonbeat.core.models import (
    AddressPoint,
    Agency,
    Assignment,
    AuditEntry,
    EngagementMethod,
    Neighbourhood,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    Officer,
    Street,
    TeamMembership,
    User,
)


class BackOffice(admin.AdminSite):
    site_header = _("Commonbeat back office")
    site_title = _("Commonbeat back office")
    index_title = _("Records you may manage")

    def has_permission(self, request: HttpRequest) -> bool:
        return policy.can(request.user, "backoffice.enter")


backoffice = BackOffice(name="backoffice")


# A web address typed without a scheme means https (Django 6's default, chosen now).
URL_FIELDS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class PolicyMixin:
    """Asks the policy, as `<model>.<verb>`, instead of Django's per-user permissions."""

    model: type[Model]
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = (
        URL_FIELDS
    )

    def _can(self, request: HttpRequest, verb: str, obj: Model | None = None) -> bool:
        return policy.can(request.user, f"{self.model._meta.model_name}.{verb}", obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._can(request, "view")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request, "view", obj) or self._can(request, "change", obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request, "delete", obj)


class PolicyAdmin(PolicyMixin, admin.ModelAdmin[Any]):
    pass


class TranslatedPolicyAdmin(PolicyMixin, TranslationAdmin[Any]):
    """A back-office page for a model with fields in core/translation.py: each language's
    version of a translated field is edited beside the other."""


class PolicyInline(admin.TabularInline[Any, Any]):
    """An inline follows the policy of the record it belongs to, as `<parent>.change`."""

    parent_action = ""
    extra = 0
    formfield_overrides = URL_FIELDS

    def _can(self, request: HttpRequest) -> bool:
        return policy.can(request.user, self.parent_action)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request)


class TranslatedPolicyInline(PolicyInline, TranslationTabularInline[Any, Any]):
    """An inline whose translated fields show one column per language."""


class EngagementMethodInline(TranslatedPolicyInline):
    model = EngagementMethod
    parent_action = "agency.change"


@admin.register(Agency, site=backoffice)
class AgencyAdmin(TranslatedPolicyAdmin):
    list_display = ["name", "slug", "telephone", "synthetic"]
    search_fields = ["name", "slug"]
    inlines = [EngagementMethodInline]


class LinkInline(TranslatedPolicyInline):
    model = NeighbourhoodLink
    parent_action = "neighbourhood.change"


class LocationInline(TranslatedPolicyInline):
    model = NeighbourhoodLocation
    parent_action = "neighbourhood.change"


@admin.register(Neighbourhood, site=backoffice)
class NeighbourhoodAdmin(TranslatedPolicyAdmin):
    list_display = ["name", "slug", "agency", "population"]
    list_filter = ["agency"]
    search_fields = ["name", "slug"]
    inlines = [LinkInline, LocationInline]


class AssignmentInline(PolicyInline):
    model = Assignment
    parent_action = "assignment.change"
    fields = ["badge_number", "rank", "unit", "shift", "neighbourhood", "start_date", "end_date"]


@admin.register(Officer, site=backoffice)
class OfficerAdmin(PolicyAdmin):
    list_display = ["uid", "last_name", "first_name", "status", "employment_date"]
    list_filter = ["agency", "status", "gender", "race"]
    search_fields = ["uid", "last_name", "first_name", "assignments__badge_number"]
    inlines = [AssignmentInline]


@admin.register(Assignment, site=backoffice)
class AssignmentAdmin(PolicyAdmin):
    list_display = [
        "officer",
        "badge_number",
        "rank",
        "unit",
        "shift",
        "neighbourhood",
        "start_date",
        "end_date",
    ]
    list_filter = ["rank", "unit", "shift", "neighbourhood"]
    search_fields = ["badge_number", "officer__uid", "officer__last_name"]
    autocomplete_fields = ["officer"]


@admin.register(TeamMembership, site=backoffice)
class TeamMembershipAdmin(TranslatedPolicyAdmin):
    list_display = ["officer", "neighbourhood", "role", "start_date", "end_date"]
    list_filter = ["neighbourhood"]
    search_fields = ["officer__last_name", "neighbourhood__name"]
    autocomplete_fields = ["officer"]


@admin.register(User, site=backoffice)
class UserAdmin(PolicyMixin, DjangoUserAdmin):  # type: ignore[type-arg]  # generic in django-stubs only; its `model` clashes with PolicyMixin.model
    # Roles, not Django's groups and per-user permissions, decide access (see policy.py).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("role", "officer", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "role", "password1", "password2")}),)
    list_display = ["username", "role", "first_name", "last_name", "is_active"]
    list_filter = ["role", "is_active"]
    filter_horizontal = ()
    autocomplete_fields = ["officer"]


@admin.register(AuditEntry, site=backoffice)
class AuditEntryAdmin(PolicyAdmin):
    list_display = ["seq", "created", "actor", "action", "model", "object_pk", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["actor", "object_pk", "object_repr"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    # The log is append-only: nobody adds, changes or deletes entries here.
    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._can(request, "view", obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AddressPoint, site=backoffice)
class AddressPointAdmin(PolicyAdmin):
    """Read-only: points are loaded from files with `commonbeat addresses load`."""

    list_display = ["__str__", "locality", "neighbourhood", "agency", "source", "line"]
    list_filter = ["agency", "source", "neighbourhood"]
    search_fields = ["street", "number", "postcode"]
    list_select_related = ["neighbourhood", "agency"]
    readonly_fields = [f.name for f in AddressPoint._meta.fields]


@admin.register(Street, site=backoffice)
class StreetAdmin(PolicyAdmin):
    """Read-only: streets come with the address files or the demo city."""

    list_display = ["name", "agency", "source"]
    list_filter = ["agency", "source"]
    search_fields = ["name"]
    readonly_fields = [f.name for f in Street._meta.fields]


@admin.register(Job, site=backoffice)
class JobAdmin(PolicyAdmin):
    """Read-only: the queue of background jobs, to see what ran, what failed and why."""

    list_display = ["__str__", "status", "progress", "message", "created", "finished", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "message"]
    readonly_fields = [f.name for f in Job._meta.fields]
