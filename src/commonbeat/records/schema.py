"""The standard schemas of the record store: one per record type, each field typed and described.

The data dictionary (docs/data-dictionary.md, `commonbeat datadictionary`) is generated from
here. `private` fields never leave the private side; publication drops or generalises them.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonbeat.records import vocab

# DuckDB/Parquet type of each schema type; the same names are standard SQL.
SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "time": "TIME",
    "datetime": "TIMESTAMPTZ",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    allowed: tuple[str, ...] = ()
    required: bool = False
    private: bool = False
    # How publication treats the field: "drop", "location", "month" (dates to the month),
    # "hour" (times to the hour; only where the operator lists the table in
    # PUBLISH_HOUR_TABLES), "age_band" (the age range in data.police.uk's bands, from the
    # exact age where known), "service_band" (years of service in bands) or "" (as is).
    privacy: str = ""
    # A value someone could know about a person from elsewhere (when, where, age, gender,
    # race, an officer's rank and service): the release measures how many rows are unique
    # on these (records/disclosure.py).
    quasi_identifier: bool = False

    def __post_init__(self) -> None:
        if self.type not in SQL_TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type}")


@dataclass(frozen=True)
class RecordType:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    parent: str = ""  # for child rows: the record type whose record_id `parent_id` names
    # False where rows could identify people even without their names (force subjects and
    # officers, complainants, rosters): releases then carry only this type's aggregate counts,
    # with small cells suppressed, unless the operator lists it in PUBLISH_PERSON_ROWS.
    publish_rows: bool = True
    # One row per person (or per person's encounter): the disclosure policy applies to it.
    about_people: bool = False

    def field(self, name: str) -> Field:
        """Return the field with this name."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _common(parent: str = "") -> tuple[Field, ...]:
    fields = [
        Field("record_id", "string", "Identifier of the record within its source.", required=True),
        Field("source", "string", "The source mapping that imported the record.", required=True),
        Field(
            "agency",
            "string",
            "The agency the record belongs to.",
            required=True,
            quasi_identifier=True,
        ),
    ]
    if parent:
        fields.append(
            Field("parent_id", "string", f"The {parent} this row belongs to.", required=True)
        )
    return tuple(fields)


def _place() -> tuple[Field, ...]:
    return (
        Field(
            "location",
            "string",
            "The place as recorded (address, block, description).",
            private=True,
            privacy="drop",
        ),
        Field(
            "latitude",
            "number",
            "Latitude (WGS84) of the place.",
            private=True,
            privacy="location",
            quasi_identifier=True,
        ),
        Field(
            "longitude",
            "number",
            "Longitude (WGS84) of the place.",
            private=True,
            privacy="location",
            quasi_identifier=True,
        ),
        Field(
            "area",
            "string",
            "The agency's own area code as recorded (precinct, district, beat).",
            quasi_identifier=True,
        ),
        Field(
            "neighbourhood",
            "string",
            "Commonbeat neighbourhood containing the point, where boundaries exist.",
            quasi_identifier=True,
        ),
    )


def _when(prefix: str, what: str) -> tuple[Field, ...]:
    return (
        Field(
            f"{prefix}_date",
            "date",
            f"Local date of {what}.",
            privacy="month",
            quasi_identifier=True,
        ),
        Field(
            f"{prefix}_time",
            "time",
            f"Local clock time of {what}, where recorded.",
            privacy="hour",
            quasi_identifier=True,
        ),
        Field(
            f"{prefix}_at",
            "datetime",
            f"Instant of {what}, with time zone, where date and time are known.",
            privacy="drop",
        ),
    )


