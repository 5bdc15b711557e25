"""Back-office pages of the early area: the alert rules an operator configures."""

from __future__ import annotations

from django.contrib import admin

from commonbeat.core.admin import TranslatedPolicyAdmin, backoffice
from commonbeat.oversight.early.models import AlertRule


@admin.register(AlertRule, site=backoffice)
class AlertRuleAdmin(TranslatedPolicyAdmin):
    list_display = [
        "name",
        "indicator",
        "kind",
        "threshold",
        "minimum_count",
        "window_days",
        "active",
    ]
    list_filter = ["active", "indicator", "kind"]
    search_fields = ["name"]
    fields = ["name", "indicator", "kind", "threshold", "minimum_count", "window_days", "active"]
