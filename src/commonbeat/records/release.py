"""The record store's contribution to a release: its public tables, then small-cell aggregates.

For each record type that publishes rows, the public columns only (records/privacy.py), one row
per (source, agency, record), each measured for disclosure risk and refused above the
threshold when it is about people (records/disclosure.py); then the aggregate tables below,
with counts under the release's `min_count` withheld. Types about people that publish counts
only (force subjects and officers, complainants, rosters) are row-level only where the
operator lists them in PUBLISH_PERSON_ROWS. Use-of-force incidents carry how many people force
was used on and officers were involved (and how many of each were injured), so the dashboards
need no person rows. Registered as the first release contributor by RecordsConfig.ready().
"""

from __future__ import annotations

from commonbeat.records import disclosure
from commonbeat.records.contributions import Contributor, ReleaseContext
from commonbeat.records.privacy import PublicField, public_fields
from commonbeat.records.schema import RECORD_TYPES
from commonbeat.records.sql import quote_ident
from commonbeat.records.store import RecordStore

# Aggregates published beside the row-level tables: (name, record type, dimensions).
AGGREGATES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "stop_counts",
        "stop",
        (
            "agency",
            "neighbourhood",
            "occurred_month",
            "subject_race",
            "search_conducted",
            "outcome",
        ),
    ),
    (
        "call_counts",
        "call",
        ("agency", "neighbourhood", "received_month", "discipline", "priority"),
    ),
    ("crime_counts", "crime", ("agency", "neighbourhood", "occurred_month", "category", "cleared")),
    ("force_incident_counts", "force_incident", ("agency", "neighbourhood", "occurred_month")),
    ("complaint_counts", "complaint", ("agency", "received_month", "category")),
    ("allegation_counts", "allegation", ("agency", "category", "final_finding")),
    ("complainant_counts", "complainant", ("agency", "complainant_race", "complainant_gender")),
    (
        "force_subject_counts",
        "force_subject",
        ("agency", "subject_race", "subject_gender", "subject_age_range", "injured"),
    ),
    (
        "force_officer_counts",
        "force_officer",
        ("agency", "officer_race", "officer_gender", "years_of_service_band", "injured"),
    ),
    ("roster_counts", "roster", ("agency", "status", "rank", "race", "gender")),
)

# Counts of child rows each published row carries: (column, child type, condition, meaning).
CHILD_COUNTS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "force_incident": (
        ("subjects", "force_subject", "true", "People force was used on in the incident."),
        ("subjects_injured", "force_subject", "injured", "Of them, how many were injured."),
        (
            "subject_injury_missing",
            "force_subject",
            "injured IS NULL",
            "Of them, how many have no injury recorded either way.",
        ),
        ("officers", "force_officer", "true", "Officers involved in the incident."),
        ("officers_injured", "force_officer", "injured", "Of them, how many were injured."),
        (
            "officer_injury_missing",
            "force_officer",
            "injured IS NULL",
            "Of them, how many have no injury recorded either way.",
        ),
    )
}


def contribute(context: ReleaseContext) -> None:
    """Write every record type's public rows and every aggregate the store has records for."""
    store = context.store
    for name, record_type in RECORD_TYPES.items():
        if store.count(name) == 0 or not context.treatment.publishes_rows(record_type):
            continue
        fields = public_fields(record_type, context.grid_metres, context.treatment)
        fields += _child_counts(store, name)
        selects = ", ".join(f"{f.sql} AS {quote_ident(f.name)}" for f in fields)
        # One row per (source, agency, record) even if a source's files overlap (a record
        # exported twice); the newest file wins. Identifiers are only unique per agency.
        query = (
            f"SELECT {selects} FROM (SELECT * FROM {name} "  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            f"QUALIFY row_number() OVER (PARTITION BY source, agency, record_id ORDER BY filename DESC) = 1) "
            f"AS {name} ORDER BY source, agency, record_id"
        )
        context.write_table(
            name,
            query,
            fields,
            ["source", "agency", "record_id"],
            record_type.description,
            record_types=(name,),
        )
        disclosure.assess(context, name, record_type)
        context.record_types.add(name)
    for name, record_type_name, dimensions in AGGREGATES:
        if store.count(record_type_name) == 0:
            continue
        _write_aggregate(context, name, record_type_name, dimensions)
        context.record_types.add(record_type_name)


def _child_counts(store: RecordStore, name: str) -> list[PublicField]:
    # Empty (not 0) where the store has no child rows of that type: the source did not say.
    out = []
    for column, child, condition, meaning in CHILD_COUNTS.get(name, ()):
        sql = "NULL::BIGINT"
        if store.count(child):
            sql = (
                f"(SELECT count(*) FILTER (WHERE {condition}) FROM {child} AS c "  # noqa: S608  names fixed in code
                f"WHERE c.agency = {name}.agency AND c.parent_id = {name}.record_id)"
            )
        out.append(PublicField(column, "integer", meaning, sql))
    return out


def _write_aggregate(
    context: ReleaseContext, name: str, record_type_name: str, dimensions: tuple[str, ...]
) -> None:
    min_count = context.min_count
    record_type = RECORD_TYPES[record_type_name]
    available = {
        f.name: f for f in public_fields(record_type, context.grid_metres, context.treatment)
    }
    dims = [d for d in dimensions if d in available]
    # Missing dimension values are published as "unknown", so the key columns are never empty.
    select_dims = ", ".join(
        f"coalesce(CAST({available[d].sql} AS VARCHAR), 'unknown') AS {quote_ident(d)}"
        for d in dims
    )
    group = ", ".join(str(i + 1) for i in range(len(dims)))
    query = (
        f"SELECT {select_dims}, CASE WHEN count(*) >= {int(min_count)} THEN count(*) END AS records, "  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
        f"count(*) < {int(min_count)} AS suppressed FROM {record_type_name} GROUP BY {group} ORDER BY {group}"
    )
    fields = [PublicField(d, "string", available[d].description, "") for d in dims] + [
        PublicField(
            "records",
            "integer",
            f"Number of records; empty when fewer than {min_count} (suppressed).",
            "",
        ),
        PublicField(
            "suppressed",
            "boolean",
            f"Whether the count was withheld because it was under {min_count}.",
            "",
        ),
    ]
    description = (
        f"Counts of {record_type.title.lower()} by {', '.join(dims)}, small cells suppressed."
    )
    context.write_table(
        name, query, fields, dims, description, kind="aggregate", record_types=(record_type_name,)
    )


CONTRIBUTOR = Contributor("records", contribute)
