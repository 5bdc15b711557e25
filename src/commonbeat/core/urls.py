from __future__ import annotations

from django.urls import path, register_converter

from commonbeat.core import views
from commonbeat.core.twins import FormatConverter

app_name = "core"
register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("", views.home, name="home"),
    path("index.<fmt:suffix>", views.home, name="home"),
    path("neighbourhoods/", views.neighbourhood_list, name="neighbourhood_list"),
    path("neighbourhoods.<fmt:suffix>", views.neighbourhood_list, name="neighbourhood_list"),
    path("neighbourhoods/find/", views.find_neighbourhood, name="find_neighbourhood"),
    path("neighbourhoods/find.<fmt:suffix>", views.find_neighbourhood, name="find_neighbourhood"),
    path("agencies/<slug:agency>/", views.agency_detail, name="agency"),
    path("agencies/<slug:agency>.<fmt:suffix>", views.agency_detail, name="agency"),
    path(
        "agencies/<slug:agency>/neighbourhoods/<slug:neighbourhood>/",
        views.neighbourhood_detail,
        name="neighbourhood",
    ),
    path(
        "agencies/<slug:agency>/neighbourhoods/<slug:neighbourhood>.<fmt:suffix>",
        views.neighbourhood_detail,
        name="neighbourhood",
    ),
    path("account/", views.account, name="account"),
    path("account/neighbourhood/", views.choose_neighbourhood, name="choose_neighbourhood"),
    path("account/language/", views.choose_language, name="choose_language"),
    path("account/team/<int:membership_id>/bio/", views.edit_bio, name="edit_bio"),
    path("account/login/", views.login, name="login"),
    path("account/logout/", views.logout, name="logout"),
]
