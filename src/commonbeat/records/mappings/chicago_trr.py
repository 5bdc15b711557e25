"""Chicago Police Department tactical response reports (use of force), 2004-2018.

The Invisible Institute's cleaned FOIA release (Citizens Police Data Project): one file of
reports (`TRR-main`), and three child files keyed by the report's `trr_id`: the actions and
responses of officers and subjects (`TRR-actions-responses`), the reporting officer
(`TRR-officers`) and the subject (`TRR-subjects`).

Not mapped, because the standard schema has no field for them: the hashed RD number and event
number, the notification flags, `number_of_weapons_discharged` and `party_fired_first` (the
discharge section counts Taser discharges as well as firearms, so it cannot say whether a gun
was fired), the officers' age, unit, beat, duty status and uniform, the subjects' birth year,
alleged injury and report numbers, and the free text of "OTHER (SPECIFY)" actions.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    Expr,
    Mapping,
    Output,
    boolean,
    code,
    combine,
    date,
    integer,
    raw,
    register,
    sql,
    text,
    time,
)
from commonbeat.records.sql import quote_ident

CHICAGO = "America/Chicago"
AGENCY = "chicago-pd"
SOURCE = (
    "Chicago Police Department via FOIA, cleaned by the Invisible Institute "
    "(Citizens Police Data Project, github.com/invinst/chicago-police-data)"
)
LICENCE = "Public records (Illinois FOIA); Invisible Institute cleaning"

# CPD's race and sex codes, shared by the TRR, roster and complaint files.
RACE = {
    "WHITE": "white",
    "BLACK": "black",
    "HISPANIC": "hispanic",
    "ASIAN/PACIFIC ISLANDER": "asian_pacific_islander",
    "NATIVE AMERICAN/ALASKAN NATIVE": "native_american",
    "UNKNOWN": "unknown",
}
GENDER = {"MALE": "male", "FEMALE": "female", "UNKNOWN": "unknown"}

# Some TRR officer rows give the rank as CPD's position code; the roster's own
# rank_no/current_rank pairs give the title (9122 is in no file and stays as recorded).
RANK_CODES = {
    "9161": "POLICE OFFICER",
    "9164": "PO/FIELD TRNING OFF",
    "9165": "PO AS DETECTIVE",
    "9171": "SERGEANT OF POLICE",
    "9173": "LIEUTENANT OF POLICE",
    "9175": "CAPTAIN OF POLICE",
}


def yes_no(column: str) -> Expr:
    """Return a Yes/No/Y/N column as a boolean."""
    return boolean(column, true=("yes", "y"), false=("no", "n"))


def whole(column: str) -> Expr:
    """Return an identifier or code the export wrote as a float ("1113.0") as text ("1113")."""
    return sql(f"regexp_replace({raw(column)}, '\\.0$', '')", column)


def beat(column: str) -> Expr:
    """Return a CPD beat as text without the float's ".0"; beat 0 means none was recorded."""
    return sql(f"NULLIF(regexp_replace({raw(column)}, '\\.0$', ''), '0')", column)


@register
class ChicagoTRRMain(Mapping):
    name = "chicago_trr_main"
    title = "Chicago PD tactical response reports (use of force)"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = (
        "trr_id",
        "rd_no",
        "event_no",
        "beat",
        "trr_date",
        "trr_time",
        "indoor_or_outdoor",
        "lighting_condition",
        "weather_condition",
        "party_fired_first",
    )
    outputs = (
        Output(
            "force_incident",
            {
                "occurred_date": date("trr_date"),
                "occurred_time": time("trr_time"),
                "occurred_at": combine(date("trr_date"), time("trr_time"), CHICAGO),
                # Block, direction and street, then the kind of place (cleaned by the Institute).
                "location": sql(
                    "NULLIF(concat_ws(', ', NULLIF(concat_ws(' ', "
                    f"{raw('block')}, {raw('direction')}, {raw('street')}), ''), "
                    f"{raw('location_recode')}), '')",
                    "block",
                    "direction",
                    "street",
                    "location_recode",
                ),
                "area": beat("beat"),
                "conditions": sql(
                    f"NULLIF(concat_ws('; ', {raw('indoor_or_outdoor')}, "
                    f"'lighting ' || {raw('lighting_condition')}, "
                    f"'weather ' || {raw('weather_condition')}), '')",
                    "indoor_or_outdoor",
                    "lighting_condition",
                    "weather_condition",
                ),
            },
            key=text("trr_id"),
        ),
    )


