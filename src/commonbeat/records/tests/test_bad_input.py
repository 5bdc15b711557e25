"""Bad input is named precisely (file, row, field), rejected rows are kept with reasons, and a
failed import leaves the store exactly as it was."""

from __future__ import annotations

import csv
import gzip
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore

HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,"
    "Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,"
    "Outcome linked to object of search,Removal of more than just outer clothing"
)
GOOD = "Person search,2019-01-05T14:30:00+00:00,False,,51.51,-0.09,Male,18-24,,White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False"


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rejects(report: ImportReport) -> list[dict[str, str]]:
    with open(report.files[0].rejects_file, encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def month(tmp_path: Path) -> Callable[..., Path]:
    def make(*rows: str, name: str = "2019-01-city-of-london-stop-and-search.csv") -> Path:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        return write(folder, name, HEADER, *rows)

    return make


def test_a_good_file_stores_every_row(
    month: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(month(GOOD, GOOD.replace("14:30", "15:30")))
    assert report.ok and report.committed
    assert record_store.count("stop") == 2
    assert report.files[0].rejects_file == ""


def test_an_unparseable_date_rejects_that_row_naming_row_and_field(
    month: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    bad = GOOD.replace("2019-01-05T14:30:00+00:00", "05/01/2019 14:30")
    report = run_import(month(GOOD, bad, GOOD.replace("14:30", "16:30")))
    assert report.ok
    output = report.files[0].outputs[0]
    assert (output.read, output.stored, output.rejected) == (3, 2, 1)
    assert output.reasons == {"Date: not a date like %Y-%m-%dT%H:%M:%S%z": 1}
    [rejected] = rejects(report)
    assert rejected["line"] == "3"  # the header is line 1
    assert rejected["problems"] == "Date: not a date like %Y-%m-%dT%H:%M:%S%z ('05/01/2019 14:30')"
    assert "05/01/2019 14:30" in rejected["raw"]
    assert "2019-01-city-of-london-stop-and-search.csv, line 3: Date" in report.files[0].problems[0]
    assert record_store.count("stop") == 2


def test_impossible_coordinates_are_rejected(
    month: Callable[..., Path], run_import: Callable[..., ImportReport]
) -> None:
    report = run_import(month(GOOD.replace("51.51", "151.51"), GOOD.replace("-0.09", "-190")))
    output = report.files[0].outputs[0]
    assert output.rejected == 2
    assert output.reasons["Latitude: impossible coordinate, not in -90..90"] == 1
    assert output.reasons["Longitude: impossible coordinate, not in -180..180"] == 1


def test_a_row_with_too_many_fields_is_rejected_with_its_line(
    month: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(month(GOOD, GOOD + ",surplus", GOOD.replace("14:30", "16:30")))
    assert report.ok
    output = report.files[0].outputs[0]
    assert (output.read, output.stored, output.rejected) == (3, 2, 1)
    assert output.reasons == {"too many fields": 1}
    [rejected] = rejects(report)
    assert rejected["line"] == "3"
    assert rejected["raw"].endswith(",surplus")


def test_row_numbers_stay_true_after_a_malformed_line(
    month: Callable[..., Path], run_import: Callable[..., ImportReport]
) -> None:
    report = run_import(month(GOOD, GOOD + ",surplus", GOOD, GOOD.replace("51.51", "99")))
    lines = sorted(int(r["line"]) for r in rejects(report))
    assert lines == [3, 5]


def test_duplicate_identifiers_are_rejected_after_the_first(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    from commonbeat.records.schema import RECORD_TYPES

    names = [f.name for f in RECORD_TYPES["external_series"].fields if f.name != "source"]
    path = tmp_path / "series.csv"
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(names)
        for record_id in ("a", "b", "a"):
            row = {
                "record_id": record_id,
                "agency": "x",
                "series": "trust",
                "period_start": "2024-01-01",
                "measure": "trust",
                "value": "61.5",
            }
            writer.writerow([row.get(n, "") for n in names])
    report = run_import(path)
    output = report.files[0].outputs[0]
    assert (output.stored, output.rejected) == (2, 1)
    assert output.reasons == {"record_id: duplicate identifier": 1}
    assert rejects(report)[0]["line"] == "4"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b"\r\x01", "the header row is empty"),  # found by the fuzz test: a bare CR in the header
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks like a binary file"),
    ],
)
def test_an_empty_or_binary_file_fails_with_a_message_and_stores_nothing(
    tmp_path: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    report = run_import(path, mapping="uk_stop_search")
    assert not report.ok and not report.committed
    assert message in report.files[0].error
    assert "upload.csv" in report.files[0].error
    assert record_store.catalog() == {"partitions": {}}


def test_a_missing_required_column_names_it(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    path = write(
        tmp_path,
        "2019-01-city-of-london-stop-and-search.csv",
        HEADER.replace(",Legislation", ",Law"),
        GOOD,
    )
    report = run_import(path, mapping="uk_stop_search")
    assert not report.ok
    assert (
        "missing required column 'Legislation' for mapping uk_stop_search" in report.files[0].error
    )


def test_an_unknown_format_asks_for_a_mapping(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    report = run_import(write(tmp_path, "mystery.csv", "a,b,c", "1,2,3"))
    assert not report.ok
    assert "no mapping recognises this file's columns" in report.files[0].error


def test_text_in_the_wrong_encoding_is_named(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    path = tmp_path / "2019-01-city-of-london-stop-and-search.csv"
    path.write_bytes(
        (HEADER + "\n" + GOOD.replace("Controlled drugs", "Contr\u00f4led drugs") + "\n").encode(
            "latin-1"
        )
    )
    report = run_import(path)
    assert report.ok
    output = report.files[0].outputs[0]
    assert output.rejected == 1
    assert output.reasons == {"Object of search: text is not in the declared encoding": 1}
    assert record_store.count("stop") == 0


def test_a_failing_file_in_a_batch_stores_nothing_from_the_others(
    month: Callable[..., Path],
    tmp_path: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
) -> None:
    run_import(month(GOOD, name="2019-02-city-of-london-stop-and-search.csv"))
    before = record_store.catalog()
    files_before = sorted(
        p.relative_to(record_store.root) for p in record_store.root.rglob("*.parquet")
    )
    good = month(GOOD, name="2019-03-city-of-london-stop-and-search.csv")
    broken = tmp_path / "in" / "2019-04-city-of-london-stop-and-search.csv"
    broken.write_bytes(b"")
    report = run_import(good.parent)
    assert not report.ok and not report.committed
    assert record_store.catalog() == before
    assert (
        sorted(p.relative_to(record_store.root) for p in record_store.root.rglob("*.parquet"))
        == files_before
    )


def test_a_corrected_re_export_replaces_what_it_supersedes(
    month: Callable[..., Path], run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    first = run_import(month(GOOD, GOOD, GOOD))
    assert record_store.count("stop") == 3
    corrected = run_import(month(GOOD, GOOD))
    assert [f.status for f in first.files] == ["stored"]
    assert [f.status for f in corrected.files] == ["replaced"]
    assert record_store.count("stop") == 2
    assert len(list(record_store.root.rglob("*.parquet"))) == 1


def test_zip_and_gzip_inputs_import_like_plain_files(
    month: Callable[..., Path],
    tmp_path: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
) -> None:
    plain = month(GOOD, GOOD)
    gz = tmp_path / "2019-05-city-of-london-stop-and-search.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(plain, "2019-06-city-of-london-stop-and-search.csv")
    report = run_import(gz, archive)
    assert report.ok
    assert [f.partition for f in report.files] == [
        "2019-05-city-of-london-stop-and-search",
        "2019-06-city-of-london-stop-and-search",
    ]
    assert record_store.count("stop") == 4


def test_row_numbers_are_exact_in_a_large_file_read_in_parallel(
    tmp_path: Path, run_import: Callable[..., ImportReport]
) -> None:
    # Big enough for DuckDB to read in parallel chunks; the bad rows sit far apart.
    rows = [GOOD] * 250_000
    rows[9] = GOOD.replace("51.51", "151.51")
    rows[187_654] = GOOD + ",surplus"
    rows[249_999] = GOOD.replace("-0.09", "-190")
    path = tmp_path / "2019-07-city-of-london-stop-and-search.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = run_import(path)
    output = report.files[0].outputs[0]
    assert (output.read, output.rejected) == (250_000, 3)
    assert [int(r["line"]) for r in rejects(report)] == [11, 187_656, 250_001]


def test_the_fast_path_reports_rows_fields_and_raw_values_exactly(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    from commonbeat.records.csvread import direct as _direct
    from commonbeat.records.mapping import all_mappings
    from commonbeat.records.schema import RECORD_TYPES

    assert _direct(all_mappings()["standard_stop"])  # the path this test is about
    names = [f.name for f in RECORD_TYPES["stop"].fields if f.name != "source"]

    def line(record_id: str, day: str = "2024-03-05") -> str:
        values = {
            "record_id": record_id,
            "agency": "riverton",
            "occurred_date": day,
            "stop_type": "vehicular",
        }
        return ",".join(values.get(n, "") for n in names)

    rows = [line(f"S{i}") for i in range(1, 60_001)]
    rows[99] = line("S100", day="05/03/2024")  # row 100: unreadable date
    rows[40_000] = rows[40_000] + ",surplus"  # row 40,001: too many fields
    rows[59_999] = line("S7")  # row 60,000: S7 again
    path = tmp_path / "stops.csv"
    path.write_text("\n".join([",".join(names), *rows]) + "\n", encoding="utf-8")
    report = run_import(path)
    output = report.files[0].outputs[0]
    assert (output.read, output.stored, output.rejected) == (60_000, 59_997, 3)
    found = {int(r["line"]) - 1: r for r in rejects(report)}  # data row = line - 1 here
    assert sorted(found) == [100, 40_001, 60_000]
    assert found[100]["problems"] == "occurred_date: not a date like %Y-%m-%d ('05/03/2024')"
    assert '"occurred_date":"05/03/2024"' in found[100]["raw"]  # the row as the source wrote it
    assert found[40_001]["raw"].endswith(",surplus")
    assert found[60_000]["problems"] == "record_id: duplicate identifier (S7)"
    assert record_store.count("stop") == 59_997
