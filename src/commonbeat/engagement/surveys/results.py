"""A wave's results: shares per neighbourhood and city-wide, weighted where the operator has
loaded population counts, each with its 95 % interval and margin of error, and small cells
withheld. The result is a plain JSON document, published as the wave's snapshot.

- Weights: surveys/weights.py (raking per neighbourhood, trimmed; Kish's design effect).
- A share's interval is Wilson's score interval at the effective sample size n / deff, which
  stays inside 0-100 % and behaves for shares near either end; the margin of error quoted
  beside it is the conventional ±1.96 √(p(1-p) / n_eff). Both treat respondents as a random
  sample of residents: they carry sampling error only, not who chose not to answer.
- A question's results in a place with fewer answers than the survey's minimum are withheld
  (their count too); when that leaves exactly one neighbourhood withheld for a question, the
  next smallest is withheld as well, so the city total cannot reveal it by subtraction.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.surveys.models import (
    Answer,
    Invitation,
    PopulationCount,
    Question,
    Response,
    Wave,
)
from commonbeat.engagement.surveys.weights import TRIM, kish_deff, rake

Z95 = 1.959963984540054
ALL = "all"


def interval(share: float, n_eff: float) -> dict[str, float]:
    """Wilson's 95 % interval and the conventional margin for a share at n_eff."""
    low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
    margin = Z95 * math.sqrt(max(share * (1 - share), 0.0) / n_eff)
    return {
        "share": round(share, 6),
        "low": round(float(low), 6),
        "high": round(float(high), 6),
        "margin": round(margin, 6),
    }


def _weights(
    wave: Wave, responses: list[dict[str, Any]], demographics: dict[int, dict[str, str]]
) -> tuple[dict[int, float], dict[str, Any]]:
    """Each response's weight, and per place how it was weighted."""
    survey = wave.survey
    dimensions = sorted(
        set(survey.questions.exclude(dimension="").values_list("dimension", flat=True))
    )
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    sources = set()
    for c in PopulationCount.objects.filter(agency=survey.agency_id, dimension__in=dimensions):
        counts[c.neighbourhood_id][c.dimension][c.group] = c.residents
        sources.add(c.source)
    by_place: dict[int, list[int]] = defaultdict(list)
    for r in responses:
        by_place[r["neighbourhood_id"]].append(r["id"])
    weights: dict[int, float] = {}
    places: dict[str, Any] = {}
    unweighted: list[int] = []
    for place_id, ids in by_place.items():
        place_counts = counts.get(place_id)
        key = str(place_id)
        if not dimensions or not place_counts:
            unweighted += ids
            places[key] = {"weighted": False, "reason": "no_counts" if dimensions else "none"}
            continue
        groups = {d: [demographics.get(i, {}).get(d) for i in ids] for d in place_counts}
        residents = max(sum(g.values()) for g in place_counts.values())
        raked = rake(groups, place_counts, total=residents)
        weights.update(zip(ids, raked.weights.tolist(), strict=True))
        places[key] = {
            "weighted": True,
            "dimensions": sorted(place_counts),
            "converged": raked.converged,
            "trimmed": raked.trimmed,
            "absent": raked.absent,
            "unmatched": raked.unmatched,
            "residents": residents,
        }
    # A place without counts stands for itself: each of its respondents weighs as much as the
    # average respondent elsewhere (or 1 when nothing is weighted).
    average = (sum(weights.values()) / len(weights)) if weights else 1.0
    weights.update((i, average) for i in unweighted)
    for place_id, ids in by_place.items():
        deff = kish_deff(np.asarray([weights[i] for i in ids]))
        places[str(place_id)].update(deff=round(deff, 4))
    method = {
        "dimensions": dimensions,
        "weighted": any(p["weighted"] for p in places.values()),
        "sources": sorted(sources),
        "trim": list(TRIM),
    }
    return weights, {"method": method, "places": places}


