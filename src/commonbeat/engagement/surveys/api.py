"""The public shape of surveys: published waves' results labelled in the reader's language,
trends across waves, and the rows of their CSV twins. Everything here reads published
snapshots (`WaveResult`) and published excerpts, never responses."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from commonbeat.core.languages import translated
from commonbeat.core.models import Neighbourhood
from commonbeat.engagement.surveys.models import (
    Dimension,
    Excerpt,
    Question,
    Survey,
    Wave,
    WaveResult,
)

ALL = "all"


def public_surveys() -> Any:
    """Surveys with a wave open now or a published result."""
    return (
        Survey.objects.select_related("agency")
        .filter(waves__opens_at__lte=timezone.now())
        .distinct()
        .order_by("agency__name", "title")
    )


def wave_data(wave: Wave) -> dict[str, Any]:
    published = WaveResult.objects.filter(wave=wave).values_list("published_at", flat=True).first()
    return {
        "id": wave.pk,
        "name": translated(wave, "name").text,
        "opens": wave.opens_at.isoformat(),
        "closes": wave.closes_at.isoformat(),
        "open": wave.is_open(),
        "access": wave.access,
        "results_published": published.isoformat() if published else None,
        "results_url": reverse("engagement:survey_results", args=[wave.pk]) if published else None,
    }


def survey_data(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": translated(survey, "title").text,
        "agency": survey.agency.slug,
        "url": reverse("engagement:survey", args=[survey.pk]),
        "waves": [wave_data(w) for w in survey.waves.filter(opens_at__lte=timezone.now())],
    }


def _places(result: dict[str, Any]) -> dict[str, dict[str, str]]:
    ids = [int(k) for k in result.get("places", {})]
    found = Neighbourhood.objects.filter(pk__in=ids).select_related("agency")
    named = {str(n.pk): {"slug": n.slug, "name": n.name} for n in found}
    ordered = dict(sorted(named.items(), key=lambda kv: kv[1]["name"]))
    return ordered


def results_data(wave: Wave, result: WaveResult) -> dict[str, Any]:
    """The snapshot with each question, statement and choice labelled, places named."""
    data = result.data
    places = _places(data)
    questions = {
        q.code: q
        for q in wave.survey.questions.exclude(kind=Question.Kind.TEXT).prefetch_related(
            "choices", "rows"
        )
    }
    out = []
    for published in data["questions"]:
        question = questions.get(published["code"])
        if question is None:
            continue  # a question removed since the results were published
        labels = {c.code: translated(c, "label").text for c in question.choices.all()}
        rows = {r.code: translated(r, "text").text for r in question.rows.all()}
        out_rows = []
        for row in published["rows"]:
            cells = []
            for key in [ALL, *places]:
                cell = row["places"].get(key)
                if cell is None:
                    continue
                named = dict(cell)
                if "choices" in named:
                    named["choices"] = [
                        {**c, "label": labels.get(c["code"], c["code"])} for c in named["choices"]
                    ]
                named["place"] = ALL if key == ALL else places[key]["slug"]
                named["place_name"] = None if key == ALL else places[key]["name"]
                cells.append(named)
            out_rows.append(
                {"code": row["row"], "statement": rows.get(row["row"] or ""), "places": cells}
            )
        out.append(
            {
                "code": question.code,
                "kind": question.kind,
                "text": translated(question, "text").text,
                "dimension": question.dimension or None,
                "rows": out_rows,
            }
        )
    weighting = data["weighting"]
    groups = _group_labels(wave)
    by_place = [
        {
            "place": places[k]["slug"],
            "place_name": places[k]["name"],
            "respondents": data["by_place"].get(k),
            **_weighting_of(weighting["places"].get(k, {}), data["by_place"].get(k), groups),
        }
        for k in places
    ]
    method = dict(weighting["method"])
    method["dimension_names"] = [str(Dimension(d).label).lower() for d in method["dimensions"]]
    return {
        "survey": translated(wave.survey, "title").text,
        "wave": wave_data(wave),
        "published": result.published_at.isoformat(),
        "respondents": data["respondents"],
        "invitations": data["invitations"],
        "min_cell": data["min_cell"],
        "method": method,
        "places": by_place,
        "questions": out,
        "excerpts": excerpts(wave),
    }


def _group_labels(wave: Wave) -> dict[str, str]:
    """ "race:other" and the like, worded: the dimension, then the answer's label."""
    out = {}
    for question in wave.survey.questions.exclude(dimension="").prefetch_related("choices"):
        name = str(Dimension(question.dimension).label)
        for choice in question.choices.all():
            out[f"{question.dimension}:{choice.code}"] = (
                f"{name}: {translated(choice, 'label').text.lower()}"
            )
    return out


