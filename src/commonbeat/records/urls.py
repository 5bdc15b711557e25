from __future__ import annotations

from django.urls import path

from commonbeat.records import views

app_name = "records"

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/preview/<str:token>/", views.import_preview, name="import_preview"),
    path("imports/<int:run_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:run_id>.<fmt:suffix>", views.import_detail, name="import_detail"),
    path("imports/templates/<slug:record_type>.csv", views.import_template, name="import_template"),
]