def _person(prefix: str, who: str) -> tuple[Field, ...]:
    return (
        # Releases carry the age only as a range: the exact age is one of the strongest keys
        # to a person (data.police.uk publishes ranges only).
        Field(
            f"{prefix}_age",
            "integer",
            f"Age of the {who} in years.",
            privacy="drop",
            quasi_identifier=True,
        ),
        Field(
            f"{prefix}_age_range",
            "string",
            f"Age range of the {who} as recorded.",
            privacy="age_band",
            quasi_identifier=True,
        ),
        Field(
            f"{prefix}_gender",
            "string",
            f"Gender or sex of the {who}.",
            allowed=vocab.GENDER,
            quasi_identifier=True,
        ),
        Field(
            f"{prefix}_race",
            "string",
            f"Race or ethnicity of the {who} (as perceived or recorded by the officer).",
            allowed=vocab.RACE,
            quasi_identifier=True,
        ),
        Field(
            f"{prefix}_race_raw",
            "string",
            f"Race or ethnicity of the {who} exactly as the source recorded it.",
            quasi_identifier=True,
        ),
    )


STOP = RecordType(
    "stop",
    "Stops",
    "Pedestrian and vehicle stops, Terry stops and stop-and-search, one row per person stopped.",
    (
        *_common(),
        *_when("occurred", "the stop"),
        *_place(),
        Field("stop_type", "string", "Kind of stop.", allowed=vocab.STOP_TYPE),
        Field("reason", "string", "Reason for the stop or suspected offence, as recorded."),
        *_person("subject", "person stopped"),
        Field(
            "subject_race_self",
            "string",
            "Race or ethnicity the person gave themselves.",
            allowed=vocab.RACE,
            quasi_identifier=True,
        ),
        Field(
            "subject_race_self_raw",
            "string",
            "Self-defined ethnicity exactly as recorded.",
            quasi_identifier=True,
        ),
        Field("frisk_performed", "boolean", "Whether the person was frisked (patted down)."),
        Field("search_conducted", "boolean", "Whether a search was conducted."),
        Field(
            "search_basis",
            "string",
            "Basis of the search; missing when there was no search.",
            allowed=vocab.SEARCH_BASIS,
        ),
        Field(
            "contraband_found",
            "boolean",
            "Whether contraband was found; missing when there was no search.",
        ),
        Field("contraband_drugs", "boolean", "Drugs found."),
        Field("contraband_weapons", "boolean", "Weapons found."),
        Field("contraband_other", "boolean", "Other contraband found."),
        Field("object_of_search", "string", "What the search was for, as recorded."),
        Field("legislation", "string", "The power or law the search was made under."),
        Field("outcome", "string", "Most serious outcome of the stop.", allowed=vocab.STOP_OUTCOME),
        Field("outcome_raw", "string", "Outcome exactly as recorded."),
        Field(
            "outcome_linked_to_object",
            "boolean",
            "Whether the outcome was linked to the object of the search.",
        ),
        Field("clothing_removal", "boolean", "Whether more than outer clothing was removed."),
        Field("force_used", "boolean", "Whether the officer used force in the stop."),
        Field(
            "officer_id",
            "string",
            "Identifier of the stopping officer.",
            private=True,
            privacy="drop",
        ),
    ),
    about_people=True,
)

CALL = RecordType(
    "call",
    "Calls for service",
    "Calls to the emergency communications centre and officer-initiated incidents, one row per call.",
    (
        *_common(),
        Field("discipline", "string", "Service that responded.", allowed=vocab.DISCIPLINE),
        Field("received_at", "datetime", "When the call was received.", required=True),
        Field("queued_at", "datetime", "When the call entered the dispatch queue."),
        Field("dispatched_at", "datetime", "When the first unit was dispatched."),
        Field("en_route_at", "datetime", "When the first unit was en route."),
        Field("on_scene_at", "datetime", "When the first unit arrived on scene."),
        Field("cleared_at", "datetime", "When the call was closed."),
        Field("priority", "string", "Priority as recorded (1 is most urgent in most centres)."),
        Field("call_type", "string", "Problem or call type at intake."),
        Field("final_type", "string", "Call type after the response, where recorded."),
        Field("call_source", "string", "How the call came in.", allowed=vocab.CALL_SOURCE),
        Field("disposition", "string", "How the call was closed."),
        *_place(),
    ),
)

