"""The one settings module. Every deployment-specific value comes from the environment.

The variables are documented in docs/settings.md; a test keeps that page and this module
in step.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

import dj_database_url
import django_stubs_ext
import xstatic.pkg.leaflet as xstatic_leaflet  # type: ignore[import-untyped]
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from commonbeat.env import env_bool, env_float, env_int, env_list, env_str, local_secret_key

# Lets classes such as ModelAdmin[Model] be subscripted at run time, as django-stubs types them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
# Mutable state (the SQLite database, the record store, releases) lives under one folder.
VAR_DIR = Path(env_str("VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)

# A key from the environment wins; otherwise one is generated once into VAR_DIR/secret-key
# (mode 0600) and kept, so that a single-host install, the demo and every command (audit
# verify, migrate, ...) start without configuration. Several hosts must share one key: give
# them SECRET_KEY or SECRET_KEY_FILE.
SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(VAR_DIR / "secret-key")
if len(SECRET_KEY) < 16:
    raise ImproperlyConfigured("SECRET_KEY must be at least 16 characters long.")

# The audit log's HMAC key (core/audit.py). It must live outside the database, so that someone
# who can write to the database cannot forge entries: from the environment or a file
# (AUDIT_KEY_FILE), else generated once into VAR_DIR/audit-key (mode 0600) like the secret key.
# Every host and command must see the same key, and it must never change: entries written with
# one key do not verify with another.
AUDIT_KEY = env_str("AUDIT_KEY", "") or local_secret_key(VAR_DIR / "audit-key", "AUDIT_KEY")
if len(AUDIT_KEY) < 16:
    raise ImproperlyConfigured("AUDIT_KEY must be at least 16 characters long.")

# Loopback only unless told otherwise: safe for the demo and for commands, and a production
# site that forgets to name its host answers 400 Bad Request rather than anything unsafe.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation adds the per-language fields when it is ready; it comes first so that
    # forms built while our apps get ready (core's account sections) see them, and before
    # django.contrib.admin, which it patches.
    "modeltranslation",
    "commonbeat.core",
    "commonbeat.records",
    "commonbeat.insights",
    "commonbeat.releases",
    "commonbeat.transparency",
    "commonbeat.oversight",
    "commonbeat.engagement",
    "commonbeat.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # intcomma: counts with the language's thousands separator
    "axes",
    "csp",
    # Every version of a use-of-force report and its rows (oversight/force/models.py).
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /api/ speaks as data.police.uk: oversized bodies 413, errors without HTML bodies.
    "commonbeat.transparency.police.middleware.APIErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commonbeat.core.audit.AuditActorMiddleware",
    # Records who made each version django-simple-history keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a staff member signed out for idling is told so on the sign-in page.
    "commonbeat.core.idle.StaffIdleMiddleware",
    # Each request's release queries stop after PUBLIC_QUERY_SECONDS: 503 (releases/budget.py).
    "commonbeat.releases.budget.QueryBudgetMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonbeat.urls"
WSGI_APPLICATION = "commonbeat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonbeat.core.context.site",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'commonbeat.sqlite3'}")
try:
    _database = dj_database_url.parse(
        _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    )
except (ValueError, KeyError) as exc:  # dj_database_url's UnknownSchemeError is a ValueError
    raise ImproperlyConfigured(
        "DATABASE_URL must be a database address such as postgres://user:pass@host:5432/db "
        f"or sqlite:///path ({exc})."  # the address itself may hold a password
    ) from None
# A connection kept between requests is checked before reuse, so that after a database
# restart the next request reconnects instead of failing (core.views.server_error answers 503
# with Retry-After for the requests caught in the restart itself).
_database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Kept so that imported accounts with older hashes can log in once and be upgraded.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:account"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: after LOGIN_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its start-up banner went to every command's output; lockouts still log
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
# Staff are signed out after this many minutes without a request (core/idle.py).
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30, minimum=1)

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Set when a user chooses a language (core.views.switch_language), like the session cookie.
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0, minimum=0)
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The record store (Parquet + DuckDB), rejected rows, and published releases.
RECORD_STORE_DIR = Path(env_str("RECORD_STORE_DIR", str(VAR_DIR / "store")))
RELEASES_DIR = Path(env_str("RELEASES_DIR", str(VAR_DIR / "releases")))
# Published aggregates show no count below this (small cells could identify people).
PUBLISH_MIN_COUNT = env_int("PUBLISH_MIN_COUNT", 10, minimum=1)

# Disclosure policy (docs/disclosure.md): a table about people may have at most this share of
# rows unique on its quasi-identifiers; which tables keep the hour of day; which person
# tables are published row by row (else as counts); the grid for people's places outside
# any neighbourhood.
DISCLOSURE_MAX_UNIQUE_SHARE = env_float(
    "DISCLOSURE_MAX_UNIQUE_SHARE", 0.05, minimum=0.0, maximum=1.0
)
PUBLISH_HOUR_TABLES = env_list("PUBLISH_HOUR_TABLES", [])
PUBLISH_PERSON_ROWS = env_list("PUBLISH_PERSON_ROWS", [])
PUBLISH_PERSON_GRID_METRES = env_int("PUBLISH_PERSON_GRID_METRES", 1000, minimum=50)

# The public side reads releases through a cache database per release (releases/cache.py).
RELEASE_CACHE_DIR = Path(env_str("RELEASE_CACHE_DIR", str(VAR_DIR / "cache")))
# Results of slow analyses (the threshold test's fits) by a digest of their inputs and code
# (insights/cache.py); the benchmarks turn it off to time real fits.
ANALYSIS_CACHE = env_bool("ANALYSIS_CACHE", True)
ANALYSIS_CACHE_DIR = Path(env_str("ANALYSIS_CACHE_DIR", str(VAR_DIR / "cache" / "analyses")))
RELEASE_QUERY_THREADS = env_int("RELEASE_QUERY_THREADS", 2, minimum=1)

# The shared cache: per-client API rate limits live here, so every server process must see
# the same one in production (redis://host:6379/0). Without it, each process counts alone.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The data.police.uk-compatible API allows each client this many requests per second on
# average, with bursts up to API_RATE_BURST, then answers 429 (as the real service does).
# 0 turns the limit off (benchmarks only).
API_RATE_PER_SECOND = env_int("API_RATE_PER_SECOND", 15, minimum=0)
API_RATE_BURST = env_int("API_RATE_BURST", 30, minimum=1)

# Bounded work per request (issue 12): a request's release queries stop after this many
# seconds with 503 (releases/budget.py); a POST to /api/ over this many bytes is refused with
# 413 before it is read (transparency/police/middleware.py).
PUBLIC_QUERY_SECONDS = env_int("PUBLIC_QUERY_SECONDS", 5, minimum=1)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 128 * 1024, minimum=1024)

# Map tiles are off by default (no third-party requests); a deployment names its own server.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Staff-entered text has one column per language (core/translation.py); an empty one falls
# back to the other language, and templates mark it with that language's `lang`.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es")}
TIME_ZONE = env_str("TIME_ZONE", "UTC")
if TIME_ZONE not in available_timezones():
    raise ImproperlyConfigured(
        f"TIME_ZONE must be an IANA zone such as Europe/London, not {TIME_ZONE!r}."
    )
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet comes from its XStatic package, so the map is served from our own static files.
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("leaflet", xstatic_leaflet.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- Bounded uploads and background jobs (issue 12, point 5) ---------------------------------
# Every upload is refused as it streams once it passes UPLOAD_MAX_MB (core/uploads.py); the
# reverse proxy in front should refuse larger bodies still earlier (docs/deployment).
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 50, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "commonbeat.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Bodies other than files (form fields, JSON) and the number of fields are bounded by Django.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MiB, Django's default, stated
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files stream to a temporary file
FILE_UPLOAD_PERMISSIONS = 0o600
# Archives are checked from their directory before anything is extracted, and counted as
# they are extracted (records/sources.py).
ARCHIVE_MAX_EXPANDED_MB = env_int("ARCHIVE_MAX_EXPANDED_MB", 2048, minimum=1)
ARCHIVE_MAX_RATIO = env_int("ARCHIVE_MAX_RATIO", 100, minimum=1)
ARCHIVE_MAX_MEMBERS = env_int("ARCHIVE_MAX_MEMBERS", 1000, minimum=1)
# Uploads never imported are deleted after this many hours (`commonbeat uploads clean`, and
# hourly by the worker).
UPLOAD_RETENTION_HOURS = env_int("UPLOAD_RETENTION_HOURS", 24, minimum=1)
# A running background job without a heartbeat for this long is taken for dead (core/jobs.py).
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", 10, minimum=1)

# Oversight cases (docs/oversight.md, "Cases"): the days a case may spend in each stage before
# it is overdue, as stage=days pairs (the back office's stage deadlines table overrides them),
# and the stages at which accused officers with an account are told by e-mail.
_CASE_STAGES = (
    "received",
    "intake_review",
    "mediation",
    "assigned",
    "investigation",
    "findings",
    "board_review",
    "final_decision",
    "notification",
)
OVERSIGHT_STAGE_DAYS: dict[str, int] = {}
for _pair in env_list(
    "OVERSIGHT_STAGE_DAYS",
    [
        "received=3",
        "intake_review=14",
        "mediation=60",
        "assigned=7",
        "investigation=90",
        "findings=14",
        "board_review=30",
        "final_decision=30",
        "notification=7",
    ],
):
    _stage, _equals, _days = _pair.partition("=")
    if _stage.strip() not in _CASE_STAGES or not _days.strip().isdigit() or int(_days) < 1:
        raise ImproperlyConfigured(
            f"OVERSIGHT_STAGE_DAYS must be stage=days pairs such as 'investigation=90' "
            f"(stages: {', '.join(_CASE_STAGES)}), not {_pair!r}."
        )
    OVERSIGHT_STAGE_DAYS[_stage.strip()] = int(_days)
OVERSIGHT_OFFICER_NOTICES = env_list("OVERSIGHT_OFFICER_NOTICES", ["assigned", "notification"])
if OVERSIGHT_OFFICER_NOTICES == ["none"]:
    OVERSIGHT_OFFICER_NOTICES = []
for _stage in OVERSIGHT_OFFICER_NOTICES:
    if _stage not in (*_CASE_STAGES, "closed"):
        raise ImproperlyConfigured(
            f"OVERSIGHT_OFFICER_NOTICES must name stages such as 'assigned,notification', "
            f"not {_stage!r}."
        )

# Public officer profiles (docs/oversight.md, "Public officer profiles"): a policy choice each
# deployment makes. "off" publishes none; "named" publishes, for every officer on the roster,
# their name, rank, unit, badge and assignment history with the counts of their closed cases,
# commendations, force incidents and percentiles. Read when a release is published and on
# every profile page, so turning it off withdraws the pages at once.
OFFICER_PROFILES = env_str("OFFICER_PROFILES", "off")
if OFFICER_PROFILES not in ("off", "named"):
    raise ImproperlyConfigured(
        f"OFFICER_PROFILES must be 'off' or 'named', not {OFFICER_PROFILES!r}."
    )

# The site's public address, for links in messages sent outside a request (event reminders,
# promotions from a waiting list, minutes for comment, calendar feeds).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's address such as https://police.example.org, not {SITE_URL!r}."
    )

# Public intake of complaints and commendations (docs/oversight.md, "Intake"): attachments are
# kept privately under OVERSIGHT_FILES_DIR, outside the static and media roots; each file up to
# INTAKE_FILE_MAX_MB, at most INTAKE_MAX_FILES a report; each client may file
# INTAKE_RATE_PER_HOUR reports an hour and look up a case's status three times as often (0: off).
OVERSIGHT_FILES_DIR = Path(env_str("OVERSIGHT_FILES_DIR", str(VAR_DIR / "oversight-files")))
INTAKE_FILE_MAX_MB = env_int("INTAKE_FILE_MAX_MB", 20, minimum=1)
INTAKE_MAX_FILES = env_int("INTAKE_MAX_FILES", 5, minimum=0)
INTAKE_RATE_PER_HOUR = env_int("INTAKE_RATE_PER_HOUR", 10, minimum=0)
# Residents' concerns (engagement/concerns): photos kept privately under CONCERN_FILES_DIR,
# each up to CONCERN_PHOTO_MAX_MB; each client may report CONCERN_RATE_PER_HOUR an hour.
CONCERN_FILES_DIR = Path(env_str("CONCERN_FILES_DIR", str(VAR_DIR / "concern-files")))
CONCERN_PHOTO_MAX_MB = env_int("CONCERN_PHOTO_MAX_MB", 10, minimum=1)
CONCERN_RATE_PER_HOUR = env_int("CONCERN_RATE_PER_HOUR", 20, minimum=0)
# Event registrations one client may make an hour (engagement; 0: off).
REGISTRATION_RATE_PER_HOUR = env_int("REGISTRATION_RATE_PER_HOUR", 20, minimum=0)

# E-mail (receipts, case notices): Django's backends, configured from the environment. The
# default writes each message to the console, which suits the demo; production sets SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Commonbeat <no-reply@localhost>")
