"""Routes of the early area (mounted by oversight/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from commonbeat.oversight.early import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("early-intervention/alerts/", views.queue, name="early_queue"),
    path("early-intervention/alerts.<fmt:suffix>", views.queue, name="early_queue"),
    path("early-intervention/alerts/<int:pk>/", views.detail, name="early_alert"),
    path("early-intervention/alerts/<int:pk>.<fmt:suffix>", views.detail, name="early_alert"),
    path("early-intervention/mine/", views.own, name="early_own"),
    path("early-intervention/mine.<fmt:suffix>", views.own, name="early_own"),
]
