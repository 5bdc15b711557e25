"""Engagement's back-office pages: events with their registrations, concerns and minutes;
priorities with their milestones; the measures analysts offer.

Every change goes through the services where one exists (capacity, cancellation, minutes,
concerns into priorities), so the back office keeps the same rules as everything else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonbeat.core.admin import (
    PolicyInline,
    TranslatedPolicyAdmin,
    TranslatedPolicyInline,
    backoffice,
)
from commonbeat.core.policy import can
from commonbeat.engagement.announcements import admin as announcements  # noqa: F401  registers
from commonbeat.engagement.concerns import admin as concerns  # noqa: F401  registers its pages
from commonbeat.engagement.events import services
from commonbeat.engagement.models import (
    Event,
    Measure,
    MeetingConcern,
    Milestone,
    MinutesComment,
    Priority,
    Registration,
)
from commonbeat.engagement.priorities import services as priority_services
from commonbeat.engagement.surveys import admin as surveys  # noqa: F401  registers its pages
from commonbeat.engagement.volunteers import admin as volunteers  # noqa: F401  registers its pages

# Changes a subscribed calendar must pick up (iCalendar SEQUENCE).
CALENDAR_FIELDS = {"starts_at", "ends_at", "venue", "address", "title_en", "title_es", "status"}


class RegistrationInline(PolicyInline):
    model = Registration
    parent_action = "registration.change"
    fields = ["name", "email", "language", "needs", "status", "created_at", "attended"]
    readonly_fields = ["name", "email", "language", "needs", "status", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # people register themselves (or staff for them) on the event's page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a cancellation is kept; the registrant cancels from their link


class ConcernInline(TranslatedPolicyInline):
    model = MeetingConcern
    parent_action = "meetingconcern.change"
    fields = ["summary", "status", "response", "priority"]
    readonly_fields = ["priority"]
    extra = 1


class MinutesCommentInline(PolicyInline):
    model = MinutesComment
    parent_action = "minutescomment.view"
    fields = ["registration", "text", "created_at"]
    readonly_fields = ["registration", "text", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event, site=backoffice)
class EventAdmin(TranslatedPolicyAdmin):
    list_display = [
        "title",
        "kind",
        "neighbourhood",
        "starts_at",
        "status",
        "capacity",
        "minutes_status",
    ]
    list_filter = ["status", "kind", "minutes_status", "agency"]
    search_fields = ["title_en", "title_es", "venue"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline, ConcernInline, MinutesCommentInline]
    readonly_fields = ["status", "minutes_status", "comments_until", "minutes_published_at"]
    fieldsets = [
        (None, {"fields": ["agency", "neighbourhood", "kind", "title", "description"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "venue", "address", "latitude", "longitude"]}),
        (_("Access and languages"), {"fields": ["languages", "accessibility", "contact"]}),
        (_("Registration"), {"fields": ["registration", "capacity", "status", "cancellation_note"]}),
        (_("After the meeting"), {"fields": ["attendance", "organisations", "minutes", "minutes_status", "comments_until", "minutes_published_at"]}),
    ]  # fmt: skip
    actions = ["open_minutes", "publish_minutes", "cancel_events"]

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and CALENDAR_FIELDS & set(form.changed_data):
            services.changed_for_calendars(obj)
        if change and "capacity" in form.changed_data:
            promoted = services.promote_waiting(obj)
            if promoted:
                self.message_user(
                    request,
                    _("%(count)s people were given a place from the waiting list.")
                    % {"count": len(promoted)},
                )

    def _each(self, request: HttpRequest, queryset: QuerySet[Event], work: Any, done: str) -> None:
        if not can(request.user, "event.change"):
            return
        for event in queryset:
            try:
                work(event)
            except services.Refused as refused:
                self.message_user(request, f"{event}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{event}: {done}")

    @admin.action(description=_("Open the minutes to attendees' comments for 14 days"))
    def open_minutes(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._each(
            request,
            queryset,
            lambda e: services.open_minutes_for_comment(e, days=14),
            str(_("open for comment.")),
        )

    @admin.action(description=_("Publish the minutes (after the comment period)"))
    def publish_minutes(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._each(request, queryset, services.publish_minutes, str(_("minutes published.")))

    @admin.action(description=_("Cancel the events and tell everyone registered"))
    def cancel_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self._each(
            request, queryset,
            lambda e: services.cancel_event(e, e.cancellation_note_en or "", e.cancellation_note_es or ""),
            str(_("cancelled; registrants told.")),
        )  # fmt: skip


@admin.register(MeetingConcern, site=backoffice)
class MeetingConcernAdmin(TranslatedPolicyAdmin):
    list_display = ["summary", "event", "status", "priority"]
    list_filter = ["status"]
    search_fields = ["summary_en", "summary_es"]
    fields = ["event", "summary", "status", "response", "priority"]
    readonly_fields = ["priority"]
    actions = ["make_priorities"]

    @admin.action(description=_("Make each a priority of its meeting's neighbourhood"))
    def make_priorities(self, request: HttpRequest, queryset: QuerySet[MeetingConcern]) -> None:
        if not can(request.user, "priority.add"):
            self.message_user(
                request, _("Only supervisors and administrators set priorities."), messages.ERROR
            )
            return
        for concern in queryset.select_related("event"):
            try:
                priority_services.make_priority(concern)
            except services.Refused as refused:
                self.message_user(request, f"{concern}: {refused}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(concern)s is now a priority: add its action and measure.")
                    % {"concern": concern},
                )


class MilestoneInline(TranslatedPolicyInline):
    model = Milestone
    parent_action = "priority.change"
    fields = ["title", "due", "done_on", "order"]
    extra = 1


@admin.register(Priority, site=backoffice)
class PriorityAdmin(TranslatedPolicyAdmin):
    list_display = [
        "issue",
        "neighbourhood",
        "status",
        "progress",
        "issue_date",
        "action_date",
        "public",
    ]
    list_filter = ["status", "source", "public", "neighbourhood"]
    search_fields = ["issue_en", "issue_es", "owner"]
    inlines = [MilestoneInline]
    fields = [
        "neighbourhood", "parent", "issue", "source", "source_event", "issue_date", "action",
        "action_date", "owner", "status", "progress", "outcome", "measure", "public",
    ]  # fmt: skip

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "measure":
            kwargs["queryset"] = Measure.objects.filter(active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Measure, site=backoffice)
class MeasureAdmin(TranslatedPolicyAdmin):
    list_display = ["name", "record_type", "from_hour", "to_hour", "active"]
    list_filter = ["record_type", "active"]
    fields = ["name", "description", "record_type", "types", "from_hour", "to_hour", "active"]
