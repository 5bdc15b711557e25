from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonbeat.core import audit


class Command(BaseCommand):
    help = (
        "Work with the audit log. `audit verify` checks the keyed hash chain end to end and, "
        "with --release or --all-releases, that it still holds the heads releases published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Report the first altered, added or deleted entry, if any."
        )
        which = verify.add_mutually_exclusive_group()
        which.add_argument(
            "--release",
            action="append",
            default=[],
            metavar="VERSION",
            help="Also check that the log still holds the head this release published "
            "(may be given more than once).",
        )
        which.add_argument(
            "--all-releases",
            action="store_true",
            help="Also check the head every release published.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = self._anchors(options["release"], options["all_releases"])
        result = audit.verify(anchors)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {result.entries} entries verified.")
            )
            if options["release"] or options["all_releases"]:
                self.stdout.write(
                    f"It still holds the head published by each of the {result.anchors} "
                    "releases checked."
                )
            return
        self.stderr.write(self.style.ERROR(f"Audit log broken. {result.problem}"))
        self.stderr.write(f"{result.entries} entries before it verified.")
        raise SystemExit(1)

    def _anchors(self, versions: list[str], every: bool) -> list[audit.Anchor]:
        if not versions and not every:
            return []
        if "release" not in audit.AUDIT_ANCHORS:
            raise CommandError(
                "No installed app publishes releases, so there are no heads to check."
            )
        published = list(audit.AUDIT_ANCHORS["release"].anchors())
        if every:
            if not published:
                self.stdout.write(
                    "No release records an audit head yet; only the chain is checked."
                )
            return published
        names = {anchor.name for anchor in published}
        missing = [version for version in versions if version not in names]
        if missing:
            raise CommandError(
                f"No audit head is published for release {', '.join(missing)}: no such release "
                "in RELEASES_DIR, or it was made before releases recorded the head. "
                "`commonbeat audit verify --all-releases` checks every release that has one."
            )
        return [anchor for anchor in published if anchor.name in versions]
