"""data.police.uk stop and search: the monthly per-force CSV extracts."""

from __future__ import annotations

import re
from pathlib import Path

from commonbeat.records.mapping import (
    Mapping,
    Output,
    boolean,
    code,
    date,
    datetime,
    latitude,
    longitude,
    register,
    sql,
    text,
    time,
)

LONDON = "Europe/London"
OFFICER_DEFINED = {
    "White": "white",
    "Black": "black",
    "Asian": "asian_pacific_islander",
    "Mixed": "multiracial",
    "Other": "other",
}
# Self-defined ethnicity is the 2011 census list ("Group - Detail"); the group decides.
SELF_DEFINED = (
    "CASE WHEN {v} IS NULL THEN 'not_recorded' "
    "WHEN {v} ILIKE 'White%' THEN 'white' "
    "WHEN {v} ILIKE 'Black%' THEN 'black' "
    "WHEN {v} ILIKE 'Asian%' THEN 'asian_pacific_islander' "
    "WHEN {v} ILIKE 'Mixed%' THEN 'multiracial' "
    "WHEN {v} ILIKE 'Other ethnic group - Not stated%' THEN 'unknown' "
    "ELSE 'other' END"
)
OUTCOMES = {
    "A no further action disposal": "none",
    "Nothing found - no further action": "none",
    "False": "none",
    "Arrest": "arrest",
    "Suspect arrested": "arrest",
    "Offender given penalty notice": "citation",
    "Penalty Notice for Disorder": "citation",
    "Summons / charged by post": "summons",
    "Suspect summonsed to court": "summons",
    "Community resolution": "warning",
    "Local resolution": "warning",
    "Offender cautioned": "warning",
    "Caution (simple or conditional)": "warning",
    "Khat or Cannabis warning": "warning",
    "Offender given drugs possession warning": "warning",
}


@register
class UKStopSearch(Mapping):
    name = "uk_stop_search"
    title = "data.police.uk stop and search"
    source = "data.police.uk monthly stop-and-search extracts (Home Office forces)"
    licence = "OGL-3.0"
    agency = "uk"
    time_zone = LONDON
    signature = (
        "Type",
        "Date",
        "Part of a policing operation",
        "Officer-defined ethnicity",
        "Object of search",
        "Outcome linked to object of search",
    )
    outputs = (
        Output(
            "stop",
            {
                "occurred_at": datetime("Date", "%Y-%m-%dT%H:%M:%S%z"),
                "occurred_date": date("Date", "%Y-%m-%dT%H:%M:%S%z", time_zone=LONDON),
                "occurred_time": time("Date", "%Y-%m-%dT%H:%M:%S%z", time_zone=LONDON),
                "latitude": latitude("Latitude"),
                "longitude": longitude("Longitude"),
                "stop_type": code(
                    "Type",
                    {
                        "Person search": "person_search",
                        "Vehicle search": "vehicle_search",
                        "Person and Vehicle search": "person_and_vehicle_search",
                    },
                ),
                "subject_gender": code(
                    "Gender",
                    {"Male": "male", "Female": "female", "Other": "other"},
                    missing="not_recorded",
                ),
                "subject_age_range": text("Age range"),
                "subject_race": code(
                    "Officer-defined ethnicity", OFFICER_DEFINED, missing="not_recorded"
                ),
                "subject_race_raw": text("Officer-defined ethnicity"),
                "subject_race_self": sql(
                    SELF_DEFINED.format(v="NULLIF(TRIM(\"Self-defined ethnicity\"), '')"),
                    "Self-defined ethnicity",
                ),
                "subject_race_self_raw": text("Self-defined ethnicity"),
                "legislation": text("Legislation"),
                "object_of_search": text("Object of search"),
                "reason": text("Object of search"),
                # Every row is a search: that is what the data set records.
                "search_conducted": sql("TRUE"),
                "outcome": code("Outcome", OUTCOMES),
                "outcome_raw": text("Outcome"),
                "outcome_linked_to_object": boolean("Outcome linked to object of search"),
                "clothing_removal": boolean("Removal of more than just outer clothing"),
                "contraband_found": sql(
                    "CASE WHEN lower(NULLIF(TRIM(\"Outcome linked to object of search\"), '')) = 'true' THEN TRUE "
                    "WHEN lower(NULLIF(TRIM(\"Outcome\"), '')) IN "
                    "('a no further action disposal', 'nothing found - no further action', 'false') THEN FALSE END",
                    "Outcome linked to object of search",
                    "Outcome",
                ),
            },
        ),
    )

    @classmethod
    def agency_for(cls, path: Path) -> str:
        # The force is in the file name: 2018-04-metropolitan-stop-and-search.csv.
        match = re.fullmatch(r"\d{4}-\d{2}-(.+)-stop-and-search(\.csv)?", path.name)
        return match[1] if match else "unknown-force"
