"""Engagement's pages, mounted at /engagement/ in each language."""

from __future__ import annotations

from django.urls import path

from commonbeat.engagement.announcements import views as announcements
from commonbeat.engagement.concerns import views as concerns
from commonbeat.engagement.events import views as events
from commonbeat.engagement.priorities import views as priorities
from commonbeat.engagement.surveys import views as surveys
from commonbeat.engagement.volunteers import views as volunteers

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
    path("announcements/", announcements.announcement_list, name="announcements"),
    path("announcements.<fmt:suffix>", announcements.announcement_list, name="announcements"),
    path("announcements/<int:pk>/", announcements.announcement_detail, name="announcement"),
    path(
        "announcements/<int:pk>.<fmt:suffix>",
        announcements.announcement_detail,
        name="announcement",
    ),
    path("announcements/feeds/<slug:agency>.atom", announcements.agency_feed, name="agency_feed"),
    path(
        "announcements/feeds/<slug:agency>/<slug:neighbourhood>.atom",
        announcements.neighbourhood_feed,
        name="neighbourhood_feed",
    ),
    path("incidents/", announcements.incident_list, name="incidents"),
    path("incidents.<fmt:suffix>", announcements.incident_list, name="incidents"),
    path("incidents/<int:pk>/", announcements.incident_detail, name="incident"),
    path("incidents/<int:pk>.<fmt:suffix>", announcements.incident_detail, name="incident"),
    path("incidents/<int:pk>.atom", announcements.incident_feed, name="incident_feed"),
    path(
        "incidents/<int:pk>/updates/new/",
        announcements.incident_post_update,
        name="incident_post_update",
    ),
    path(
        "incidents/<int:pk>/updates/<int:update>/correct/",
        announcements.incident_correct_update,
        name="incident_correct_update",
    ),
    path("priorities/<int:pk>/", priorities.priority_page, name="priority"),
    path("priorities/<int:pk>.<fmt:suffix>", priorities.priority_page, name="priority"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys.<fmt:suffix>", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey_page, name="survey"),
    path("surveys/<int:pk>.<fmt:suffix>", surveys.survey_page, name="survey"),
    path("surveys/waves/<int:pk>/results/", surveys.survey_results, name="survey_results"),
    path(
        "surveys/waves/<int:pk>/results.<fmt:suffix>",
        surveys.survey_results,
        name="survey_results",
    ),
    path("surveys/waves/<int:pk>/answer/", surveys.answer_signed_in, name="survey_answer"),
    path("surveys/answer/<str:token>/", surveys.answer_invited, name="survey_invited"),
    path("surveys/sentiment/<slug:agency>/", surveys.sentiment_page, name="sentiment"),
    path("surveys/sentiment/<slug:agency>.<fmt:suffix>", surveys.sentiment_page, name="sentiment"),
    path("programmes/", volunteers.programme_list, name="programmes"),
    path("programmes.<fmt:suffix>", volunteers.programme_list, name="programmes"),
    path("programmes/<int:pk>/", volunteers.programme_detail, name="programme"),
    path("programmes/<int:pk>.<fmt:suffix>", volunteers.programme_detail, name="programme"),
    path("programmes/<int:pk>/join/", volunteers.programme_join, name="programme_join"),
    path("volunteers/<int:pk>/<str:secret>/", volunteers.volunteer_page, name="volunteer"),
    path(
        "volunteers/<int:pk>/<str:secret>/withdraw/",
        volunteers.volunteer_withdraw,
        name="volunteer_withdraw",
    ),
]
