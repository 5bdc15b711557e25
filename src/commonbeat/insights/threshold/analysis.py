"""The threshold test over a stop dataset: counts per area x race, the model's inferred search
thresholds, and everything a reader needs to judge them.

Hit rates alone can mislead (infra-marginality: see outcome.py). The threshold test infers,
from stops, searches and hits together, the likelihood of carrying contraband at which officers
searched people of each group. A lower threshold for one group means its members were searched
on less evidence. Cells (area x race) are fitted with `fit.fit()`; see models.py for the two
published forms.
"""

from __future__ import annotations

from typing import Any

import duckdb
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.context import Context
from commonbeat.insights.intervals import (
    PERCENT,
    REFERENCE,
    by_race,
    group_name,
    known_race,
    pct,
    race_sort_key,
    round_figures,
    withhold,
)
from commonbeat.insights.results import (
    MIN_COUNT,
    Column,
    DecisionLog,
    Filter,
    Result,
    Table,
    Text,
    coverage,
    suppress,
    text,
)
from commonbeat.insights.stops import STOPS, Dataset, search_coverage, searches_problem
from commonbeat.insights.threshold.fit import Cells, Fit, Settings, cells, fit

ANALYSIS = "threshold"
TITLE = N_("Threshold test: how much evidence officers needed before searching")
METHOD = N_(
    "A Bayesian model (Simoiu, Corbett-Davies and Goel, 2017) treats every stopped person as "
    "carrying contraband with some probability that the officer can judge, and supposes the "
    "officer searches when that probability exceeds a threshold. From the numbers of stops, "
    "searches and searches that found contraband in each area for each group, it infers the "
    "threshold for each group: the likelihood of carrying contraband at which officers "
    "searched. A lower threshold for one group means its members were searched on less "
    "evidence. The model is fitted by Hamiltonian Monte Carlo (NUTS, with NumPyro); each "
    "group's threshold is the average of its area thresholds weighted by each area's stops."
)
# Figures a small cell withholds.
CELL_FIGURES = ("searches", "hits", "threshold", "threshold_low", "threshold_high")
RACE_FIGURES = (
    "searches",
    "hits",
    "threshold",
    "threshold_low",
    "threshold_high",
    "difference",
    "difference_low",
    "difference_high",
    "probability_lower",
)
# Convergence limits: beyond them the result says it must not be relied on.
R_HAT_LIMIT = 1.05
ESS_LIMIT = 100

DEFAULT_SETTINGS = Settings(warmup=300, samples=300)


