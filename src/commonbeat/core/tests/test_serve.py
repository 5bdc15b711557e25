from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from commonbeat.core.management.commands.serve import check_timeout, check_workers, gunicorn_argv

MANIFEST_STORAGE = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_serve_refuses_to_start_before_the_static_files_are_collected(tmp_path: Path) -> None:
    # Otherwise every page would fail on its stylesheet's missing manifest entry.
    with (
        override_settings(STORAGES=MANIFEST_STORAGE, STATIC_ROOT=tmp_path),
        pytest.raises(CommandError, match="Run `commonbeat collectstatic --no-input` first"),
    ):
        call_command("serve", "--port", "0")


# Workers, threads and the shared cache --------------------------------------------------------


def _argv_value(argv: list[str], option: str) -> str:
    return argv[argv.index(option) + 1]


def test_serve_runs_one_process_of_eight_threads_by_default() -> None:
    argv = gunicorn_argv("127.0.0.1", 8000)
    assert _argv_value(argv, "--workers") == "1"
    assert _argv_value(argv, "--worker-class") == "gthread"
    assert _argv_value(argv, "--threads") == "8"
    assert _argv_value(argv, "--bind") == "127.0.0.1:8000"
    assert argv[-1] == "commonbeat.wsgi:application"


def test_serve_passes_threads_and_timeout_on() -> None:
    argv = gunicorn_argv("0.0.0.0", 9000, workers=3, threads=4, timeout=60)  # noqa: S104
    assert [_argv_value(argv, o) for o in ("--workers", "--threads", "--timeout")] == [
        "3",
        "4",
        "60",
    ]


@override_settings(CACHE_URL="", API_RATE_PER_SECOND=15)
def test_serve_refuses_several_workers_without_a_shared_cache() -> None:
    # Each process would count the API's rate limits alone: twice the burst with two.
    with pytest.raises(CommandError, match="CACHE_URL"):
        call_command("serve", "--workers", "2", "--port", "0")
    assert check_workers(1) is None


@override_settings(CACHE_URL="redis://127.0.0.1:6379/0", API_RATE_PER_SECOND=15)
def test_serve_allows_several_workers_with_a_shared_cache() -> None:
    assert check_workers(4) is None


@override_settings(CACHE_URL="", API_RATE_PER_SECOND=0)
def test_serve_says_why_several_workers_run_when_the_rate_limit_is_off() -> None:
    why = check_workers(2)
    assert why is not None and "API_RATE_PER_SECOND=0" in why


@override_settings(PUBLIC_QUERY_SECONDS=5)
def test_serve_refuses_a_worker_timeout_within_the_query_budget() -> None:
    with pytest.raises(CommandError, match="PUBLIC_QUERY_SECONDS"):
        call_command("serve", "--timeout", "5", "--port", "0")
    check_timeout(6)
