"""`commonbeat serve` starts a background job worker beside the web server and stops it when
the server stops; `--no-worker` leaves it to a `commonbeat worker` run elsewhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command


class FakeWorker:
    def __init__(self, args: list[str], **kwargs: Any) -> None:
        self.args = args
        self.alive = True
        self.events: list[str] = ["started"]
        STARTED.append(self)

    def poll(self) -> int | None:
        return None if self.alive else 0

    def terminate(self) -> None:
        self.events.append("terminated")
        self.alive = False

    def wait(self, timeout: float | None = None) -> int:
        self.events.append("waited")
        return 0

    def kill(self) -> None:
        self.events.append("killed")


STARTED: list[FakeWorker] = []


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stand in for gunicorn (which would block) and record when it ran."""
    from gunicorn.app.wsgiapp import WSGIApplication

    STARTED.clear()
    served: list[str] = []

    def run(self: Any) -> None:
        served.append("served")
        if STARTED:
            STARTED[0].events.append("while serving")
        raise SystemExit(0)  # gunicorn's arbiter exits when told to stop

    monkeypatch.setattr(WSGIApplication, "run", run)
    monkeypatch.setattr(WSGIApplication, "__init__", lambda self, usage: None)
    monkeypatch.setattr(subprocess, "Popen", FakeWorker)
    return served


def test_serve_starts_a_worker_and_stops_it_when_the_server_stops(serving: list[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "0")
    (worker,) = STARTED
    assert worker.args == [sys.executable, "-m", "commonbeat.cli", "worker"]
    assert worker.events == ["started", "while serving", "terminated", "waited"]
    assert serving == ["served"]


def test_serve_without_a_worker_starts_none(serving: list[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("serve", "--port", "0", "--no-worker")
    assert serving == ["served"] and STARTED == []


def test_the_worker_entry_point_is_the_commonbeat_command(tmp_path: Path) -> None:
    # What serve starts must be runnable: `python -m commonbeat.cli worker --help`.
    done = subprocess.run(
        [sys.executable, "-m", "commonbeat.cli", "worker", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={
            "DJANGO_SETTINGS_MODULE": "commonbeat.settings",
            "DEBUG": "True",
            "VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
    )
    assert done.returncode == 0, done.stderr
    assert "--once" in done.stdout


def test_a_real_worker_cleans_old_uploads_at_start_and_says_so(tmp_path: Path) -> None:
    # What the demo shows when `make demo` serves: the worker's first round cleans uploads.
    import os
    import time

    from commonbeat.core.tests.test_settings import run_commonbeat

    env = {"DEBUG": "True", "VAR_DIR": str(tmp_path)}
    assert run_commonbeat("migrate", "--no-input", **env).returncode == 0
    forgotten = tmp_path / "uploads" / ("a" * 32) / "forgotten.csv"
    forgotten.parent.mkdir(parents=True)
    forgotten.write_text("a,b\n1,2\n")
    then = time.time() - 25 * 3600
    os.utime(forgotten, (then, then))
    os.utime(forgotten.parent, (then, then))
    done = run_commonbeat("worker", "--once", **env)
    assert done.returncode == 0, done.stderr
    assert "Queued the periodic job records.clean_uploads" in done.stdout
    assert "Deleted 1 uploads never imported" in done.stdout
    assert not forgotten.parent.exists()