CRIME = RecordType(
    "crime",
    "Crimes and outcomes",
    "Recorded crimes with their latest outcome, one row per crime.",
    (
        *_common(),
        Field("category", "string", "Crime category.", required=True),
        *_when("occurred", "the crime"),
        *_place(),
        Field(
            "outcome",
            "string",
            "Latest outcome (e.g. under investigation, charged, no suspect identified).",
        ),
        Field("outcome_date", "date", "Date of the latest outcome.", privacy="month"),
        Field(
            "cleared",
            "boolean",
            "Whether the crime counts as cleared (by arrest or exceptional means).",
        ),
    ),
)

FORCE_INCIDENT = RecordType(
    "force_incident",
    "Use of force: incidents",
    "Incidents in which officers used force, one row per incident (report).",
    (
        *_common(),
        *_when("occurred", "the incident"),
        *_place(),
        Field(
            "conditions", "string", "Conditions as recorded (lighting, weather, indoor/outdoor)."
        ),
        Field("fatal", "boolean", "Whether anyone died."),
        Field("firearm_discharged", "boolean", "Whether an officer fired a gun."),
        Field("narrative", "string", "Free-text narrative.", private=True, privacy="drop"),
    ),
)

FORCE_SUBJECT = RecordType(
    "force_subject",
    "Use of force: subjects",
    "People force was used on, one row per subject per incident.",
    (
        *_common("force_incident"),
        *_person("subject", "subject"),
        Field("armed", "boolean", "Whether the subject was armed."),
        Field("weapon", "string", "What the subject was armed with, as recorded."),
        Field("injured", "boolean", "Whether the subject was injured."),
        Field("arrested", "boolean", "Whether the subject was arrested."),
        Field("killed", "boolean", "Whether the subject died."),
        Field(
            "mental_health_crisis",
            "boolean",
            "Whether signs of mental illness or crisis were recorded.",
        ),
    ),
    parent="force_incident",
    publish_rows=False,
    about_people=True,
)

FORCE_OFFICER = RecordType(
    "force_officer",
    "Use of force: officers",
    "Officers involved, one row per officer per incident.",
    (
        *_common("force_incident"),
        Field("officer_id", "string", "Identifier of the officer.", private=True, privacy="drop"),
        Field(
            "officer_gender",
            "string",
            "Gender of the officer.",
            allowed=vocab.GENDER,
            quasi_identifier=True,
        ),
        Field(
            "officer_race",
            "string",
            "Race or ethnicity of the officer.",
            allowed=vocab.RACE,
            quasi_identifier=True,
        ),
        Field(
            "officer_race_raw",
            "string",
            "Race or ethnicity of the officer as recorded.",
            quasi_identifier=True,
        ),
        Field("officer_rank", "string", "Rank at the time.", quasi_identifier=True),
        Field(
            "years_of_service",
            "number",
            "Years of service at the time.",
            privacy="service_band",
            quasi_identifier=True,
        ),
        Field("injured", "boolean", "Whether the officer was injured."),
    ),
    parent="force_incident",
    publish_rows=False,
    about_people=True,
)

FORCE_ACTION = RecordType(
    "force_action",
    "Use of force: actions",
    "Actions and responses in an incident, one row per action, by an officer or a subject.",
    (
        *_common("force_incident"),
        Field("actor", "string", "Who acted.", allowed=vocab.ACTOR),
        Field(
            "person_id",
            "string",
            "Identifier of the acting person within the incident.",
            private=True,
            privacy="drop",
        ),
        Field(
            "resistance_type", "string", "Subject resistance, as recorded (for subject actions)."
        ),
        Field("force_type", "string", "Force used, as recorded (for officer actions)."),
        Field("action", "string", "The action exactly as recorded."),
    ),
    parent="force_incident",
)

COMPLAINT = RecordType(
    "complaint",
    "Complaints",
    "Complaints about officers' conduct, one row per complaint.",
    (
        *_common(),
        Field(
            "received_date",
            "date",
            "When the complaint was received.",
            privacy="month",
            quasi_identifier=True,
        ),
        Field(
            "incident_date",
            "date",
            "When the incident complained of happened.",
            privacy="month",
            quasi_identifier=True,
        ),
        Field("closed_date", "date", "When the investigation closed.", privacy="month"),
        Field("days_to_close", "integer", "Days from receipt to closure."),
        Field("category", "string", "Category of the complaint as recorded."),
        *_place(),
        Field("narrative", "string", "Free-text summary.", private=True, privacy="drop"),
    ),
)

