"""Derived tables the data.police.uk-compatible API reads (release.py builds them once).

Area queries ("stops within a mile of here in May") must not scan millions of rows per
request. So each record type gets a copy sorted by (agency, month, latitude): DuckDB keeps
min/max per row group (zone maps), so a filter on month and a latitude band skips almost every
row group, and only the survivors get the exact radius or polygon test.

Every value the API shows that can be computed from the release alone is computed here, once:
the UK vocabulary labels, the generalised datetime, stable crime identifiers, and the location
id of each grid cell. Only the street names (from neighbourhood names in the database, which
can change between releases) are filled in per request.
"""

from __future__ import annotations

import math

from commonbeat.records.privacy import METRES_PER_DEGREE
from commonbeat.records.sql import quote_literal
from commonbeat.releases.cache import Release, derived

DEFAULT_GRID_METRES = 250.0
# A location id packs the grid cell's row and column into one integer (as data.police.uk's
# street ids are integers): (row + ROW_OFFSET) * COLUMN_SPAN + (column + COLUMN_OFFSET).
# Offsets keep both parts positive for any cell on Earth down to a 10 m grid, and the result
# stays below 2**53, so JavaScript clients read it exactly.
ROW_OFFSET = 1_000_000
COLUMN_OFFSET = 5_000_000
COLUMN_SPAN = 10_000_000


def grid_metres(release: Release) -> float:
    """Return the size of the grid the release snapped locations to."""
    value = release.manifest.get("privacy", {}).get("grid_metres") or DEFAULT_GRID_METRES
    return float(value)


def _location_id_sql(grid: float, latitude: str = "latitude", longitude: str = "longitude") -> str:
    # Coordinates in a release are cell centres, so the row and column are exact after rounding.
    step_lat = grid / METRES_PER_DEGREE
    step_lng = f"({grid!r} / ({METRES_PER_DEGREE!r} * cos(radians({latitude}))))"
    row = f"round({latitude} / {step_lat!r} - 0.5)::BIGINT"
    column = f"round({longitude} / {step_lng} - 0.5)::BIGINT"
    return (
        f"CASE WHEN {latitude} IS NOT NULL AND {longitude} IS NOT NULL THEN "
        f"({row} + {ROW_OFFSET}) * {COLUMN_SPAN} + ({column} + {COLUMN_OFFSET}) END"
    )


def location_id(grid: float, latitude: float, longitude: float) -> int:
    """Return the location id of the grid cell holding a point (as `_location_id_sql` does)."""
    step_lat = grid / METRES_PER_DEGREE
    row = math.floor(latitude / step_lat)
    centre = round((row + 0.5) * step_lat, 6)
    step_lng = grid / (METRES_PER_DEGREE * math.cos(math.radians(centre)))
    column = math.floor(longitude / step_lng)
    return (row + ROW_OFFSET) * COLUMN_SPAN + (column + COLUMN_OFFSET)


def location_latitude(grid: float, location: int) -> float:
    """Return the latitude of the centre of a location id's cell (to prune by latitude)."""
    row = location // COLUMN_SPAN - ROW_OFFSET
    return round((row + 0.5) * grid / METRES_PER_DEGREE, 6)


