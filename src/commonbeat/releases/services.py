"""Operations that make releases; the `publish` command and the demo call these."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from commonbeat.core.audit import acting_as
from commonbeat.core.models import Agency
from commonbeat.records.contributions import CONTRIBUTORS
from commonbeat.records.privacy import Treatment
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.store import RecordStore, default_store
from commonbeat.releases.models import PublishRun
from commonbeat.releases.publish import PublishError, ReleaseSummary, publish

logger = logging.getLogger(__name__)

# A run still "publishing" after this long died with its process (a restart): it no longer
# blocks the next one.
ABANDONED_AFTER = timedelta(hours=6)


class PublishBusy(Exception):
    """A publication is already running; the message says since when and who started it."""


def publish_release(
    grid_metres: float = 250.0,
    min_count: int | None = None,
    store: RecordStore | None = None,
    releases_dir: Path | None = None,
    equity: bool = True,
    skip: Collection[str] = (),
    max_unique_share: float | None = None,
) -> ReleaseSummary:
    """Publish a new release of the record store, with each agency's time zone from the database.

    The `publish` command and the demo both call this, so a release is made one way only.
    `skip` names release contributors to leave out (`equity` False skips "equity", the equity
    reports). `max_unique_share` overrides DISCLOSURE_MAX_UNIQUE_SHARE (docs/disclosure.md).
    Raises PublishError when there is nothing to publish, a setting is wrong or a table about
    people is above the disclosure threshold.
    """
    time_zones = {
        slug: zone for slug, zone in Agency.objects.values_list("slug", "time_zone") if zone
    }
    licences = {slug: lic for slug, lic in Agency.objects.values_list("slug", "licence") if lic}
    return publish(
        store or default_store(),
        Path(releases_dir or settings.RELEASES_DIR),
        grid_metres=grid_metres,
        min_count=settings.PUBLISH_MIN_COUNT if min_count is None else min_count,
        time_zones=time_zones,
        licences=licences,
        equity=equity,
        skip=skip,
        treatment=treatment(grid_metres),
        max_unique_share=(
            settings.DISCLOSURE_MAX_UNIQUE_SHARE if max_unique_share is None else max_unique_share
        ),
    )


def treatment(grid_metres: float) -> Treatment:
    """Return the disclosure settings' treatment of rows; refuse names of no record type."""
    chosen = {}
    for setting in ("PUBLISH_HOUR_TABLES", "PUBLISH_PERSON_ROWS"):
        names = frozenset(getattr(settings, setting))
        unknown = sorted(names - set(RECORD_TYPES))
        if unknown:
            raise PublishError(
                f"{setting} names {', '.join(unknown)}, which are not record types; "
                f"the record types are: {', '.join(RECORD_TYPES)}."
            )
        chosen[setting] = names
    return Treatment(
        grid_metres=grid_metres,
        person_grid_metres=float(settings.PUBLISH_PERSON_GRID_METRES),
        hour_tables=chosen["PUBLISH_HOUR_TABLES"],
        person_rows=chosen["PUBLISH_PERSON_ROWS"],
    )


def begin_publish(actor: str, user: Any = None) -> PublishRun:
    """Record a new publication in the publish log; refuse while another runs."""
    with acting_as(actor), transaction.atomic():
        stale = timezone.now() - ABANDONED_AFTER
        for old in PublishRun.objects.select_for_update().filter(
            status=PublishRun.Status.RUNNING, started__lt=stale
        ):
            old.status, old.finished = PublishRun.Status.FAILED, timezone.now()
            old.error = gettext("Abandoned: the server stopped while it was publishing.")
            old.save()
        running = PublishRun.objects.filter(status=PublishRun.Status.RUNNING).first()
        if running is not None:
            raise PublishBusy(
                gettext("A release is already being published (started %(when)s by %(who)s).")
                % {
                    "when": timezone.localtime(running.started).strftime("%H:%M"),
                    "who": running.who,
                }
            )
        return PublishRun.objects.create(
            actor=actor,
            user=user if user is not None and getattr(user, "is_authenticated", False) else None,
            step=gettext("Waiting to start"),
        )


