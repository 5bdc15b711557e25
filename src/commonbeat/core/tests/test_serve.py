from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

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
