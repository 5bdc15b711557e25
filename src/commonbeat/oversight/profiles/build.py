"""What a public officer profile holds, gathered when a release is published.

Every officer on the relational roster (core.Officer, fed by imported rosters and the back
office) gets a profile: name, current rank, unit and badge, assignment history, and counts of
their **closed** cases (workflow cases and historic records alike), commendations and force
incidents, with percentiles from early intervention's indicators. Open cases are left out:
an allegation is public once it has a final finding, never while it is being investigated.

What never leaves: the roster's internal identifier (profiles are addressed by a keyed digest
of it), birth year, gender, race, anything about complainants or witnesses, narratives and the
staff's own wording of workflow allegations. Historic records are linked to a rostered officer
to a rostered officer by the uid their officer identifier stands for (records/roster.py
`officer_uid_sql`: declared by the source's mapping, never guessed from a matching number).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from commonbeat.core.models import Assignment, Officer
from commonbeat.oversight.cases.models import Allegation, Complaint, InvolvedOfficer
from commonbeat.oversight.early import indicators
from commonbeat.records.roster import officer_uid_sql, roster_uid_sql
from commonbeat.records.store import RecordStore

# Percentiles compare the last five years (CPDP compares whole careers; five years keeps a
# veteran's long-ago record from dominating, and matches the window the page states).
PERCENTILE_YEARS = 5
# The roster's open-ended history is kept, but a profile lists at most this many stretches.
MAX_ASSIGNMENTS = 60


def public_key(uid: str) -> str:
    """Return the digest that stands for an officer in public (stable while SECRET_KEY is)."""
    return salted_hmac("commonbeat.oversight.profiles", uid).hexdigest()[:10]


def profile_slug(first: str, last: str, uid: str) -> str:
    """Return the profile's address: the name, readable, then the keyed digest."""
    name = slugify(f"{first} {last}")[:60] or "officer"
    return f"{name}-{public_key(uid)}"


def search_key(text: str) -> str:
    """Return text as the search compares it: no accents, lower case, single spaces."""
    folded = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("-", " ").split())


