"""The naive baseline's views: the ORM straight onto the big tables, one view per endpoint.

Each request filters the stop or call table by neighbourhood and months (both indexed) and
aggregates with `.values().annotate(Count(...))`; the median response time is computed in
Python, since SQLite has no median. Nothing is precomputed or cached.
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse, JsonResponse

from naive.models import Call, Stop

ZONE = ZoneInfo("America/Chicago")
MILE_METRES = 1609.344
METRES_PER_DEGREE = 111_320.0
API_LIMIT = 10_000


def _month_range(request: HttpRequest) -> tuple[str, str, str]:
    return (
        request.GET.get("neighbourhood", ""),
        request.GET.get("from", "0000-00"),
        request.GET.get("to", "9999-99"),
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stops(request: HttpRequest, agency: str) -> HttpResponse:
    neighbourhood, first, last = _month_range(request)
    rows = Stop.objects.filter(
        agency=agency,
        neighbourhood=neighbourhood,
        occurred_month__gte=first,
        occurred_month__lte=last,
    )
    by_race = []
    for row in (
        rows.values("subject_race")
        .annotate(
            stops=Count("id"),
            searches=Count("id", filter=Q(search_conducted=True)),
            hits=Count("id", filter=Q(contraband_found=True)),
        )
        .order_by("subject_race")
    ):
        row["search_rate"] = _rate(row["searches"], row["stops"])
        row["hit_rate"] = _rate(row["hits"], row["searches"])
        by_race.append(row)
    return JsonResponse(
        {
            "agency": agency,
            "neighbourhood": neighbourhood,
            "from": first,
            "to": last,
            "stops": rows.count(),
            "searches": rows.filter(search_conducted=True).count(),
            "by_month": list(
                rows.values("occurred_month").annotate(stops=Count("id")).order_by("occurred_month")
            ),
            "by_race": by_race,
            "by_gender": list(
                rows.values("subject_gender").annotate(stops=Count("id")).order_by("subject_gender")
            ),
            "by_age_range": list(
                rows.values("subject_age_range")
                .annotate(stops=Count("id"))
                .order_by("subject_age_range")
            ),
        }
    )


def _month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=ZONE)


def _next_month(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year + number // 12, number % 12 + 1, 1, tzinfo=ZONE)


def calls(request: HttpRequest, agency: str) -> HttpResponse:
    neighbourhood, first, last = _month_range(request)
    rows = Call.objects.filter(
        agency=agency,
        neighbourhood=neighbourhood,
        received_at__gte=_month_start(first),
        received_at__lt=_next_month(last),
    )
    by_month = [
        {"month": row["month"].strftime("%Y-%m"), "calls": row["calls"]}
        for row in rows.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(calls=Count("id"))
        .order_by("month")
    ]
    # Response time (received to on scene), by priority: SQLite has no median, so Python.
    seconds: dict[str, list[float]] = {}
    for priority, received, on_scene in rows.filter(on_scene_at__isnull=False).values_list(
        "priority", "received_at", "on_scene_at"
    ):
        seconds.setdefault(priority, []).append((on_scene - received).total_seconds())
    every = [s for values in seconds.values() for s in values]
    return JsonResponse(
        {
            "agency": agency,
            "neighbourhood": neighbourhood,
            "from": first,
            "to": last,
            "calls": rows.count(),
            "by_month": by_month,
            "by_priority": [
                {"priority": p, "calls": len(v), "median_response_seconds": statistics.median(v)}
                for p, v in sorted(seconds.items())
            ],
            "median_response_seconds": statistics.median(every) if every else None,
        }
    )


def _distance(lat: float, lng: float, other_lat: float, other_lng: float) -> float:
    # Haversine, in metres.
    p1, p2 = math.radians(lat), math.radians(other_lat)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(other_lng - lng) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def _police_uk(stop: dict[str, Any]) -> dict[str, Any]:
    return {
        "age_range": stop["subject_age_range"] or None,
        "outcome": stop["outcome"] or None,
        "involved_person": True,
        "self_defined_ethnicity": stop["subject_race_self_raw"] or None,
        "gender": stop["subject_gender"] or None,
        "legislation": stop["legislation"] or None,
        "outcome_linked_to_object_of_search": stop["outcome_linked_to_object"],
        "datetime": f"{stop['occurred_month']}-01T00:00:00+00:00",
        "removal_of_more_than_outer_clothing": stop["clothing_removal"],
        "outcome_object": {"id": stop["outcome"], "name": stop["outcome_raw"]},
        "location": {
            "latitude": f"{stop['latitude']:.6f}",
            "street": {"id": 0, "name": "On or near"},
            "longitude": f"{stop['longitude']:.6f}",
        },
        "operation": None,
        "officer_defined_ethnicity": stop["subject_race_raw"] or None,
        "type": stop["stop_type"] or None,
        "operation_name": None,
        "object_of_search": stop["object_of_search"] or None,
    }


def stops_street(request: HttpRequest) -> HttpResponse:
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
        month = request.GET["date"]
    except (KeyError, ValueError):
        return JsonResponse({"error": "lat, lng and date are required"}, status=400)
    dlat = MILE_METRES / METRES_PER_DEGREE
    dlng = dlat / math.cos(math.radians(lat))
    candidates = Stop.objects.filter(
        occurred_month=month,
        latitude__range=(lat - dlat, lat + dlat),
        longitude__range=(lng - dlng, lng + dlng),
    ).values()
    inside = [
        s for s in candidates if _distance(lat, lng, s["latitude"], s["longitude"]) <= MILE_METRES
    ]
    if len(inside) > API_LIMIT:
        return HttpResponse(status=503)
    return JsonResponse([_police_uk(s) for s in inside], safe=False)