def threshold_test(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    *,
    min_count: int = MIN_COUNT,
    settings: Settings = DEFAULT_SETTINGS,
) -> Result:
    """Infer search thresholds by race from stops, searches and hits per area."""
    context = Context(ANALYSIS, text(TITLE), text(METHOD), con, dataset, min_count=min_count)
    reason = searches_problem(con)
    if reason is not None:
        return context.not_applicable(reason)

    area = "area" if dataset.area_field else "agency"
    log = DecisionLog()
    filters = [
        Filter(
            "search_conducted IS NOT NULL",
            text(N_("Removed stops that do not say whether the person was searched")),
            text(N_("The model needs every stop counted as searched or not.")),
        ),
        Filter(
            "NOT search_conducted OR contraband_found IS NOT NULL",
            text(N_("Removed searches with no contraband result recorded")),
            text(N_("The model needs every search counted as a find or not.")),
        ),
        Filter(
            known_race("subject_race"),
            text(N_("Removed stops of people whose race was unknown or not recorded")),
            text(N_("The test compares the thresholds applied to groups of people.")),
        ),
    ]
    if dataset.area_field:
        filters.append(
            Filter(
                "area IS NOT NULL",
                text(N_("Removed stops with no area recorded")),
                text(N_("The model compares groups within areas.")),
            )
        )
    where = log.apply(con, STOPS, filters)
    counts = con.execute(
        f"""SELECT {area}, subject_race, count(*),
                   count(*) FILTER (WHERE search_conducted),
                   count(*) FILTER (WHERE search_conducted AND contraband_found)
            FROM {STOPS} WHERE {where} GROUP BY 1, 2"""  # noqa: S608  fixed column and view names; logged filter conditions
    ).fetchall()
    counts = [(str(a), str(r), int(n), int(s), int(h)) for a, r, n, s, h in counts]
    kept = sum(c[2] for c in counts)
    if counts and all(s == n for _, _, n, s, _ in counts):
        return context.not_applicable(
            text(
                N_(
                    "Every stop in these records is a search, so there are no stops that did "
                    "not lead to a search: the threshold test needs both."
                )
            ),
            decisions=log.decisions,
        )

    # Races searched too rarely overall cannot carry a threshold; then cells with no search,
    # which the published fits left out.
    searches_by_race: dict[str, int] = {}
    for _, race, _, s, _ in counts:
        searches_by_race[race] = searches_by_race.get(race, 0) + s
    rare = {race for race, s in searches_by_race.items() if s < min_count}
    before = kept
    counts = [c for c in counts if c[1] not in rare]
    kept = sum(c[2] for c in counts)
    log.add(
        text(
            N_("Removed groups searched fewer than %(min)s times in all"),
            min=min_count,
        ),
        text(N_("Too few searches to infer a group's threshold.")),
        before,
        kept,
    )
    before = kept
    counts = [c for c in counts if c[3] > 0]
    kept = sum(c[2] for c in counts)
    log.add(
        text(N_("Removed area and group cells with no search")),
        text(
            N_(
                "A cell without searches says nothing about hit rates; the published fits "
                "left such cells out."
            )
        ),
        before,
        kept,
    )
    races = sorted({c[1] for c in counts}, key=race_sort_key)
    if len(races) < 2 or len(counts) < 2:
        return context.not_applicable(
            text(N_("Fewer than two groups have enough searches to compare thresholds.")),
            decisions=log.decisions,
        )

    data = cells(counts, races=races)
    result_fit = fit(data, settings, reference=REFERENCE)
    fields = search_coverage(con)
    if dataset.area_field:
        fields |= coverage(con, STOPS, ["area"])

    suppressed = 0
    race_rows = _race_rows(data, result_fit)
    suppressed += suppress(race_rows, "stops", RACE_FIGURES, min_count)
    if any(r["race"] == result_fit.reference and r["suppressed"] for r in race_rows):
        for race_row in race_rows:
            suppressed += withhold(race_row, RACE_FIGURES[5:])
    cell_rows = _cell_rows(data, result_fit)
    suppressed += suppress(cell_rows, "stops", CELL_FIGURES, min_count)
    diagnostics = dict(result_fit.diagnostics)
    diagnostics |= {
        "search_rate_error": round(result_fit.search_rate_error, 6),
        "hit_rate_error": round(result_fit.hit_rate_error, 6),
        "cells": len(data),
        "areas": len(data.areas),
        "pinned_area": data.areas[0],
    }
    converged = (
        diagnostics["r_hat_max"] <= R_HAT_LIMIT
        and diagnostics["ess_min"] >= ESS_LIMIT
        and diagnostics["divergences"] == 0
    )
    diagnostics["converged"] = converged
    return context.result(
        summary=_summary(race_rows, result_fit.reference, converged),
        estimates={
            "reference": result_fit.reference,
            "model": settings.model,
            "by_race": by_race(race_rows),
        },
        tables=[
            Table(
                "by_race",
                text(N_("Inferred search thresholds by race")),
                _race_columns(),
                race_rows,
            ),
            Table(
                "by_area",
                text(N_("Inferred search thresholds by area and race")),
                _cell_columns(),
                cell_rows,
            ),
        ],
        decisions=log.decisions,
        coverage=fields,
        sample_size=kept,
        suppressed=suppressed,
        uncertainty=text(
            N_(
                "Each threshold has a %(level)s%% posterior interval (the central %(level)s%% of "
                "the model's draws), from %(chains)s chains of %(samples)s draws each after "
                "%(warmup)s warm-up iterations. The intervals reflect the model's uncertainty "
                "given its assumptions, not errors in what was recorded."
            ),
            level=PERCENT,
            chains=settings.chains,
            samples=settings.samples,
            warmup=settings.warmup,
        ),
        assumptions=[
            text(
                N_(
                    "Officers in an area apply one threshold to each group (varying around "
                    "the group's average across areas), and judge each person's likelihood of "
                    "carrying contraband accurately, though they cannot see it for certain."
                )
            ),
            text(
                N_(
                    "That likelihood is spread among stopped people of a group in an area as "
                    "a beta distribution (the 2017 published model), with the priors the "
                    "published analysis used; the area with most stops is the baseline."
                )
            ),
            text(N_("A search is a hit when its record says contraband was found.")),
        ],
        caveats=_caveats(converged, diagnostics),
        diagnostics=diagnostics,
    )


def _race_rows(data: Cells, result: Fit) -> list[dict[str, Any]]:
    rows = []
    for index, race in enumerate(data.races):
        mask = data.race == index
        stops, searches, hits = (int(v[mask].sum()) for v in (data.stops, data.searches, data.hits))
        interval = result.race_thresholds[race]
        row: dict[str, Any] = {
            "race": race,
            "stops": stops,
            "searches": searches,
            "hits": hits,
            "threshold": interval.mean,
            "threshold_low": interval.low,
            "threshold_high": interval.high,
        }
        difference = result.differences.get(race)
        row |= {
            "difference": difference["mean"] if difference else None,
            "difference_low": difference["low"] if difference else None,
            "difference_high": difference["high"] if difference else None,
            "probability_lower": difference["probability_lower"] if difference else None,
        }
        rows.append(round_figures(row))
    return rows


def _cell_rows(data: Cells, result: Fit) -> list[dict[str, Any]]:
    rows = []
    for i, (area, race) in enumerate(data.labels()):
        interval = result.thresholds[i]
        rows.append(
            round_figures(
                {
                    "area": area,
                    "race": race,
                    "stops": int(data.stops[i]),
                    "searches": int(data.searches[i]),
                    "hits": int(data.hits[i]),
                    "threshold": interval.mean,
                    "threshold_low": interval.low,
                    "threshold_high": interval.high,
                }
            )
        )
    rows.sort(key=lambda r: (list(data.areas).index(r["area"]), race_sort_key(r["race"])))
    return rows


