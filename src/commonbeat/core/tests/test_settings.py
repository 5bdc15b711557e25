from __future__ import annotations

import os
import re
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
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
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


def test_production_start_up_requires_a_secret_key_and_hosts() -> None:
    result = start_django(DEBUG="False")
    assert "SECRET_KEY must be set" in result.stderr
    result = start_django(DEBUG="False", SECRET_KEY="a-long-enough-production-secret")
    assert "ALLOWED_HOSTS must be set" in result.stderr
    result = start_django(
        DEBUG="False", SECRET_KEY="a-long-enough-production-secret", ALLOWED_HOSTS="x.example"
    )
    assert result.returncode == 0, result.stderr


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
    used = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    assert used, "no variables found: has settings.py changed shape?"
    assert used - documented == set(), "add these to docs/settings.md"
    assert documented - used == set(), (
        "docs/settings.md lists variables settings.py no longer reads"
    )
