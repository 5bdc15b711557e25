from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from commonbeat.records import services


class Command(BaseCommand):
    help = "Manage files uploaded for import: `clean` deletes those never imported."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        clean = sub.add_parser(
            "clean",
            help="Delete uploads not imported within UPLOAD_RETENTION_HOURS "
            "(the worker also does this every hour).",
        )
        clean.add_argument(
            "--hours",
            type=float,
            default=None,
            help=f"Keep uploads younger than this (default {settings.UPLOAD_RETENTION_HOURS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cleaned = services.clean_uploads(options["hours"])
        for token in cleaned.deleted:
            self.stdout.write(f"  deleted {token}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {len(cleaned.deleted)} uploads never imported "
                f"({cleaned.freed_bytes / 1048576:,.1f} MB freed); {cleaned.kept} kept."
            )
        )