def publish_logged(run: PublishRun, **options: Any) -> ReleaseSummary:
    """Publish with `publish_release(**options)`, recording step, outcome and summary in the run.

    Raises what `publish_release` raises, after recording it.
    """
    with acting_as(run.actor):
        run.step = gettext("Writing the public tables, equity reports and checksums")
        run.save()
        try:
            summary = publish_release(**options)
        except PublishError as exc:
            run.status, run.error = PublishRun.Status.FAILED, str(exc)
            raise
        except Exception as exc:
            # A bug of ours: the analyst reads a plain message, the log has the traceback.
            run.status = PublishRun.Status.FAILED
            run.error = gettext(
                "Publishing failed because of an internal error (%(kind)s); nothing was "
                "published, and the details are in the server log."
            ) % {"kind": type(exc).__name__}
            raise
        else:
            run.status = PublishRun.Status.DONE
            run.summary = {"version": summary.version, "tables": summary.tables}
            return summary
        finally:
            run.step = ""
            run.finished = timezone.now()
            run.save()


def start_publish(actor: str, user: Any = None) -> PublishRun:
    """Record a new publication and queue it for the background worker; refuse while another
    runs."""
    from commonbeat.core import jobs

    with transaction.atomic():
        run = begin_publish(actor, user)
        jobs.enqueue("releases.publish", run_id=run.pk)
    return run


def publish_job(job: Any, run_id: int) -> dict[str, Any]:
    """Run a queued publication (the "releases.publish" job), recording it in its run."""
    from commonbeat.core.jobs import JobError

    run = PublishRun.objects.get(pk=run_id)
    if run.status != PublishRun.Status.RUNNING:
        return {"run": run.pk, "status": run.status}  # finished by an earlier attempt
    job.report(gettext("Writing the public tables, equity reports and checksums"), 10)
    try:
        summary = publish_logged(run)
    except PublishError as exc:
        raise JobError(str(exc)) from exc
    except Exception:
        logger.exception("Publishing failed")
        raise
    job.message = gettext("Published release %(version)s.") % {"version": summary.version}
    return {"run": run.pk, "version": summary.version}


def publish_abandoned(job: Any, run_id: int) -> None:
    """The publication's worker died: a release is written to a staging folder and moved into
    place last, so nothing was published; the run says so instead of publishing forever."""
    run = PublishRun.objects.filter(pk=run_id, status=PublishRun.Status.RUNNING).first()
    if run is None:
        return
    run.status, run.finished, run.error = PublishRun.Status.FAILED, timezone.now(), job.message
    with acting_as("command:worker"):  # a publication's end is audited (ReleasesConfig)
        run.save(update_fields=["status", "finished", "error"])


def time_zone_lines(summary: ReleaseSummary) -> list[str]:
    """Return one line per agency of a release: its time zone, where it came from, any note."""
    origin = {"agency": "the agency's record", "source": "its sources", "default": "default"}
    lines = []
    for slug, entry in summary.agencies.items():
        if not entry.get("time_zone"):
            lines.append(f"  {slug:24} time zone NOT KNOWN: clock-time analyses skipped")
        else:
            where = origin.get(entry["time_zone_from"], entry["time_zone_from"])
            lines.append(f"  {slug:24} time zone {entry['time_zone']} ({where})")
        if entry.get("note"):
            lines.append(f"    {entry['note']}")
    return lines


def disclosure_lines(summary: ReleaseSummary) -> list[str]:
    """Return one line per row-level table: its rows unique on its quasi-identifiers."""
    lines = []
    for name, figures in summary.disclosure.items():
        verdict = (
            "not about people"
            if figures["threshold"] is None
            else f"threshold {figures['threshold']:.1%}, passed"
        )
        lines.append(
            f"  {name:24} {figures['unique_rows']:>9,} of {figures['rows']:,} rows unique "
            f"({figures['unique_share']:.1%}), smallest group {figures['smallest_group']}; "
            f"{verdict}"
        )
    return lines


def contribution_lines(summary: ReleaseSummary) -> list[str]:
    """Return what each release contributor says about the section it wrote."""
    lines = []
    for contributor in CONTRIBUTORS.values():
        if contributor.describe is not None and contributor.section in summary.sections:
            lines += contributor.describe(summary.sections[contributor.section])
    return lines