ALLEGATION = RecordType(
    "allegation",
    "Allegations",
    "Allegations against an accused officer within a complaint, with findings and discipline.",
    (
        *_common("complaint"),
        Field(
            "officer_id",
            "string",
            "Identifier of the accused officer.",
            private=True,
            privacy="drop",
        ),
        Field(
            "category",
            "string",
            "Allegation category (e.g. force, abuse of authority, discourtesy).",
        ),
        Field("allegation", "string", "The allegation as recorded."),
        Field(
            "recommended_finding",
            "string",
            "Finding recommended by the investigators.",
            allowed=vocab.FINDING,
        ),
        Field("recommended_finding_raw", "string", "Recommended finding as recorded."),
        Field("final_finding", "string", "Final finding.", allowed=vocab.FINDING),
        Field("final_finding_raw", "string", "Final finding as recorded."),
        Field("recommended_discipline", "string", "Discipline recommended, as recorded."),
        Field("final_discipline", "string", "Discipline imposed, as recorded."),
    ),
    parent="complaint",
)

COMPLAINANT = RecordType(
    "complainant",
    "Complainants",
    "Demographics of complainants (never their identity).",
    (
        *_common("complaint"),
        *_person("complainant", "complainant"),
    ),
    parent="complaint",
    publish_rows=False,
    about_people=True,
)

ROSTER = RecordType(
    "roster",
    "Officer rosters",
    "Officers as listed in an agency's roster, one row per officer.",
    (
        *_common(),
        Field("first_name", "string", "First name.", private=True, privacy="drop"),
        Field("last_name", "string", "Last name.", private=True, privacy="drop"),
        Field("gender", "string", "Gender.", allowed=vocab.GENDER, quasi_identifier=True),
        Field("race", "string", "Race or ethnicity.", allowed=vocab.RACE, quasi_identifier=True),
        Field("race_raw", "string", "Race or ethnicity as recorded.", quasi_identifier=True),
        Field("birth_year", "integer", "Year of birth.", private=True, privacy="drop"),
        Field(
            "appointed_date",
            "date",
            "Date of appointment or employment.",
            privacy="month",
            quasi_identifier=True,
        ),
        Field(
            "separation_date",
            "date",
            "Date of separation, if separated.",
            privacy="month",
            quasi_identifier=True,
        ),
        Field("status", "string", "Current status as recorded.", quasi_identifier=True),
        Field("rank", "string", "Current or last rank.", quasi_identifier=True),
        Field("unit", "string", "Current or last unit.", quasi_identifier=True),
        Field(
            "badge_number",
            "string",
            "Current or last badge or star number.",
            private=True,
            privacy="drop",
        ),
    ),
    publish_rows=False,
    about_people=True,
)

ROSTER_ASSIGNMENT = RecordType(
    "roster_assignment",
    "Officer assignments",
    "Assignment history: rank, unit and badge over time, one row per assignment.",
    (
        *_common("roster"),
        Field(
            "badge_number",
            "string",
            "Badge or star number during the assignment.",
            private=True,
            privacy="drop",
        ),
        Field("rank", "string", "Rank.", quasi_identifier=True),
        Field("unit", "string", "Unit or command.", quasi_identifier=True),
        Field(
            "start_date",
            "date",
            "Start of the assignment.",
            privacy="month",
            quasi_identifier=True,
        ),
        Field("end_date", "date", "End of the assignment.", privacy="month", quasi_identifier=True),
    ),
    parent="roster",
    publish_rows=False,
    about_people=True,
)

EXTERNAL_SERIES = RecordType(
    "external_series",
    "External series",
    "Measures published by others over time (surveys, sentiment scores), one row per value.",
    (
        *_common(),
        Field("series", "string", "Name of the series.", required=True),
        Field("period_start", "date", "First day of the period.", required=True),
        Field("period_end", "date", "Last day of the period."),
        Field("level", "string", "Geographic level (city, area, district, sector)."),
        Field("area", "string", "Area code at that level."),
        Field("measure", "string", "What is measured (e.g. safety, trust).", required=True),
        Field("group", "string", "Population group (e.g. race: black), or 'all'."),
        Field("value", "number", "The value."),
    ),
)