def month(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%Y-%m")


@dataclass(frozen=True)
class Roster:
    """The officers profiled, as Arrow tables for the release's DuckDB connection."""

    officers: pa.Table  # one row per officer: slug and public fields
    keys: pa.Table  # (agency, uid, officer): how historic records reach a profile
    assignments: pa.Table
    slugs: dict[int, str]  # Officer.pk → slug (for the workflow's rows)
    by_uid: dict[tuple[str, str], str]  # (agency, uid) → slug


def roster() -> Roster:
    """Read the roster and its assignments (two queries, streamed)."""
    officers: dict[str, list[object]] = defaultdict(list)
    keys: dict[str, list[object]] = defaultdict(list)
    slugs: dict[int, str] = {}
    by_uid: dict[tuple[str, str], str] = {}
    rows = Officer.objects.order_by("pk").values_list(
        "pk", "uid", "agency__slug", "first_name", "middle_initial", "last_name", "status"
    )
    for pk, uid, agency, first, middle, last, status in rows.iterator(chunk_size=5000):
        slug = profile_slug(first, last, uid)
        slugs[pk] = slug
        by_uid[(agency, uid)] = slug
        name = " ".join(part for part in (first, middle, last) if part)
        for column, value in (
            ("agency", agency),
            ("officer", slug),
            ("name", name),
            ("first_name", first),
            ("last_name", last),
            ("status", status),
            ("name_search", search_key(name)),
        ):
            officers[column].append(value)
        keys["agency"].append(agency)
        keys["uid"].append(uid)
        keys["officer"].append(slug)
    history: dict[str, list[object]] = defaultdict(list)
    current: dict[int, tuple[str, str, str]] = {}
    badges: dict[int, set[str]] = defaultdict(set)
    listed: dict[int, int] = defaultdict(int)
    stretches = Assignment.objects.order_by("officer_id", "-start_date", "-id").values_list(
        "officer_id", "rank", "unit", "badge_number", "start_date", "end_date"
    )
    for pk, rank, unit, badge, start, end in stretches.iterator(chunk_size=5000):
        if pk not in slugs:
            continue
        if badge:
            badges[pk].add(badge)
        current.setdefault(pk, (rank, unit, badge))
        listed[pk] += 1
        if listed[pk] > MAX_ASSIGNMENTS:
            continue
        stretch: tuple[tuple[str, str | None], ...] = (
            ("officer", slugs[pk]),
            ("rank", rank),
            ("unit", unit or None),
            ("badge", badge or None),
            ("start", month(start)),
            ("end", month(end)),
        )
        for column, cell in stretch:
            history[column].append(cell)
    for pk in slugs:
        rank, unit, badge = current.get(pk, ("", "", ""))
        officers["rank"].append(rank or None)
        officers["unit"].append(unit or None)
        officers["badge"].append(badge or None)
        # Every badge the officer has held, for the search: " 123 4567 ".
        officers["badges"].append(" " + " ".join(sorted(badges.get(pk, ()))) + " ")
    return Roster(
        officers=pa.table(officers, schema=_OFFICER_SCHEMA)
        if slugs
        else _OFFICER_SCHEMA.empty_table(),
        keys=pa.table(keys, schema=_KEY_SCHEMA) if slugs else _KEY_SCHEMA.empty_table(),
        assignments=pa.table(history, schema=_ASSIGNMENT_SCHEMA)
        if history
        else _ASSIGNMENT_SCHEMA.empty_table(),
        slugs=slugs,
        by_uid=by_uid,
    )


_STRING = pa.string()
_OFFICER_SCHEMA = pa.schema(
    [(name, _STRING) for name in ("agency", "officer", "name", "first_name", "last_name",
                                   "status", "name_search", "rank", "unit", "badge", "badges")]
)  # fmt: skip
_KEY_SCHEMA = pa.schema([("agency", _STRING), ("uid", _STRING), ("officer", _STRING)])
_ASSIGNMENT_SCHEMA = pa.schema(
    [(name, _STRING) for name in ("officer", "rank", "unit", "badge", "start", "end")]
)
CASE_COLUMNS = (
    "officer", "origin", "kind", "case", "received", "closed", "category", "allegation",
    "finding", "discipline",
)  # fmt: skip
_CASE_SCHEMA = pa.schema([(name, _STRING) for name in CASE_COLUMNS])


def workflow_cases(slugs: dict[int, str]) -> pa.Table:
    """Closed workflow cases: each allegation against a rostered officer with its final finding
    and discipline, and each commendation naming one. The allegation's wording is the staff's
    own and may echo the complainant, so only its category is published."""
    columns: dict[str, list[object]] = {name: [] for name in CASE_COLUMNS}

    def add(*values: object) -> None:
        for name, value in zip(CASE_COLUMNS, values, strict=True):
            columns[name].append(value)

    closed = Q(complaint__closed_at__isnull=False, complaint__duplicate_of__isnull=True)
    allegations = (
        Allegation.objects.filter(closed, accused__officer__isnull=False)
        .filter(complaint__kind=Complaint.Kind.COMPLAINT)
        .order_by("complaint__closed_at", "id")
        .values_list(
            "accused__officer_id", "complaint_id", "complaint__received_at",
            "complaint__closed_at", "category", "final_finding", "final_discipline",
        )
    )  # fmt: skip
    for officer, case, received, closed_at, category, finding, discipline in allegations.iterator():
        if officer in slugs:
            add(slugs[officer], "workflow", "complaint", _case_key(f"w{case}"), month(received),
                month(closed_at), category or None, None, finding or None, discipline or None)  # fmt: skip
    commended = (
        InvolvedOfficer.objects.filter(closed, officer__isnull=False)
        .filter(role=InvolvedOfficer.Role.COMMENDED, complaint__kind=Complaint.Kind.COMMENDATION)
        .order_by("complaint__closed_at", "id")
        .values_list("officer_id", "complaint_id", "complaint__received_at", "complaint__closed_at")
    )
    for officer, case, received, closed_at in commended.iterator():
        if officer in slugs:
            add(slugs[officer], "workflow", "commendation", _case_key(f"w{case}"),
                month(received), month(closed_at), None, None, None, None)  # fmt: skip
    return pa.table(columns, schema=_CASE_SCHEMA)


def _case_key(case: str) -> str:
    # Cases are told apart on a profile without revealing the tracking code or record id.
    return salted_hmac("commonbeat.oversight.profiles.case", case).hexdigest()[:10]


# The imported roster's current rank, unit and badge for each profiled officer, by the uid
# `sync_roster` gave them (records/roster.py `officer_uid`).
ROSTER_SQL = f"""
    SELECT DISTINCT ON (k.officer) k.officer, nullif(r.rank, '') AS rank,
           nullif(r.unit, '') AS unit, nullif(r.badge_number, '') AS badge
    FROM roster r JOIN ov_p_keys k
      ON k.agency = r.agency AND k.uid = {roster_uid_sql("r")}
    ORDER BY k.officer
"""  # noqa: S608  our own SQL


def historic_sql() -> str:
    """The record store's allegations with a final finding, linked to profiled officers
    through `ov_p_keys`; the case key is a keyed digest, computed in `historic_cases`."""
    return f"""
        SELECT k.officer, a.agency, a.parent_id,
               strftime(c.received_date, '%Y-%m') AS received,
               strftime(coalesce(c.closed_date, CASE WHEN c.days_to_close IS NOT NULL
                   THEN c.received_date + CAST(c.days_to_close AS INTEGER) END), '%Y-%m') AS closed,
               a.category, a.allegation, a.final_finding AS finding, a.final_discipline AS discipline
        FROM allegation a
        JOIN ov_p_keys k ON k.agency = a.agency AND k.uid = {officer_uid_sql("a")}
        LEFT JOIN (SELECT DISTINCT ON (agency, record_id) * FROM complaint) c
          ON c.agency = a.agency AND c.record_id = a.parent_id
        WHERE a.final_finding IS NOT NULL AND a.final_finding NOT IN ('pending', '')
    """  # noqa: S608  our own SQL: mapping names from code, no outside value


def historic_cases(rows: Iterable[tuple[object, ...]]) -> pa.Table:
    """Historic allegations (rows of `historic_sql()`) in the profile's case columns."""
    columns: dict[str, list[object]] = {name: [] for name in CASE_COLUMNS}
    for (
        officer,
        agency,
        parent,
        received,
        closed,
        category,
        allegation,
        finding,
        discipline,
    ) in rows:
        for name, value in zip(
            CASE_COLUMNS,
            (officer, "historic", "complaint", _case_key(f"h{agency}:{parent}"), received,
             closed, category, allegation, finding, discipline),
            strict=True,
        ):  # fmt: skip
            columns[name].append(value)
    return pa.table(columns, schema=_CASE_SCHEMA)


def figures(
    by_uid: dict[tuple[str, str], str], as_of: datetime.date, store: RecordStore
) -> pa.Table:
    """Force incidents over the whole record and percentiles over the last five years, per
    profiled officer: early intervention's indicators, counted from every registered source."""
    force: dict[str, int] = defaultdict(int)
    whole = indicators.Window(datetime.date(1900, 1, 1), as_of)
    for key, counts in indicators.collect_counts(whole, store=store).items():
        found = by_uid.get(key)
        if found is not None:
            force[found] += counts[indicators.FORCE_INCIDENTS]
    recent = indicators.officer_indicators(
        as_of=as_of, window_days=365 * PERCENTILE_YEARS, store=store
    )
    columns: dict[str, list[object]] = {name: [] for name in _FIGURE_SCHEMA.names}
    seen: set[str] = set()
    for row in recent:
        profiled = by_uid.get((row.agency, row.officer_id))
        if profiled is None or profiled in seen:
            continue
        seen.add(profiled)
        columns["officer"].append(profiled)
        columns["force_incidents"].append(force.get(profiled, 0))
        columns["years_of_service"].append(row.years_of_service)
        columns["cohort_size"].append(row.figure(indicators.COMPLAINTS).cohort_size)
        for indicator, column in PERCENTILES.items():
            value = row.figure(indicator).percentile
            columns[column].append(None if value is None else round(value, 1))
    for slug, count in force.items():
        if slug not in seen:  # no longer serving: counts, but no comparison with peers
            columns["officer"].append(slug)
            columns["force_incidents"].append(count)
            for column in ("years_of_service", "cohort_size", *PERCENTILES.values()):
                columns[column].append(None)
    return pa.table(columns, schema=_FIGURE_SCHEMA)


PERCENTILES = {
    indicators.COMPLAINTS: "complaints_percentile",
    indicators.SUSTAINED: "sustained_percentile",
    indicators.FORCE_INCIDENTS: "force_percentile",
}
_FIGURE_SCHEMA = pa.schema(
    [
        ("officer", _STRING),
        ("force_incidents", pa.int64()),
        ("years_of_service", pa.int64()),
        ("cohort_size", pa.int64()),
        ("complaints_percentile", pa.float64()),
        ("sustained_percentile", pa.float64()),
        ("force_percentile", pa.float64()),
    ]
)