def _weighting_of(
    info: dict[str, Any], respondents: int | None, groups: dict[str, str]
) -> dict[str, Any]:
    # A withheld place's weighting detail is withheld with it (it would tell its size).
    if respondents is None:
        return {"weighted": None, "deff": None}
    absent = info.get("absent", [])
    return {
        "weighted": info.get("weighted", False),
        "deff": info.get("deff"),
        "absent": absent,
        "absent_names": [groups.get(code, code) for code in absent],
        "trimmed": info.get("trimmed", 0),
    }


def excerpts(wave: Wave) -> list[dict[str, Any]]:
    found = (
        Excerpt.objects.filter(answer__response__wave=wave, published_at__isnull=False)
        .select_related("answer__question", "answer__response__neighbourhood")
        .order_by("answer__question__position", "published_at")
    )
    out = []
    for e in found:
        text = translated(e, "text")
        place = e.answer.response.neighbourhood
        out.append(
            {
                "question": e.answer.question.code,
                "question_text": translated(e.answer.question, "text").text,
                "text": text.text,
                "lang": text.lang,
                "place": place.slug if place else None,
                "place_name": place.name if place else None,
            }
        )
    return out


def trends(survey: Survey) -> list[dict[str, Any]]:
    """Per question with favourable choices, the city-wide favourable share of each published
    wave in order, with its interval (None where withheld)."""
    waves = list(
        survey.waves.filter(result__isnull=False).select_related("result").order_by("opens_at")
    )
    questions = (
        survey.questions.exclude(kind=Question.Kind.TEXT)
        .filter(choices__favourable=True)
        .exclude(kind=Question.Kind.MULTIPLE)
        .distinct()
        .prefetch_related("rows")
    )
    out = []
    for question in questions:
        rows: list[Any] = (
            list(question.rows.all()) if question.kind == Question.Kind.MATRIX else [None]
        )
        for row in rows:
            points = []
            for wave in waves:
                cell = _city_cell(wave.result.data, question.code, row.code if row else None)
                favourable = (cell or {}).get("favourable") or {}
                points.append(
                    {
                        "wave": wave.pk,
                        "label": translated(wave, "name").text,
                        "n": (cell or {}).get("n"),
                        "share": favourable.get("share"),
                        "low": favourable.get("low"),
                        "high": favourable.get("high"),
                        "margin": favourable.get("margin"),
                    }
                )
            out.append(
                {
                    "code": question.code,
                    "row": row.code if row else None,
                    "text": translated(row if row else question, "text").text,
                    "points": points,
                }
            )
    return out


def _city_cell(data: dict[str, Any], code: str, row: str | None) -> dict[str, Any] | None:
    for q in data["questions"]:
        if q["code"] == code:
            for r in q["rows"]:
                if r["row"] == row:
                    cell = r["places"].get(ALL)
                    return None if cell is None or cell.get("suppressed") else cell
    return None


RESULT_HEADER = (
    "question", "statement", "place", "respondents", "choice", "share", "low", "high",
    "margin", "design_effect", "withheld",
)  # fmt: skip


def result_rows(data: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for q in data["questions"]:
        for r in q["rows"]:
            for cell in r["places"]:
                withheld = cell.get("suppressed", "")
                choices = cell.get("choices") or [{"code": ""}]
                for c in choices:
                    rows.append(
                        [
                            q["code"], r["code"] or "", cell["place"], cell.get("n"),
                            c["code"], c.get("share"), c.get("low"), c.get("high"),
                            c.get("margin"), cell.get("deff"), withheld,
                        ]
                    )  # fmt: skip
    return rows
