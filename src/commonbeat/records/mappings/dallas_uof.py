"""Dallas Police Department use of force, 2016 (Center for Policing Equity's prepped release).

`37-00049_UOF-P_2016_prepped.csv`: one row per officer and subject, with the officer's force
types (`TYPE_OF_FORCE_USED1`..`10`) and the subject's demographics, injury and arrest.

What the file holds, and how it is read:

- One header row. The original CPE release has a second, descriptive header row; this copy
  does not: line 2 is a use of force like any other (UOF 37702), so no data row is skipped.
  (Were the descriptive row present, it would be rejected as "INCIDENT_DATE: not a date".)
- `UOF_NUMBER` is the report number, or for an officer who filed several reports on one
  subject a list of them (" 37879, 37898"; spaces removed in the identifier). A report is the
  incident. 50 reports have two to four rows: one officer, the same date, time, place and force
  types, but different unidentified subjects (`SUBJECT_ID` 0) with their own race, sex, injury
  or charge. So each row is a subject; the incident, its officer and its force types are
  taken from the report's first row only (`first_per_key`), where a key unique per row
  would have counted one incident several times.
- `INCIDENT_DATE` is written two ways by a spreadsheet: "09-03-2016" (month-day-year, for days
  up to the 12th) and "3/22/16". Report numbers rise with these dates read month first.
- Officers, subjects: race "American Ind" is Native American; an empty subject race or sex
  ("NULL") is not recorded, a subject sex "Unknown" is unknown.
- `SUBJECT_DESCRIPTION` is one choice among the officer's assessment of the subject's state
  ("Mentally unstable", "Alchohol", "Unknown Drugs", "None detected", ...) and, for other
  rows, whether the subject was armed ("FD-Suspect w/ Gun", "FD-Suspect Unarmed", ...).
  "Mentally unstable" is a mental health crisis and the other states are not; "Unknown", no
  value, the "FD-" and the "Animal" values leave it not recorded. The "FD-" values give
  `armed` and `weapon`; other rows do not say.
- Not in the standard records: the incident's and the force's stated reasons
  (`INCIDENT_REASON`, `REASON_FOR_FORCE`), the subject's charge, the officer's hire date and
  hospitalisation, the injury types, taser cycles and whether each force was effective. No
  death or firearm discharge is recorded (no force type is a firearm).
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    CsvFormat,
    Expr,
    Mapping,
    Output,
    boolean,
    code,
    combine,
    const,
    date,
    latitude,
    longitude,
    number,
    raw,
    register,
    sql,
    text,
    time,
)

CHICAGO = "America/Chicago"
FORCE_COLUMNS = tuple(f"TYPE_OF_FORCE_USED{n}" for n in range(1, 11))
# The report number(s): " 37879, 37898" becomes "37879,37898".
REPORT_SQL = f"regexp_replace({raw('UOF_NUMBER')}, '\\s+', '', 'g')"
REPORT = sql(REPORT_SQL, "UOF_NUMBER")
RACES = {
    "White": "white",
    "Black": "black",
    "Hispanic": "hispanic",
    "Asian": "asian_pacific_islander",
    "American Ind": "native_american",
    "Other": "other",
}
GENDERS = {"Male": "male", "Female": "female", "Unknown": "unknown"}
DESCRIPTION = "NULLIF(TRIM(\"SUBJECT_DESCRIPTION\"), '')"
# The officer's assessment of the subject's state, when it names something else.
NOT_IN_CRISIS = (
    "None detected",
    "Alchohol",
    "Unknown Drugs",
    "Alchohol and unknown drugs",
    "Marijuana",
)
ARMED = {
    "FD-Suspect w/ Gun": ("TRUE", "gun"),
    "FD-Suspect w/ Other Weapon": ("TRUE", "other weapon"),
    "FD-Motor Vehicle": ("TRUE", "motor vehicle"),
    "FD-Suspect Unarmed": ("FALSE", None),
}


def _description_case(values: dict[str, str]) -> Expr:
    branches = " ".join(f"WHEN '{k}' THEN {v}" for k, v in values.items())
    return sql(f"CASE {DESCRIPTION} {branches} END", "SUBJECT_DESCRIPTION")


def _force(n: int) -> Output:
    column = f"TYPE_OF_FORCE_USED{n}"
    return Output(
        "force_action",
        {
            "parent_id": REPORT,
            "actor": const("officer"),
            "person_id": text("OFFICER_ID"),
            "force_type": text(column),
            "action": text(column),
        },
        key=sql(f"{REPORT_SQL} || '/force{n}'", "UOF_NUMBER"),
        where=f"{raw(column)} IS NOT NULL",
        first_per_key=True,
    )


@register
class DallasUseOfForce(Mapping):
    name = "dallas_uof"
    title = "Dallas Police Department use of force, 2016"
    source = "Dallas Police Department via the Center for Policing Equity (37-00049_UOF-P_2016_prepped.csv)"
    licence = "Dallas OpenData public records, as released by the Center for Policing Equity"
    agency = "dallas-pd"
    time_zone = "America/Chicago"
    csv = CsvFormat(null_values=("NULL",))
    signature = (
        "INCIDENT_DATE",
        "UOF_NUMBER",
        "OFFICER_ID",
        "SUBJECT_ID",
        "SUBJECT_WAS_ARRESTED",
        "REASON_FOR_FORCE",
        "TYPE_OF_FORCE_USED1",
    )
    outputs = (
        Output(
            "force_incident",
            {
                "occurred_date": date("INCIDENT_DATE", "%m-%d-%Y", "%m/%d/%y"),
                "occurred_time": time("INCIDENT_TIME", "%I:%M:%S %p"),
                "occurred_at": combine(
                    date("INCIDENT_DATE", "%m-%d-%Y", "%m/%d/%y"),
                    time("INCIDENT_TIME", "%I:%M:%S %p"),
                    CHICAGO,
                ),
                "location": text("LOCATION_FULL_STREET_ADDRESS_OR_INTERSECTION"),
                "latitude": latitude("LOCATION_LATITUDE"),
                "longitude": longitude("LOCATION_LONGITUDE"),
                "area": text("BEAT"),
            },
            key=REPORT,
            first_per_key=True,
        ),
        Output(
            "force_officer",
            {
                "parent_id": REPORT,
                "officer_id": text("OFFICER_ID"),
                "officer_gender": code("OFFICER_GENDER", GENDERS, missing="not_recorded"),
                "officer_race": code("OFFICER_RACE", RACES, missing="not_recorded"),
                "officer_race_raw": text("OFFICER_RACE"),
                "years_of_service": number("OFFICER_YEARS_ON_FORCE", 0, 60),
                "injured": boolean("OFFICER_INJURY"),
            },
            key=REPORT,
            first_per_key=True,
        ),
        Output(
            "force_subject",
            {
                "parent_id": REPORT,
                "subject_gender": code("SUBJECT_GENDER", GENDERS, missing="not_recorded"),
                "subject_race": code("SUBJECT_RACE", RACES, missing="not_recorded"),
                "subject_race_raw": text("SUBJECT_RACE"),
                "injured": boolean("SUBJECT_INJURY"),
                "arrested": boolean("SUBJECT_WAS_ARRESTED"),
                "mental_health_crisis": _description_case(
                    {"Mentally unstable": "TRUE", **dict.fromkeys(NOT_IN_CRISIS, "FALSE")}
                ),
                "armed": _description_case({k: v for k, (v, _) in ARMED.items()}),
                "weapon": _description_case(
                    {k: f"'{w}'" for k, (_, w) in ARMED.items() if w is not None}
                ),
            },
            # Several unidentified subjects may share a report: with no key, each row is its own
            # record (file and row number), and parent_id ties it to the report.
        ),
        *(_force(n) for n in range(1, 11)),
    )
