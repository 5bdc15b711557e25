"""A release of the real Chicago (CPDP) and NYC CCRB complaints shows sustained rates, days to
close and how often the final decision followed the investigators' recommendation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.releases.publish import publish

CHICAGO = (
    "complaints-complaints_2000-2016_2016-11.csv.gz",
    "complaints-accused_2000-2016_2016-11.csv.gz",
)


@pytest.mark.django_db
def test_the_real_complaints_publish_sustained_rates_days_and_concurrence(
    shared_data: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
    tmp_path: Path,
) -> None:
    chicago = shared_data / "chicago_invinst"
    report = run_import(*(chicago / name for name in CHICAGO), shared_data / "nyc_ccrb")
    assert report.ok, [f.error for f in report.files if f.error]
    summary = publish(record_store, tmp_path / "releases", min_count=10, equity=False)
    data = tmp_path / "releases" / summary.version / "data"
    con = duckdb.connect()

    def rows(table: str, where: str) -> dict[str, dict[str, Any]]:
        cursor = con.execute(
            f"SELECT * FROM read_parquet('{data / table}.parquet') WHERE {where}"  # noqa: S608
        )
        names = [d[0] for d in cursor.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}

    rates = rows("oversight_sustained_rates", "year = 'all' AND category = 'all'")
    assert set(rates) == {"chicago-pd", "nypd"}, rates
    # Chicago: a few percent of allegations sustained, as the Citizens Police Data Project
    # shows (measured: 6.9% of 117,951 with a final finding). NYC: the final finding is the
    # NYPD's disposition, which the data records mostly where the CCRB substantiated, so the
    # share is the NYPD's concurrence with the board (measured: 66% of 11,958).
    assert 0.03 < rates["chicago-pd"]["rate"] < 0.12
    assert 0.3 < rates["nypd"]["rate"] < 0.95
    assert rates["chicago-pd"]["decided"] > 50_000
    assert rates["nypd"]["decided"] > 5_000
    assert all(r["rate_low"] < r["rate"] < r["rate_high"] for r in rates.values())
    followed = rows("oversight_concurrence", "recommended_by = 'investigator' AND year = 'all'")
    assert set(followed) == {"chicago-pd", "nypd"}
    assert all(0 < r["share_followed"] < 1 for r in followed.values())
    days = rows("oversight_days_to_close", "category = 'all'")
    assert "chicago-pd" in days and days["chicago-pd"]["days_median"] > 30
    print(
        {a: (r["decided"], r["rate"]) for a, r in rates.items()},
        {a: (r["compared"], r["share_followed"]) for a, r in followed.items()},
        {a: r["days_median"] for a, r in days.items()},
    )
