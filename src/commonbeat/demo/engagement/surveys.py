"""The demo city's trust and safety survey: the standard questionnaire asked in two past waves
(results published, weighted to the residents) and a third open now.

Planted effect 10, who answers (survey weighting). Each neighbourhood's residents are the
product of its race counts (records/population.py) and fixed age and sex shares. A resident's
chance of a favourable answer to "treat everyone fairly" is logistic(0.6 + neighbourhood effect
N(0, 0.3) - 1.0 if Black - 0.5 if Hispanic - 0.6 if aged 18-34 + 0.4 if 65 or over); feeling
safe after dark has its own neighbourhood level and is 0.5 lower (log-odds) for women. People
answer in proportion to a propensity of 2.0 if 65 or over (1.0 otherwise, 0.6 if 18-24),
1.3 if female and 2.0 if white, so the raw sample is older, more female and whiter than the
city, and its unweighted "fair" share is too high. Raking to the loaded counts recovers the
population's share (the planted truth, `fair_truth`), as demo/tests/test_planted_survey.py
checks. Between the first wave and the second the fairness level rises by 0.3 (the trend).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import product
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from commonbeat.core.models import Agency, Neighbourhood
from commonbeat.demo.city import CityPlan
from commonbeat.demo.languages import in_languages
from commonbeat.demo.records.common import generator
from commonbeat.demo.records.population import resident_population
from commonbeat.engagement.surveys import services
from commonbeat.engagement.surveys.instrument import create_standard
from commonbeat.engagement.surveys.models import (
    Answer,
    Excerpt,
    PopulationCount,
    Response,
    Survey,
    Wave,
)

AGE_SHARES = {"18_24": 0.12, "25_34": 0.18, "35_44": 0.17, "45_64": 0.33, "65_plus": 0.20}
SEX_SHARES = {"female": 0.51, "male": 0.49}
RESPONDENTS = 1_200  # per past wave, drawn across the city (whatever its size: a fixed cost)
SOURCE = "Riverton resident population (synthetic census)"
# Two past waves, opening this long before the demo is built, and the level's shift in each.
WAVES = ((420, 0.0), (240, 0.3))
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}  # fmt: skip
ORIGINALS = [
    "Honestly? Walk round here in the evening, on foot, near the shops on my street, and stop "
    "to talk to people. We only see you when something is wrong.",
    "When I reported the break-in next door nobody ever came back to tell us what happened.",
]
EXCERPTS = [
    {"en": "Patrol on foot in the evening, and stop to talk, not only when something is wrong.",
     "es": "Patrullar a pie por la tarde y pararse a hablar, no solo cuando algo va mal."},
    {"en": "Come back and tell us what happened after we report something.",
     "es": "Volver y contarnos qué pasó después de que denunciamos algo."},
]  # fmt: skip


def _month_name(day: date) -> dict[str, str]:
    return {
        "en": f"{MONTHS['en'][day.month - 1]} {day.year}",
        "es": f"{MONTHS['es'][day.month - 1]} de {day.year}",
    }


def remove_surveys(agency: Agency) -> None:
    PopulationCount.objects.filter(agency=agency).delete()
    for survey in Survey.objects.filter(agency=agency):
        survey.delete()


def _population(plan: CityPlan) -> dict[str, dict[tuple[str, str, str], float]]:
    """Residents of each neighbourhood by (age, sex, race), as the product of the margins."""
    races = resident_population(plan)
    return {
        slug: {
            (age, sex, race): count * AGE_SHARES[age] * SEX_SHARES[sex]
            for age, sex, (race, count) in product(AGE_SHARES, SEX_SHARES, by_race.items())
        }
        for slug, by_race in races.items()
    }


def _load_counts(agency: Agency, cells: dict[str, dict[tuple[str, str, str], float]]) -> None:
    lines = ["neighbourhood,dimension,group,residents"]
    for slug, by_cell in cells.items():
        for index, dimension in enumerate(("age", "sex", "race")):
            totals: dict[str, float] = {}
            for cell, count in by_cell.items():
                totals[cell[index]] = totals.get(cell[index], 0.0) + count
            lines += [f"{slug},{dimension},{g},{round(n)}" for g, n in totals.items() if n >= 0.5]
    services.load_population(agency, "\n".join(lines) + "\n", SOURCE, name="demo census")


def _logistic(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def _fair_logit(age: str, race: str, level: float) -> float:
    return (
        0.6 + level - (1.0 if race == "black" else 0.5 if race == "hispanic" else 0.0)
        - (0.6 if age in ("18_24", "25_34") else 0.0) + (0.4 if age == "65_plus" else 0.0)
    )  # fmt: skip


def _propensity(age: str, sex: str, race: str) -> float:
    by_age = 2.0 if age == "65_plus" else 0.6 if age == "18_24" else 1.0
    return by_age * (1.3 if sex == "female" else 1.0) * (2.0 if race == "white" else 1.0)


def fair_truth(plan: CityPlan, shift: float = 0.0) -> float:
    """The planted share of all residents who agree the police treat everyone fairly."""
    rng = generator(plan.seed, "survey-places")
    places = _population(plan)
    level = {slug: rng.normal(0, 0.3) for slug in sorted(places)}
    total = agree = 0.0
    for slug, cells in places.items():
        for (age, _sex, race), count in cells.items():
            total += count
            agree += count * float(_logistic(np.array(_fair_logit(age, race, level[slug] + shift))))
    return agree / total


def _choices(survey: Survey) -> dict[str, dict[str, int]]:
    return {
        q.code: {c.code: c.pk for c in q.choices.all()}
        for q in survey.questions.prefetch_related("choices")
    }


def _wave_responses(
    wave: Wave, plan: CityPlan, places: dict[str, Neighbourhood], shift: float, seed: str
) -> None:
    survey = wave.survey
    choice = _choices(survey)
    questions = {q.code: q for q in survey.questions.prefetch_related("rows")}
    rows = {r.code: r.pk for r in questions["trust"].rows.all()}
    level_rng = generator(plan.seed, "survey-places")
    cells = _population(plan)
    level = {slug: level_rng.normal(0, 0.3) for slug in sorted(cells)}
    safe_level = {slug: level_rng.normal(0.7, 0.4) for slug in sorted(cells)}
    rng = generator(plan.seed, seed)
    keys = [(slug, cell) for slug in sorted(cells) for cell in cells[slug]]
    weight = np.array([cells[s][c] * _propensity(*c) for s, c in keys])
    drawn = rng.choice(len(keys), RESPONDENTS, p=weight / weight.sum())
    when = datetime.combine(wave.opens_at.date(), time(12), ZoneInfo("UTC"))
    responses = Response.objects.bulk_create(
        Response(
            wave=wave, neighbourhood=places[keys[i][0]], channel=Response.Channel.INVITATION,
            language="es" if rng.random() < 0.2 else "en",
            submitted_at=when + timedelta(hours=int(rng.integers(0, 24 * 20))),
        )
        for i in drawn
    )  # fmt: skip
    agree_scale = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
    answers: list[Answer] = []
    text_answers: list[Answer] = []
    for response, i in zip(responses, drawn, strict=True):
        slug, (age, sex, race) = keys[i]

        def pick(
            code: str,
            value: str,
            row: str | None = None,
            r: Response = response,
            add: Any = answers.append,
        ) -> None:
            add(Answer(response=r, question=questions[code], choice_id=choice[code][value],
                       row_id=rows[row] if row else None))  # fmt: skip

        safe = _logistic(np.array(safe_level[slug] - (0.5 if sex == "female" else 0.0)))
        pick("safe_night", ("very_safe" if rng.random() < 0.4 else "fairly_safe")
             if rng.random() < safe else ("a_bit_unsafe" if rng.random() < 0.7 else "very_unsafe"))  # fmt: skip
        fair = float(_logistic(np.array(_fair_logit(age, race, level[slug] + shift))))
        for row in rows:
            p = (
                fair
                if row == "fair"
                else float(_logistic(np.array(np.log(fair / (1 - fair)) + rng.normal(0, 0.3))))
            )
            agrees = rng.random() < p
            pick("trust", agree_scale[int(rng.integers(0, 2))] if agrees else agree_scale[int(rng.integers(2, 5))], row)  # fmt: skip
        pick("job", ["excellent", "good"][int(rng.integers(0, 2))] if rng.random() < fair
             else ["fair", "poor", "very_poor"][int(rng.integers(0, 3))])  # fmt: skip
        contact = rng.random() < 0.3
        pick("contact", "yes" if contact else "no")
        if contact:
            pick("contact_satisfied", "very_satisfied" if rng.random() < fair * 0.6 else
                 "fairly_satisfied" if rng.random() < 0.5 else "fairly_dissatisfied")  # fmt: skip
        for focus in ("burglary", "traffic", "drugs", "disorder", "violence", "youth"):
            if rng.random() < 0.3:
                pick("focus", focus)
        pick("age", age if rng.random() > 0.04 else "prefer_not")
        pick("sex", sex if rng.random() > 0.04 else "prefer_not")
        pick("race", race if rng.random() > 0.06 else "prefer_not")
        if len(text_answers) < len(EXCERPTS) and rng.random() < 0.05:
            text = Answer(response=response, question=questions["one_thing"],
                          text=ORIGINALS[len(text_answers)])  # fmt: skip
            text_answers.append(text)
    Answer.objects.bulk_create(answers)
    for answer, words in zip(Answer.objects.bulk_create(text_answers), EXCERPTS, strict=False):
        Excerpt.objects.create(
            answer=answer, published_at=wave.closes_at, **in_languages("text", words)
        )


def load_surveys(agency: Agency, plan: CityPlan, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    cells = _population(plan)
    _load_counts(agency, cells)
    survey = create_standard(agency)
    places = {n.slug: n for n in Neighbourhood.objects.filter(agency=agency)}
    zone = ZoneInfo(agency.time_zone)
    for number, (days_ago, shift) in enumerate(WAVES, start=1):
        opens = (today - timedelta(days=days_ago)).replace(day=1)
        name = _month_name(opens)
        wave = Wave.objects.create(
            survey=survey, opens_at=datetime.combine(opens, time(9), zone),
            closes_at=datetime.combine(opens + timedelta(days=28), time(17), zone),
            **in_languages("name", name),
        )  # fmt: skip
        _wave_responses(wave, plan, places, shift, f"survey-wave-{number}")
        services.publish_results(wave, None)
    Wave.objects.create(
        survey=survey,
        opens_at=datetime.combine(today - timedelta(days=7), time(9), zone),
        closes_at=datetime.combine(today + timedelta(days=21), time(17), zone),
        **in_languages("name", _month_name(today)),
    )
    return {"surveys": 1, "survey_responses": Response.objects.filter(wave__survey=survey).count()}
