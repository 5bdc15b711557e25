from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from commonbeat.core.admin import backoffice

# English pages live at /, Spanish at /es/: every page has a shareable address per language.
urlpatterns = [
    path("backoffice/", backoffice.urls),
    # The data.police.uk-compatible API keeps that service's addresses: no language prefix.
    path("api/", include("commonbeat.transparency.police.urls")),
    # Oversight's intake API speaks JSON to programs, whatever their language.
    path("oversight/api/", include("commonbeat.oversight.intake.api_urls")),
    # Open311 GeoReport v2 keeps the spec's addresses; names follow Accept-Language.
    path("open311/v2/", include("commonbeat.engagement.concerns.open311_urls")),
    *i18n_patterns(
        path("", include("commonbeat.core.urls")),
        path("records/", include("commonbeat.records.urls")),
        path("publish/", include("commonbeat.releases.urls")),
        path("oversight/", include("commonbeat.oversight.urls")),
        path("engagement/", include("commonbeat.engagement.urls")),
        path("", include("commonbeat.transparency.urls")),
        prefix_default_language=False,
    ),
]

handler403 = "commonbeat.core.views.permission_denied"
handler404 = "commonbeat.core.views.page_not_found"
handler500 = "commonbeat.core.views.server_error"
