"""Officer rosters and assignment histories prepared for bulk import into OpenOversight.

Lucy Parsons Labs' OpenOversight imports a department as two CSVs: officers (one row per
officer, `id` is the officer's identifier within the file) and assignments (one row per rank,
badge or star held, `officer_id` naming the officer). Departments' files share the layout but
not every column: some have `birth_year`, Chicago's have `last_employment_date`, and the
assignment files have no dates, a start date, or start and end dates. Each variant is a mapping
below; the engine chooses the one whose signature (columns) is the longest fitting the header.

The files do not name the agency in their rows' identifiers, so the agency comes from the file
name: `NYPD_officers_1.csv`, `4_out_select_officers.csv` (Chicago), `IMPD_oos_officers.csv`,
and Rochester's unprefixed `officers_1.csv` / `assignments_1.csv` / `incidents_3_prd.csv` /
`incidents_links_3.csv`. A file whose name matches none is refused rather than filed under a
guessed agency.

Chicago's `*_links.csv` (web links to officers' profiles) and Rochester's incidents
(`incidents_*_prd.csv`, a community-compiled list of alleged misconduct, with their links) are
mapped in `officer_roster_links.py`, with the same agencies.
"""

from __future__ import annotations

import re
from pathlib import Path

from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    code,
    date,
    integer,
    raw,
    register,
    sql,
    text,
)
from commonbeat.records.sources import InputError

SOURCE = "OpenOversight bulk-import rosters and assignments (officer_rosters)"
LICENCE = "not stated by the publisher"

# File-name prefixes: the only place these files name their department.
AGENCIES = (
    (r"NYPD_", "nypd"),
    (r"(CPD_|\d+_out_select_)", "chicago-pd"),
    (r"IMPD_", "indianapolis-pd"),
    (
        r"(RPD_|((officers|assignments)_\d+|incidents_\d+_prd|incidents_links_\d+)\.csv$)",
        "rochester-pd",
    ),
)
RACE = {
    "WHITE": "white",
    "BLACK": "black",
    "HISPANIC": "hispanic",
    "ASIAN": "asian_pacific_islander",
    "NATIVE AMERICAN": "native_american",
    "OTHER": "other",
    "UNKNOWN": "unknown",
}
GENDER = {"M": "male", "F": "female", "U": "unknown", "UNKNOWN": "unknown"}


def appointed(column: str) -> Expr:
    """Return the employment date; Rochester writes 1900-01-01 for "not known"."""
    parsed = date(column, "%Y-%m-%d")
    return Expr(f"NULLIF({parsed.sql}, DATE '1900-01-01')", parsed.columns, parsed.check)


def officer_fields(*, birth_year: bool = False, separation: bool = False) -> dict[str, Expr]:
    """Return the roster fields of an officers file (with its optional columns)."""
    fields = {
        "first_name": text("first_name"),
        "last_name": text("last_name"),
        "gender": code("gender", GENDER, missing="not_recorded"),
        "race": code("race", RACE, missing="not_recorded"),
        "race_raw": text("race"),
        "appointed_date": appointed("employment_date"),
    }
    if birth_year:
        fields["birth_year"] = integer("birth_year", 1900, 2010)
    if separation:
        fields["separation_date"] = date("last_employment_date", "%Y-%m-%d")
    return fields


def assignment_key(*columns: str) -> Expr:
    """Return an identifier from the row's own values: the officer, then a digest of the rest.

    The files leave `id` empty for most rows; badge numbers are private, so they are hashed
    rather than written into the identifier.
    """
    parts = ", ".join(f"coalesce({raw(c)}, '')" for c in columns)
    return sql(
        f"{raw('officer_id')} || '-' || left(md5(concat_ws('|', {parts})), 12)",
        "officer_id",
        *columns,
    )


def assignment_output(*, start: bool = False, end: bool = False) -> Output:
    """Return the roster_assignment output of an assignments file."""
    fields = {
        "parent_id": text("officer_id"),
        "badge_number": text("badge_number"),
        # Chicago writes "Not Sure" where the title is not known.
        "rank": sql(f"NULLIF({raw('job_title')}, 'Not Sure')", "job_title"),
    }
    columns = ["job_title", "badge_number"]
    if start:
        fields["start_date"] = date("start_date", "%Y-%m-%d")
        columns.append("start_date")
    if end:
        fields["end_date"] = date("resign_date", "%Y-%m-%d")
        columns.append("resign_date")
    return Output("roster_assignment", fields, key=assignment_key(*columns))


class OpenOversightFile(Mapping):
    """What every OpenOversight file shares: its source, and the agency from its name."""

    source = SOURCE
    licence = LICENCE
    agency = ""

    @classmethod
    def agency_for(cls, path: Path) -> str:
        for pattern, agency in AGENCIES:
            if re.match(pattern, path.name):
                return agency
        raise InputError(
            f"{path.name}: cannot tell which department this OpenOversight file belongs to. "
            "Name it with the department's prefix (NYPD_, CPD_, IMPD_, RPD_)."
        )


OFFICER_COLUMNS = (
    "id",
    "department_name",
    "first_name",
    "last_name",
    "race",
    "gender",
    "employment_date",
)
ASSIGNMENT_COLUMNS = ("id", "officer_id", "job_title", "badge_number")


@register
class OpenOversightOfficers(OpenOversightFile):
    name = "openoversight_officers"
    title = "OpenOversight officers (Indianapolis layout)"
    signature = OFFICER_COLUMNS
    outputs = (Output("roster", officer_fields(), key=text("id")),)


@register
class OpenOversightOfficersBorn(OpenOversightFile):
    name = "openoversight_officers_born"
    title = "OpenOversight officers with birth years (NYPD, Rochester layout)"
    signature = (*OFFICER_COLUMNS, "birth_year")
    outputs = (Output("roster", officer_fields(birth_year=True), key=text("id")),)


@register
class OpenOversightOfficersSeparated(OpenOversightFile):
    name = "openoversight_officers_separated"
    title = "OpenOversight officers with birth years and separation dates (Chicago layout)"
    signature = (*OFFICER_COLUMNS, "birth_year", "last_employment_date")
    outputs = (Output("roster", officer_fields(birth_year=True, separation=True), key=text("id")),)


@register
class OpenOversightAssignments(OpenOversightFile):
    name = "openoversight_assignments"
    title = "OpenOversight assignments without dates (NYPD, Indianapolis layout)"
    signature = ASSIGNMENT_COLUMNS
    outputs = (assignment_output(),)


@register
class OpenOversightAssignmentsStarted(OpenOversightFile):
    name = "openoversight_assignments_started"
    title = "OpenOversight assignments with start dates (Rochester layout)"
    signature = (*ASSIGNMENT_COLUMNS, "start_date")
    outputs = (assignment_output(start=True),)


@register
class OpenOversightAssignmentsDated(OpenOversightFile):
    name = "openoversight_assignments_dated"
    title = "OpenOversight assignments with start and end dates (Chicago layout)"
    signature = (*ASSIGNMENT_COLUMNS, "start_date", "resign_date")
    outputs = (assignment_output(start=True, end=True),)