_PERSON = raw("person")
_ACTION = raw("action")


@register
class ChicagoTRRActions(Mapping):
    name = "chicago_trr_actions"
    title = "Chicago PD tactical response reports: actions and responses"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = ("row_id", "trr_id", "person", "resistance_type", "action", "other_description")
    outputs = (
        Output(
            "force_action",
            {
                "parent_id": text("trr_id"),
                "actor": code(
                    "person",
                    {"Member Action": "officer", "Subject Action": "subject"},
                ),
                # CPD files each member response under the resistance level it answers, so for
                # member actions `resistance_type` is the response's category, fixed by the
                # action itself; only subject actions record the subject's resistance.
                "resistance_type": sql(
                    f"CASE WHEN {_PERSON} = 'Subject Action' THEN {raw('resistance_type')} END",
                    "person",
                    "resistance_type",
                ),
                "force_type": sql(
                    f"CASE WHEN {_PERSON} = 'Member Action' THEN {_ACTION} END",
                    "person",
                    "action",
                ),
                # A row with no actor, resistance or action records nothing: a data error.
                "action": Expr(
                    _ACTION,
                    ("action",),
                    check=(
                        f"CASE WHEN {_PERSON} IS NULL AND {_ACTION} IS NULL "
                        f"AND {raw('resistance_type')} IS NULL "
                        "THEN 'action: empty row, no actor or action recorded (' || "
                        f"{quote_ident('trr_id')} || ')' END"
                    ),
                ),
            },
            key=text("row_id"),
        ),
    )


_APPOINTED = date("appointed_date")
_TRR_DATE = date("trr_date")


@register
class ChicagoTRROfficers(Mapping):
    name = "chicago_trr_officers"
    title = "Chicago PD tactical response reports: officers"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = (
        "row_id",
        "trr_id",
        "appointed_date",
        "unit_detail",
        "assigned_beat",
        "duty_status",
        "in_uniform",
        "current_star",
    )
    outputs = (
        Output(
            "force_officer",
            {
                "parent_id": text("trr_id"),
                # The Institute's officer identifier within this release (not the star number).
                "officer_id": whole("TRR-officers_2004-2018_2018-08_p456008_ID"),
                "officer_gender": code("gender", GENDER, missing="not_recorded"),
                "officer_race": code("race", RACE, missing="not_recorded"),
                "officer_race_raw": text("race"),
                "officer_rank": sql(
                    "CASE "
                    + " ".join(
                        f"WHEN {raw('rank')} = '{number}' THEN '{title}'"
                        for number, title in RANK_CODES.items()
                    )
                    + f" ELSE {raw('rank')} END",
                    "rank",
                ),
                # From appointment to the incident; missing when the roster's appointment date
                # is later than the incident (a re-appointment or an error, 20 rows).
                "years_of_service": Expr(
                    f"CASE WHEN {_APPOINTED.sql} <= {_TRR_DATE.sql} THEN "
                    f"round(date_diff('day', {_APPOINTED.sql}, {_TRR_DATE.sql}) / 365.25, 2) END",
                    ("appointed_date", "trr_date"),
                    _APPOINTED.check,
                ),
                "injured": yes_no("injured"),
            },
            key=text("row_id"),
        ),
    )


@register
class ChicagoTRRSubjects(Mapping):
    name = "chicago_trr_subjects"
    title = "Chicago PD tactical response reports: subjects"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = ("trr_id", "armed", "injured", "alleged_injury", "subject_no", "sr_no", "se_no")
    outputs = (
        Output(
            "force_subject",
            {
                "parent_id": text("trr_id"),
                "subject_age": integer("age", 0, 120),
                "subject_gender": code("gender", GENDER, missing="not_recorded"),
                "subject_race": code("race", RACE, missing="not_recorded"),
                "subject_race_raw": text("race"),
                "armed": yes_no("armed"),
                "injured": yes_no("injured"),
            },
            # One subject per report in this release: the report's id identifies it.
            key=text("trr_id"),
        ),
    )
