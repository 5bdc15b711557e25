"""Engagement's table in each release: the published results of every survey wave.

`engagement_survey_results` holds one row per wave, question (and grid statement), place and
choice, exactly as the wave's published snapshot has them (surveys/results.py): the share, its
95 % interval and margin of error, the design effect, and why a cell is withheld. Only
published waves go in, and only their snapshot: never a response, never free text.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from commonbeat.engagement.surveys.models import WaveResult
from commonbeat.records.contributions import Contributor, ReleaseContext
from commonbeat.records.privacy import PublicField

TABLE = "engagement_survey_results"
_FIELDS = [
    ("agency", "string", pa.string(), "The agency whose residents were asked."),
    ("survey", "integer", pa.int64(), "The survey's number (its page: /engagement/surveys/<n>/)."),
    ("wave", "integer", pa.int64(), "The wave's number (/engagement/surveys/waves/<n>/results/)."),
    ("wave_opened", "date", pa.date32(), "The day the wave opened."),
    ("wave_closed", "date", pa.date32(), "The day the wave closed."),
    ("question", "string", pa.string(), "The question's code (the same across waves)."),
    ("statement", "string", pa.string(), "A grid question's statement code; empty otherwise."),
    ("place", "string", pa.string(), "The neighbourhood, or 'all' for the agency's residents."),
    ("respondents", "integer", pa.int64(), "People who answered it there (empty if withheld)."),
    (
        "choice",
        "string",
        pa.string(),
        "The choice's code, 'favourable' for the headline share, "
        "or empty where the cell is withheld.",
    ),
    ("share", "number", pa.float64(), "Weighted share choosing it (0 to 1)."),
    ("low", "number", pa.float64(), "Wilson 95% interval at the effective sample size, low."),
    ("high", "number", pa.float64(), "The same interval, high."),
    ("margin", "number", pa.float64(), "Margin of error, 1.96 sqrt(p(1-p)/n_eff)."),
    ("design_effect", "number", pa.float64(), "Kish's design effect of the weights there."),
    ("weighted", "boolean", pa.bool_(), "Whether the wave was weighted to population counts."),
    ("withheld", "string", pa.string(), "'small' (too few answers) or 'secondary'; else empty."),
]
_SCHEMA = pa.schema([(name, kind) for name, _type, kind, _text in _FIELDS])


def _rows() -> tuple[pa.Table, list[str]]:
    columns: dict[str, list[Any]] = {name: [] for name, *_rest in _FIELDS}
    agencies: set[str] = set()
    found = WaveResult.objects.select_related("wave__survey__agency").order_by("wave_id")
    for result in found:
        wave, data = result.wave, result.data
        places = data.get("places", {})
        agency = wave.survey.agency.slug
        agencies.add(agency)
        weighted = bool(data["weighting"]["method"]["weighted"])
        for question in data["questions"]:
            for row in question["rows"]:
                for key, cell in row["places"].items():
                    choices = [*cell.get("choices", [])]
                    if "favourable" in cell:
                        choices.append({"code": "favourable", **cell["favourable"]})
                    for choice in choices or [{"code": ""}]:
                        values = (
                            agency, wave.survey_id, wave.pk, wave.opens_at.date(),
                            wave.closes_at.date(), question["code"], row["row"] or "",
                            "all" if key == "all" else places.get(key, key), cell.get("n"),
                            choice["code"], choice.get("share"), choice.get("low"),
                            choice.get("high"), choice.get("margin"), cell.get("deff"),
                            weighted, cell.get("suppressed"),
                        )  # fmt: skip
                        for (name, *_rest), value in zip(_FIELDS, values, strict=True):
                            columns[name].append(value)
    return pa.table(columns, schema=_SCHEMA), sorted(agencies)


def contribute(context: ReleaseContext) -> dict[str, Any]:
    """Write the survey results table when any wave's results are published."""
    table, agencies = _rows()
    if table.num_rows == 0:
        return {"tables": []}
    context.con.register("eng_survey_results", table)
    fields = [PublicField(name, kind, text, "") for name, kind, _arrow, text in _FIELDS]
    context.write_table(
        TABLE,
        "SELECT * FROM eng_survey_results ORDER BY agency, wave, question, statement, place, choice",
        fields,
        ["wave", "question", "statement", "place", "choice"],
        "Published results of trust and safety surveys: weighted shares with their 95% "
        "intervals, margins of error and design effects, small cells withheld.",
        kind="aggregate",
        agencies=agencies,
    )
    return {"tables": [TABLE]}


CONTRIBUTOR = Contributor("engagement", contribute, section="engagement")
