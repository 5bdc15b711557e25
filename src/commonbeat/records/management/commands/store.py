from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.store import default_store


class Command(BaseCommand):
    help = "Look after the record store: `store stats` counts records, `store prune` removes orphan files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("stats", help="Records per type and partitions per source.")
        sub.add_parser("prune", help="Delete Parquet files the catalog does not list.")

    def handle(self, *args: Any, **options: Any) -> None:
        store = default_store()
        if options["action"] == "prune":
            removed = store.prune()
            self.stdout.write(
                f"Removed {removed} file{'s' if removed != 1 else ''} no catalog entry lists."
            )
            return
        partitions = store.catalog()["partitions"]
        for name in RECORD_TYPES:
            count = store.count(name)
            if count:
                self.stdout.write(f"  {name:20} {count:>12,}")
        sources = sorted({p["mapping"] for p in partitions.values()})
        self.stdout.write(
            f"{len(partitions)} partitions from {len(sources)} sources: {', '.join(sources) or 'none'}."
        )
