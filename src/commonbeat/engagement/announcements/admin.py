"""Back-office pages of announcements and critical incidents (both languages side by side).

Publishing goes through the services. An incident's updates are edited here only while the
incident is a draft; once it is public its account is fixed (summary, time it happened, every
update) and staff post updates and corrections on its page, where each is stamped with the
time the public could read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from commonbeat.core.admin import TranslatedPolicyAdmin, TranslatedPolicyInline, backoffice
from commonbeat.core.policy import can
from commonbeat.engagement.announcements import api, services
from commonbeat.engagement.announcements.models import (
    Announcement,
    CriticalIncident,
    IncidentLink,
    IncidentUpdate,
    PublishedUpdateIsFinal,
)


def _written_by(obj: Any) -> str:
    return obj.author.get_username() if obj is not None and obj.author_id else "—"


@admin.register(Announcement, site=backoffice)
class AnnouncementAdmin(TranslatedPolicyAdmin):
    list_display = ["title", "kind", "agency", "neighbourhood", "state", "published_at", "expires_at"]  # fmt: skip
    list_filter = ["kind", "agency"]
    search_fields = ["title_en", "title_es"]
    fields = ["agency", "neighbourhood", "kind", "title", "body", "published_at", "expires_at", "written_by"]  # fmt: skip
    readonly_fields = ["written_by"]
    actions = ["publish_now", "withdraw"]

    @admin.display(description=_("state"))
    def state(self, obj: Announcement) -> str:
        if obj.published_at is None:
            return str(_("Draft"))
        return str(_("Published") if obj.is_public() else _("Scheduled"))

    @admin.display(description=_("written by"))
    def written_by(self, obj: Announcement | None) -> str:
        return _written_by(obj)

    def save_model(self, request: HttpRequest, obj: Announcement, form: Any, change: bool) -> None:
        if not change:
            obj.author = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def _each(self, request: HttpRequest, queryset: QuerySet[Announcement], work: Any) -> None:
        if not can(request.user, "announcement.change"):
            return
        for announcement in queryset:
            try:
                work(announcement)
            except services.Refused as refused:
                self.message_user(request, f"{announcement}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{announcement}: {self.state(announcement)}")

    @admin.action(description=_("Publish now"))
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        self._each(request, queryset, services.publish_announcement)

    @admin.action(description=_("Take back to the drafts"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Announcement]) -> None:
        self._each(request, queryset, services.withdraw_announcement)


class UpdateInline(TranslatedPolicyInline):
    """The timeline: editable while the incident is a draft, read-only once public."""

    model = IncidentUpdate
    parent_action = "incidentupdate.change"
    fields = ["body", "posted_at", "correction"]
    readonly_fields = ["posted_at", "correction"]

    @admin.display(description=_("correction"))
    def correction(self, obj: IncidentUpdate) -> str:
        if obj.corrects_id:
            return str(_("Corrects update %(number)s") % {"number": obj.corrects_id})
        return ""

    def _draft(self, obj: Any) -> bool:
        return obj is None or not obj.is_public

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if self._draft(obj) else 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and self._can(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and self._can(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and policy_delete(request)


def policy_delete(request: HttpRequest) -> bool:
    return can(request.user, "incidentupdate.delete")


class LinkInline(TranslatedPolicyInline):
    model = IncidentLink
    parent_action = "incidentlink.change"
    fields = ["kind", "title", "url", "released_on"]
    extra = 1


@admin.register(CriticalIncident, site=backoffice)
class CriticalIncidentAdmin(TranslatedPolicyAdmin):
    list_display = ["title", "agency", "neighbourhood", "occurred_at", "published_at", "first_update"]  # fmt: skip
    list_filter = ["agency"]
    search_fields = ["title_en", "title_es"]
    date_hierarchy = "occurred_at"
    fields = ["agency", "neighbourhood", "title", "summary", "occurred_at", "published_at", "written_by", "on_the_site"]  # fmt: skip
    inlines = [UpdateInline, LinkInline]
    actions = ["publish_incidents"]
    # Once public, what the incident is and when it happened are fixed (the measure counts
    # from `occurred_at`): what changes is told in updates and corrections.
    FIXED_ONCE_PUBLIC = ["agency", "neighbourhood", "title", "summary", "occurred_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = self.FIXED_ONCE_PUBLIC if obj is not None and obj.is_public else []
        return self.replace_orig_field(["published_at", "written_by", "on_the_site", *fixed])

    @admin.display(description=_("written by"))
    def written_by(self, obj: CriticalIncident | None) -> str:
        return _written_by(obj)

    @admin.display(description=_("time to the first public update"))
    def first_update(self, obj: CriticalIncident) -> str:
        return api.in_words(api.time_to_first_update(obj)) if obj.is_public else "—"

    @admin.display(description=_("on the site"))
    def on_the_site(self, obj: CriticalIncident | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        page = api.incident_url(obj)
        post = reverse("engagement:incident_post_update", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            page, _("The incident's page (corrections are made there)"),
            post, _("Post an update"),
        )  # fmt: skip

    def save_model(
        self, request: HttpRequest, obj: CriticalIncident, form: Any, change: bool
    ) -> None:
        if not change:
            obj.author = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not IncidentUpdate:
            super().save_formset(request, form, formset, change)
            return
        incident = form.instance
        try:
            for update in formset.save(commit=False):
                if update.pk is None and incident.is_public:
                    # Published meanwhile: the update goes out stamped, as on the page.
                    services.post_update(
                        incident, update.body_en or "", update.body_es or "", by=request.user
                    )
                    continue
                if update.pk is None:
                    update.author = request.user
                update.save()
            for gone in formset.deleted_objects:
                gone.delete()
        except (PublishedUpdateIsFinal, services.Refused) as refused:
            self.message_user(request, str(refused), messages.ERROR)

    @admin.action(description=_("Publish the incidents with their draft updates"))
    def publish_incidents(self, request: HttpRequest, queryset: QuerySet[CriticalIncident]) -> None:
        if not can(request.user, "criticalincident.change"):
            return
        for incident in queryset:
            try:
                services.publish(incident, by=request.user)
            except services.Refused as refused:
                self.message_user(request, f"{incident}: {refused}", messages.ERROR)
            else:
                done = _("%(incident)s: public, with its updates.") % {"incident": incident}
                self.message_user(request, done)
