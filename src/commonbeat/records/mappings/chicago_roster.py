"""Chicago Police Department roster, 1936-2017 (Invisible Institute's cleaned FOIA release).

One row per officer with up to ten star (badge) numbers, oldest first. Not mapped, because the
standard schema has no field for them: middle initials and suffix, the Institute's name
variants (`*_NS`) and `merge` flag, the age at export (`current_age`, implied by the birth
year), the rank and unit codes (their titles are mapped) and the earlier star numbers.
"""

from __future__ import annotations

from commonbeat.records.mapping import (
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
from commonbeat.records.mappings.chicago_trr import AGENCY, GENDER, LICENCE, RACE, SOURCE, whole

STARS = tuple(f"star{n}" for n in range(1, 11))


@register
class ChicagoRoster(Mapping):
    name = "chicago_roster"
    title = "Chicago PD officer roster"
    source = SOURCE
    licence = LICENCE
    agency = AGENCY
    time_zone = "America/Chicago"
    signature = (
        "row_id",
        "birth_year",
        "current_status",
        "appointed_date",
        "rank_no",
        "current_rank",
        "current_unit",
        "unit_description",
        "resignation_date",
        "star1",
        "star10",
    )
    outputs = (
        Output(
            "roster",
            {
                "first_name": text("first_name"),
                "last_name": text("last_name"),
                "gender": code("gender", GENDER, missing="not_recorded"),
                "race": code("race", RACE, missing="not_recorded"),
                "race_raw": text("race"),
                "birth_year": integer("birth_year", 1880, 2010),
                "appointed_date": date("appointed_date"),
                "separation_date": date("resignation_date"),
                # CPD's active flag.
                "status": sql(
                    f"CASE {raw('current_status')} WHEN '1' THEN 'active' "
                    f"WHEN '0' THEN 'inactive' ELSE {raw('current_status')} END",
                    "current_status",
                ),
                "rank": text("current_rank"),
                "unit": sql(
                    f"COALESCE({raw('unit_description')}, "
                    f"regexp_replace({raw('current_unit')}, '\\.0$', ''))",
                    "unit_description",
                    "current_unit",
                ),
                # Stars are listed oldest first: the last one given is the current or last star.
                "badge_number": sql(
                    "regexp_replace(COALESCE("
                    + ", ".join(raw(star) for star in reversed(STARS))
                    + "), '\\.0$', '')",
                    *STARS,
                ),
            },
            # The Institute's officer identifier within this release.
            key=whole("roster_1936-2017_2017-04_ID"),
        ),
    )
