from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonbeat.records.dictionary import render


class Command(BaseCommand):
    help = "Write the data dictionary (Markdown) generated from the standard schemas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path("docs/data-dictionary.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        options["output"].write_text(render() + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {options['output']}.")
