"""Stanford Open Policing Project, 2017 state-patrol analysis: published counts and thresholds.

The project published the tables behind its state-patrol figures, not the stops themselves, so
each row becomes a `stop_aggregate` record (an area x driver-race cell), with the table it came
from in `table`:

- `fig2_stop_rate_county.csv`: stops and resident population (benchmark test);
- `fig3a_search_rate_county.csv`: searches among stops;
- `fig4a_hit_rate_county.csv`: searches that found contraband (outcome test);
- `threshold_test_counts.csv`: the threshold test's inputs (stops, searches, hits) for nine
  states, areas named rather than coded;
- `threshold_test_reference_CO_CT_IL.csv`: the same counts with the published inferred
  thresholds for Colorado, Connecticut and Illinois.

Areas. In the `fig*` files `location` is a county FIPS code (kept as text, leading zero and
all: "04001"), except in the states whose patrols report by patrol area: Illinois State Police
districts ("ILLINOIS STATE POLICE 01"), North Carolina Highway Patrol troop districts ("A1" to
"H6") and Rhode Island State Police zones ("Zone K1"). The threshold-test files name the same
places ("El Paso County", "ILLINOIS STATE POLICE 15", "A1", "Zone K1") beside their state,
which is how the patrol areas' states are known. Counties have level "county", patrol areas
level "district". The `fig*` files have no state column: it is derived from the FIPS state
prefix, or from the patrol-area naming just described.

Counts are written as decimals ("214.0"), and a few round ones in scientific notation ("1e3",
"38e3", "259e3", "5e3"): both are the exact whole numbers and are read as such. Races are
"White drivers", "Black drivers" and "Hispanic drivers" (raw kept in `subject_race_raw`).
The published tables do not say which years they cover, so `period` is left empty.

`acs_2017_5_year_state_level_race_data.csv` is the Census Bureau's American Community Survey
2017 5-year estimates (2013-2017) of state population by race and Hispanic origin, as shipped
with the analysis for its benchmark: one row per state, wide. It becomes `external_series`
records, one per state and population group (see ACS_GROUPS), area the state's two-digit FIPS
code (`Id2`, the prefix of the county codes above). Margins of error are not imported.

Licence: ODC-By 1.0 (Open Data Commons Attribution), per the Stanford Open Policing Project.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    code,
    const,
    integer,
    number,
    raw,
    register,
    sql,
    text,
)
from commonbeat.records.sql import quote_literal

SOURCE = (
    "Stanford Open Policing Project, state patrol analysis (2017), "
    "github.com/5harad/openpolicing (opp_state_patrols)"
)
LICENCE = "ODC-By 1.0 (Open Data Commons Attribution), per the Stanford Open Policing Project"
AGENCY = "opp-state-patrols"

RACES = {
    "White drivers": "white",
    "Black drivers": "black",
    "Hispanic drivers": "hispanic",
}
# State FIPS codes of the states the county tables cover.
STATE_FIPS = {
    "04": "AZ",
    "06": "CA",
    "08": "CO",
    "09": "CT",
    "12": "FL",
    "25": "MA",
    "30": "MT",
    "34": "NJ",
    "39": "OH",
    "45": "SC",
    "48": "TX",
    "50": "VT",
    "53": "WA",
    "55": "WI",
}

_location = raw("location")
_is_fips = f"regexp_full_match({_location}, '[0-9]{{5}}')"
# Patrol areas of the states that report by them (named so in threshold_test_counts.csv too).
_patrol_state = (
    f"CASE WHEN starts_with({_location}, 'ILLINOIS STATE POLICE') THEN 'IL' "
    f"WHEN regexp_full_match({_location}, 'Zone [A-Z][0-9]+') THEN 'RI' "
    f"WHEN regexp_full_match({_location}, '[A-H][0-9]') THEN 'NC' END"
)
FIPS_STATE = sql(
    f"CASE WHEN {_is_fips} THEN CASE left({_location}, 2) "
    + " ".join(f"WHEN {quote_literal(k)} THEN {quote_literal(v)}" for k, v in STATE_FIPS.items())
    + f" END ELSE {_patrol_state} END",
    "location",
)
FIPS_LEVEL = sql(f"CASE WHEN {_is_fips} THEN 'county' ELSE 'district' END", "location")
NAMED_LEVEL = sql(
    f"CASE WHEN ends_with({_location}, ' County') THEN 'county' ELSE 'district' END", "location"
)


def _race_fields() -> dict[str, Expr]:
    return {
        "subject_race": code("driver_race", RACES, missing="not_recorded"),
        "subject_race_raw": text("driver_race"),
    }


def _count(column: str) -> Expr:
    return integer(column, minimum=0)


def county_output(table: str, counts: dict[str, str]) -> Output:
    """Return the stop_aggregate output of a `fig*` table (counts: standard field -> column)."""
    return Output(
        "stop_aggregate",
        {
            "table": const(table),
            "state": FIPS_STATE,
            "level": FIPS_LEVEL,
            "area": text("location"),
            **_race_fields(),
            **{name: _count(column) for name, column in counts.items()},
        },
        # One cell per area and race; the table is the same for the whole file.
        key=sql(f"concat_ws('|', {_location}, {raw('driver_race')})", "location", "driver_race"),
    )


def threshold_output(table: str, threshold: bool = False) -> Output:
    """Return the stop_aggregate output of a threshold-test table."""
    fields = {
        "table": const(table),
        "state": text("state", upper=True),
        "level": NAMED_LEVEL,
        "area": text("location"),
        **_race_fields(),
        "stops": _count("num_stops"),
        "searches": _count("num_searches"),
        "hits": _count("num_hits"),
    }
    if threshold:
        # A probability of carrying contraband.
        fields["inferred_threshold"] = number("inferred_threshold", 0, 1)
    return Output(
        "stop_aggregate",
        fields,
        # County names repeat across states (Adams County, CO and WA): the state is in the key.
        key=sql(
            f"concat_ws('|', {raw('state')}, {_location}, {raw('driver_race')})",
            "state",
            "location",
            "driver_race",
        ),
    )


class OppTable(Mapping):
    source = SOURCE
    licence = LICENCE
    agency = AGENCY


@register
class OppStopRateCounty(OppTable):
    name = "opp_stop_rate_county"
    title = "Stanford Open Policing Project: stops and population by county and race (fig. 2)"
    signature = ("driver_race", "location", "n_stops", "county_population")
    outputs = (
        county_output(
            "fig2_stop_rate_county", {"stops": "n_stops", "population": "county_population"}
        ),
    )


@register
class OppSearchRateCounty(OppTable):
    name = "opp_search_rate_county"
    title = "Stanford Open Policing Project: searches among stops by county and race (fig. 3a)"
    signature = ("driver_race", "location", "n_searches", "n_stops")
    outputs = (
        county_output("fig3a_search_rate_county", {"stops": "n_stops", "searches": "n_searches"}),
    )


@register
class OppHitRateCounty(OppTable):
    name = "opp_hit_rate_county"
    title = "Stanford Open Policing Project: hits among searches by county and race (fig. 4a)"
    signature = ("driver_race", "location", "n_hits", "n_searches")
    outputs = (
        county_output("fig4a_hit_rate_county", {"searches": "n_searches", "hits": "n_hits"}),
    )


THRESHOLD_COLUMNS = ("state", "location", "driver_race", "num_stops", "num_searches", "num_hits")


@register
class OppThresholdCounts(OppTable):
    name = "opp_threshold_counts"
    title = "Stanford Open Policing Project: threshold-test inputs (nine states)"
    signature = THRESHOLD_COLUMNS
    outputs = (threshold_output("threshold_test_counts"),)


@register
class OppThresholdReference(OppTable):
    """The published thresholds.

    The row order matters: within a state the areas are listed in descending order of total
    stops, and the threshold test pins the first area listed (see docs/methods.md). The engine
    stores rows in file order (ORDER BY row number), so reading the table back in storage order
    gives the published order; nothing here reorders it.
    """

    name = "opp_threshold_reference"
    title = "Stanford Open Policing Project: published inferred thresholds (CO, CT, IL)"
    signature = (*THRESHOLD_COLUMNS, "inferred_threshold")
    outputs = (threshold_output("threshold_test_reference_CO_CT_IL", threshold=True),)


# ACS 2017 5-year state population ---------------------------------------------------------

ACS_SERIES = "acs_2017_5_year"
_NH = "Estimate; Not Hispanic or Latino: - "
# Groups follow the standard race vocabulary, Hispanic origin overriding race as in the Open
# Policing Project: every race group counts non-Hispanic residents only, and the groups add up
# to the total.
ACS_GROUPS: dict[str, tuple[str, ...]] = {
    "all": ("Estimate; Total:",),
    "race: white": (_NH + "White alone",),
    "race: black": (_NH + "Black or African American alone",),
    "race: hispanic": ("Estimate; Hispanic or Latino:",),
    "race: asian_pacific_islander": (
        _NH + "Asian alone",
        _NH + "Native Hawaiian and Other Pacific Islander alone",
    ),
    "race: native_american": (_NH + "American Indian and Alaska Native alone",),
    "race: other": (_NH + "Some other race alone",),
    "race: multiracial": (_NH + "Two or more races:",),
}


def _sum(columns: tuple[str, ...]) -> Expr:
    """Return the sum of estimate columns (missing when any is), each checked as a count."""
    parts = [number(column, minimum=0) for column in columns]
    if len(parts) == 1:
        return parts[0]
    checks = ", ".join(p.check for p in parts if p.check)
    return Expr(
        " + ".join(f"({p.sql})" for p in parts),
        tuple(c for p in parts for c in p.columns),
        f"NULLIF(concat_ws(' | ', {checks}), '')",
    )


def acs_output(group: str, columns: tuple[str, ...]) -> Output:
    """Return the external_series output of one population group."""
    return Output(
        "external_series",
        {
            "series": const(ACS_SERIES),
            "period_start": const("2013-01-01"),
            "period_end": const("2017-12-31"),
            "level": const("state"),
            "area": text("Id2"),
            "measure": const("population"),
            "group": const(group),
            "value": _sum(columns),
        },
        key=sql(f"{raw('Id2')} || '|' || {quote_literal(group)}", "Id2"),
    )


@register
class AcsStateRace(Mapping):
    name = "acs_2017_state_race"
    title = "ACS 2017 5-year estimates: state population by race and Hispanic origin"
    source = (
        "US Census Bureau, American Community Survey 2017 5-year estimates, as shipped with "
        "the Stanford Open Policing Project's state patrol analysis (opp_state_patrols)"
    )
    # Census Bureau estimates are public domain; the copy here is the one the project
    # distributes with its analysis, under its licence.
    licence = (
        "Public domain (US Census Bureau); distributed with the Stanford Open Policing "
        "Project's data under ODC-By 1.0"
    )
    agency = "us-census"
    signature = (
        "Id",
        "Id2",
        "Geography",
        "Estimate; Total:",
        "Estimate; Hispanic or Latino:",
        _NH + "White alone",
    )
    outputs = tuple(acs_output(group, columns) for group, columns in ACS_GROUPS.items())
