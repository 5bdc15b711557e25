"""A release built from the demo city carries oversight's statistics: sustained rates, days to
close, concurrence of the final decision with the board's and the investigators'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from commonbeat.core.models import Agency
from commonbeat.demo.city import CityPlan
from commonbeat.demo.oversight.cases import load_cases, plan_cases
from commonbeat.demo.records.load import generate_records
from commonbeat.demo.tests.oversight_staff import demo_staff
from commonbeat.records.engine import Importer
from commonbeat.records.store import RecordStore
from commonbeat.releases.publish import publish

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
    city: CityPlan, tmp_path: Path
) -> None:
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