def _cell(
    ids: list[int], chosen: dict[int, set[int]], weights: dict[int, float], question: Question
) -> dict[str, Any]:
    w = np.asarray([weights[i] for i in ids])
    total = w.sum()
    deff = kish_deff(w)
    n_eff = len(ids) / deff
    choices = []
    favourable_ids = {c.pk for c in question.choices.all() if c.favourable}
    for choice in question.choices.all():
        picked = sum(weights[i] for i in ids if choice.pk in chosen[i])
        choices.append({"code": choice.code, **interval(picked / total, n_eff)})
    cell: dict[str, Any] = {
        "n": len(ids),
        "deff": round(deff, 4),
        "n_eff": round(n_eff, 1),
        "choices": choices,
    }
    if favourable_ids and question.kind != Question.Kind.MULTIPLE:
        good = sum(weights[i] for i in ids if chosen[i] & favourable_ids)
        cell["favourable"] = interval(good / total, n_eff)
    return cell


def _suppress(cells: dict[str, dict[str, Any]], minimum: int) -> None:
    for cell in cells.values():
        if cell["n"] < minimum:
            cell.clear()
            cell["suppressed"] = "small"
    places = [k for k in cells if k != ALL]
    small = [k for k in places if cells[k].get("suppressed")]
    shown = sorted((cells[k]["n"], k) for k in places if not cells[k].get("suppressed"))
    if len(small) == 1 and shown:
        key = shown[0][1]
        cells[key].clear()
        cells[key]["suppressed"] = "secondary"


def compute(wave: Wave) -> dict[str, Any]:
    survey = wave.survey
    minimum = survey.min_cell
    questions = list(
        survey.questions.exclude(kind=Question.Kind.TEXT).prefetch_related("choices", "rows")
    )
    responses: list[dict[str, Any]] = [
        dict(r) for r in Response.objects.filter(wave=wave).values("id", "neighbourhood_id")
    ]
    place_of = {r["id"]: r["neighbourhood_id"] for r in responses}
    answers = Answer.objects.filter(response__wave=wave, choice__isnull=False).values_list(
        "response_id", "question_id", "row_id", "choice_id", "choice__code"
    )
    picked: dict[tuple[int, int | None], dict[int, set[int]]] = defaultdict(
        lambda: defaultdict(set)
    )
    demographic_questions = {q.pk: q.dimension for q in questions if q.dimension}
    demographics: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, question_id, row_id, choice_id, code in answers.iterator():
        picked[(question_id, row_id)][response_id].add(choice_id)
        if question_id in demographic_questions:
            demographics[response_id][demographic_questions[question_id]] = code
    weights, weighting = _weights(wave, responses, demographics)
    out_questions = []
    for question in questions:
        rows: list[Any] = (
            list(question.rows.all()) if question.kind == Question.Kind.MATRIX else [None]
        )
        out_rows = []
        for row in rows:
            chosen = picked.get((question.pk, row.pk if row else None), {})
            by_place: dict[str, list[int]] = defaultdict(list)
            for response_id in chosen:
                by_place[str(place_of[response_id])].append(response_id)
                by_place[ALL].append(response_id)
            cells = {k: _cell(ids, chosen, weights, question) for k, ids in by_place.items()}
            _suppress(cells, minimum)
            out_rows.append({"row": row.code if row else None, "places": cells})
        out_questions.append({"code": question.code, "kind": question.kind, "rows": out_rows})
    respondents: dict[str, int] = defaultdict(int)
    for r in responses:
        respondents[str(r["neighbourhood_id"])] += 1
    counted = {k: {"n": n} for k, n in respondents.items()}
    _suppress(counted, minimum)
    invited = Invitation.objects.filter(wave=wave)
    return {
        "respondents": len(responses),
        "by_place": {k: counted[k].get("n") for k in sorted(counted)},
        "invitations": {
            "sent": invited.count(),
            "answered": invited.filter(used_at__isnull=False).count(),
        },
        "min_cell": minimum,
        "weighting": weighting,
        "places": {
            str(n.pk): n.slug
            for n in Neighbourhood.objects.filter(pk__in=[r["neighbourhood_id"] for r in responses])
        },
        "questions": out_questions,
    }
