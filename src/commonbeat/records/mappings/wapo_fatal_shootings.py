"""The Washington Post's database of fatal police shootings (version 2), 2015-01 to 2024-04.

`fatal-police-shootings-data.csv`: one row per person shot and killed by an on-duty police
officer, so every row is a force incident (fatal, a firearm discharged) with one subject
(killed). The incident's identifier is the Post's `id`; the subject has the same one.

- Names are private and not needed: the `name` column is not read at all.
- Race codes W, B, A, N, H, O; several codes are separated by ";" ("W;B;N"). As elsewhere in
  Commonbeat, Hispanic ethnicity overrides race ("B;H" is Hispanic); other combinations are
  multiracial. An empty race or gender is not recorded; the file has no "unknown" code.
- `armed_with` is kept as recorded in `weapon` ("gun;vehicle" too); "unarmed" is not armed,
  "undetermined" and "unknown" leave `armed` unknown, anything else (a replica, a vehicle)
  counts as armed, as in the Post's own categories.
- `agency_ids` (the Post's agency ids, ";"-separated) has no standard field and is not
  imported; the agencies table is imported as `agency_reference` by `WapoAgencies` below.
  The records' agency is "wapo"; the state is the incident's `area`, and "city, state" its
  location.
- Not in the standard records: threat type, flight, body camera, county, location precision
  and the source of the race.
- One row (id 9473, 2023-08-22) has longitude -9007175462532118.0, the decimal point of about
  -90.07 lost. An impossible coordinate would reject the row (the `latitude`/`longitude`
  helpers); here it only loses the coordinate pair, for two reasons: the database is a count
  of deaths, which one bad coordinate should not take a death out of, and a rejected row is
  written whole to the rejects file, name included, which this mapping never reads.

Licence CC BY-NC-SA 4.0: non-commercial use, attribution to The Washington Post.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    boolean,
    code,
    const,
    date,
    integer,
    number,
    raw,
    register,
    sql,
    text,
)

SOURCE = (
    "The Washington Post, Fatal Force database v2 (github.com/washingtonpost/data-police-shootings)"
)
LICENCE = "CC BY-NC-SA 4.0"
RACES = {
    "W": "white",
    "B": "black",
    "A": "asian_pacific_islander",
    "N": "native_american",
    "H": "hispanic",
    "O": "other",
}
_race = raw("race")
RACE_SQL = (
    f"CASE WHEN {_race} IS NULL THEN 'not_recorded' "
    f"WHEN {_race} LIKE '%;%' AND list_contains(string_split(upper({_race}), ';'), 'H') THEN 'hispanic' "
    f"WHEN {_race} LIKE '%;%' THEN 'multiracial' "
    f"ELSE CASE upper({_race}) "
    + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in RACES.items())
    + " ELSE 'other' END END"
)
_armed = f"lower({raw('armed_with')})"
ARMED_SQL = (
    f"CASE WHEN {_armed} IS NULL OR {_armed} IN ('undetermined', 'unknown') THEN NULL "
    f"ELSE {_armed} <> 'unarmed' END"
)
_lat, _lng = number("latitude"), number("longitude")
_possible = f"({_lat.sql} BETWEEN -90 AND 90 AND {_lng.sql} BETWEEN -180 AND 180)"
# An impossible coordinate loses the pair, not the shooting (see the module docstring); text
# that is not a number at all is still a problem.
LATITUDE = Expr(
    f"CASE WHEN {_possible} THEN NULLIF({_lat.sql}, 0) END", ("latitude", "longitude"), _lat.check
)
LONGITUDE = Expr(
    f"CASE WHEN {_possible} THEN NULLIF({_lng.sql}, 0) END", ("latitude", "longitude"), _lng.check
)


@register
class WapoFatalShootings(Mapping):
    name = "wapo_fatal_shootings"
    title = "Washington Post fatal police shootings"
    source = SOURCE
    licence = LICENCE
    agency = "wapo"
    signature = (
        "id",
        "date",
        "threat_type",
        "armed_with",
        "was_mental_illness_related",
        "agency_ids",
    )
    outputs = (
        Output(
            "force_incident",
            {
                "occurred_date": date("date", "%Y-%m-%d"),
                "location": sql(
                    f"NULLIF(concat_ws(', ', {raw('city')}, {raw('state')}), '')", "city", "state"
                ),
                "latitude": LATITUDE,
                "longitude": LONGITUDE,
                "area": text("state"),
                "fatal": const(True),
                "firearm_discharged": const(True),
            },
            key=text("id"),
        ),
        Output(
            "force_subject",
            {
                "parent_id": text("id"),
                "subject_age": integer("age", 0, 120),
                "subject_gender": code(
                    "gender",
                    {"male": "male", "female": "female", "non-binary": "nonbinary"},
                    missing="not_recorded",
                ),
                "subject_race": sql(RACE_SQL, "race"),
                "subject_race_raw": text("race"),
                "armed": sql(ARMED_SQL, "armed_with"),
                "weapon": text("armed_with"),
                "mental_health_crisis": boolean("was_mental_illness_related"),
                "killed": const(True),
            },
            key=text("id"),
        ),
    )


@register
class WapoAgencies(Mapping):
    name = "wapo_agencies"
    title = "Washington Post fatal police shootings: agencies"
    source = SOURCE
    licence = LICENCE
    agency = "wapo"
    signature = ("id", "name", "type", "state", "oricodes", "total_shootings")
    outputs = (
        Output(
            "agency_reference",
            {
                "name": text("name"),
                "agency_type": text("type"),
                "state": text("state"),
                "ori_codes": text("oricodes"),
                "total_shootings": integer("total_shootings", 0),
            },
            key=text("id"),
        ),
    )
