from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commonbeat.core import jobs


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, publication, cleaning old uploads) from the database "
        "queue until stopped; `commonbeat serve` starts one beside the web server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the periodic chores and every queued job, then stop.",
        )
        parser.add_argument(
            "--poll", type=float, default=2.0, help="Seconds between looks at an empty queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def finish(signum: int, frame: object) -> None:
            # The job in hand is finished (an import stays atomic); then the worker stops.
            stop.set()

        signals = (signal.SIGTERM, signal.SIGINT)
        main = threading.current_thread() is threading.main_thread()
        before = {number: signal.signal(number, finish) for number in signals} if main else {}
        try:
            ran = jobs.work(
                poll=options["poll"],
                once=options["once"],
                stop=stop,
                say=lambda line: self.stdout.write(line),
            )
        finally:
            for number, handler in before.items():
                signal.signal(number, handler)
        self.stdout.write(self.style.SUCCESS(f"{ran} jobs run."))