def _race_columns() -> list[Column]:
    return [
        Column("race", text(N_("Race")), "text"),
        Column("stops", text(N_("Stops")), "count"),
        Column("searches", text(N_("Searches")), "count"),
        Column("hits", text(N_("Searches that found contraband")), "count"),
        Column("threshold", text(N_("Threshold")), "share"),
        Column("threshold_low", text(N_("Threshold, 95%% interval low")), "share"),
        Column("threshold_high", text(N_("Threshold, 95%% interval high")), "share"),
        Column("difference", text(N_("Difference from white people")), "share"),
        Column("difference_low", text(N_("Difference, 95%% interval low")), "share"),
        Column("difference_high", text(N_("Difference, 95%% interval high")), "share"),
        Column("probability_lower", text(N_("Probability the threshold is lower")), "share"),
    ]


def _cell_columns() -> list[Column]:
    return [
        Column("area", text(N_("Area")), "text"),
        Column("race", text(N_("Race")), "text"),
        Column("stops", text(N_("Stops")), "count"),
        Column("searches", text(N_("Searches")), "count"),
        Column("hits", text(N_("Searches that found contraband")), "count"),
        Column("threshold", text(N_("Threshold")), "share"),
        Column("threshold_low", text(N_("Threshold, 95%% interval low")), "share"),
        Column("threshold_high", text(N_("Threshold, 95%% interval high")), "share"),
    ]


def _summary(rows: list[dict[str, Any]], reference: str, converged: bool) -> list[Text]:
    sentences = []
    if not converged:
        sentences.append(
            text(
                N_(
                    "The model did not converge well enough to be relied on (see the "
                    "diagnostics); the figures are shown for inspection only."
                )
            )
        )
    base = next((r for r in rows if r["race"] == reference), None)
    if base is not None and base["threshold"] is not None:
        sentences.append(
            text(
                N_(
                    "Officers searched %(group)s people when the inferred likelihood of "
                    "carrying contraband exceeded %(value)s%% (95%% interval %(low)s%% to "
                    "%(high)s%%)."
                ),
                group=group_name(reference),
                race=reference,
                value=pct(base["threshold"]),
                low=pct(base["threshold_low"]),
                high=pct(base["threshold_high"]),
            )
        )
    for row in rows:
        if row["race"] == reference or row["threshold"] is None or row["difference"] is None:
            continue
        params = {
            "group": group_name(row["race"]),
            "race": row["race"],
            "value": pct(row["threshold"]),
            "low": pct(row["threshold_low"]),
            "high": pct(row["threshold_high"]),
            "diff": pct(abs(row["difference"])),
            "diff_low": pct(row["difference_low"]),
            "diff_high": pct(row["difference_high"]),
            "probability": pct(row["probability_lower"]),
        }
        if row["difference_high"] < 0:
            msgid = N_(
                "For %(group)s people the threshold was %(value)s%% (%(low)s%% to %(high)s%%): "
                "%(diff)s points lower than for white people (difference %(diff_low)s to "
                "%(diff_high)s points; probability lower %(probability)s%%). They were "
                "searched on less evidence."
            )
        elif row["difference_low"] > 0:
            msgid = N_(
                "For %(group)s people the threshold was %(value)s%% (%(low)s%% to %(high)s%%): "
                "%(diff)s points higher than for white people (difference %(diff_low)s to "
                "%(diff_high)s points). They were searched on more evidence."
            )
        else:
            msgid = N_(
                "For %(group)s people the threshold was %(value)s%% (%(low)s%% to %(high)s%%); "
                "the difference from white people (%(diff_low)s to %(diff_high)s points) is "
                "within the model's uncertainty."
            )
        sentences.append(text(msgid, **params))
    return sentences


def _caveats(converged: bool, diagnostics: dict[str, Any]) -> list[Text]:
    caveats = [
        text(
            N_(
                "The threshold is a property of the model: if officers' information about "
                "people differs by group, or contraband is not what searches look for, the "
                "inferred thresholds can differ without any difference in treatment."
            )
        ),
        text(
            N_(
                "The model's implied search and hit rates differ from the observed ones by "
                "%(search)s and %(hit)s percentage points on average, weighted by stops and by "
                "searches (the posterior predictive check); large differences mean the model does not describe these data well."
            ),
            search=pct(diagnostics["search_rate_error"]),
            hit=pct(diagnostics["hit_rate_error"]),
        ),
    ]
    if not converged:
        caveats.append(
            text(
                N_(
                    "Convergence: the largest R-hat was %(r_hat)s (it should be at most "
                    "%(limit)s), the smallest effective sample size %(ess)s (at least %(ess_min)s "
                    "wanted) and %(divergences)s transitions diverged."
                ),
                r_hat=round(diagnostics["r_hat_max"], 3),
                limit=R_HAT_LIMIT,
                ess=round(diagnostics["ess_min"]),
                ess_min=ESS_LIMIT,
                divergences=diagnostics["divergences"],
            )
        )
    return caveats
