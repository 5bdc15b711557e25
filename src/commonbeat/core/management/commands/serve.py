from __future__ import annotations

import ipaddress
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Command(BaseCommand):
    help = "Serve Commonbeat with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-worker",
            dest="worker",
            action="store_false",
            help="Do not start a background job worker beside the web server "
            "(run `commonbeat worker` elsewhere instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        self._check_static_files()
        self._warn_about_unsafe_settings(options["host"])
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Serving Commonbeat at http://{bind}/ (Ctrl-C stops it).")
        sys.argv = [
            "gunicorn",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "commonbeat.wsgi:application",
        ]
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
