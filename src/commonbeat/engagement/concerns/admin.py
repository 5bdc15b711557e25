"""Back-office pages of concerns: the services and their questions, the concerns themselves
(status notes and duplicates go through the services, so reporters and followers are told),
and the apps' API keys (a new key is shown once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commonbeat.core.admin import (
    PolicyAdmin,
    TranslatedPolicyAdmin,
    TranslatedPolicyInline,
    backoffice,
)
from commonbeat.engagement.concerns import services
from commonbeat.engagement.concerns.models import (
    ApiKey,
    AttributeValue,
    Concern,
    Service,
    ServiceAttribute,
    StatusNote,
)


class AttributeInline(TranslatedPolicyInline):
    model = ServiceAttribute
    parent_action = "service.change"
    fields = [
        "code",
        "description",
        "datatype",
        "datatype_description",
        "required",
        "variable",
        "order",
    ]


@admin.register(Service, site=backoffice)
class ServiceAdmin(TranslatedPolicyAdmin):
    list_display = ["code", "name", "group", "type", "active", "order"]
    list_filter = ["active", "type", "group"]
    fields = ["code", "name", "description", "group", "keywords", "type", "active", "order"]
    inlines = [AttributeInline]


class ValueInline(TranslatedPolicyInline):
    model = AttributeValue
    parent_action = "service.change"
    fields = ["key", "name", "order"]


@admin.register(ServiceAttribute, site=backoffice)
class ServiceAttributeAdmin(TranslatedPolicyAdmin):
    list_display = ["code", "service", "datatype", "required"]
    list_filter = ["service"]
    fields = [
        "service",
        "code",
        "description",
        "datatype",
        "datatype_description",
        "required",
        "variable",
        "order",
    ]
    inlines = [ValueInline]


class NoteInline(TranslatedPolicyInline):
    model = StatusNote
    parent_action = "concern.view"
    fields = ["created_at", "status", "note"]
    readonly_fields = ["created_at", "status", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a note is added through the form above, which tells the reporter

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConcernForm(forms.ModelForm):  # type: ignore[type-arg]
    new_status = forms.ChoiceField(
        label=_("Status after this note"), choices=Concern.Status.choices, required=False
    )
    note_en = forms.CharField(
        label=_("Note to the reporter (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_es = forms.CharField(
        label=_("Note to the reporter (Spanish)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Concern
        fields = ["photo_public", "duplicate_of", "expected_at"]


@admin.register(Concern, site=backoffice)
class ConcernAdmin(PolicyAdmin):
    form = ConcernForm
    list_display = ["pk", "service", "neighbourhood", "status", "requested_at", "duplicate_of"]
    list_filter = ["status", "service", "neighbourhood"]
    search_fields = ["description"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["duplicate_of"]
    inlines = [NoteInline]
    readonly_fields = [
        "service", "status", "neighbourhood", "description", "latitude", "longitude",
        "address_string", "address", "attributes", "media_url", "first_name", "last_name",
        "email", "phone", "hide_name", "language", "requested_at", "api_key",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["service", "status", "neighbourhood", "requested_at", "description", "attributes"]}),
        (_("Where"), {"fields": ["latitude", "longitude", "address_string", "address"]}),
        (_("Reporter (never public)"), {"fields": ["first_name", "last_name", "hide_name", "email", "phone", "language", "api_key"]}),
        (_("Photo"), {"fields": ["media_url", "photo_public"]}),
        (_("Answer"), {"fields": ["new_status", "note_en", "note_es", "expected_at", "duplicate_of"]}),
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # concerns come from residents and apps (the form, Open311)

    def save_model(self, request: HttpRequest, obj: Concern, form: Any, change: bool) -> None:
        data = form.cleaned_data
        original = data.get("duplicate_of")
        if "duplicate_of" in form.changed_data:
            obj.duplicate_of = Concern.objects.get(pk=obj.pk).duplicate_of  # marked below
        super().save_model(request, obj, form, change)
        try:
            if original is not None and "duplicate_of" in form.changed_data:
                services.mark_duplicate(obj, original)
            elif data.get("note_en") or data.get("note_es"):
                services.update_status(
                    obj, data.get("new_status") or obj.status, data.get("note_en", ""),
                    data.get("note_es", ""), expected=data.get("expected_at"),
                )  # fmt: skip
        except services.ConcernRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)


@admin.register(ApiKey, site=backoffice)
class ApiKeyAdmin(PolicyAdmin):
    list_display = ["name", "prefix", "contact", "active", "created_at"]
    fields = ["name", "contact", "active"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        made, key = services.issue_key(obj.name, obj.contact)
        obj.pk, obj.key_hash, obj.prefix = made.pk, made.key_hash, made.prefix
        self.message_user(
            request,
            _("The key for %(app)s is %(key)s. Copy it now: it is not shown again.")
            % {"app": obj.name, "key": key},
            messages.WARNING,
        )
