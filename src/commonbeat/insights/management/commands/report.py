"""`commonbeat report equity`: every equity analysis of one agency's stops, in the terminal.

The report is computed from the record store (so it sees exact dates, times and places that
releases generalise) and is not published: `commonbeat publish` puts the same report, with the
release's minimum count, into each release for the public side.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from commonbeat.core.vocab import Race
from commonbeat.insights import sun
from commonbeat.insights.equity import Analysis, equity_report
from commonbeat.insights.render import report_text
from commonbeat.insights.results import MIN_COUNT, Result
from commonbeat.insights.stops import AREA_FIELDS, Selection
from commonbeat.records.mapping import all_mappings
from commonbeat.records.store import default_store
from commonbeat.records.zones import fix_command

# Groups an analysis may compare: a race, not the codes saying it was not known.
GROUPS = tuple(code for code in Race.values if code not in ("unknown", "not_recorded"))


class Command(BaseCommand):
    help = (
        "Reports on the record store: `report equity` runs every equity analysis of a stop dataset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        equity = sub.add_parser(
            "equity",
            help="Benchmark, outcome, veil-of-darkness, threshold, force and complaint analyses.",
        )
        equity.add_argument(
            "--agency", default="", help="The agency's slug (needed when several have stops)."
        )
        equity.add_argument(
            "--source",
            dest="sources",
            nargs="+",
            action="extend",
            default=[],
            metavar="MAPPING",
            help="Only stops imported by these source mappings.",
        )
        equity.add_argument("--from", dest="start", default="", help="First date, YYYY-MM-DD.")
        equity.add_argument(
            "--to", dest="end", default="", help="Last date (inclusive), YYYY-MM-DD."
        )
        equity.add_argument(
            "--group", default="black", help=f"Group compared ({', '.join(GROUPS)}; default black)."
        )
        equity.add_argument(
            "--reference", default="white", help="Group it is compared with (default white)."
        )
        equity.add_argument(
            "--area-field",
            default="",
            help=(
                f"Stop field giving each stop's area ({', '.join(AREA_FIELDS)}; default the "
                "neighbourhood where the stops have one, else the agency's area code)."
            ),
        )
        equity.add_argument(
            "--min-count",
            type=int,
            default=MIN_COUNT,
            help=f"Withhold cells resting on fewer rows than this (default {MIN_COUNT}).",
        )
        equity.add_argument(
            "--json",
            dest="json_file",
            default="",
            metavar="FILE",
            help="Also write the report as JSON (- for standard output, instead of text).",
        )
        equity.add_argument(
            "--language",
            default="en",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the text report (the JSON keeps message ids and parameters).",
        )
        equity.add_argument(
            "--tables", action="store_true", help="Print every result's tables too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        selection = self._selection(options)
        for name in ("group", "reference"):
            if options[name] not in GROUPS:
                raise CommandError(
                    f"--{name} must be one of {', '.join(GROUPS)}, not {options[name]!r}."
                )
        if options["group"] == options["reference"]:
            raise CommandError("--group and --reference must be different groups.")
        if options["min_count"] < 1:
            raise CommandError(f"--min-count must be at least 1, not {options['min_count']}.")
        store = default_store()
        con = store.connect()
        try:
            selection = self._check_stops(con, selection)

            def progress(analysis: Analysis, result: Result, seconds: float) -> None:
                state = "done" if result.applicable else "not applicable"
                self.stderr.write(f"  {analysis.name:18} {state} ({seconds:.1f} s)")

            report = equity_report(
                con,
                selection,
                min_count=options["min_count"],
                group=options["group"],
                reference=options["reference"],
                progress=progress,
            )
        finally:
            con.close()
        self._warn_time_zone(report.dataset)
        target = options["json_file"]
        if target:
            text = json.dumps(report.to_dict(), indent=1, ensure_ascii=False)
            if target == "-":
                self.stdout.write(text)
                return
            Path(target).write_text(text + "\n", encoding="utf-8")
        with translation.override(options["language"]):
            self.stdout.write(report_text(report, tables=options["tables"]), ending="")
        if target:
            self.stderr.write(f"Report written to {target}.")

    def _selection(self, options: dict[str, Any]) -> Selection:
        dates: dict[str, date | None] = {}
        for name, key in (("from", "start"), ("to", "end")):
            raw = options[key].strip()
            if not raw:
                dates[key] = None
                continue
            try:
                dates[key] = date.fromisoformat(raw)
            except ValueError:
                raise CommandError(
                    f"--{name} must be a date written YYYY-MM-DD (for example 2025-03-31), not {raw!r}."
                ) from None
        if dates["start"] and dates["end"] and dates["start"] > dates["end"]:
            raise CommandError(f"--from ({dates['start']}) is after --to ({dates['end']}).")
        area_field = options["area_field"].strip()
        if area_field and area_field not in AREA_FIELDS:
            usable = "; ".join(f"{name} ({meaning})" for name, meaning in AREA_FIELDS.items())
            raise CommandError(
                f"--area-field {area_field!r} is not a field stops can be grouped by; "
                f"usable fields: {usable}. For example: --area-field neighbourhood"
            )
        mappings = all_mappings()
        for source in options["sources"]:
            mapping = mappings.get(source)
            if mapping is None or not any(o.record_type == "stop" for o in mapping.outputs):
                stop_mappings = sorted(
                    n
                    for n, m in mappings.items()
                    if any(o.record_type == "stop" for o in m.outputs)
                )
                raise CommandError(
                    f"--source {source!r} is not a mapping that imports stops; "
                    f"those that do: {', '.join(stop_mappings)}."
                )
        return Selection(
            agency=options["agency"].strip(),
            sources=tuple(dict.fromkeys(options["sources"])),
            start=dates["start"],
            end=dates["end"],
            area_field=area_field,
        )

    def _warn_time_zone(self, dataset: dict[str, Any]) -> None:
        """Say plainly when an agency's time zone is unknown: its clock-time analyses refused."""
        zones = sun.time_zones(dataset.get("agencies") or [], dataset.get("sources") or [], None)
        for agency, (zone, _origin) in sorted(zones.items()):
            if not zone:
                self.stderr.write(
                    f"SKIPPED for {agency}: no time zone is known, so the analyses of local "
                    "clock times (veil of darkness) were refused and are reported as not "
                    f"applicable. Fix: {fix_command(agency)}"
                )

    def _check_stops(self, con: Any, selection: Selection) -> Selection:
        """Refuse a selection with no stops, or spanning agencies, naming what there is."""
        held = dict(
            con.execute("SELECT agency, count(*) FROM stop GROUP BY 1 ORDER BY 1").fetchall()
        )
        if not held:
            raise CommandError("The record store holds no stops: import a stop dataset first.")
        listing = ", ".join(f"{slug} ({count:,})" for slug, count in held.items())
        if selection.agency and selection.agency not in held:
            raise CommandError(
                f"--agency {selection.agency!r} has no stops in the record store; agencies with stops: {listing}."
            )
        where, params = selection.where()
        found = [
            row[0]
            for row in con.execute(
                f"SELECT agency FROM stop WHERE {where} GROUP BY 1 ORDER BY 1",  # noqa: S608  Selection.where(): fixed conditions, values as ? parameters
                params,
            ).fetchall()
        ]
        if not found:
            raise CommandError(
                "No stops match --agency, --source, --from and --to together; "
                f"agencies with stops: {listing}."
            )
        if len(found) > 1:
            raise CommandError(
                f"The stops selected belong to {len(found)} agencies ({', '.join(found)}): "
                "choose one with --agency, as each is analysed on its own."
            )
        if not selection.agency:
            selection = Selection(
                found[0], selection.sources, selection.start, selection.end, selection.area_field
            )
        return selection
