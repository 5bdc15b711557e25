"""Back-office pages of volunteering: programmes with their roles, volunteers with their
hours, and the hours on their own for a programme's record.

Screening outcomes are for supervisors and administrators (the policy's `volunteer.screen`):
for anyone else the volunteer page has no screening fields, columns, filters or actions, and
refuses a filter on them typed into the address, which would give the outcome away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonbeat.core.admin import (
    PolicyAdmin,
    PolicyInline,
    TranslatedPolicyAdmin,
    TranslatedPolicyInline,
    backoffice,
)
from commonbeat.core.policy import can
from commonbeat.engagement.volunteers import services
from commonbeat.engagement.volunteers.models import (
    HoursServed,
    Programme,
    ProgrammeRole,
    Volunteer,
)

SCREENING_FIELDS = ("screening", "screened_on", "screening_note")


def _screens(request: HttpRequest) -> bool:
    return can(request.user, "volunteer.screen")


class RoleInline(TranslatedPolicyInline):
    model = ProgrammeRole
    parent_action = "programmerole.change"
    fields = ["title", "description", "places", "order"]
    extra = 1


@admin.register(Programme, site=backoffice)
class ProgrammeAdmin(TranslatedPolicyAdmin):
    list_display = [
        "title",
        "kind",
        "neighbourhood",
        "signups_open",
        "screening_required",
        "public",
    ]
    list_filter = ["kind", "signups_open", "public", "agency", "neighbourhood"]
    search_fields = ["title_en", "title_es"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["agency", "neighbourhood", "kind", "title", "description", "requirements", "contact"]}),
        (_("Sign-ups"), {"fields": ["public", "signups_open", "minimum_age", "screening_required"]}),
    ]  # fmt: skip


class HoursForm(forms.ModelForm):  # type: ignore[type-arg]
    """Hours are checked by the service's rules before anything is saved."""

    class Meta:
        model = HoursServed
        fields = ["volunteer", "served_on", "hours", "activity"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        volunteer = data.get("volunteer") or getattr(self.instance, "volunteer", None)
        if volunteer is not None and data.get("served_on") and data.get("hours") is not None:
            try:
                services.check_hours(volunteer, data["served_on"], data["hours"])
            except services.Refused as refused:
                raise ValidationError(str(refused)) from None
        return data


class HoursInline(PolicyInline):
    model = HoursServed
    form = HoursForm
    parent_action = "hoursserved.add"
    fields = ["served_on", "hours", "activity"]
    extra = 1

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, "hoursserved.delete")


