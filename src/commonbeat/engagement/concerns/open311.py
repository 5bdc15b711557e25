"""The Open311 GeoReport v2 server, at /open311/v2/ (outside the language prefixes; names and
notes follow the client's Accept-Language).

Formats by extension, XML (the spec's required one) and JSON; errors in the spec's shapes,
`[{code, description}]` or `<errors><error>`, with 400 for bad input, 403 for a missing or
unknown API key, 404 for what does not exist, 405 for other methods, 429 past the per-client
limit. Empty optional parameters are treated as absent. Every answer is bounded: at most
1,000 requests, 100 ids, a 90-day window by default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from commonbeat.core import limits, policy
from commonbeat.core.languages import client_language
from commonbeat.engagement.concerns import api, services, xml
from commonbeat.engagement.concerns.models import Concern, Service

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_REQUESTS = 1000
MAX_IDS = 100
DEFAULT_DAYS = 90
ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_-]{1,60})\](\[\])?$")


class Problem(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _answer(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(
            data, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(
        xml.document(root, data), status=status, content_type="text/xml; charset=utf-8"
    )


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _answer(fmt, "errors", [{"code": status, "description": description}], status=status)


def endpoint(*methods: str) -> Callable[..., Any]:
    """Answer only these methods, in the URL's format, with Problems as the spec's errors."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = _error(
                    fmt, 405, _("Use %(methods)s here.") % {"methods": " or ".join(methods)}
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Problem as problem:
                return _error(fmt, problem.status, problem.description)

        answered: Callable[..., HttpResponse] = csrf_exempt(client_language(wrapped))
        return answered

    return decorate


def _param(data: QueryDict, name: str) -> str:
    """A parameter's value, stripped; an empty one counts as absent."""
    return (data.get(name) or "").strip()


# Discovery and services ------------------------------------------------------------------------


# When this server's discovery document (its endpoints and formats) last changed.
CHANGESET = "2026-12-07T00:00:00Z"


