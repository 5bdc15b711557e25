from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonbeat.records import standard_csv
from commonbeat.records.dictionary import render


class Command(BaseCommand):
    help = "Write the data dictionary and the standard CSV format (Markdown) from the schemas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path("docs/data-dictionary.md"))
        parser.add_argument("--standard-csv", type=Path, default=Path("docs/standard-csv.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        options["output"].write_text(render() + "\n", encoding="utf-8")
        options["standard_csv"].write_text(standard_csv.render() + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {options['output']} and {options['standard_csv']}.")
