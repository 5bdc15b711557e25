"""The intake API, without a language prefix: /oversight/api/reports and /oversight/api/status."""

from __future__ import annotations

from django.urls import path

from commonbeat.oversight.intake import views

app_name = "oversight_api"

urlpatterns = [
    path("reports", views.api_report, name="reports"),
    path("status", views.api_status, name="status"),
]
