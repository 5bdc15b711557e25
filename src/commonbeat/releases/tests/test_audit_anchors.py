"""Every release publishes the audit log's head; `audit verify --release` checks the log still
holds it, so the log cannot be cut back to before a release unseen (core/audit.py)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from commonbeat.core import audit
from commonbeat.core.models import Agency, AuditHead
from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore
from commonbeat.records.tests.test_bad_input import GOOD, HEADER
from commonbeat.releases.cache import forget_releases
from commonbeat.releases.publish import ReleaseSummary, publish, releases
from commonbeat.testing.tamper import as_owner


@pytest.fixture
def stops(
    tmp_path: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> RecordStore:
    month = tmp_path / "2019-01-city-of-london-stop-and-search.csv"
    rows = [GOOD.replace("14:30", f"14:{m:02d}") for m in range(12)]
    month.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert run_import(month).ok
    return record_store


@pytest.fixture
def releases_dir(tmp_path: Path) -> Path:
    return tmp_path / "releases"


def change_something(name: str) -> None:
    with audit.acting_as("command:test"):
        agency, _ = Agency.objects.get_or_create(slug="force", defaults={"name": name})
        agency.name = name
        agency.save()


def release(stops: RecordStore, releases_dir: Path, version: str) -> ReleaseSummary:
    return publish(stops, releases_dir, version=version, equity=False)


def verify(releases_dir: Path, *args: str) -> None:
    with override_settings(RELEASES_DIR=releases_dir):
        call_command("audit", "verify", *args)


def test_every_manifest_records_the_audit_head(stops: RecordStore, releases_dir: Path) -> None:
    change_something("The Force")
    summary = release(stops, releases_dir, "2026-12-01.1")
    head = AuditHead.objects.get()
    (manifest,) = releases(releases_dir)
    assert manifest["audit_head"] == {"seq": head.seq, "hash": head.hash, "count": head.seq}
    assert summary.audit_head == manifest["audit_head"]
    assert head.seq > 0
    # Never the head's MAC: with it, anyone who read the manifest could put this head back.
    assert head.mac not in (summary.path / "manifest.json").read_text()


def test_the_release_page_shows_the_audit_head(
    stops: RecordStore, releases_dir: Path, client: Client
) -> None:
    change_something("The Force")
    summary = release(stops, releases_dir, "2026-12-01.1")
    with override_settings(RELEASES_DIR=releases_dir):
        forget_releases()
        try:
            page = client.get(reverse("transparency:release", args=[summary.version]))
            twin = client.get(reverse("transparency:release", args=[summary.version, "json"]))
        finally:
            forget_releases()
    assert page.status_code == 200
    text = page.content.decode()
    assert summary.audit_head["hash"] in text
    assert f"the newest #{summary.audit_head['seq']}" in text
    assert twin.json()["audit_head"] == summary.audit_head


def test_verify_passes_while_the_log_holds_every_published_head(
    stops: RecordStore, releases_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_something("The Force")
    release(stops, releases_dir, "2026-12-01.1")
    change_something("The Police Force")
    release(stops, releases_dir, "2026-12-01.2")
    change_something("The Metropolitan Force")
    verify(releases_dir, "--release", "2026-12-01.1")
    assert "the 1 releases checked" in capsys.readouterr().out
    verify(releases_dir, "--all-releases")
    out = capsys.readouterr().out
    assert "Audit log intact" in out and "the 2 releases checked" in out


def test_cutting_the_log_back_behind_a_release_fails_verify(
    stops: RecordStore, releases_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_something("The Force")
    release(stops, releases_dir, "2026-12-01.1")
    # An attacker who could read the database keeps a genuine head row...
    kept = AuditHead.objects.values_list("seq", "hash", "mac").get()
    change_something("The Police Force")
    second = release(stops, releases_dir, "2026-12-01.2")
    assert second.audit_head["seq"] > kept[0]
    # ...and later deletes the entries after it and puts that row back.
    as_owner("DELETE FROM core_auditentry WHERE seq > %s", [kept[0]])
    as_owner("UPDATE core_audithead SET seq = %s, hash = %s, mac = %s WHERE id = 1", list(kept))
    verify(releases_dir)  # the chain alone is whole: only the published head shows the cut
    verify(releases_dir, "--release", "2026-12-01.1")
    capsys.readouterr()
    for args in (["--release", "2026-12-01.2"], ["--all-releases"]):
        with pytest.raises(SystemExit) as exited:
            verify(releases_dir, *args)
        assert exited.value.code == 1
        err = capsys.readouterr().err
        assert (
            f"Release 2026-12-01.2 published the log's head as #{second.audit_head['seq']}" in err
        )
        assert f"now ends at #{kept[0]}" in err


def test_rewriting_an_entry_a_release_covers_fails_verify(
    stops: RecordStore, releases_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change_something("The Force")
    summary = release(stops, releases_dir, "2026-12-01.1")
    seq = summary.audit_head["seq"]
    as_owner("UPDATE core_auditentry SET actor = %s WHERE seq = %s", ["user:99:intruder", seq])
    with pytest.raises(SystemExit):
        verify(releases_dir, "--all-releases")
    assert f"Entry #{seq}" in capsys.readouterr().err


def test_a_release_without_a_published_head_is_named(
    stops: RecordStore, releases_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = release(stops, releases_dir, "2026-12-01.1")
    # As a release made before manifests carried the head.
    path = summary.path / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["audit_head"]
    os.chmod(path, 0o644)
    path.write_text(json.dumps(manifest))
    with pytest.raises(
        CommandError, match=re.escape("No audit head is published for release 2026-12-01.1")
    ):
        verify(releases_dir, "--release", "2026-12-01.1")
    with pytest.raises(CommandError, match=re.escape("1999-01-01.1")):
        verify(releases_dir, "--release", "1999-01-01.1")
    verify(releases_dir, "--all-releases")
    assert "No release records an audit head yet" in capsys.readouterr().out


def test_the_releases_app_registers_its_heads_with_the_audit_log() -> None:
    assert "release" in audit.AUDIT_ANCHORS


def test_the_publish_command_says_which_head_it_recorded(
    stops: RecordStore, releases_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(RECORD_STORE_DIR=stops.root, RELEASES_DIR=releases_dir):
        call_command("publish", "--no-equity")
    (manifest,) = releases(releases_dir)
    seq = manifest["audit_head"]["seq"]
    assert (
        f"audit log head #{seq} ({manifest['audit_head']['hash'][:12]}…)" in capsys.readouterr().out
    )
