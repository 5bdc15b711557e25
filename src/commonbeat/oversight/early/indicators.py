"""Early-intervention indicators: per officer, counts over a rolling window, beside peers.

For each officer assigned on the window's last day (`as_of`) and each indicator (complaints,
allegations, sustained allegations, force incidents, subjects injured in those incidents):

- the officer's count in the window (`as_of - window_days + 1` to `as_of`, both included);
- the median count of their peers, the other officers in the same agency, unit and shift on
  `as_of`, and the ratio of the count to that median (to the greater of the median and 1, so
  a zero median does not make every single event "infinitely" above the peers);
- their percentile among officers of the agency with the same completed years of service on
  `as_of` (the Citizens Police Data Project's comparison), with the cohort's size.

Counts come from every registered `CountSource`: the record store's historic records and the
oversight workflow's allegations are registered here; another area (use-of-force reports)
adds its own with `COUNT_SOURCES.register(CountSource(...))` from `OversightConfig.ready()`,
without this module naming it. docs/oversight.md ("Early intervention") gives the reasons.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from commonbeat.core.models import Assignment, Officer
from commonbeat.core.registry import Registry
from commonbeat.oversight.cases.models import Allegation, Complaint, InvolvedOfficer
from commonbeat.records.roster import officer_uid_sql
from commonbeat.records.store import RecordStore, default_store

COMPLAINTS = "complaints"
ALLEGATIONS = "allegations"
SUSTAINED = "sustained"
FORCE_INCIDENTS = "force_incidents"
FORCE_INJURIES = "force_injuries"

INDICATORS = {
    COMPLAINTS: _("Complaints naming the officer"),
    ALLEGATIONS: _("Allegations against the officer"),
    SUSTAINED: _("Sustained allegations"),
    FORCE_INCIDENTS: _("Use-of-force incidents"),
    FORCE_INJURIES: _("Subjects injured in the officer's use-of-force incidents"),
}
INDICATOR_CHOICES = list(INDICATORS.items())

# Below these sizes a comparison is shown but marked as resting on too few officers.
MIN_PEERS = 5
MIN_COHORT = 10


@dataclass(frozen=True)
class Window:
    """The days counted: `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def ending(cls, as_of: datetime.date, days: int) -> Window:
        if days < 1:
            raise ValueError(f"A window must be at least one day long, not {days}.")
        return cls(as_of - datetime.timedelta(days=days - 1), as_of)


# One count: (agency, officer_id, indicator, count).
CountRow = tuple[str, str, str, int]


@dataclass(frozen=True)
class CountSource:
    """Where some counts come from: `count(window, agency)` yields (agency, officer, indicator,
    count) rows; counts from several sources for one officer and indicator are added."""

    name: str
    count: Callable[[Window, str | None], Iterable[CountRow]]


COUNT_SOURCES: Registry[CountSource] = Registry(
    "early-intervention count sources", key=lambda s: s.name
)


@dataclass(frozen=True)
class Figure:
    """One indicator for one officer: the count and how it compares."""

    count: int
    peer_median: float | None  # None: no peers
    peer_count: int
    ratio: float | None  # count / max(peer_median, 1); None without peers
    percentile: float | None  # None when the years of service are not known
    cohort_size: int  # officers with the same years of service, the officer included
    small_peer_group: bool
    small_cohort: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "peer_median": self.peer_median,
            "peer_count": self.peer_count,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "percentile": None if self.percentile is None else round(self.percentile, 1),
            "cohort_size": self.cohort_size,
            "small_peer_group": self.small_peer_group,
            "small_cohort": self.small_cohort,
        }


@dataclass(frozen=True)
class OfficerIndicators:
    """Every indicator for one officer on one date."""

    officer_id: str
    agency: str
    unit: str
    shift: str
    years_of_service: int | None
    window_start: datetime.date
    as_of: datetime.date
    figures: Mapping[str, Figure] = field(hash=False)

    def figure(self, indicator: str) -> Figure:
        """Return the figure for one indicator."""
        return self.figures[indicator]

    @property
    def peer_key(self) -> tuple[str, str, str]:
        return (self.agency, self.unit, self.shift)


@dataclass(frozen=True)
class _Officer:
    officer_id: str
    agency: str
    unit: str
    shift: str
    years_of_service: int | None


def officer_indicators(
    *,
    as_of: datetime.date,
    window_days: int = 365,
    agency: str | None = None,
    store: RecordStore | None = None,
) -> list[OfficerIndicators]:
    """Return every serving officer's indicators for the window ending on `as_of`."""
    window = Window.ending(as_of, window_days)
    officers = serving_officers(as_of, agency)
    counts = collect_counts(window, agency, store)
    return compare(officers, counts, window)


def serving_officers(as_of: datetime.date, agency: str | None = None) -> list[_Officer]:
    """Return the officers with an assignment on `as_of`: unit, shift, years of service."""
    assignments = (
        Assignment.objects.filter(start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .filter(Q(officer__separation_date__isnull=True) | Q(officer__separation_date__gte=as_of))
        .order_by("officer_id", "-start_date", "-id")
        .values_list(
            "officer_id",
            "officer__uid",
            "officer__agency__slug",
            "unit",
            "shift",
            "officer__employment_date",
        )
    )
    if agency:
        assignments = assignments.filter(officer__agency__slug=agency)
    found: dict[int, _Officer] = {}
    for pk, uid, slug, unit, shift, employed in assignments.iterator(chunk_size=2000):
        if pk in found:  # overlapping assignments: the latest started counts
            continue
        found[pk] = _Officer(uid, slug, unit or "", shift or "", years_of_service(employed, as_of))
    return sorted(found.values(), key=lambda o: (o.agency, o.officer_id))


def years_of_service(employed: datetime.date | None, as_of: datetime.date) -> int | None:
    """Return the completed years of service on a date (None when not known)."""
    if employed is None or employed > as_of:
        return None
    years = as_of.year - employed.year
    if (as_of.month, as_of.day) < (employed.month, employed.day):
        years -= 1
    return years


def collect_counts(
    window: Window, agency: str | None = None, store: RecordStore | None = None
) -> dict[tuple[str, str], dict[str, int]]:
    """Return counts per (agency, officer) and indicator, summed over every source."""
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(INDICATORS, 0)
    )
    sources: list[CountSource] = list(COUNT_SOURCES.values())
    if store is not None:  # a store other than the deployment's (tests, benchmarks)
        sources = [
            CountSource(RECORD_STORE, partial(record_store_counts, store=store))
            if source.name == RECORD_STORE
            else source
            for source in sources
        ]
    for source in sources:
        for slug, officer_id, indicator, value in source.count(window, agency):
            if indicator in INDICATORS and officer_id:
                totals[(slug, str(officer_id))][indicator] += int(value or 0)
    return totals


def compare(
    officers: list[_Officer],
    counts: Mapping[tuple[str, str], Mapping[str, int]],
    window: Window,
) -> list[OfficerIndicators]:
    """Return each officer's figures against their peers and their service-year cohort."""
    zero = dict.fromkeys(INDICATORS, 0)

    def count_of(officer: _Officer, indicator: str) -> int:
        return counts.get((officer.agency, officer.officer_id), zero)[indicator]

    peers: dict[tuple[str, str, str], list[_Officer]] = defaultdict(list)
    cohorts: dict[tuple[str, int], list[_Officer]] = defaultdict(list)
    for officer in officers:
        peers[(officer.agency, officer.unit, officer.shift)].append(officer)
        if officer.years_of_service is not None:
            cohorts[(officer.agency, officer.years_of_service)].append(officer)
    sorted_peers = {
        (key, indicator): sorted(count_of(o, indicator) for o in group)
        for key, group in peers.items()
        for indicator in INDICATORS
    }
    sorted_cohorts = {
        (key, indicator): sorted(count_of(o, indicator) for o in group)
        for key, group in cohorts.items()
        for indicator in INDICATORS
    }
    result = []
    for officer in officers:
        figures = {}
        for indicator in INDICATORS:
            value = count_of(officer, indicator)
            group = sorted_peers[((officer.agency, officer.unit, officer.shift), indicator)]
            median = median_without(group, value)
            cohort = (
                sorted_cohorts[((officer.agency, officer.years_of_service), indicator)]
                if officer.years_of_service is not None
                else []
            )
            figures[indicator] = Figure(
                count=value,
                peer_median=median,
                peer_count=len(group) - 1,
                ratio=None if median is None else value / max(median, 1.0),
                percentile=mid_rank_percentile(cohort, value) if cohort else None,
                cohort_size=len(cohort),
                small_peer_group=len(group) - 1 < MIN_PEERS,
                small_cohort=len(cohort) < MIN_COHORT,
            )
        result.append(
            OfficerIndicators(
                officer_id=officer.officer_id,
                agency=officer.agency,
                unit=officer.unit,
                shift=officer.shift,
                years_of_service=officer.years_of_service,
                window_start=window.start,
                as_of=window.end,
                figures=figures,
            )
        )
    return result


def median_without(ordered: list[int], value: int) -> float | None:
    """Return the median of a sorted list with one occurrence of `value` taken out."""
    index = bisect_left(ordered, value)
    size = len(ordered) - 1
    if size <= 0:
        return None

    def at(k: int) -> int:
        return ordered[k] if k < index else ordered[k + 1]

    return (at((size - 1) // 2) + at(size // 2)) / 2


def mid_rank_percentile(ordered: list[int], value: int) -> float:
    """Return 100 x (officers below + half of those equal, the officer included) / all."""
    below = bisect_left(ordered, value)
    equal = bisect_right(ordered, value) - below
    return 100.0 * (below + 0.5 * equal) / len(ordered)


# The sources registered here -----------------------------------------------------------------

RECORD_STORE = "record_store"
WORKFLOW = "workflow_allegations"

# Officers are named by the roster uid their records stand for (records/roster.py), so that
# the CCRB's ids, say, count for the officer synced from its officer files.
_COMPLAINT_SQL = """
SELECT a.agency, {uid} AS officer_id,
       count(DISTINCT a.parent_id) AS complaints,
       count(*) AS allegations,
       sum(CASE WHEN a.final_finding = 'sustained' THEN 1 ELSE 0 END) AS sustained
FROM allegation a
JOIN complaint c ON c.agency = a.agency AND c.record_id = a.parent_id
WHERE a.officer_id IS NOT NULL
  AND coalesce(c.received_date, c.incident_date) BETWEEN ? AND ?
  {agency}
GROUP BY ALL
"""

_FORCE_SQL = """
WITH incidents AS (
    SELECT agency, record_id FROM force_incident
    WHERE occurred_date BETWEEN ? AND ? {agency}
), injured AS (
    SELECT agency, parent_id, sum(CASE WHEN injured THEN 1 ELSE 0 END) AS subjects
    FROM force_subject GROUP BY agency, parent_id
), involved AS (
    SELECT DISTINCT agency, parent_id, {uid} AS officer_id FROM force_officer f
    WHERE officer_id IS NOT NULL
)
SELECT o.agency, o.officer_id, count(*) AS incidents, sum(coalesce(j.subjects, 0)) AS injuries
FROM involved o
JOIN incidents i ON i.agency = o.agency AND i.record_id = o.parent_id
LEFT JOIN injured j ON j.agency = o.agency AND j.parent_id = o.parent_id
GROUP BY o.agency, o.officer_id
"""


def record_store_counts(
    window: Window, agency: str | None = None, store: RecordStore | None = None
) -> Iterable[CountRow]:
    """Yield complaint and force counts from the record store's historic records."""
    store = store or default_store()
    con = store.connect()
    try:
        params: list[object] = [window.start, window.end]
        if agency:
            params.append(agency)
        complaint_sql = _COMPLAINT_SQL.format(
            agency="AND a.agency = ?" if agency else "", uid=officer_uid_sql("a")
        )
        for slug, officer, complaints, allegations, sustained in con.execute(
            complaint_sql, params
        ).fetchall():
            yield (slug, officer, COMPLAINTS, complaints)
            yield (slug, officer, ALLEGATIONS, allegations)
            yield (slug, officer, SUSTAINED, sustained)
        force_sql = _FORCE_SQL.format(
            agency="AND agency = ?" if agency else "", uid=officer_uid_sql("f")
        )
        for slug, officer, incidents, injuries in con.execute(force_sql, params).fetchall():
            yield (slug, officer, FORCE_INCIDENTS, incidents)
            yield (slug, officer, FORCE_INJURIES, injuries)
    finally:
        con.close()


def workflow_counts(window: Window, agency: str | None = None) -> Iterable[CountRow]:
    """Yield complaint counts from the oversight workflow's cases (accused, on the roster)."""
    rows = Allegation.objects.filter(
        complaint__kind=Complaint.Kind.COMPLAINT,
        complaint__received_at__date__gte=window.start,
        complaint__received_at__date__lte=window.end,
        accused__role=InvolvedOfficer.Role.ACCUSED,
        accused__officer__isnull=False,
    )
    if agency:
        rows = rows.filter(accused__officer__agency__slug=agency)
    for row in (
        rows.values("accused__officer__agency__slug", "accused__officer__uid")
        .annotate(
            complaints=Count("complaint", distinct=True),
            allegations=Count("id"),
            sustained=Count("id", filter=Q(final_finding="sustained")),
        )
        .order_by()
    ):
        key = (row["accused__officer__agency__slug"], row["accused__officer__uid"])
        yield (*key, COMPLAINTS, row["complaints"])
        yield (*key, ALLEGATIONS, row["allegations"])
        yield (*key, SUSTAINED, row["sustained"])


COUNT_SOURCES.register(CountSource(RECORD_STORE, record_store_counts))
COUNT_SOURCES.register(CountSource(WORKFLOW, workflow_counts))


def officer_names(officer_ids: Iterable[str]) -> dict[str, Officer]:
    """Return the roster's officers by uid (for staff pages)."""
    return {o.uid: o for o in Officer.objects.filter(uid__in=list(officer_ids))}
