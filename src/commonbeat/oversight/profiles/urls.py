"""Routes of the profiles area (mounted by oversight/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from commonbeat.oversight.profiles import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers.<fmt:suffix>", views.officer_list, name="officer_list"),
    path("officers/<slug:slug>/", views.officer_detail, name="officer_detail"),
    path("officers/<slug:slug>.<fmt:suffix>", views.officer_detail, name="officer_detail"),
]