@policy.requires("engagement.view")
@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    root = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit(
        "/", 1
    )[0]
    contact = settings.DEFAULT_FROM_EMAIL
    data = {
        "changeset": CHANGESET,
        "contact": _("Write to %(contact)s about this API.") % {"contact": contact},
        "key_service": _("Apps ask the site's operator for an API key to post concerns."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": root,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _answer(fmt, "discovery", data)


@policy.requires("engagement.view")
@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    found = Service.objects.filter(active=True).prefetch_related("attributes")
    return _answer(fmt, "services", [api.service_data(s) for s in found])


def _service(code: str) -> Service:
    found = Service.objects.filter(code=code, active=True).first()
    if found is None:
        raise Problem(404, _("No service has the code %(code)s.") % {"code": code[:60]})
    return found


@policy.requires("engagement.view")
@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    return _answer(fmt, "service_definition", api.definition_data(_service(code)))


# Requests ------------------------------------------------------------------------------------


def _coordinate(data: QueryDict, name: str) -> float | None:
    raw = _param(data, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Problem(
            400, _("%(name)s must be a number in decimal degrees, e.g. 41.5868.") % {"name": name}
        ) from None
    if not math.isfinite(value):
        raise Problem(
            400, _("%(name)s must be a number in decimal degrees, e.g. 41.5868.") % {"name": name}
        )
    return value


def _attributes(data: QueryDict) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in data:
        match = ATTRIBUTE.match(key)
        if match is None:
            continue
        values = [v for v in data.getlist(key) if v.strip()]
        if values:
            found[match.group(1)] = values if match.group(2) or len(values) > 1 else values[0]
    return found


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    given_key = _param(data, "api_key") or _param(request.GET, "api_key")
    key = services.key_for(given_key)
    if key is None:
        raise Problem(403, _("Give a valid api_key: apps ask the site's operator for one."))
    wait = limits.hourly(request, "concern", settings.CONCERN_RATE_PER_HOUR)
    if wait is not None:
        response = _error(
            fmt,
            429,
            _("Too many concerns from this client; try again in %(minutes)s minutes.")
            % {"minutes": max(1, math.ceil(wait / 60))},
        )
        response["Retry-After"] = str(wait)
        return response
    code = _param(data, "service_code")
    if not code:
        raise Problem(400, _("Give the service_code of the concern, e.g. noise."))
    service = _service(code)
    latitude, longitude = _coordinate(data, "lat"), _coordinate(data, "long")
    if (latitude is None) != (longitude is None):
        raise Problem(400, _("Give both lat and long, or neither."))
    description = data.get("description", "")
    sent = services.Report(
        service=service,
        language=_language(data, request),
        latitude=latitude,
        longitude=longitude,
        address_string=_param(data, "address_string"),
        address_id=_param(data, "address_id"),
        attributes=_attributes(data),
        description=description,
        media_url=_param(data, "media_url"),
        first_name=_param(data, "first_name"),
        last_name=_param(data, "last_name"),
        email=_param(data, "email"),
        phone=_param(data, "phone"),
        hide_name=True,
        account_id=_param(data, "account_id"),
        device_id=_param(data, "device_id"),
        api_key=key,
    )
    if sent.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", sent.email):
        raise Problem(400, _("email must be an e-mail address, e.g. ana@example.org."))
    try:
        concern = services.report(sent)
    except services.ConcernRefused as refused:
        name, message = next(iter(refused.problems.items()))
        raise Problem(400, f"{name}: {message}") from None
    notice = _("The %(team)s neighbourhood team has your concern.") % {
        "team": concern.neighbourhood.name if concern.neighbourhood else concern.agency.name
    }
    item: dict[str, Any] = {"service_notice": notice, "account_id": concern.account_id or None}
    if concern.accepted:
        item = {"service_request_id": str(concern.pk), **item}
    else:
        item = {"token": str(concern.token), **item}
    return _answer(fmt, "service_requests", [item], status=201)


def _language(data: QueryDict, request: HttpRequest) -> str:
    chosen = _param(data, "locale")[:2].lower()
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language() or settings.LANGUAGE_CODE


def _moment(data: QueryDict, name: str) -> datetime | None:
    raw = _param(data, name)
    if not raw:
        return None
    moment = parse_datetime(raw.replace("Z", "+00:00")) if "T" in raw else None
    if moment is None:
        raise Problem(
            400,
            _("%(name)s must be a W3C date and time, e.g. 2026-01-01T00:00:00Z.") % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)  # a time without a zone is taken as UTC
    return moment


def _listed() -> Any:
    # Notes into a plain list (to_attr): a related manager per row costs more than the row.
    return (
        Concern.objects.filter(accepted=True)
        # A neighbourhood's boundary is a large JSON document: never decoded for a list.
        .defer("attributes", "neighbourhood__boundary", "neighbourhood__contact_details")
        .select_related("service", "neighbourhood", "address")
        .prefetch_related(Prefetch("notes", to_attr="note_list"))
    )


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.GET
    found = _listed()
    ids = [i.strip() for i in _param(data, "service_request_id").split(",") if i.strip()]
    if ids:
        if len(ids) > MAX_IDS or not all(i.isascii() and i.isdigit() for i in ids):
            raise Problem(400, _("Give at most 100 service_request_id numbers, comma-separated."))
        found = found.filter(pk__in=[int(i) for i in ids])
    else:
        codes = [c.strip() for c in _param(data, "service_code").split(",") if c.strip()]
        if codes:
            found = found.filter(service__code__in=codes)
        statuses = [s.strip() for s in _param(data, "status").split(",") if s.strip()]
        if statuses:
            if not set(statuses) <= set(Concern.Status.values):
                raise Problem(400, _("status must be open or closed (or both, comma-separated)."))
            found = found.filter(status__in=statuses)
        start, end = _moment(data, "start_date"), _moment(data, "end_date")
        if start and end and end < start:
            raise Problem(400, _("end_date must come after start_date."))
        if start is None and end is None:
            start = timezone.now() - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            found = found.filter(requested_at__gte=start)
        if end is not None:
            found = found.filter(requested_at__lte=end)
    base = request.build_absolute_uri("/").rstrip("/")
    rows = [
        api.request_data(c, base) for c in found.order_by("-requested_at", "-pk")[:MAX_REQUESTS]
    ]
    return _answer(fmt, "service_requests", rows)


@policy.requires("concern.report")
@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    return _search(request, fmt)


@policy.requires("engagement.view")
@endpoint("GET")
def request_detail(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    concern = _listed().filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None
    if concern is None:
        raise Problem(404, _("No service request has the number %(id)s.") % {"id": pk[:20]})
    base = request.build_absolute_uri("/").rstrip("/")
    return _answer(fmt, "service_requests", [api.request_data(concern, base)])


@policy.requires("engagement.view")
@endpoint("GET")
def token(request: HttpRequest, value: str, fmt: str) -> HttpResponse:
    concern = Concern.objects.filter(token=value).first() if _is_uuid(value) else None
    if concern is None:
        raise Problem(404, _("No request has the token %(token)s.") % {"token": value[:40]})
    number = str(concern.pk) if concern.accepted else None
    return _answer(fmt, "service_requests", [{"service_request_id": number, "token": value}])


@policy.requires("engagement.view")
def openapi_json(request: HttpRequest) -> HttpResponse:
    """This API described in OpenAPI 3.1."""
    from commonbeat.engagement.concerns import openapi

    return JsonResponse(openapi.document(reverse("open311:openapi").rsplit("/", 1)[0] + "/"))


def _is_uuid(value: str) -> bool:
    return re.fullmatch(r"[0-9a-fA-F-]{32,36}", value) is not None
