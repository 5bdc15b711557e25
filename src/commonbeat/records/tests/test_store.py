from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.test_bad_input import GOOD, HEADER


def test_prune_removes_only_files_the_catalog_does_not_list(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    month = tmp_path / "2019-01-city-of-london-stop-and-search.csv"
    month.write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    run_import(month)
    orphan = (
        record_store.root / "stop" / "source=uk_stop_search" / "partition=x" / "left-behind.parquet"
    )
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"PAR1")
    assert record_store.prune() == 1
    assert not orphan.exists()
    assert record_store.count("stop") == 1
    assert record_store.connect().execute("SELECT count(*) FROM stop").fetchone() == (1,)


def test_an_empty_store_still_answers_queries(record_store: RecordStore) -> None:
    con = record_store.connect()
    assert con.execute("SELECT count(*) FROM stop").fetchone() == (0,)
    assert con.execute(
        "SELECT count(*) FROM complaint WHERE closed_date < received_date"
    ).fetchone() == (0,)
