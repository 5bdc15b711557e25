"""Routes of the force area (mounted by oversight/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from commonbeat.oversight.force import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("force/", views.my_reports, name="force_mine"),
    path("force.<fmt:suffix>", views.my_reports, name="force_mine"),
    path("force/new/", views.new_report, name="force_new"),
    path("force/queue/", views.queue, name="force_queue"),
    path("force/queue.<fmt:suffix>", views.queue, name="force_queue"),
    path("force/<int:pk>/", views.report_detail, name="force_detail"),
    path("force/<int:pk>.<fmt:suffix>", views.report_detail, name="force_detail"),
    path("force/<int:pk>/edit/", views.edit_report, name="force_edit"),
    path("force/<int:pk>/submit/", views.submit_report, name="force_submit"),
    path("force/<int:pk>/review/", views.review_report, name="force_review"),
    path("force/<int:pk>/complaints/", views.link_complaint, name="force_link"),
]
