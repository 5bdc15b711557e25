"""The operator's commands end to end on real data: import, publish, and `frictionless validate`."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from commonbeat.records.models import ImportRun
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.store import RecordStore

PRIVATE = {
    f.name
    for rt in RECORD_TYPES.values()
    for f in rt.fields
    if f.private and f.privacy != "location"
}


@pytest.fixture
def var(tmp_path: Path) -> object:
    with override_settings(
        VAR_DIR=tmp_path, RECORD_STORE_DIR=tmp_path / "store", RELEASES_DIR=tmp_path / "releases"
    ):
        yield tmp_path


def test_import_then_publish_real_data_gives_a_valid_private_free_release(
    db: None, var: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seattle = shared_data / "seattle_terry_stops" / "Terry_Stops.csv"
    accused = next((shared_data / "chicago_invinst").glob("complaints-accused_*.csv.gz"))
    call_command("import", str(seattle), str(accused))
    out = capsys.readouterr().out
    assert "Terry_Stops.csv" in out and "seattle_terry_stops" in out and "19,753" in out
    assert "Import committed." in out
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.COMMITTED
    assert run.rows_stored == RecordStore(var / "store").count("stop") + RecordStore(
        var / "store"
    ).count("allegation")

    # Seattle's stops are too unique for the default disclosure policy (36.7% unique on
    # month, beat, age group, gender and race; docs/disclosure.md): refused, nothing written.
    with pytest.raises(CommandError, match=r"Table stop was not published: 7,243 of 19,753"):
        call_command("publish", "--min-count", "10")
    assert not [p for p in (var / "releases").iterdir() if not p.name.startswith(".")]
    # Lifted explicitly, as an operator may after reading docs/disclosure.md.
    with override_settings(DISCLOSURE_MAX_UNIQUE_SHARE=1.0):
        call_command("publish", "--min-count", "10")
    out = capsys.readouterr().out
    assert "Release " in out
    assert "7,243 of 19,753 rows unique (36.7%)" in out  # the disclosure figures, reported
    [release] = [p for p in (var / "releases").iterdir() if not p.name.startswith(".")]
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["tables"]["stop"]["rows"] == 19_753

    validate = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(  # noqa: S603
        [str(validate), "validate", str(release / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]

    assert RecordStore(var / "store").connect().execute(
        "SELECT count(*) FROM allegation WHERE officer_id IS NOT NULL"
    ).fetchone() == (125_581,), "the private side keeps the accused officer"
    for path in (release / "data").glob("*.csv"):
        with path.open(encoding="utf-8") as stream:
            header = next(csv.reader(stream))
        assert PRIVATE.isdisjoint(header), (path.name, PRIVATE & set(header))


def test_a_failed_import_exits_non_zero_and_says_nothing_was_stored(
    db: None, var: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(empty), "--mapping", "uk_stop_search")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "ERROR empty.csv: the file is empty." in out
    assert "Nothing was stored: the store is exactly as it was." in out
    assert "Traceback" not in out
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_the_mapping_list_names_every_shipped_source(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import", "--list-mappings")
    out = capsys.readouterr().out
    for name in (
        "uk_stop_search",
        "nypd_sqf",
        "seattle_terry_stops",
        "chicago_trr_main",
        "nyc_ccrb_allegations",
        "standard_stop",
    ):
        assert name in out
