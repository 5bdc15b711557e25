"""Routes of the cases area (mounted by oversight/urls.py under /oversight/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from commonbeat.oversight.cases import views

# The `fmt` converter (the twins' .json/.csv suffix) is registered by core/urls.py.

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", views.case_list, name="case_list"),
    path("cases.<fmt:suffix>", views.case_list, name="case_list"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>.<fmt:suffix>", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/move/<str:name>/", views.case_transition, name="case_transition"),
    path("cases/<str:reference>/intake/", views.case_triage, name="case_triage"),
    path("cases/<str:reference>/extend/", views.case_extend, name="case_extend"),
    path("cases/<str:reference>/allegations/", views.allegation_add, name="allegation_add"),
    path(
        "cases/<str:reference>/allegations/<int:pk>/edit/",
        views.allegation_edit,
        name="allegation_edit",
    ),
    path(
        "cases/<str:reference>/allegations/<int:pk>/investigator/",
        views.finding_investigator,
        name="finding_investigator",
    ),
    path(
        "cases/<str:reference>/allegations/<int:pk>/board/",
        views.finding_board,
        name="finding_board",
    ),
    path(
        "cases/<str:reference>/allegations/<int:pk>/final/",
        views.finding_final,
        name="finding_final",
    ),
]
