"""Routes of the intake area (mounted by oversight/urls.py, in each language)."""

from __future__ import annotations

from django.urls import path

from commonbeat.oversight.intake import views

urlpatterns = [
    path("report/", views.report, name="report"),
    path("status/", views.status, name="status"),
    path("cases/<str:reference>/attachments/<int:pk>/", views.download, name="attachment"),
]
