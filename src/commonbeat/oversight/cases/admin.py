"""The cases area's back-office pages: the stage deadlines table (administrators edit it,
supervisors read it). Cases themselves are never in the back office: their pages cut what each
role sees (cases/confidentiality.py), which a generic admin page would not."""

from __future__ import annotations

from django.contrib import admin

from commonbeat.core.admin import PolicyAdmin, backoffice
from commonbeat.oversight.cases.models import StageDeadline


@admin.register(StageDeadline, site=backoffice)
class StageDeadlineAdmin(PolicyAdmin):
    list_display = ["stage", "days"]
