from __future__ import annotations

import ipaddress
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

# One process of eight threads by default: the API's rate limits and the release cache's
# connections live in the process, and threads share both (docs/production.md).
DEFAULT_WORKERS = 1
DEFAULT_THREADS = 8
DEFAULT_TIMEOUT = 30


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_workers(workers: int) -> str | None:
    """Refuse several workers without a shared cache; return why they may run anyway, if so."""
    if workers <= 1 or settings.CACHE_URL:
        return None
    if settings.API_RATE_PER_SECOND == 0:
        return (
            f"Running {workers} workers without CACHE_URL: fine only because "
            "API_RATE_PER_SECOND=0 turns the API's rate limit off."
        )
    raise CommandError(
        f"--workers {workers} needs CACHE_URL (redis://host:6379/0): without a shared cache "
        "each worker counts the API's rate limits alone, so a client gets "
        f"{workers} times its burst. Set CACHE_URL, or serve one worker with more --threads."
    )


def check_timeout(timeout: int) -> None:
    """Refuse a worker timeout that would kill a worker before a query's budget ends."""
    if timeout <= settings.PUBLIC_QUERY_SECONDS:
        raise CommandError(
            f"--timeout {timeout} must be longer than PUBLIC_QUERY_SECONDS "
            f"({settings.PUBLIC_QUERY_SECONDS}): a slow query should end in a 503, not in "
            "gunicorn killing the worker."
        )


def gunicorn_argv(
    host: str,
    port: int,
    workers: int = DEFAULT_WORKERS,
    threads: int = DEFAULT_THREADS,
    timeout: int = DEFAULT_TIMEOUT,
) -> list[str]:
    """Return gunicorn's command line for these options."""
    return [
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "commonbeat.wsgi:application",
    ]


class Command(BaseCommand):
    help = "Serve Commonbeat with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help="server processes (1); more than one needs CACHE_URL",
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="threads per process (8)"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=DEFAULT_TIMEOUT,
            help="seconds before gunicorn restarts a silent worker (30); above PUBLIC_QUERY_SECONDS",
        )
        parser.add_argument(
            "--no-worker",
            dest="worker",
            action="store_false",
            help="Do not start a background job worker beside the web server "
            "(run `commonbeat worker` elsewhere instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        why = check_workers(options["workers"])
        check_timeout(options["timeout"])
        self._check_static_files()
        self._warn_about_unsafe_settings(options["host"])
        if why:
            self.stderr.write(why)
        argv = gunicorn_argv(
            options["host"],
            options["port"],
            options["workers"],
            options["threads"],
            options["timeout"],
        )
        self.stdout.write(
            f"Serving Commonbeat at http://{options['host']}:{options['port']}/ with "
            f"{options['workers']} worker(s) of {options['threads']} threads (Ctrl-C stops it)."
        )
        sys.argv = argv
        worker = self._start_worker() if options["worker"] else None
        try:
            WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen[bytes]:
        # Imports, publication and the hourly cleaning of old uploads run here, not in requests.
        self.stdout.write("Starting the background job worker (`commonbeat worker`).")
        return subprocess.Popen([sys.executable, "-m", "commonbeat.cli", "worker"])

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()  # SIGTERM: it finishes the job in hand, then stops
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("The background job worker has stopped.")

    def _check_static_files(self) -> None:
        # Without the manifest every page fails while naming a stylesheet; say so before serving.
        if not isinstance(staticfiles_storage, ManifestFilesMixin):
            return
        manifest = settings.STATIC_ROOT / staticfiles_storage.manifest_name
        if not manifest.exists():
            raise CommandError(
                f"The static files have not been collected (no {manifest}). "
                "Run `commonbeat collectstatic --no-input` first."
            )

    def _warn_about_unsafe_settings(self, host: str) -> None:
        if settings.DEBUG:
            self.stderr.write(
                "DEBUG is on: error pages show code and settings to visitors. "
                "Never serve a public site like this."
            )
        if not settings.SESSION_COOKIE_SECURE and not _is_loopback(host):
            self.stderr.write(
                f"SECURE_COOKIES is off while serving on {host}: log-in cookies travel "
                "unencrypted. Only the demo on 127.0.0.1 should run like this."
            )
