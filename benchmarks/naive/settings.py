"""Settings of the naive baseline (benchmarks only): SQLite, no sessions, no auth."""

from __future__ import annotations

import os
from pathlib import Path

DEBUG = False
SECRET_KEY = os.environ.get("NAIVE_SECRET_KEY", "naive-benchmark-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["naive"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "naive.urls"
WSGI_APPLICATION = "naive.wsgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": Path(os.environ.get("NAIVE_DATABASE", "naive.sqlite3")),
        # Like Commonbeat's own setting (DATABASE_CONN_MAX_AGE=60): keep connections open.
        "CONN_MAX_AGE": 60,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TIME_ZONE = "America/Chicago"
USE_TZ = True
USE_I18N = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
