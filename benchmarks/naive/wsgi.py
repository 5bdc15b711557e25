"""WSGI entry point of the naive baseline (served by gunicorn like Commonbeat)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naive.settings")
application = get_wsgi_application()
