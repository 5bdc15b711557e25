"""Seattle Police Department Terry stops, as published on data.seattle.gov (Terry_Stops.csv).

One row per person stopped (TERRY_STOP_ID is unique). The file writes "not recorded" two ways,
decided here column by column:

- The literal string NULL, in the call columns (InitialCallType, FinalCallType, CallType), the
  place columns (Precinct, Sector, Beat: the same 7,655 stops have no call linked and no place),
  SubjectID and OfficerSquad. It never means anything else, so it is read as missing everywhere
  (`null_values`).
- "-" in SubjectAgeGroup, SubjectPerceivedRace, SubjectPerceivedGender and FriskFlag: the
  officer did not record it, so it is missing ("not_recorded" for the demographics, whose raw
  value is then missing too). It also appears as Sector for 6 stops whose Precinct is "Unknown";
  the area keeps it as recorded ("Unknown/-/S"), as it keeps "Unknown/99/99".
- "Unknown" race and "Unable to Determine" gender are the officer saying unknown: "unknown".

Reported_Date/Reported_Time are when the stop was reported (filed), the closest the file has to
when it happened; the time carries seven decimal places of seconds ("21:08:00.0000000"), which
strptime's %f cannot read, so the fraction is dropped. The file has no location of the stop
beyond the precinct, sector and beat.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    CsvFormat,
    Expr,
    Mapping,
    Output,
    code,
    combine,
    const,
    date,
    raw,
    register,
    sql,
    text,
    time,
)
from commonbeat.records.sql import quote_ident, quote_literal

SEATTLE = "America/Los_Angeles"
NOT_RECORDED = "-"

RACES = {
    "White": "white",
    "Black": "black",
    "Hispanic": "hispanic",
    "Asian": "asian_pacific_islander",
    "American Indian / Alaskan Native": "native_american",
    "Multi-Racial": "multiracial",
    "Other": "other",
    "Unknown": "unknown",
    NOT_RECORDED: "not_recorded",
}
GENDERS = {
    "Male": "male",
    "Female": "female",
    "Unable to Determine": "unknown",
    NOT_RECORDED: "not_recorded",
}


def recorded(column: str) -> Expr:
    """Return the column's text; empty or "-" (not recorded) is missing."""
    return sql(f"NULLIF({raw(column)}, {quote_literal(NOT_RECORDED)})", column)


def flag(column: str) -> Expr:
    """Return Y/N as true/false; "-" is not recorded; anything else is a problem."""
    value = f"upper({raw(column)})"
    check = (
        f"CASE WHEN {value} NOT IN ('Y', 'N', {quote_literal(NOT_RECORDED)}) THEN "
        f"'{column}: not a yes/no value (' || left({raw(column)}, 60) || ')' END"
    )
    return Expr(f"CASE {value} WHEN 'Y' THEN TRUE WHEN 'N' THEN FALSE END", (column,), check)


def clock(column: str) -> Expr:
    """Return the clock time of "HH:MM:SS" with any fraction of a second dropped."""
    return time(column, "%H:%M:%S", prepare="regexp_replace({value}, '\\.\\d+$', '')")


def _area() -> Expr:
    # Precinct/Sector/Beat as recorded ("East/E/E2"); missing when none is recorded.
    parts = [f"coalesce(TRIM({quote_ident(c)}), '')" for c in ("Precinct", "Sector", "Beat")]
    joined = " || '/' || ".join(parts)
    return sql(f"NULLIF({joined}, '//')", "Precinct", "Sector", "Beat")


@register
class SeattleTerryStops(Mapping):
    name = "seattle_terry_stops"
    title = "Seattle Police Department Terry stops"
    source = "Seattle Police Department, Terry Stops, City of Seattle open data portal (data.seattle.gov)"
    licence = "Public domain (City of Seattle open data)"
    agency = "seattle-pd"
    time_zone = "America/Los_Angeles"
    # The rows have no coordinates (only precinct, sector and beat): sun times for the
    # veil-of-darkness analysis are computed at the city's centre (downtown Seattle).
    centre = (47.6062, -122.3321)
    csv = CsvFormat(null_values=("NULL",))
    signature = (
        "TERRY_STOP_ID",
        "SubjectAgeGroup",
        "SubjectPerceivedRace",
        "SubjectPerceivedGender",
        "Reported_Date",
        "Reported_Time",
        "FriskFlag",
        "ArrestFlag",
    )
    outputs = (
        Output(
            "stop",
            {
                "occurred_date": date("Reported_Date", "%Y-%m-%d"),
                "occurred_time": clock("Reported_Time"),
                "occurred_at": combine(
                    date("Reported_Date", "%Y-%m-%d"), clock("Reported_Time"), SEATTLE
                ),
                "area": _area(),
                "stop_type": const("pedestrian"),
                "reason": text("InitialCallType"),
                "subject_age_range": recorded("SubjectAgeGroup"),
                "subject_gender": code("SubjectPerceivedGender", GENDERS, missing="not_recorded"),
                "subject_race": code("SubjectPerceivedRace", RACES, missing="not_recorded"),
                "subject_race_raw": recorded("SubjectPerceivedRace"),
                "frisk_performed": flag("FriskFlag"),
                # Terry stops that end in an arrest; the file records nothing else of the outcome.
                "outcome": code("ArrestFlag", {"Y": "arrest", "N": "none"}),
                "officer_id": text("OfficerID"),
            },
            key=text("TERRY_STOP_ID"),
        ),
    )
