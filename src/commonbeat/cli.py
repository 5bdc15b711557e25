"""The `commonbeat` command: Django's management commands under the project's own name.

`commonbeat demo`, `commonbeat serve`, `commonbeat audit verify`, and every other command
(`commonbeat migrate`, `commonbeat createsuperuser`, ...) run with Commonbeat's settings.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonbeat.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
