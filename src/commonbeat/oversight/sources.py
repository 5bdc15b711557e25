"""Where one area's records feed another's figures (or the release) without either naming the other.

The force area sits below early intervention, so it cannot register its reports as a count
source itself, and early intervention may not import it: the app's `ready()` joins them here.
"""

from __future__ import annotations

from collections.abc import Iterable

from commonbeat.core.models import Agency, Officer
from commonbeat.oversight.early.indicators import (
    FORCE_INCIDENTS,
    FORCE_INJURIES,
    CountRow,
    CountSource,
    Window,
)
from commonbeat.oversight.force import services as force
from commonbeat.oversight.release import TableSource


def force_report_counts(window: Window, agency: str | None = None) -> Iterable[CountRow]:
    """Yield use-of-force reports (beyond draft) per officer named in them, by incident date.

    An agency that files its reports in Commonbeat does not also import them as records, so
    these add to the record store's incidents without counting one incident twice.
    """
    chosen = None if agency is None else Agency.objects.filter(slug=agency).first()
    if agency is not None and chosen is None:
        return
    counts = force.officer_incident_counts(window.start, window.end, agency=chosen)
    officers = Officer.objects.filter(pk__in=counts).values_list("pk", "agency__slug", "uid")
    for pk, agency_slug, uid in officers:
        yield agency_slug, uid, FORCE_INCIDENTS, counts[pk]["incidents"]
        yield agency_slug, uid, FORCE_INJURIES, counts[pk]["subject_injuries"]


FORCE_REPORTS = CountSource("force_reports", force_report_counts)

# The force area's review outcomes, one row a month, in oversight's release contribution.
FORCE_REVIEWS = TableSource(
    "oversight_force_reviews",
    "Use-of-force reports submitted and reviewed each month, and the reviews' outcomes; "
    "counts from 1 to the release's minimum withheld.",
    [
        ("month", "string", "Month of the incident (YYYY-MM)."),
        ("submitted", "integer", "Reports submitted for review."),
        ("reviewed", "integer", "Reports whose review is finished."),
        ("within_policy", "integer", "Found within policy."),
        ("training_needed", "integer", "Found to need training."),
        ("referred", "integer", "Referred to investigation."),
    ],
    ["month"],
    lambda: force.review_outcome_counts(),
    ("submitted", "reviewed", "within_policy", "training_needed", "referred"),
)
