"""Feed the back office's officer roster (core.Officer, core.Assignment) from imported rosters.

Rosters arrive like any other source: imported into the record store as `roster` and
`roster_assignment` records. Syncing an agency writes them into the relational roster through
the ORM, so every officer and assignment created or changed is audit-logged. It is idempotent:
syncing again changes nothing unless the store changed. Assignments are added, never deleted,
since the relational roster may hold history the source no longer lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from commonbeat.core.models import Agency, Assignment, Officer
from commonbeat.core.vocab import Gender, Race
from commonbeat.records.mapping import all_mappings
from commonbeat.records.sql import quote_literal
from commonbeat.records.store import RecordStore

# Roster statuses as sources write them, in the relational roster's terms.
STATUSES = {
    "active": Officer.Status.ACTIVE,
    "inactive": Officer.Status.SEPARATED,
    "separated": Officer.Status.SEPARATED,
    "resigned": Officer.Status.SEPARATED,
    "terminated": Officer.Status.SEPARATED,
    "retired": Officer.Status.RETIRED,
    "deceased": Officer.Status.DECEASED,
    "leave": Officer.Status.LEAVE,
    "suspended": Officer.Status.SUSPENDED,
}


@dataclass
class SyncSummary:
    officers_created: int = 0
    officers_updated: int = 0
    officers_unchanged: int = 0
    assignments_created: int = 0


class RosterError(Exception):
    """The roster cannot be synced; the message says why."""


def _officer_values(row: dict[str, Any]) -> dict[str, Any]:
    separation = row["separation_date"]
    raw_status = (row["status"] or "").strip().lower()
    status = STATUSES.get(raw_status) or (
        Officer.Status.SEPARATED if separation else Officer.Status.ACTIVE
    )
    return {
        "first_name": (row["first_name"] or "")[:100],
        "last_name": (row["last_name"] or "")[:100],
        "gender": row["gender"] if row["gender"] in Gender.values else Gender.NOT_RECORDED,
        "race": row["race"] if row["race"] in Race.values else Race.NOT_RECORDED,
        "birth_year": row["birth_year"],
        "employment_date": row["appointed_date"],
        # A separation before appointment would break the roster's own constraint.
        "separation_date": separation
        if not row["appointed_date"] or not separation or separation >= row["appointed_date"]
        else None,
        "status": status,
    }


def officer_uid(source: str, record_id: str) -> str:
    """Return the relational roster's uid of a roster record (what `sync_roster` writes)."""
    return f"{source}:{record_id}"[:64]


def roster_uid_sql(alias: str) -> str:
    """SQL giving a record store `roster` row's uid on the relational roster (`officer_uid`)."""
    return f"left({alias}.source || ':' || {alias}.record_id, 64)"


def officer_uid_sql(alias: str) -> str:
    """SQL giving, for a record store row with `source` and `officer_id` (an allegation, a
    force officer), the uid of the rostered officer it names: `<roster>:<officer_id>` where
    the row's mapping declares its `officer_roster`, the `officer_id` itself otherwise."""
    cases = " ".join(
        f"WHEN {quote_literal(name)} THEN left({quote_literal(m.officer_roster + ':')} || {alias}.officer_id, 64)"
        for name, m in sorted(all_mappings().items())
        if m.officer_roster
    )
    return (
        f"CASE {alias}.source {cases} ELSE {alias}.officer_id END"
        if cases
        else f"{alias}.officer_id"
    )


def sync_roster(
    store: RecordStore,
    agency_slug: str,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyncSummary:
    """Create or update the agency's officers and their assignments from the store."""
    agency = Agency.objects.filter(slug=agency_slug).first()
    if agency is None:
        raise RosterError(
            f"There is no agency {agency_slug!r}: create it in the back office first."
        )
    con = store.connect()
    try:
        where = "agency = ?" + (" AND source = ?" if source else "")
        params = [agency_slug, *([source] if source else [])]
        officers = _rows(
            con,
            f"SELECT * FROM roster WHERE {where} ORDER BY source, record_id",  # noqa: S608  fixed conditions; values are ? parameters
            params,
        )
        # Officers and assignments often come in two files of different layouts (so from two
        # mappings); within an agency, the officer identifier pairs them.
        assignments = _rows(
            con,
            "SELECT * FROM roster_assignment WHERE agency = ? ORDER BY parent_id, start_date",
            [agency_slug],
        )
    finally:
        con.close()
    if not officers:
        raise RosterError(
            f"The record store holds no roster for {agency_slug!r}: import one first."
        )
    by_officer: dict[str, list[dict[str, Any]]] = {}
    for row in assignments:
        by_officer.setdefault(row["parent_id"], []).append(row)
    summary = SyncSummary()
    with transaction.atomic():
        for done, row in enumerate(officers, start=1):
            uid = officer_uid(row["source"], row["record_id"])
            officer = Officer.objects.filter(uid=uid).first()
            values = _officer_values(row)
            if officer is None:
                officer = Officer.objects.create(agency=agency, uid=uid, **values)
                summary.officers_created += 1
            elif any(getattr(officer, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(officer, key, value)
                officer.save()
                summary.officers_updated += 1
            else:
                summary.officers_unchanged += 1
            summary.assignments_created += _sync_assignments(
                officer, by_officer.get(row["record_id"], [])
            )
            if progress and (done % 500 == 0 or done == len(officers)):
                progress(done, len(officers))
    return summary


def _sync_assignments(officer: Officer, rows: list[dict[str, Any]]) -> int:
    existing = {(a.badge_number, a.rank, a.unit, a.start_date) for a in officer.assignments.all()}
    created = 0
    for row in rows:
        # The relational roster needs a start date; an undated assignment starts with the job.
        start: date | None = row["start_date"] or officer.employment_date
        if start is None:
            continue
        end = row["end_date"] if row["end_date"] and row["end_date"] >= start else None
        key = (
            row["badge_number"] or "",
            (row["rank"] or "")[:80],
            (row["unit"] or "")[:120],
            start,
        )
        if key in existing:
            continue
        Assignment.objects.create(
            officer=officer,
            badge_number=key[0][:20],
            rank=key[1] or "Unknown",
            unit=key[2],
            start_date=start,
            end_date=end,
        )
        existing.add(key)
        created += 1
    return created


def _rows(con: Any, query: str, params: list[Any]) -> list[dict[str, Any]]:
    result = con.execute(query, params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
