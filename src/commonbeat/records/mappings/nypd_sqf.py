"""NYPD stop, question and frisk (SQF): the yearly UF-250 database extracts, 2014 and 2016.

One row per person stopped, 112 columns, described in the NYPD's "SQF File Spec" workbooks
(SQF-File-Documentation.zip). The 2014 and 2016 files have the same header and the same
specification, so one mapping reads both (2016.csv starts with a byte-order mark, which the
engine removes). What does differ is the coding inside the files:

- In 2014.csv a block of 10,860 rows (July to September; their `year` is " 2014") writes the
  checkbox columns (weapons found, `pf_*` force, reasons, bases of search) as "1" for ticked and
  blank for not ticked, where every other row writes Y/N. Both are read here: Y or 1 is yes,
  N, 0 or blank is no. The yes/no questions (`frisked`, `searched`, `contrabn`, `arstmade`,
  `sumissue`) are Y/N throughout, so a blank there stays missing.
- `datestop` is MMDDYYYY written as a number, so January to September lose their leading zero
  (1 January 2014 is "1012014", 1 October is "10012014"); the value is padded to eight digits
  before it is read. `timestop` is HHMM as a number ("30" is 00:30).
- `age` uses "**" for not recorded and holds some impossible values (0, 1, 565, 999): ages
  outside 10..100 are treated as not recorded rather than turning the stop away.
- 2016.csv ends with a row of blanks (no precinct, serial number, date or anything else): it is
  not a stop and is rejected as having no identifier.

The files have no officer identifier (`officrid` says whether a plain-clothes officer showed an
ID card), so `officer_id` is not mapped.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    any_true,
    boolean,
    code,
    combine,
    const,
    date,
    raw,
    register,
    sql,
    state_plane,
    text,
    time,
)

NEW_YORK = "America/New_York"

# Spec: A Asian/Pacific Islander, B Black, I American Indian/Alaskan Native, P Black-Hispanic,
# Q White-Hispanic, W White, X Unknown, Z Other; the files use U (not in the spec) for unknown.
# Hispanic ethnicity overrides race, as in the Stanford Open Policing Project's schema.
RACES = {
    "A": "asian_pacific_islander",
    "B": "black",
    "I": "native_american",
    "P": "hispanic",
    "Q": "hispanic",
    "W": "white",
    "Z": "other",
    "U": "unknown",
    "X": "unknown",
}
SEXES = {"M": "male", "F": "female", "Z": "unknown"}
WEAPONS = ("pistol", "riflshot", "asltweap", "knifcuti", "machgun", "othrweap")
FORCE = (
    "pf_hands",
    "pf_wall",
    "pf_grnd",
    "pf_drwep",
    "pf_ptwep",
    "pf_baton",
    "pf_hcuff",
    "pf_pepsp",
    "pf_other",
)


# Locations are State Plane x/y in US feet, NAD83 / New York Long Island (EPSG:2263).
STATE_PLANE_EPSG = 2263


def padded_date(column: str) -> Expr:
    """Return the date of an MMDDYYYY number whose leading zero may have been dropped."""
    return date(column, "%m%d%Y", prepare="lpad({value}, 8, '0')")


def hhmm_time(column: str) -> Expr:
    """Return the clock time of an HHMM number ("30" is 00:30, "2330" is 23:30)."""
    return time(column, "%H%M", prepare="lpad({value}, 4, '0')")


def checkbox(column: str) -> Expr:
    """Return a ticked box: Y or 1 is yes; N, 0 or blank (the 1/blank block of 2014) is no."""
    base = boolean(column, true=("y", "1"), false=("n", "0"))
    return Expr(f"COALESCE({base.sql}, FALSE)", base.columns, base.check)


def age(column: str) -> Expr:
    """Return the age in years; "**" and impossible ages (outside 10..100) are not recorded."""
    value = f"TRY_CAST({raw(column)} AS INTEGER)"
    return Expr(f"CASE WHEN {value} BETWEEN 10 AND 100 THEN {value} END", (column,))


def _location() -> Expr:
    # The place as recorded: inside/outside, housing or transit authority property, the premises
    # (STREET, LOBBY, ...), the address or else the intersection, and the borough.
    v = {c: raw(c) for c in ("inout", "trhsloc", "premname", "addrnum", "stname")}
    v.update({c: raw(c) for c in ("stinter", "crossst", "city")})
    street = (
        f"CASE WHEN {v['stname']} IS NOT NULL THEN concat_ws(' ', {v['addrnum']}, {v['stname']}) "
        f"ELSE NULLIF(concat_ws(' & ', {v['stinter']}, {v['crossst']}), '') END"
    )
    expression = (
        "NULLIF(concat_ws(', ', "
        f"CASE upper({v['inout']}) WHEN 'I' THEN 'inside' WHEN 'O' THEN 'outside' END, "
        f"CASE upper({v['trhsloc']}) WHEN 'H' THEN 'housing authority' "
        "WHEN 'T' THEN 'transit authority' END, "
        f"{v['premname']}, {street}, {v['city']}), '')"
    )
    return sql(expression, *v)


def _checks(*exprs: Expr) -> str | None:
    # The parts' checks joined, missing (not '') when none has a problem.
    parts = [e.check for e in exprs if e.check]
    return f"NULLIF(concat_ws(' | ', {', '.join(parts)}), '')" if parts else None


def _search_basis() -> Expr:
    # The form's bases of search: a hard object or the outline of a weapon felt in the frisk, or
    # the suspect's admission, are evidence of a weapon or contraband, i.e. the Stanford schema's
    # "probable cause"; "other" stays other. Missing when no basis is ticked.
    specific = any_true(checkbox("sb_hdobj"), checkbox("sb_outln"), checkbox("sb_admis"))
    other = checkbox("sb_other")
    return Expr(
        f"CASE WHEN {specific.sql} THEN 'probable_cause' WHEN {other.sql} THEN 'other' END",
        specific.columns + other.columns,
        _checks(specific, other),
    )


def _outcome() -> Expr:
    arrest, summons = boolean("arstmade"), boolean("sumissue")
    return Expr(
        f"CASE WHEN {arrest.sql} THEN 'arrest' WHEN {summons.sql} THEN 'summons' "
        f"WHEN {arrest.sql} IS NULL AND {summons.sql} IS NULL THEN NULL ELSE 'none' END",
        arrest.columns + summons.columns,
        _checks(arrest, summons),
    )


def found_or_searched(found: Expr) -> Expr:
    """Return TRUE when found, FALSE when searched and not found, missing otherwise."""
    searched = boolean("searched")
    return Expr(
        f"CASE WHEN {found.sql} THEN TRUE WHEN {searched.sql} THEN FALSE END",
        found.columns + searched.columns,
        _checks(found, searched),
    )


_weapon = any_true(*(checkbox(c) for c in WEAPONS))


@register
class NypdStopQuestionFrisk(Mapping):
    name = "nypd_sqf"
    title = "NYPD stop, question and frisk"
    source = "New York City Police Department, Stop, Question and Frisk database (UF-250), yearly extracts"
    licence = "NYC Open Data terms of use"
    agency = "nypd"
    time_zone = "America/New_York"
    signature = (
        "pct",
        "ser_num",
        "datestop",
        "timestop",
        "crimsusp",
        "frisked",
        "searched",
        "contrabn",
        "xcoord",
        "ycoord",
    )
    outputs = (
        Output(
            "stop",
            {
                "occurred_date": padded_date("datestop"),
                "occurred_time": hhmm_time("timestop"),
                "occurred_at": combine(padded_date("datestop"), hhmm_time("timestop"), NEW_YORK),
                "location": _location(),
                "latitude": state_plane("xcoord", "ycoord", STATE_PLANE_EPSG, "lat"),
                "longitude": state_plane("xcoord", "ycoord", STATE_PLANE_EPSG, "lng"),
                "area": text("pct"),
                # Street stops of people on foot (inside or outside, see `location`).
                "stop_type": const("pedestrian"),
                "reason": text("crimsusp"),
                "subject_age": age("age"),
                "subject_gender": code("sex", SEXES, missing="not_recorded"),
                "subject_race": code("race", RACES, missing="not_recorded"),
                "subject_race_raw": text("race"),
                "frisk_performed": boolean("frisked"),
                "search_conducted": boolean("searched"),
                "search_basis": _search_basis(),
                # Contraband: the `contrabn` box, or any weapon found. Weapons are often found in
                # a frisk with no search (frisked Y, searched N), and `contrabn` is sometimes
                # ticked without a search too. The standard schema treats contraband as a search
                # outcome (rules.py: no search, so no contraband result), so those finds cannot
                # be stored: we report them (TRUE) and the engine clears them and counts the rows
                # as corrected, which makes the report say how many finds without a search were
                # dropped. A stop without a search and without a find gets no contraband value
                # at all, so that it is not counted. We keep `search_conducted` as the form has
                # it rather than count a frisk as a search, which would inflate search rates and
                # mix pat-downs into search hit rates; a frisk's weapon hit rate therefore cannot
                # be computed from the store.
                "contraband_found": found_or_searched(any_true(boolean("contrabn"), _weapon)),
                "contraband_weapons": found_or_searched(_weapon),
                "outcome": _outcome(),
                "force_used": any_true(*(checkbox(c) for c in FORCE)),
            },
            # Year, precinct and UF-250 serial number: (pct, ser_num) is unique in both files.
            key=sql(
                " || '-' || ".join(raw(c) for c in ("year", "pct", "ser_num")),
                "year",
                "pct",
                "ser_num",
            ),
        ),
    )
