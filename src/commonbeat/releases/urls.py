from __future__ import annotations

from django.urls import path

from commonbeat.releases import views

app_name = "releases"

urlpatterns = [
    path("", views.publish, name="publish"),
    path("<int:run_id>/", views.publish_status, name="publish_status"),
    path("<int:run_id>.<fmt:suffix>", views.publish_status, name="publish_status"),
]
