"""The data.police.uk addresses, under /api/ with no language prefix.

Fixed addresses come before the `{force}/{neighbourhood}` patterns, which would otherwise
swallow them (`forces/leicestershire` is a force, not the neighbourhood "leicestershire" of a
force called "forces"). Path parts are plain strings, checked by the views, so that a
malformed one gets the API's empty 404 rather than an HTML page.
"""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from commonbeat.transparency.police import views

app_name = "police"
urlpatterns: list[URLPattern] = [
    path("openapi.json", views.openapi_json, name="openapi"),
    path("forces", views.forces, name="forces"),
    path("forces/<str:force>", views.force, name="force"),
    path("forces/<str:force>/people", views.force_people, name="force_people"),
    path("locate-neighbourhood", views.locate_neighbourhood, name="locate_neighbourhood"),
    path("crime-categories", views.crime_categories, name="crime_categories"),
    path("crime-last-updated", views.crime_last_updated, name="crime_last_updated"),
    path("crimes-street-dates", views.crimes_street_dates, name="crimes_street_dates"),
    path("crimes-street/<str:category>", views.crimes_street, name="crimes_street"),
    path("crimes-at-location", views.crimes_at_location, name="crimes_at_location"),
    path("crimes-no-location", views.crimes_no_location, name="crimes_no_location"),
    path(
        "outcomes-for-crime/<str:persistent_id>",
        views.outcomes_for_crime,
        name="outcomes_for_crime",
    ),
    path("outcomes-at-location", views.outcomes_at_location, name="outcomes_at_location"),
    path("stops-street", views.stops_street, name="stops_street"),
    path("stops-at-location", views.stops_at_location, name="stops_at_location"),
    path("stops-no-location", views.stops_no_location, name="stops_no_location"),
    path("stops-force", views.stops_force, name="stops_force"),
    path("<str:force>/neighbourhoods", views.neighbourhoods, name="neighbourhoods"),
    path("<str:force>/<str:neighbourhood>", views.neighbourhood, name="neighbourhood"),
    path(
        "<str:force>/<str:neighbourhood>/boundary",
        views.neighbourhood_boundary,
        name="neighbourhood_boundary",
    ),
    path(
        "<str:force>/<str:neighbourhood>/people",
        views.neighbourhood_people,
        name="neighbourhood_people",
    ),
    path(
        "<str:force>/<str:neighbourhood>/events",
        views.neighbourhood_events,
        name="neighbourhood_events",
    ),
    path(
        "<str:force>/<str:neighbourhood>/priorities",
        views.neighbourhood_priorities,
        name="neighbourhood_priorities",
    ),
    # Anything else under /api/ is the API's empty 404, not the site's HTML page; /api/
    # itself is the human page, which transparency routes in each language.
    re_path(r"^.+$", views.not_found, name="not_found"),
]
