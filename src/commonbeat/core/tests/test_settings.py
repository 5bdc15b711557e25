from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from commonbeat.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[4]


def start_django(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh process with only the given variables set."""
    return run_python("import django; django.setup()", **env)


def run_commonbeat(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a `commonbeat` command in a fresh process with only the given variables set."""
    return run_python("from commonbeat.cli import main; main()", *args, **env)


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH")}
    return subprocess.run(  # noqa: S603 (our own interpreter and code, the tests' arguments)
        [sys.executable, "-c", code, *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "commonbeat.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_it_refuses_a_boolean_that_is_not_true_or_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be True or False, not 'yes'"):
        env_bool("SOME_FLAG", False)


def test_it_reads_true_and_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "True")
    assert env_bool("SOME_FLAG", False) is True
    monkeypatch.setenv("SOME_FLAG", "False")
    assert env_bool("SOME_FLAG", True) is False


def test_it_refuses_a_number_that_is_not_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_COUNT", "five")
    with pytest.raises(ImproperlyConfigured, match="SOME_COUNT must be a whole number"):
        env_int("SOME_COUNT", 1)
    monkeypatch.setenv("SOME_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="SOME_COUNT must be at least 0"):
        env_int("SOME_COUNT", 1, minimum=0)


def test_it_refuses_an_empty_list_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="SOME_HOSTS has an empty item"):
        env_list("SOME_HOSTS", [])
    monkeypatch.setenv("SOME_HOSTS", " a.example , b.example ")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]


def test_it_reads_secrets_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("SOME_SECRET", raising=False)
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env_str("SOME_SECRET") == "from-a-file"


def test_start_up_fails_naming_a_malformed_variable() -> None:
    result = start_django(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be True or False, not 'maybe'" in result.stderr


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    result = start_django(DEBUG="False", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert start_django(DEBUG="False", VAR_DIR=str(tmp_path)).returncode == 0
    assert key_file.read_text() == key
    # No temporary left behind; the audit log's key is generated beside it the same way.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit-key", "secret-key"]


def test_without_an_audit_key_one_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.AUDIT_KEY)"
    )
    first = run_python(code, DEBUG="False", VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "audit-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.stdout.strip() == key_file.read_text().strip()
    assert run_python(code, DEBUG="False", VAR_DIR=str(tmp_path)).stdout == first.stdout
    given = run_python(code, DEBUG="False", VAR_DIR=str(tmp_path), AUDIT_KEY="k" * 32)
    assert given.stdout.strip() == "k" * 32


def test_a_short_audit_key_is_refused(tmp_path: Path) -> None:
    result = start_django(DEBUG="False", VAR_DIR=str(tmp_path), AUDIT_KEY="too-short")
    assert result.returncode != 0
    assert "AUDIT_KEY must be at least 16 characters long" in result.stderr


def test_a_signing_key_others_may_read_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "secret-key"
    key_file.write_text("a-key-that-is-long-enough-but-public")
    key_file.chmod(0o644)
    result = start_django(DEBUG="False", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert f"run `chmod 600 {key_file}`" in result.stderr


def test_a_short_secret_key_is_refused(tmp_path: Path) -> None:
    result = start_django(DEBUG="False", SECRET_KEY="too-short", VAR_DIR=str(tmp_path))
    assert "SECRET_KEY must be at least 16 characters long" in result.stderr
    result = start_django(
        DEBUG="False", SECRET_KEY="a-long-enough-production-secret", ALLOWED_HOSTS="x.example"
    )
    assert result.returncode == 0, result.stderr


def test_commands_run_with_production_defaults_and_nothing_set(tmp_path: Path) -> None:
    # The hardening tester's case: `commonbeat audit verify` with DEBUG off and no secret key.
    for command in (["migrate", "--no-input"], ["audit", "verify"]):
        result = run_commonbeat(*command, VAR_DIR=str(tmp_path))
        assert result.returncode == 0, result.stderr
    assert "Audit log intact" in result.stdout, result.stdout


def test_production_defaults_are_secure() -> None:
    # The suite runs with DEBUG off and SECURE_COOKIES unset, as production does.
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert (
        "postgres" in settings.DATABASES["default"]["ENGINE"]
        or "sqlite" in (settings.DATABASES["default"]["ENGINE"])
    )


def test_every_environment_variable_is_documented() -> None:
    source = (ROOT / "src/commonbeat/settings.py").read_text()
    used = set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z_]+)"', source))
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    assert used, "no variables found: has settings.py changed shape?"
    assert used - documented == set(), "add these to docs/settings.md"
    assert documented - used == set(), (
        "docs/settings.md lists variables settings.py no longer reads"
    )


def test_it_refuses_a_decimal_that_is_not_one_or_out_of_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonbeat.env import env_float

    monkeypatch.setenv("SOME_SHARE", "0.25")
    assert env_float("SOME_SHARE", 0.05, minimum=0.0, maximum=1.0) == 0.25
    monkeypatch.setenv("SOME_SHARE", "five percent")
    with pytest.raises(ImproperlyConfigured, match="SOME_SHARE must be a number"):
        env_float("SOME_SHARE", 0.05, minimum=0.0, maximum=1.0)
    monkeypatch.setenv("SOME_SHARE", "5")
    with pytest.raises(ImproperlyConfigured, match="between 0 and 1, not 5"):
        env_float("SOME_SHARE", 0.05, minimum=0.0, maximum=1.0)