@admin.register(Volunteer, site=backoffice)
class VolunteerAdmin(PolicyAdmin):
    list_display = ["name", "programme", "role", "status", "created_at"]
    list_filter = ["programme", "status", "role"]
    search_fields = ["name", "email"]
    date_hierarchy = "created_at"
    inlines = [HoursInline]
    readonly_fields = [
        "programme", "name", "email", "phone", "neighbourhood", "languages", "availability",
        "language", "consented_at", "status", "created_at", "started_at", "left_at",
    ]  # fmt: skip
    actions = ["start", "end", "screening_cleared", "screening_not_cleared", "screening_pending"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        sets: list[tuple[Any, dict[str, Any]]] = [
            (None, {"fields": ["programme", "role", "status", "created_at", "started_at", "left_at"]}),
            (_("The person (never public)"), {"fields": ["name", "email", "phone", "neighbourhood", "languages", "availability", "language", "consented_at"]}),
            (_("Staff notes"), {"fields": ["notes"]}),
        ]  # fmt: skip
        if _screens(request):
            sets.append((_("Screening (supervisors and administrators)"), {"fields": list(SCREENING_FIELDS)}))  # fmt: skip
        return sets

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:  # fmt: skip
        form = super().get_form(request, obj, change, **kwargs)
        role = form.base_fields.get("role")
        if obj is not None and isinstance(role, forms.ModelChoiceField):
            # Only the roles of the volunteer's own programme.
            role.queryset = obj.programme.roles.all()
        return form

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_display(request))
        return [*shown, "screening"] if _screens(request) else shown

    def get_list_filter(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_filter(request))
        return [*shown, "screening"] if _screens(request) else shown

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        screens = request is not None and _screens(request)
        if lookup.split("__")[0] in SCREENING_FIELDS and not screens:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        found = super().get_actions(request)
        if not _screens(request):
            for name in ("screening_cleared", "screening_not_cleared", "screening_pending"):
                found.pop(name, None)
        return found

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Volunteer], work: Callable[..., Any],
        done: str, action: str = "volunteer.change",
    ) -> None:  # fmt: skip
        if not can(request.user, action):
            self.message_user(request, _("You may not do this."), messages.ERROR)
            return
        for volunteer in queryset.select_related("programme"):
            try:
                work(volunteer)
            except services.Refused as refused:
                self.message_user(request, f"{volunteer}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{volunteer}: {done}")

    @admin.action(description=_("Welcome as active volunteers (e-mails them)"))
    def start(self, request: HttpRequest, queryset: QuerySet[Volunteer]) -> None:
        self._each(request, queryset, services.start, str(_("active.")))

    @admin.action(description=_("Record that they no longer volunteer"))
    def end(self, request: HttpRequest, queryset: QuerySet[Volunteer]) -> None:
        self._each(request, queryset, services.end, str(_("no longer volunteering.")))

    def _screen(self, request: HttpRequest, queryset: QuerySet[Volunteer], outcome: str) -> None:
        label = str(Volunteer.Screening(outcome).label)
        self._each(
            request, queryset, lambda v: services.record_screening(v, outcome),
            str(_("screening recorded: %(outcome)s.") % {"outcome": label}), "volunteer.screen",
        )  # fmt: skip

    @admin.action(description=_("Record screening: cleared, today"))
    def screening_cleared(self, request: HttpRequest, queryset: QuerySet[Volunteer]) -> None:
        self._screen(request, queryset, Volunteer.Screening.CLEARED)

    @admin.action(description=_("Record screening: not cleared, today (ends their service)"))
    def screening_not_cleared(self, request: HttpRequest, queryset: QuerySet[Volunteer]) -> None:
        self._screen(request, queryset, Volunteer.Screening.NOT_CLEARED)

    @admin.action(description=_("Record screening: pending"))
    def screening_pending(self, request: HttpRequest, queryset: QuerySet[Volunteer]) -> None:
        self._screen(request, queryset, Volunteer.Screening.PENDING)

    def save_model(self, request: HttpRequest, obj: Volunteer, form: Any, change: bool) -> None:
        # The form carries screening fields only for screeners; a decided outcome gets its date.
        if "screening" in form.changed_data and _screens(request):
            outcome = form.cleaned_data["screening"]
            on = form.cleaned_data.get("screened_on")
            obj.screening = Volunteer.objects.get(pk=obj.pk).screening
            super().save_model(request, obj, form, change)
            services.record_screening(
                obj, outcome, on=on, note=form.cleaned_data.get("screening_note")
            )
            return
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # New hours go through the service's checks and record who entered them.
        for entry in formset.save(commit=False):
            if entry.pk is None:
                services.record_hours(
                    form.instance, served_on=entry.served_on, hours=entry.hours,
                    activity=entry.activity, by=request.user,
                )  # fmt: skip
            else:
                entry.save()
        for gone in formset.deleted_objects:
            gone.delete()


@admin.register(HoursServed, site=backoffice)
class HoursServedAdmin(PolicyAdmin):
    form = HoursForm
    list_display = ["served_on", "volunteer__name", "volunteer__programme", "hours", "activity"]
    list_filter = ["volunteer__programme", "served_on"]
    date_hierarchy = "served_on"
    fields = ["volunteer", "served_on", "hours", "activity"]
    raw_id_fields = ["volunteer"]

    def save_model(self, request: HttpRequest, obj: HoursServed, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        made = services.record_hours(
            obj.volunteer, served_on=obj.served_on, hours=obj.hours, activity=obj.activity,
            by=request.user,
        )  # fmt: skip
        obj.pk = made.pk
