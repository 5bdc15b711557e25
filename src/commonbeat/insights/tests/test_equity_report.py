"""The equity report: the registry runs every analysis on one selection, keeps what each found
(or why it could not), never swallows an error, and survives the trip through JSON. That
publish() puts one report per agency into a release is tested in
releases/tests/test_equity_contribution.py, with the stand-in analyses defined here."""

from __future__ import annotations

import inspect
import json
from typing import Any

import duckdb
import pytest
from django.utils import translation

from commonbeat.insights.equity import ANALYSES, Analysis, Report, equity_report
from commonbeat.insights.render import headline, report_text, say
from commonbeat.insights.results import Result, Text, not_applicable, text
from commonbeat.insights.stops import Dataset, Selection
from commonbeat.records.store import RecordStore

AGENCY = "riverton-pd"
HERE = "commonbeat.insights.tests.test_equity_report"
CALLS: list[dict[str, Any]] = []


# Stand-in analyses, named by dotted path like the real ones ---------------------------------


def counts_stops(con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int) -> Result:
    CALLS.append({"analysis": "counts", "min_count": min_count})
    row = con.execute("SELECT count(*) FROM equity_stops").fetchone()
    assert row is not None
    return Result("counts", text("Stops"), text("Counted"), sample_size=int(row[0]))


def compares(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    *,
    min_count: int,
    group: str = "black",
    reference: str = "white",
) -> Result:
    CALLS.append({"analysis": "compares", "group": group, "reference": reference})
    return not_applicable("compares", text("Compared"), text("A method"), text("No data"))


def broken(con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int) -> Result:
    raise ZeroDivisionError("a bug in an analysis")


def not_a_result(con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int) -> Any:
    return {"analysis": "dict"}


def fake(*names: str) -> list[Analysis]:
    return [Analysis(name, f"{HERE}.{name}") for name in names]


# The real registry on the demo city ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo_report(demo_store: RecordStore) -> Report:
    """Every registered analysis of the demo city's year of stops, run once for this module."""
    return equity_report(
        demo_store, Selection(agency=AGENCY), time_zone="America/Chicago", min_count=10
    )


def test_every_registered_analysis_is_importable_and_takes_the_common_arguments() -> None:
    assert len({a.name for a in ANALYSES.values()}) == len(ANALYSES) == 7
    for analysis in ANALYSES.values():
        function = analysis.load()
        parameters = inspect.signature(function).parameters
        positional = [p for p in parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert [p.name for p in positional[:2]] == ["con", "dataset"], analysis.function
        assert parameters["min_count"].kind is inspect.Parameter.KEYWORD_ONLY, analysis.function


def test_the_report_runs_every_analysis_in_the_registrys_order(demo_report: Report) -> None:
    assert [r.analysis for r in demo_report.results] == [a.name for a in ANALYSES.values()]
    assert demo_report.dataset["rows"] == 60_000
    assert demo_report.dataset["agencies"] == [AGENCY]
    assert demo_report.dataset["selection"] == {
        "agency": AGENCY,
        "sources": [],
        "from": None,
        "to": None,
        "area_field": None,
    }
    assert (demo_report.group, demo_report.reference, demo_report.min_count) == (
        "black",
        "white",
        10,
    )
    # The demo city has what every analysis needs.
    assert all(r.applicable for r in demo_report.results), [
        (r.analysis, say(r.reason)) for r in demo_report.results if not r.applicable
    ]
    assert all(r.min_count == 10 for r in demo_report.results)


def test_the_report_survives_the_trip_through_json(demo_report: Report) -> None:
    data = json.loads(json.dumps(demo_report.to_dict(), allow_nan=False))
    again = Report.from_dict(data)
    assert again.to_dict() == demo_report.to_dict()
    assert again.result("benchmark") is not None and again.result("astrology") is None


def test_every_sentence_of_the_report_reads_in_english_and_in_spanish(
    demo_report: Report,
) -> None:
    def texts(result: Result) -> list[Text]:
        found = [result.title, result.method, *result.summary, *result.assumptions]
        found += [*result.caveats, *(t for t in (result.reason, result.uncertainty) if t)]
        found += [t for d in result.decisions for t in (d.step, d.reason)]
        for table in result.tables:
            found += [table.title, *(c.label for c in table.columns)]
            found += [table.note] if table.note else []
        return found

    for language in ("en", "es"):
        with translation.override(language):
            for result in demo_report.results:
                for sentence in texts(result):
                    shown = say(sentence)
                    assert shown and "%(" not in shown, (result.analysis, sentence.msgid)
            printed = report_text(demo_report, tables=True)
            assert printed.count("\n") > 100


def test_each_headline_speaks_of_the_group_compared_with_its_interval(
    demo_report: Report,
) -> None:
    benchmark = demo_report.result("benchmark")
    assert benchmark is not None
    line = headline(benchmark, "black")
    assert line.startswith("Black residents") and "95% interval" in line
    for result in demo_report.results:
        assert headline(result, "black"), result.analysis


# The registry's rules, with stand-in analyses ------------------------------------------------


def test_each_analysis_gets_the_options_it_takes(demo_con: duckdb.DuckDBPyConnection) -> None:
    CALLS.clear()
    report = equity_report(
        demo_con,
        Selection(agency=AGENCY),
        min_count=25,
        group="hispanic",
        reference="white",
        analyses=fake("counts_stops", "compares"),
    )
    assert CALLS == [
        {"analysis": "counts", "min_count": 25},
        {"analysis": "compares", "group": "hispanic", "reference": "white"},
    ]
    assert report.results[0].sample_size == 60_000
    assert report.group == "hispanic" and report.min_count == 25
    # A connection passed in stays open for the caller.
    assert demo_con.execute("SELECT count(*) FROM stop").fetchone() == (60_000,)


def test_an_analysis_that_does_not_apply_stays_in_the_report_with_its_reason(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    report = equity_report(demo_con, Selection(agency=AGENCY), analyses=fake("compares"))
    (result,) = report.results
    assert not result.applicable and result.reason == text("No data")
    assert headline(result) == "No data"


def test_an_analysis_that_raises_stops_the_report(demo_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ZeroDivisionError, match="a bug in an analysis"):
        equity_report(demo_con, Selection(agency=AGENCY), analyses=fake("counts_stops", "broken"))


def test_an_analysis_returning_something_else_is_refused(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(TypeError, match="not_a_result returned dict"):
        equity_report(demo_con, Selection(agency=AGENCY), analyses=fake("not_a_result"))


def test_a_selection_narrows_the_stops_every_analysis_reads(demo_store: RecordStore) -> None:
    from datetime import date

    report = equity_report(
        demo_store,
        Selection(agency=AGENCY, start=date(2025, 3, 1), end=date(2025, 3, 31)),
        analyses=fake("counts_stops"),
    )
    assert report.dataset["first_date"] >= "2025-03-01"
    assert report.dataset["last_date"] <= "2025-03-31"
    assert report.results[0].sample_size == report.dataset["rows"] < 60_000
    assert report.dataset["selection"]["from"] == "2025-03-01"
