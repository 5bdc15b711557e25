"""The `commonbeat` command: Django's management commands under the project's own name.

`commonbeat demo`, `commonbeat serve`, `commonbeat audit verify`, and every other command
(`commonbeat migrate`, `commonbeat createsuperuser`, ...) run with Commonbeat's settings.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonbeat.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # Read the settings first: Django would otherwise hide a bad variable behind "Unknown
    # command" (our commands are not found without the apps) or a traceback.
    try:
        settings.INSTALLED_APPS  # noqa: B018  loading the settings is the point
    except ImproperlyConfigured as exc:
        sys.stderr.write(
            f"commonbeat cannot start: {exc}\nEvery variable is described in docs/settings.md.\n"
        )
        raise SystemExit(2) from None
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
