"""`commonbeat report equity`: every analysis of a stop dataset in the terminal, in English or
Spanish, as JSON on request, and a clear refusal naming the argument when one is wrong."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.formats import number_format

from commonbeat.insights import equity
from commonbeat.insights.equity import ANALYSES, Analysis, Report
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.testing.analyses import registry_of
from commonbeat.testing.records import standard_csv

AGENCY = "riverton-pd"
# A quick stand-in for the registry where the test is about the command, not the analyses.
QUICK = registry_of(
    Analysis("counts", "commonbeat.insights.tests.test_equity_report.counts_stops"),
    Analysis("compares", "commonbeat.insights.tests.test_equity_report.compares"),
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "equity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def demo(settings: Any, demo_store: RecordStore) -> RecordStore:
    settings.RECORD_STORE_DIR = demo_store.root
    return demo_store


@pytest.fixture
def quick(demo: RecordStore, monkeypatch: pytest.MonkeyPatch) -> RecordStore:
    monkeypatch.setattr(equity, "ANALYSES", QUICK)
    return demo


def test_it_prints_every_analysis_with_its_findings_decisions_coverage_and_caveats(
    demo: RecordStore, db: None
) -> None:
    out, err = run("--agency", AGENCY)
    assert out.startswith(f"Equity report: {AGENCY}")
    assert "60,000 stops from 2025-01-01 to 2025-12-31" in out
    for number, analysis in enumerate(ANALYSES.values(), start=1):
        assert f"\n{number}. " in out, analysis.name
        assert f"  {analysis.name:18}" in err  # progress, with the seconds each took
    for part in (
        "Method: ",
        "Findings:",
        "Headline estimates:",
        "95% interval",
        "Decision log (step; reason; rows before → after; removed):",
        "Coverage (share missing per field used): subject_race",
        "Sample size: ",
        "Caveats:",
    ):
        assert part in out, part
    assert "Black residents: " in out  # the benchmark's finding about the group compared


def test_it_writes_the_whole_report_as_json(quick: RecordStore, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    out, err = run("--agency", AGENCY, "--min-count", "25", "--json", str(target))
    report = Report.from_dict(json.loads(target.read_text()))
    assert [r.analysis for r in report.results] == ["counts", "compares"]
    assert report.min_count == 25 and report.dataset["rows"] == 60_000
    assert "1. Stops" in out and f"Report written to {target}." in err
    only_json, _ = run("--agency", AGENCY, "--json", "-")
    assert json.loads(only_json)["results"][0]["sample_size"] == 60_000


def test_it_prints_in_spanish(quick: RecordStore) -> None:
    out, _ = run("--agency", AGENCY, "--language", "es", "--group", "black")
    with translation.override("es"):
        black = translation.gettext("Black")
        stops = number_format(60_000, force_grouping=True)
        header = translation.gettext("Equity report: %(agency)s") % {"agency": AGENCY}
    assert black != "Black" and black in out
    assert header != f"Equity report: {AGENCY}" and header in out
    assert stops != "60,000" and f"{stops} " in out  # Spanish digit grouping


def test_a_selection_by_source_and_dates_narrows_the_stops(quick: RecordStore) -> None:
    out, _ = run(
        "--source", "standard_stop", "--from", "2025-03-01", "--to", "2025-03-31", "--tables"
    )
    assert f"Equity report: {AGENCY}" in out  # the only agency with stops is chosen
    assert "from 2025-03-01 to 2025-03-31" in out and "60,000 stops" not in out


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--from", "2025-13-01"], "--from"),
        (["--to", "yesterday"], "--to"),
        (["--from", "2025-06-01", "--to", "2025-01-01"], "--from"),
        (["--group", "purple"], "--group"),
        (["--reference", "not_recorded"], "--reference"),
        (["--reference", "black"], "--group and --reference"),
        (["--min-count", "0"], "--min-count"),
        (["--min-count", "ten"], "--min-count"),
        (["--agency", "nowhere-pd"], "--agency"),
        (["--source", "no_such_mapping"], "--source"),
        (["--source", "standard_call"], "--source"),
        (["--language", "fr"], "--language"),
        (["--from", "2031-01-01"], "--from and --to"),
    ],
)
def test_a_bad_argument_is_refused_naming_it(
    quick: RecordStore, args: list[str], named: str
) -> None:
    with pytest.raises(CommandError, match=named):
        run(*args)


def test_it_refuses_an_empty_store(settings: Any, tmp_path: Path) -> None:
    settings.RECORD_STORE_DIR = tmp_path / "empty"
    with pytest.raises(CommandError, match="holds no stops"):
        run()


def test_it_asks_which_agency_when_several_have_stops(
    settings: Any,
    tmp_path: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        {"record_id": f"R{i}", "agency": agency, "occurred_date": "2025-01-02"}
        for i, agency in enumerate(["north-pd", "south-pd"] * 3)
    ]
    assert run_import(standard_csv(tmp_path / "stops.csv", "stop", rows)).ok
    settings.RECORD_STORE_DIR = record_store.root
    monkeypatch.setattr(equity, "ANALYSES", QUICK)
    with pytest.raises(
        CommandError, match=re.escape("2 agencies (north-pd, south-pd): choose one with --agency")
    ):
        run()
    out, _ = run("--agency", "south-pd")
    assert out.startswith("Equity report: south-pd") and "3 stops" in out


def test_it_names_the_area_field_it_chose_and_the_one_asked_for(quick: RecordStore) -> None:
    out, _err = run("--agency", AGENCY)
    assert (
        "Areas: the neighbourhood field (the Commonbeat neighbourhood containing the stop), chosen"
        in out
    )
    out, _err = run("--agency", AGENCY, "--area-field", "area")
    assert "Areas: the area field (the agency's own area code" in out
    assert "as asked with --area-field" in out
    report = json.loads(run("--agency", AGENCY, "--area-field", "area", "--json", "-")[0])
    assert report["dataset"]["area_field"] == "area"
    assert report["dataset"]["selection"]["area_field"] == "area"


def test_it_refuses_an_unknown_area_field_listing_the_usable_ones(quick: RecordStore) -> None:
    with pytest.raises(
        CommandError, match=r"--area-field 'beat'.*usable fields: neighbourhood .*; area "
    ):
        run("--agency", AGENCY, "--area-field", "beat")


def test_it_says_which_agency_was_skipped_when_no_time_zone_is_known(
    quick: RecordStore, db: None
) -> None:
    _out, err = run("--agency", AGENCY)
    assert f"SKIPPED for {AGENCY}: no time zone is known" in err
    assert f"commonbeat agency {AGENCY} --time-zone" in err


def test_it_warns_of_nothing_once_the_agency_has_a_time_zone(quick: RecordStore, db: None) -> None:
    call_command(
        "agency",
        AGENCY,
        "--name",
        "Riverton",
        "--time-zone",
        "America/Chicago",
        stdout=io.StringIO(),
    )
    _out, err = run("--agency", AGENCY)
    assert "SKIPPED" not in err
