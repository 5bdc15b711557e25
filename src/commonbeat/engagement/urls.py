"""Engagement's pages, mounted at /engagement/ in each language."""

from __future__ import annotations

from django.urls import path

from commonbeat.engagement.concerns import views as concerns
from commonbeat.engagement.events import views as events
from commonbeat.engagement.priorities import views as priorities

app_name = "engagement"

urlpatterns = [
    path("events/", events.event_list, name="events"),
    path("events.<fmt:suffix>", events.event_list, name="events"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>.<fmt:suffix>", events.event_detail, name="event"),
    path("events/<int:pk>.ics", events.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", events.event_register, name="register"),
    path("registrations/<int:pk>/<str:secret>/", events.registration_page, name="registration"),
    path(
        "registrations/<int:pk>/<str:secret>/cancel/",
        events.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "registrations/<int:pk>/<str:secret>/comment/",
        events.minutes_comment,
        name="minutes_comment",
    ),
    path("calendars/<slug:agency>.ics", events.agency_ics, name="agency_ics"),
    path(
        "calendars/<slug:agency>/<slug:neighbourhood>.ics",
        events.neighbourhood_ics,
        name="neighbourhood_ics",
    ),
    path(
        "agencies/<slug:agency>/neighbourhoods/<slug:neighbourhood>/",
        priorities.neighbourhood_page,
        name="neighbourhood",
    ),
    path(
        "agencies/<slug:agency>/neighbourhoods/<slug:neighbourhood>.<fmt:suffix>",
        priorities.neighbourhood_page,
        name="neighbourhood",
    ),
    path("concerns/", concerns.concern_list, name="concerns"),
    path("concerns.<fmt:suffix>", concerns.concern_list, name="concerns"),
    path("concerns/new/", concerns.report, name="concern_new"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern"),
    path("concerns/<int:pk>.<fmt:suffix>", concerns.concern_detail, name="concern"),
    path("concerns/<int:pk>/follow/", concerns.concern_follow, name="concern_follow"),
    path("concerns/<int:pk>/photo", concerns.concern_photo, name="concern_photo"),
    path("priorities/<int:pk>/", priorities.priority_page, name="priority"),
    path("priorities/<int:pk>.<fmt:suffix>", priorities.priority_page, name="priority"),
]
