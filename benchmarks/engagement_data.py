"""Helpers of benchmarks/engagement.py, run inside the built deployment's settings:

engagement_data.py concerns N   # add N concerns over the last 80 days, spread over the city
engagement_data.py urls         # print the pages to time, as JSON
"""

from __future__ import annotations

import json
import random
import sys
from datetime import timedelta
from decimal import Decimal

import django

django.setup()

from django.utils import timezone  # noqa: E402

from commonbeat.core.models import Neighbourhood  # noqa: E402
from commonbeat.engagement.announcements.models import CriticalIncident  # noqa: E402
from commonbeat.engagement.concerns.models import Concern, Service  # noqa: E402
from commonbeat.engagement.priorities.models import Priority  # noqa: E402
from commonbeat.engagement.surveys.models import Response, Survey, Wave  # noqa: E402


def concerns(count: int) -> None:
    # In bulk, as an import would: benchmark data, not a record of anyone's concern.
    rng = random.Random(11)
    places = list(Neighbourhood.objects.select_related("agency"))
    kinds = list(Service.objects.filter(active=True))
    now = timezone.now()
    rows = []
    for n in range(count):
        place = rng.choice(places)
        rows.append(
            Concern(
                service=rng.choice(kinds), agency=place.agency, neighbourhood=place,
                status="open" if n % 3 else "closed", description=f"Benchmark concern {n}",
                latitude=Decimal(f"{float(place.centre_latitude) + rng.uniform(-0.01, 0.01):.6f}"),
                longitude=Decimal(f"{float(place.centre_longitude) + rng.uniform(-0.01, 0.01):.6f}"),
                language="en", attributes={},
            )
        )  # fmt: skip
    Concern.objects.bulk_create(rows, batch_size=2000)
    # Spread their report times over the last 80 days (auto_now_add set them all to now).
    for n, pk in enumerate(Concern.objects.order_by("pk").values_list("pk", flat=True)):
        if n % 500 == 0:
            Concern.objects.filter(pk__gte=pk, pk__lt=pk + 500).update(
                requested_at=now - timedelta(days=80 * n / max(count, 1))
            )


def urls() -> None:
    priority = (
        Priority.objects.filter(parent__isnull=True, measure__isnull=False)
        .select_related("neighbourhood__agency")
        .first()
    )
    assert priority is not None  # noqa: S101  the demo sets them
    place = priority.neighbourhood
    one = Concern.objects.order_by("-pk").values_list("pk", flat=True).first()
    waves = list(Wave.objects.filter(result__isnull=False).values_list("pk", flat=True))
    pages = {
        "agency page": [f"/agencies/{place.agency.slug}/"],
        "neighbourhood page": [f"/engagement/agencies/{place.agency.slug}/neighbourhoods/{n.slug}/" for n in Neighbourhood.objects.all()],
        "priority page": [f"/engagement/priorities/{p}/" for p in Priority.objects.filter(parent__isnull=True).values_list("pk", flat=True)],
        "event list": ["/engagement/events/", "/engagement/events.json"],
        "neighbourhood .ics": [f"/engagement/calendars/{place.agency.slug}/{n.slug}.ics" for n in Neighbourhood.objects.all()],
        "open311 services": ["/open311/v2/services.json", "/open311/v2/services.xml"],
        "open311 1,000 requests": ["/open311/v2/requests.json", "/open311/v2/requests.xml"],
        "open311 by service": [f"/open311/v2/requests.json?service_code={s.code}&status=open" for s in Service.objects.all()],
        "open311 one request": [f"/open311/v2/requests/{one}.json", f"/open311/v2/requests/{one}.xml"],
        "concern list": ["/engagement/concerns/", "/engagement/concerns/?page=5"],
        "survey results": [f"/engagement/surveys/waves/{w}/results/" for w in waves] + [f"/es/engagement/surveys/waves/{w}/results.json" for w in waves],
        "survey trends": [f"/engagement/surveys/{s}/" for s in Survey.objects.values_list("pk", flat=True)],
        "announcements": ["/engagement/announcements/", f"/engagement/announcements/feeds/{place.agency.slug}.atom"],
        "incident page": [f"/engagement/incidents/{i}/" for i in CriticalIncident.objects.values_list("pk", flat=True)],
        "programme list": ["/engagement/programmes/", "/engagement/programmes.json"],
    }  # fmt: skip
    counts = {
        "concerns": Concern.objects.count(),
        "priorities": Priority.objects.count(),
        "survey responses": Response.objects.count(),
    }
    print(json.dumps({"pages": pages, "counts": counts, "cookie": ""}))


if __name__ == "__main__":
    if sys.argv[1] == "concerns":
        concerns(int(sys.argv[2]))
    else:
        urls()
