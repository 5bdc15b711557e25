"""Operator commands run without DEBUG when the environment is complete, and name the variable
that is missing or malformed when it is not (in a fresh process, as an operator runs them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonbeat.core.tests.test_settings import run_commonbeat


def test_commands_run_without_debug_when_the_environment_is_complete(tmp_path: Path) -> None:
    env = {"VAR_DIR": str(tmp_path), "SECRET_KEY": "a-long-enough-production-secret"}
    for command in (
        ["migrate", "--no-input"],
        ["createsuperuser", "--no-input", "--username", "first", "--email", "f@example.org"],
        ["audit", "verify"],
    ):
        result = run_commonbeat(*command, DJANGO_SUPERUSER_PASSWORD="a long passphrase", **env)
        assert result.returncode == 0, (command, result.stderr)
    assert "Audit log intact: 1 entries verified" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "yes", "DEBUG must be True or False, not 'yes'"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 16 characters long"),
        ("SECRET_KEY_FILE", "/nonexistent/key", "SECRET_KEY_FILE points at '/nonexistent/key'"),
        ("DATABASE_URL", "nonsense://db", "DATABASE_URL must be a database address"),
        ("DATABASE_CONN_MAX_AGE", "soon", "DATABASE_CONN_MAX_AGE must be a whole number"),
        ("ALLOWED_HOSTS", "a.example,,b.example", "ALLOWED_HOSTS has an empty item"),
        ("TIME_ZONE", "Mars/Olympus", "TIME_ZONE must be an IANA zone"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"),
        ("CACHE_URL", "memcached://x", "CACHE_URL must be a redis:// address"),
    ],
)
def test_a_command_names_the_variable_that_is_wrong(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = run_commonbeat("audit", "verify", VAR_DIR=str(tmp_path), **{variable: value})
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert result.stderr.startswith("commonbeat cannot start:")
    assert "Traceback" not in result.stderr
    assert "docs/settings.md" in result.stderr


def test_a_database_address_is_not_echoed_with_its_password(tmp_path: Path) -> None:
    result = run_commonbeat(
        "audit", "verify", VAR_DIR=str(tmp_path), DATABASE_URL="nosuch://u:hunter2hunter2@h/db"
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "hunter2" not in result.stderr
