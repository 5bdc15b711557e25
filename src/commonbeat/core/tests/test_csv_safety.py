"""Every CSV we write neutralises spreadsheet formulas, through one helper (core/csvsafe.py)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from django.test import Client

from commonbeat.core import csvsafe
from commonbeat.core.models import Neighbourhood

CMD = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://x")'
DANGEROUS = [
    CMD,
    LINK,
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "-",
    "=1",
    "-\u0663",
    "-3\n",
]
PACKAGE = Path(csvsafe.__file__).resolve().parents[1]


@pytest.mark.parametrize("value", DANGEROUS)
def test_it_prefixes_a_cell_that_a_spreadsheet_would_run(value: str) -> None:
    assert csvsafe.neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["-3.5", "+12", "-1e-3", "-.5", "3", "plain text", "", "a=b", "'=quoted already"]
)
def test_it_keeps_plain_numbers_and_ordinary_text(value: str) -> None:
    assert csvsafe.neutralise(value) == value


def test_it_never_touches_numbers_given_as_numbers() -> None:
    for value in (-3, -3.5, Decimal("-2.25"), True, None):
        assert csvsafe.neutralise(value) is value


def test_the_writer_neutralises_every_cell_and_the_reader_sees_the_quote() -> None:
    stream = io.StringIO()
    csvsafe.write_rows(stream, ["category", "count"], [[CMD, -3], [LINK, "-3.5"]])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [["category", "count"], ["'" + CMD, "-3"], ["'" + LINK, "-3.5"]]


def test_the_sql_cell_follows_the_same_rule_as_python() -> None:
    con = duckdb.connect()
    for value in [*DANGEROUS, "-3.5", "+12", "-1e-3", "plain", "a=b"]:
        query = f"SELECT {csvsafe.sql_cell('v')} FROM (SELECT ? AS v)"  # noqa: S608  fixed SQL
        found = con.execute(query, [value]).fetchone()
        assert found is not None
        assert found[0] == csvsafe.neutralise(value), value


def test_a_copy_to_csv_is_neutralised_and_the_parquet_keeps_true_values(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES (?, -3.5, DATE '2024-03-01', 2, true), "
        "(?, 1.0, DATE '2024-04-01', -4, false)) AS v(category, rate, month, n, cleared)",
        [CMD, LINK],
    )
    query = "SELECT category, rate, month, n, cleared FROM t ORDER BY n DESC"
    csv_path, parquet_path = tmp_path / "t.csv", tmp_path / "t.parquet"
    con.execute(f"COPY ({csvsafe.safe_select(con, query)}) TO '{csv_path}' (FORMAT csv, HEADER)")
    con.execute(f"COPY ({query}) TO '{parquet_path}' (FORMAT parquet)")
    with csv_path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["category"] for r in rows] == ["'" + CMD, "'" + LINK]
    assert [r["rate"] for r in rows] == ["-3.5", "1.0"]
    assert [r["n"] for r in rows] == ["2", "-4"]
    assert [r["month"] for r in rows] == ["2024-03-01", "2024-04-01"]
    assert list(rows[0]) == ["category", "rate", "month", "n", "cleared"]
    true = con.execute(f"SELECT category FROM read_parquet('{parquet_path}') ORDER BY n DESC")  # noqa: S608  fixed SQL and a test's own path
    assert [r[0] for r in true.fetchall()] == [CMD, LINK]


def test_a_list_csv_twin_neutralises_a_neighbourhood_name(city: object) -> None:
    place = Neighbourhood.objects.order_by("pk").first()
    assert place is not None
    place.name = LINK
    place.save()
    response = Client().get("/neighbourhoods.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    names = {r["id"]: r["name"] for r in rows}
    assert names[place.slug] == "'" + LINK
    assert LINK not in {v for r in rows for v in r.values()}
    # The JSON twin keeps the true name.
    data = Client().get("/neighbourhoods.json").json()
    assert {n["id"]: n["name"] for n in data}[place.slug] == LINK


# The source scan: a new CSV writer that bypasses csvsafe fails here. --------------------------

# What writes CSV without the helper: csv.writer/DictWriter, pandas/polars/DuckDB writers, and
# DuckDB's COPY ... (FORMAT csv).
BYPASS = re.compile(
    r"\bcsv\s*\.\s*(writer|DictWriter)\b|\bfrom\s+csv\s+import\b[^\n]*\b(writer|DictWriter)\b"
    r"|\.(to_csv|write_csv)\s*\(|FORMAT\s*'?csv\b",
    re.IGNORECASE,
)


def _sources() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE).parts
        and "migrations" not in path.relative_to(PACKAGE).parts
        and path.name != "csvsafe.py"
    ]


def test_no_module_writes_csv_without_going_through_csvsafe() -> None:
    offenders = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for match in BYPASS.finditer(text):
            line = text[: match.start()].count("\n") + 1
            # A COPY to CSV is allowed where its query is wrapped by csvsafe on the same line.
            context = text.splitlines()[line - 1]
            if match.group(0).lower().startswith("format") and "csvsafe." in context:
                continue
            offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {match.group(0)}")
    assert offenders == [], (
        "Write CSV through commonbeat.core.csvsafe (writer, write_rows, safe_select), "
        f"or source_writer for files made to be imported: {offenders}"
    )


def test_the_source_scan_catches_each_kind_of_bypass() -> None:
    for line in (
        "w = csv.writer(stream)",
        "w = csv.DictWriter(stream, fields)",
        "from csv import writer",
        "frame.to_csv(path)",
        "rel.write_csv(path)",
        "con.execute(f\"COPY ({q}) TO 'x.csv' (FORMAT csv, HEADER)\")",
    ):
        assert BYPASS.search(line), line
    assert not BYPASS.search("reader = csv.reader(stream)")
