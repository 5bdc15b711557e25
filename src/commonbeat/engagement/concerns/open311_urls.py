"""Open311 GeoReport v2 addresses, mounted at /open311/v2/ without a language prefix."""

from __future__ import annotations

from django.urls import path, register_converter

from commonbeat.engagement.concerns import open311


class Format:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Format, "o311")

app_name = "open311"

urlpatterns = [
    path("openapi.json", open311.openapi_json, name="openapi"),
    path("discovery.<o311:fmt>", open311.discovery, name="discovery"),
    path("services.<o311:fmt>", open311.service_list, name="services"),
    path("services/<str:code>.<o311:fmt>", open311.service_definition, name="service"),
    path("requests.<o311:fmt>", open311.requests, name="requests"),
    path("requests/<str:pk>.<o311:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:value>.<o311:fmt>", open311.token, name="token"),
]
