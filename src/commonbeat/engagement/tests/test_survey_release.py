"""Published survey results go into every release as `engagement_survey_results`: the
snapshot's shares, intervals and withheld cells, never a response or free text; an unpublished
wave is not in it."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.models import Wave
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.releases.publish import publish
from commonbeat.testing.records import standard_csv


def test_a_release_carries_published_survey_results_and_nothing_private(
    survey_wave: Wave,
    answer_as: Callable[..., Any],
    tmp_path: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
) -> None:
    calls = [
        {
            "record_id": f"C{i}",
            "agency": "riverton-pd",
            "received_at": f"2025-03-0{1 + i % 9}T12:00:00",
        }
        for i in range(12)
    ]
    assert run_import(standard_csv(tmp_path / "calls.csv", "call", calls)).ok
    a, b, c = Neighbourhood.objects.filter(agency__slug="riverton-pd").order_by("name")[:3]
    for i in range(20):
        answer_as(survey_wave, a, safe_night="very_safe" if i < 15 else "very_unsafe",
                  one_thing="Private words about my street")  # fmt: skip
    for _ in range(4):
        answer_as(survey_wave, b, safe_night="very_safe")
    for _ in range(12):
        answer_as(survey_wave, c, safe_night="very_unsafe")
    store = record_store
    empty = publish(store, tmp_path / "before", time_zones={"riverton-pd": "America/Chicago"})
    assert empty.sections["engagement"] == {"tables": []}
    Wave.objects.filter(pk=survey_wave.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    survey_wave.refresh_from_db()
    services.publish_results(survey_wave, None)
    summary = publish(store, tmp_path / "after", time_zones={"riverton-pd": "America/Chicago"})
    manifest = json.loads((summary.path / "manifest.json").read_text())
    assert manifest["engagement"] == {"tables": ["engagement_survey_results"]}
    with (summary.path / "data" / "engagement_survey_results.csv").open() as stream:
        rows = list(csv.DictReader(stream))
    safe = {(r["place"], r["choice"]): r for r in rows if r["question"] == "safe_night"}
    assert float(safe[("all", "favourable")]["share"]) == round(19 / 36, 6)  # 15 + the 4 in b
    assert float(safe[(a.slug, "very_safe")]["share"]) == 0.75
    assert safe[(a.slug, "very_safe")]["respondents"] == "20"
    assert safe[(b.slug, "")]["withheld"] == "small" and safe[(b.slug, "")]["share"] == ""
    assert safe[(c.slug, "")]["withheld"] == "secondary"  # else the city total would tell b
    text = (summary.path / "data" / "engagement_survey_results.csv").read_text()
    assert "Private words" not in text and "one_thing" not in text
