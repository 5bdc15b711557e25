"""The release that puts the city's data on the public side, and its cache, built up front."""

from __future__ import annotations

import time

from django.core.management.base import CommandError

from commonbeat.demo.generators import DemoRun, generator
from commonbeat.releases.cache import current_release
from commonbeat.releases.publish import PublishError
from commonbeat.releases.services import disclosure_lines, publish_release, time_zone_lines


@generator("release", order=90)
def release(run: DemoRun) -> None:
    """Publish, the same way as the `publish` command; unchanged data keeps its release."""
    if not run.has_release_data:
        return  # nothing was generated that a release would carry (--no-records)
    current = current_release()
    if current is not None and not run.changed:
        run.say(f"The records are unchanged: release {current.version} still holds them.")
    else:
        started = time.monotonic()
        run.say("Publishing a release through the privacy rules…")
        # The full-size demo passes the disclosure policy (2.9% of stops unique against 5%;
        # docs/disclosure.md); a smaller one has too few stops per group to pass, so its
        # threshold is lifted, and the command says so.
        scale = float(run.options.get("records_scale", 1.0))
        lifted = 1.0 if scale < 1 else None
        if lifted is not None:
            run.say(
                f"At records scale {scale:g} the stops are too few to pass the disclosure "
                "policy, which the full-size demo passes: publishing with its threshold lifted."
            )
        try:
            summary = publish_release(max_unique_share=lifted)
        except PublishError as exc:
            raise CommandError(str(exc)) from exc
        for line in time_zone_lines(summary):
            run.say(line)
        for line in disclosure_lines(summary):
            run.say(line)
        current = current_release()
        if current is None or current.version != summary.version:
            raise CommandError(f"Release {summary.version} was written but is not served.")
        run.say(
            f"Release {summary.version}: {len(summary.tables)} tables, "
            f"{sum(summary.tables.values()):,} rows ({time.monotonic() - started:.1f} s)."
        )
    # Build the release's cache database now, so the first page view does not wait for it.
    started = time.monotonic()
    current.ensure_cache()
    run.say(
        f"Demo release {current.version} published and ready to serve "
        f"(cache built in {time.monotonic() - started:.1f} s).",
        "success",
    )