def _located(table: str, release: Release) -> str:
    return (
        f"SELECT agency, latitude, longitude, neighbourhood, area, "  # noqa: S608  fixed table and column names; request values are ? parameters
        f"{_location_id_sql(grid_metres(release))} AS location_id "
        f"FROM {table} WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )


def _cell_sql(release: Release) -> str:
    # One street per cell: the agency, neighbourhood and area most records in the cell carry, so
    # a location id always has the same name whichever record or table shows it.
    parts = [_located(t, release) for t in ("stop", "crime") if t in release.tables]
    if not parts:
        return (
            "SELECT NULL::BIGINT AS location_id, NULL::VARCHAR AS street_agency, "
            "NULL::VARCHAR AS street_neighbourhood, NULL::VARCHAR AS street_area WHERE false"
        )
    return (
        "SELECT location_id, agency AS street_agency, neighbourhood AS street_neighbourhood, "  # noqa: S608  fixed table and column names; request values are ? parameters
        "area AS street_area FROM ("
        "SELECT location_id, agency, neighbourhood, area, count(*) AS n "
        f"FROM ({' UNION ALL '.join(parts)}) GROUP BY ALL) "
        "QUALIFY row_number() OVER (PARTITION BY location_id ORDER BY n DESC, agency, "
        "neighbourhood NULLS LAST, area NULLS LAST) = 1"
    )


derived("police_cell", (), _cell_sql, order_by="location_id")


def _slug_sql(column: str) -> str:
    return f"trim(regexp_replace(lower(trim({column})), '[^a-z0-9]+', '-', 'g'), '-')"


def _capitalised_sql(column: str) -> str:
    return f"upper(left(trim({column}), 1)) || substr(trim({column}), 2)"


def _case(column: str, mapping: dict[str, str], otherwise: str = "NULL") -> str:
    whens = " ".join(
        f"WHEN {quote_literal(key)} THEN {quote_literal(value)}" for key, value in mapping.items()
    )
    return f"CASE {column} {whens} ELSE {otherwise} END"


# The UK labels for our vocabularies. Pedestrian and vehicle stops without a search are not
# data.police.uk types; they keep honest names rather than pretending to be searches.
STOP_TYPES = {
    "person_search": "Person search",
    "vehicle_search": "Vehicle search",
    "person_and_vehicle_search": "Person and Vehicle search",
    "pedestrian": "Pedestrian stop",
    "vehicular": "Vehicle stop",
    "other": "Other",
}
GENDERS = {"male": "Male", "female": "Female", "other": "Other", "nonbinary": "Other"}
UK_AGE_RANGES = ("under 10", "10-17", "18-24", "25-34", "over 34")
# Officer-defined ethnicity in England and Wales has five groups; Hispanic and Native American
# have no group of their own there and fall under "Other", as a UK officer would record them.
OFFICER_DEFINED = {
    "white": "White",
    "black": "Black",
    "asian_pacific_islander": "Asian",
    "multiracial": "Mixed",
    "hispanic": "Other",
    "native_american": "Other",
    "other": "Other",
}
# Our outcome codes, named as data.police.uk names the nearest outcome, for sources that do
# not record the outcome's own words.
OUTCOME_NAMES = {
    "none": "A no further action disposal",
    "warning": "Community resolution",
    "citation": "Penalty Notice for Disorder",
    "summons": "Summons / charged by post",
    "arrest": "Arrest",
}
OUTCOME_IDS = {
    "A no further action disposal": "bu-no-further-action",
    "Nothing found - no further action": "bu-no-further-action",
    "Arrest": "bu-arrest",
    "Suspect arrested": "bu-arrest",
    "Caution (simple or conditional)": "bu-caution",
    "Offender cautioned": "bu-caution",
    "Community resolution": "bu-community-resolution",
    "Local resolution": "bu-community-resolution",
    "Khat or Cannabis warning": "bu-khat-or-cannabis-warning",
    "Penalty Notice for Disorder": "bu-penalty-notice",
    "Offender given penalty notice": "bu-penalty-notice",
    "Summons / charged by post": "bu-summons",
    "Suspect summonsed to court": "bu-summons",
}


def _zone_sql(release: Release) -> str:
    zones = {
        slug: entry.get("time_zone", "UTC")
        for slug, entry in release.manifest.get("agencies", {}).items()
    }
    return _case("agency", zones, "'UTC'") if zones else "'UTC'"


def _datetime_sql(release: Release) -> str:
    # The release keeps only the month, and the local hour where the operator publishes it
    # (PUBLISH_HOUR_TABLES). The closest honest instant is the first day of the month at that
    # local hour (midnight when the hour is not published or unknown), in UTC.
    hour = (
        "coalesce(occurred_hour, 0)"
        if "stop" in release.manifest.get("privacy", {}).get("hour_tables", ["stop"])
        else "0"
    )
    local = (
        "make_timestamp(CAST(left(occurred_month, 4) AS INTEGER), "
        f"CAST(right(occurred_month, 2) AS INTEGER), 1, {hour}, 0, 0)"
    )
    return (
        f"CASE WHEN occurred_month IS NOT NULL THEN strftime(timezone('UTC', "
        f"timezone({_zone_sql(release)}, {local})), '%Y-%m-%dT%H:%M:%S+00:00') END"
    )


def _stop_sql(release: Release) -> str:
    outcome_name = f"coalesce(NULLIF(trim(outcome_raw), ''), {_case('outcome', OUTCOME_NAMES)})"
    # Releases carry ages in these bands already (records/privacy.py); a source's own range
    # that is not one of them (Seattle's "26 - 35") cannot be said in data.police.uk's terms.
    age = (
        "CASE WHEN subject_age_range IN "
        f"({', '.join(quote_literal(a) for a in UK_AGE_RANGES)}) THEN subject_age_range END"
    )
    officer_defined = (
        "CASE WHEN source = 'uk_stop_search' THEN NULLIF(trim(subject_race_raw), '') "
        f"ELSE {_case('subject_race', OFFICER_DEFINED)} END"
    )
    return (
        "SELECT s.agency, s.occurred_month AS month, s.latitude, s.longitude, "  # noqa: S608  fixed table and column names; request values are ? parameters
        "c.location_id, c.street_agency, c.street_neighbourhood, c.street_area, "
        f"{_case('stop_type', STOP_TYPES)} AS type, "
        "coalesce(stop_type <> 'vehicle_search', true) AS involved_person, "
        f"{_datetime_sql(release)} AS datetime, "
        f"{_case('subject_gender', GENDERS)} AS gender, "
        f"{age} AS age_range, "
        "NULLIF(trim(subject_race_self_raw), '') AS self_defined_ethnicity, "
        f"{officer_defined} AS officer_defined_ethnicity, "
        "NULLIF(trim(legislation), '') AS legislation, "
        "NULLIF(trim(object_of_search), '') AS object_of_search, "
        f"{outcome_name} AS outcome, "
        "outcome_linked_to_object AS outcome_linked_to_object_of_search, "
        "clothing_removal AS removal_of_more_than_outer_clothing "
        "FROM stop AS s LEFT JOIN police_cell AS c ON c.location_id = "
        f"{_location_id_sql(grid_metres(release), 's.latitude', 's.longitude')}"
    )


def _stop_with_outcome_id_sql(release: Release) -> str:
    slug = "'bu-' || " + _slug_sql("outcome")
    return (
        f"SELECT *, CASE WHEN outcome IS NULL THEN NULL ELSE "  # noqa: S608  fixed table and column names; request values are ? parameters
        f"{_case('outcome', OUTCOME_IDS, slug)} END AS outcome_id FROM ({_stop_sql(release)})"
    )


derived("police_stop", ("stop",), _stop_with_outcome_id_sql, order_by="agency, month, latitude")


def _crime_sql(release: Release) -> str:
    # persistent_id: a SHA-256 like data.police.uk's, of what identifies the record across
    # releases; id: the integer its first 48 bits make (below 2**53, exact in JSON).
    persistent = "sha256(source || '|' || agency || '|' || record_id)"
    return (
        f"SELECT k.agency, k.occurred_month AS month, k.latitude, k.longitude, "  # noqa: S608  fixed table and column names; request values are ? parameters
        "c.location_id, c.street_agency, c.street_neighbourhood, c.street_area, "
        f"{_slug_sql('category')} AS category, {_capitalised_sql('category')} AS category_name, "
        f"{persistent} AS persistent_id, "
        f"('0x' || left({persistent}, 12))::BIGINT AS id, "
        f"CASE WHEN NULLIF(trim(outcome), '') IS NOT NULL THEN {_slug_sql('outcome')} END "
        "AS outcome_code, "
        f"CASE WHEN NULLIF(trim(outcome), '') IS NOT NULL THEN {_capitalised_sql('outcome')} END "
        "AS outcome_name, "
        "outcome_month "
        "FROM crime AS k LEFT JOIN police_cell AS c ON c.location_id = "
        f"{_location_id_sql(grid_metres(release), 'k.latitude', 'k.longitude')}"
    )


derived("police_crime", ("crime",), _crime_sql, order_by="agency, month, latitude")
# The same crimes in identifier order, so outcomes-for-crime reads one row group, not all.
derived("police_crime_by_id", ("crime",), "SELECT * FROM police_crime", order_by="persistent_id")