AGENCY_REFERENCE = RecordType(
    "agency_reference",
    "Agency reference",
    "Agencies as listed by a source that names them (e.g. with their ORI codes), one row per agency.",
    (
        *_common(),
        Field("name", "string", "Name of the agency."),
        Field("agency_type", "string", "Kind of agency as recorded (e.g. local police, sheriff)."),
        Field("state", "string", "State or region of the agency."),
        Field("ori_codes", "string", "The agency's ORI codes, separated by ';'."),
        Field("total_shootings", "integer", "Fatal shootings the source attributes to the agency."),
    ),
)

STOP_AGGREGATE = RecordType(
    "stop_aggregate",
    "Stop counts",
    "Published counts of stops, searches and hits by area and group, where the stops themselves "
    "are not available (e.g. the Stanford Open Policing Project's state-patrol tables).",
    (
        *_common(),
        Field("table", "string", "The published table the counts come from.", required=True),
        Field("period", "string", "The period covered, as published (e.g. a year range)."),
        Field("state", "string", "Two-letter state code."),
        Field("level", "string", "Geographic level of the area (state, county)."),
        Field(
            "area",
            "string",
            "Area code or name at that level (e.g. county FIPS 04001).",
            required=True,
        ),
        Field(
            "subject_race", "string", "Race or ethnicity of the people stopped.", allowed=vocab.RACE
        ),
        Field("subject_race_raw", "string", "The group exactly as published."),
        Field("stops", "integer", "Number of stops."),
        Field("searches", "integer", "Number of searches among those stops."),
        Field("hits", "integer", "Number of searches that found contraband."),
        Field(
            "population",
            "integer",
            "Resident population of the group in the area, as published with the counts.",
        ),
        Field(
            "inferred_threshold",
            "number",
            "Published inferred search threshold (threshold test), where given.",
        ),
    ),
)

DOCUMENTED_INCIDENT = RecordType(
    "documented_incident",
    "Documented incidents",
    "Incidents of alleged misconduct compiled from public sources (news, lawsuits, disciplinary "
    "records) by an accountability project, with the officers they name.",
    (
        *_common(),
        Field("department", "string", "The department as named by the source."),
        Field("occurred_date", "date", "Date of the incident, where known.", privacy="month"),
        *_place(),
        Field(
            "officer_ids",
            "string",
            "Identifiers of the officers named, separated by ';'.",
            private=True,
            privacy="drop",
        ),
        Field(
            "description",
            "string",
            "Free-text account of the incident.",
            private=True,
            privacy="drop",
        ),
    ),
)

REFERENCE_LINK = RecordType(
    "reference_link",
    "Reference links",
    "Links to public documents about an officer or a documented incident (profiles, news, court records).",
    (
        *_common(),
        Field("subject_type", "string", "What the link is about.", allowed=("officer", "incident")),
        Field(
            "subject_ids",
            "string",
            "Identifiers of the officers or incidents, separated by ';'.",
            private=True,
            privacy="drop",
        ),
        Field("url", "string", "The address of the document.", required=True),
        Field("title", "string", "Its title."),
        Field("link_type", "string", "Kind of link as recorded (link, video, ...)."),
        Field("author", "string", "Who published it."),
    ),
)

RECORD_TYPES: dict[str, RecordType] = {
    rt.name: rt
    for rt in (
        STOP,
        CALL,
        CRIME,
        FORCE_INCIDENT,
        FORCE_SUBJECT,
        FORCE_OFFICER,
        FORCE_ACTION,
        COMPLAINT,
        ALLEGATION,
        COMPLAINANT,
        ROSTER,
        ROSTER_ASSIGNMENT,
        EXTERNAL_SERIES,
        AGENCY_REFERENCE,
        STOP_AGGREGATE,
        DOCUMENTED_INCIDENT,
        REFERENCE_LINK,
    )
}
SCHEMA_VERSION = "1.0"
