from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonbeat.records.mapping import all_mappings
from commonbeat.records.services import run_import, summary_lines


class Command(BaseCommand):
    help = "Import police data files (CSV, a folder, .zip or .gz) into the record store, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Files, folders or archives.")
        parser.add_argument(
            "--mapping", help="The source mapping to use (inferred from the header if omitted)."
        )
        parser.add_argument(
            "--list-mappings", action="store_true", help="List the known mappings and stop."
        )
        parser.add_argument("--json", action="store_true", help="Print the full report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_mappings"] or not options["paths"]:
            mappings = sorted(all_mappings().items())
            width = max(len(name) for name, _ in mappings)
            for name, mapping in mappings:
                # A mapping may have many outputs of one record type (one per series): name each once.
                outputs = ", ".join(dict.fromkeys(o.record_type for o in mapping.outputs))
                self.stdout.write(f"{name:{width}}  {mapping.title} → {outputs}")
            return
        tty = sys.stderr.isatty()

        def progress(message: str) -> None:
            self.stderr.write(("\r\033[K" if tty else "") + message, ending="" if tty else "\n")
            self.stderr.flush()

        report, run = run_import(
            options["paths"],
            actor="command:import",
            mapping=options["mapping"],
            progress=progress,
            progress_bar=tty,
        )
        if tty:
            self.stderr.write("\r\033[K", ending="")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=1))
        else:
            for line in summary_lines(report):
                self.stdout.write(line)
            self.stdout.write(f"Import #{run.pk} logged ({run.seconds:.1f} s).")
        if not report.ok:
            raise SystemExit(1)
