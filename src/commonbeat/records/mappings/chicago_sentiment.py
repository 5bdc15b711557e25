"""City of Chicago Police Sentiment Scores (Elucd survey), 2017-11 to 2023-02.

The file is wide: each row is one place (the city, an area, a district or a sector) and one
period (a month, or a week in 2017-2019), with a column per measure and population group:
SAFETY, TRUST and trust's two components LISTEN and RESPECT, each overall and by race, age,
sex, education and income (4 x 17 = 68 value columns). Each value column becomes its own output,
one external_series record per row where the value is present. ORG_LEVEL (always "Other") and
CITY (always "chicago") carry no information beyond the level and area derived below.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
    Mapping,
    Output,
    const,
    date,
    number,
    raw,
    register,
    sql,
)
from commonbeat.records.mappings.chicago_trr import AGENCY
from commonbeat.records.sql import quote_ident, quote_literal

SERIES = "chicago_police_sentiment"
# Column prefix of the groups, and the overall column, of each measure.
MEASURES = {
    "safety": ("S", "SAFETY"),
    "trust": ("T", "TRUST"),
    "trust_listen": ("T_LISTEN", "T_LISTEN"),
    "trust_respect": ("T_RESPECT", "T_RESPECT"),
}
# Race groups use the standard race vocabulary; age, education and income are the survey's own
# low/medium/high bands.
GROUPS = {
    "RACE_AFRICAN_AMERICAN": "race: black",
    "RACE_ASIAN_AMERICAN": "race: asian_pacific_islander",
    "RACE_HISPANIC": "race: hispanic",
    "RACE_WHITE": "race: white",
    "RACE_OTHER": "race: other",
    "AGE_LOW": "age: low",
    "AGE_MEDIUM": "age: medium",
    "AGE_HIGH": "age: high",
    "SEX_FEMALE": "sex: female",
    "SEX_MALE": "sex: male",
    "EDUCATION_LOW": "education: low",
    "EDUCATION_MEDIUM": "education: medium",
    "EDUCATION_HIGH": "education: high",
    "INCOME_LOW": "income: low",
    "INCOME_MEDIUM": "income: medium",
    "INCOME_HIGH": "income: high",
}

PLACE_COLUMNS = ("AREA", "DISTRICT", "SECTOR")
LEVEL = (
    f"CASE WHEN {raw('SECTOR')} IS NOT NULL THEN 'sector' "
    f"WHEN {raw('DISTRICT')} IS NOT NULL THEN 'district' "
    f"WHEN {raw('AREA')} IS NOT NULL THEN 'area' ELSE 'city' END"
)
AREA = f"COALESCE({raw('SECTOR')}, {raw('DISTRICT')}, {raw('AREA')}, 'chicago')"


def _columns() -> list[tuple[str, str, str]]:
    """Return (column, measure, group) for every value column."""
    columns = []
    for measure, (prefix, overall) in MEASURES.items():
        columns.append((overall, measure, "all"))
        columns.extend((f"{prefix}_{suffix}", measure, group) for suffix, group in GROUPS.items())
    return columns


def _output(column: str, measure: str, group: str) -> Output:
    # A row is one place and period: with the measure and group, that names the value.
    key = sql(
        f"concat_ws('|', {LEVEL}, {AREA}, {raw('START_DATE')}, {raw('END_DATE')}, "
        f"{quote_literal(measure)}, {quote_literal(group)})",
        *PLACE_COLUMNS,
        "START_DATE",
        "END_DATE",
    )
    return Output(
        "external_series",
        {
            "series": const(SERIES),
            "period_start": date("START_DATE", "%m/%d/%Y"),
            "period_end": date("END_DATE", "%m/%d/%Y"),
            "level": sql(LEVEL, *PLACE_COLUMNS),
            "area": sql(AREA, *PLACE_COLUMNS),
            "measure": const(measure),
            "group": const(group),
            "value": number(column, 0, 100),
        },
        key=key,
        where=f"NULLIF(TRIM({quote_ident(column)}), '') IS NOT NULL",
    )


@register
class ChicagoSentiment(Mapping):
    name = "chicago_sentiment"
    title = "Chicago Police Sentiment Scores"
    source = "City of Chicago Data Portal, Police Sentiment Scores (survey by Elucd)"
    licence = "City of Chicago Data Portal terms of use"
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = ("ORG_LEVEL", "AREA", "DISTRICT", "SECTOR", "SAFETY", "TRUST", "START_DATE")
    outputs = tuple(_output(*column) for column in _columns())
