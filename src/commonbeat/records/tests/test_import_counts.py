"""Each file's report adds up (read = stored + rejected, over its data rows), names each bad
line once at its line in the file, and says whether the file was stored, partly or not at all."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from commonbeat.records.engine import ImportReport
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.store import RecordStore

NAMES = [f.name for f in RECORD_TYPES["stop"].fields if f.name != "source"]


def line(record_id: str, **values: str) -> str:
    row = {"record_id": record_id, "agency": "riverton", "occurred_date": "2024-03-05", **values}
    return ",".join(row.get(n, "") for n in NAMES)


def rejects(report: ImportReport) -> list[dict[str, str]]:
    with open(report.files[0].rejects_file, encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def stops(tmp_path: Path) -> Callable[..., Path]:
    def make(*rows: str, header: str = ",".join(NAMES)) -> Path:
        path = tmp_path / "stops.csv"
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return make


def counts(report: ImportReport) -> tuple[int, int, int]:
    [output] = report.files[0].outputs
    return output.read, output.stored, output.rejected


def test_a_short_line_is_counted_and_named_once(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport]
) -> None:
    # The line lacks 30 fields; DuckDB reports each missing one, the report the line once.
    report = run_import(stops(line("S1"), "S2,riverton,2024-03-05"), mapping="standard_stop")
    assert counts(report) == (2, 1, 1)
    assert report.files[0].outcome == "partly stored"
    [problem] = report.files[0].problems
    assert problem.startswith("stops.csv, line 3: too few fields (")
    assert [r["line"] for r in rejects(report)] == ["3"]


def test_a_file_of_only_malformed_lines_is_rejected_not_stored(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(
        stops("S1,riverton", line("S2", occurred_date="31/02/2024")), mapping="standard_stop"
    )
    assert counts(report) == (2, 0, 2)
    assert report.files[0].outcome == "rejected"
    assert [int(r["line"]) for r in rejects(report)] == [2, 3]
    assert report.files[0].outputs[0].reasons == {
        "too few fields": 1,
        "occurred_date: not a date like %Y-%m-%d": 1,
    }
    assert record_store.count("stop") == 0


def test_a_ragged_file_names_each_short_and_long_line(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport]
) -> None:
    report = run_import(
        stops("S1,riverton", line("S2") + ",surplus,more", line("S3"), "S4"),
        mapping="standard_stop",
    )
    assert counts(report) == (4, 1, 3)
    found = {int(r["line"]): r["problems"].split(" (")[0] for r in rejects(report)}
    assert found == {2: "too few fields", 3: "too many fields", 5: "too few fields"}


def test_lines_count_from_the_header_across_quoted_line_breaks_and_blank_lines(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport]
) -> None:
    # Line 2 holds a value spanning lines 2-4; line 5 is blank; the bad rows start on 6 and 8.
    spanning = line("S1", location='"Main St\nnear the\nbridge"')
    report = run_import(
        stops(spanning, "", "S2,riverton", line("S3"), line("S4", occurred_date="2024-13-01")),
        mapping="standard_stop",
    )
    assert counts(report) == (4, 2, 2)
    assert [int(r["line"]) for r in rejects(report)] == [6, 8]
    assert report.files[0].problems[1].startswith("stops.csv, line 8: occurred_date")


def test_a_mixed_file_stores_the_good_rows_and_reports_the_rest(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    rows = [line(f"S{i}") for i in range(1, 11)]
    rows[2] = line("S3", occurred_date="yesterday")
    rows[6] = rows[6] + ",surplus"
    report = run_import(stops(*rows), mapping="standard_stop")
    assert counts(report) == (10, 8, 2)
    assert [int(r["line"]) for r in rejects(report)] == [4, 8]
    assert record_store.count("stop") == 8


def test_all_or_nothing_stores_nothing_from_a_mixed_file(
    stops: Callable[..., Path], record_store: RecordStore, db: None, tmp_path: Path
) -> None:
    from commonbeat.records.engine import Importer

    path = stops(line("S1"), line("S2", occurred_date="yesterday"))
    importer = Importer(
        record_store, mapping="standard_stop", rejects_dir=tmp_path / "r", all_or_nothing=True
    )
    report = importer.run([path])
    assert not report.committed and report.refused
    assert "1 of 2 rows have problems, so nothing was stored" in report.files[0].error
    assert record_store.count("stop") == 0
    again = Importer(record_store, mapping="standard_stop", rejects_dir=tmp_path / "r").run([path])
    assert again.committed and record_store.count("stop") == 1


def test_a_check_stores_nothing_and_reports_what_an_import_would(
    stops: Callable[..., Path], record_store: RecordStore, db: None, tmp_path: Path
) -> None:
    from commonbeat.records.engine import Importer

    path = stops(line("S1"), "S2,riverton")
    report = Importer(
        record_store, mapping="standard_stop", rejects_dir=tmp_path / "r", check_only=True
    ).run([path])
    assert report.checked_only and not report.committed
    assert counts(report) == (2, 1, 1)
    assert record_store.count("stop") == 0


def test_optional_columns_may_be_absent_from_a_standard_file(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(
        stops(
            "S1,riverton,2024-03-05",
            "S2,riverton,2024-03-06",
            header="record_id,agency,occurred_date",
        ),
        mapping="standard_stop",
    )
    assert counts(report) == (2, 2, 0)
    assert report.files[0].outcome == "stored"
    missing = run_import(stops("riverton", header="agency"), mapping="standard_stop")
    assert "missing required column 'record_id'" in missing.files[0].error


def test_unknown_agencies_and_neighbourhoods_are_rejected_naming_a_good_one(
    stops: Callable[..., Path], run_import: Callable[..., ImportReport]
) -> None:
    from commonbeat.core.models import Agency, Neighbourhood

    agency = Agency.objects.create(slug="riverton", name="Riverton Police")
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    Neighbourhood.objects.create(
        agency=agency,
        slug="docks",
        name="Docks",
        centre_latitude=0.5,
        centre_longitude=0.5,
        boundary=square,
    )
    report = run_import(
        stops(
            line("S1", neighbourhood="docks"),
            line("S2", neighbourhood="nowhere-land"),
            line("S3", agency="gotham"),
        ),
        mapping="standard_stop",
    )
    assert counts(report) == (3, 1, 2)
    found = {int(r["line"]): r["problems"] for r in rejects(report)}
    assert found == {
        3: "neighbourhood: not a known neighbourhood of riverton (nowhere-land); use one such as docks",
        4: "agency: not a known agency (gotham); use an agency identifier such as riverton",
    }
