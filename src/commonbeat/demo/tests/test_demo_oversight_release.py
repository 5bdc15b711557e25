"""A release built from the demo city carries oversight's statistics: sustained rates, days to
close, concurrence of the final decision with the board's and the investigators'."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import Client

from commonbeat.core.models import Agency, Officer
from commonbeat.demo import records
from commonbeat.demo.city import CityPlan
from commonbeat.demo.oversight.cases import load_cases, plan_cases
from commonbeat.demo.records.load import generate_records
from commonbeat.demo.tests.oversight_staff import demo_staff
from commonbeat.oversight.profiles.build import profile_slug
from commonbeat.records.engine import Importer
from commonbeat.records.store import RecordStore
from commonbeat.releases.publish import publish
from commonbeat.testing.releases import serving

TABLES = (
    "oversight_complaints_received",
    "oversight_findings",
    "oversight_sustained_rates",
    "oversight_days_to_close",
    "oversight_days_in_stage",
    "oversight_concurrence",
    "oversight_force_reviews",
)


@pytest.mark.django_db
def test_a_demo_release_carries_oversights_statistics_with_small_cells_withheld(
    city: CityPlan, tmp_path: Path, settings: Any
) -> None:
    settings.OFFICER_PROFILES = "named"
    agency = Agency.objects.get(slug=city.agency["slug"])
    load_cases(agency, plan_cases(city, city.seed), demo_staff())
    store = RecordStore(tmp_path / "store")
    generated = generate_records(city, tmp_path / "csv", scale=0.25)
    assert Importer(store, rejects_dir=tmp_path / "rejects").run(generated.files).ok
    zones = dict(Agency.objects.values_list("slug", "time_zone"))
    summary = publish(store, tmp_path / "releases", min_count=10, time_zones=zones, equity=False)
    data = tmp_path / "releases" / summary.version / "data"
    for table in TABLES:
        assert (data / f"{table}.parquet").exists(), table
        assert (data / f"{table}.csv").exists(), table
    con = duckdb.connect()

    def rows(table: str, where: str = "true") -> list[dict[str, Any]]:
        cursor = con.execute(f"SELECT * FROM read_parquet('{data / table}.parquet') WHERE {where}")  # noqa: S608
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    # Historic (the record store's year) and workflow (the demo's 2026 cases) side by side.
    overall = rows("oversight_sustained_rates", "year = 'all' AND category = 'all'")
    origins = {r["origin"]: r for r in overall}
    assert set(origins) == {"historic", "workflow"}
    historic = origins["historic"]
    assert historic["decided"] >= 50 and 0 < historic["rate"] < 1
    assert historic["rate_low"] < historic["rate"] < historic["rate_high"]
    # Days to close: the historic year's median is in the planted range (demo-city.md, 6).
    [days] = rows("oversight_days_to_close", "origin = 'historic' AND category = 'all'")
    assert 40 <= days["days_median"] <= 140
    # The chief departs from the board in about a third of the demo's decisions.
    [board] = rows(
        "oversight_concurrence", "origin = 'workflow' AND recommended_by = 'board' AND year = 'all'"
    )
    assert board["compared"] >= 10 and 0.4 <= board["share_followed"] <= 0.9
    stages = {r["stage"] for r in rows("oversight_days_in_stage")}
    assert {"received", "intake_review", "investigation"} <= stages
    # Every small cell is withheld, never published as a small number.
    for table in TABLES[:-1]:
        for row in rows(table):
            counts = [v for k, v in row.items() if isinstance(v, int) and not isinstance(v, bool)]
            if row["suppressed"]:
                assert all(v is None for k, v in row.items() if k in (
                    "complaints", "allegations", "decided", "sustained", "compared", "followed",
                    "closed_cases", "cases",
                )), (table, row)  # fmt: skip
            else:
                assert all(v >= 10 for v in counts[:1]), (table, row)
    # Nothing about a person: no complainant, officer or narrative column anywhere.
    for table in TABLES:
        described = con.execute(f"DESCRIBE SELECT * FROM '{data / table}.parquet'")  # noqa: S608
        names = {d[0] for d in described.fetchall()}
        assert not names & {"complainant_name", "officer_id", "narrative", "officer", "name"}
    _check_dashboards_and_profiles(city, tmp_path)


def _check_dashboards_and_profiles(city: CityPlan, root: Path) -> None:
    """Served, the release's statistics reach the complaints and force dashboards, and the
    planted high-force officers' profiles show them at the top of their cohorts."""
    with serving(root):
        client = Client()
        slug = city.agency["slug"]
        board = json.loads(client.get(f"/dashboards/{slug}/complaints.json").content)
        figures = {f["id"]: f for f in board["figures"]}
        for figure in (
            "sustained-rates-by-year",
            "final-decision-followed-recommendation",
            "days-to-close-by-origin",
            "days-in-each-stage",
        ):
            assert figures[figure]["rows"], figure
        followed = {
            (r["recommended_by"], r["origin"]): r
            for r in figures["final-decision-followed-recommendation"]["rows"]
        }
        assert 0.4 <= followed[("board", "workflow")]["share_followed"] <= 0.9
        page = client.get(f"/es/dashboards/{slug}/complaints/").content.decode()
        assert "La junta civil" in page or "la junta civil" in page.lower()
        everyone = json.loads(client.get("/oversight/officers.json").content)
        assert everyone["found"] == Officer.objects.filter(agency__slug=slug).count()
        planted = Officer.objects.filter(uid__in=records.high_force_officers(city))
        assert planted.count() == 5
        force_counts = sorted(
            json.loads(client.get(f"/oversight/officers/{_slug(o)}.json").content)["profile"][
                "force_incidents"
            ]
            for o in Officer.objects.filter(agency__slug=slug)
        )
        for officer in planted:
            profile = json.loads(client.get(f"/oversight/officers/{_slug(officer)}.json").content)
            figures_of = profile["profile"]
            # Among the agency's most-used-force officers, high in their service-year cohort.
            assert figures_of["force_incidents"] >= force_counts[-10], officer.uid
            if (figures_of["cohort_size"] or 0) >= 10:  # the small city's cohorts are small
                assert figures_of["force_percentile"] >= 75, officer.uid
        spanish = client.get(f"/es/oversight/officers/{_slug(planted[0])}/").content.decode()
        assert "Historial de destinos" in spanish and planted[0].uid not in spanish


def _slug(officer: Officer) -> str:
    return profile_slug(officer.first_name, officer.last_name, officer.uid)
