"""The outcome (hit-rate) test: how often searches of each group find contraband.

Among searched stops, hit rate = searches that found contraband ÷ searches, by the race of the
person searched, over the whole dataset and in each area (Stanford Open Policing Project,
docs: ../shared/docs/methods.md). If officers searched one group on less evidence, searches of
that group would find contraband less often. The converse does not hold (infra-marginality:
hit rates also depend on how likely the people searched are to carry contraband), which is why
the threshold test exists; the result says so.
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
    put,
    race_sort_key,
    round_figures,
    share_difference,
    wilson,
    with_interval,
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
from commonbeat.records.sql import quote_literals

ANALYSIS = "outcome"
TITLE = N_("Outcome test: how often searches find contraband")
METHOD = N_(
    "Among stops in which the person was searched, the hit rate is the share of searches that "
    "found contraband (drugs, weapons or other items). It is computed for each group of people "
    "searched, by the race the officer recorded, over the whole dataset and in each area, and "
    "each group's hit rate is compared with that of white people. If officers searched one "
    "group on less evidence than another, searches of that group would find contraband less "
    "often."
)
# Figures a small count withholds, per row.
FIGURES = ("hits", *with_interval("hit_rate"), *with_interval("difference"))
DIFFERENCE = with_interval("difference")


def outcome_test(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int = MIN_COUNT
) -> Result:
    """Hit rates of searches by race, overall and per area, with 95% intervals."""
    context = Context(ANALYSIS, text(TITLE), text(METHOD), con, dataset, min_count=min_count)
    reason = searches_problem(con)
    if reason is not None:
        return context.not_applicable(reason)

    one_sided = _one_sided_agencies(con)
    if one_sided and set(one_sided) >= set(dataset.agencies):
        return context.not_applicable(
            text(
                N_(
                    "The searches of %(agencies)s have a result only when nothing was found: "
                    "none is recorded as finding anything, while others have no result. Hit "
                    "rates from such records would always be zero."
                ),
                agencies=", ".join(one_sided),
            ),
            caveats=_caveats(dataset),
        )

    log = DecisionLog()
    filters = [
        Filter(
            "search_conducted",
            text(N_("Kept stops in which a search was conducted")),
            text(N_("A hit rate is the share of searches that found contraband.")),
        ),
        Filter(
            "contraband_found IS NOT NULL",
            text(N_("Removed searches with no contraband result recorded")),
            text(
                N_(
                    "A search without a recorded result can be counted neither as a find "
                    "nor as a search that found nothing."
                )
            ),
        ),
    ]
    if one_sided:
        filters.append(
            Filter(
                f"agency NOT IN ({quote_literals(one_sided)})",
                text(
                    N_("Removed the searches of %(agencies)s, which never record a find"),
                    agencies=", ".join(one_sided),
                ),
                text(
                    N_(
                        "Their searches have a result only when nothing was found (none is "
                        "recorded as finding anything, while others have no result), so "
                        "counting them would pull hit rates towards zero."
                    )
                ),
            )
        )
    filters.append(
        Filter(
            known_race("subject_race"),
            text(N_("Removed searches of people whose race was unknown or not recorded")),
            text(N_("The test compares the hit rates of groups of people.")),
        )
    )
    where = log.apply(con, STOPS, filters)
    sample_size = log.decisions[-1].rows_after
    if sample_size == 0:
        return context.not_applicable(
            text(N_("No search is left to examine after the decisions below.")),
            decisions=log.decisions,
        )
    fields = search_coverage(con)
    fields |= coverage(con, f"(SELECT * FROM {STOPS} WHERE {where})", ["area"])  # noqa: S608  fixed view; logged filter conditions

    cells = con.execute(
        f"""SELECT subject_race, area, count(*), count(*) FILTER (WHERE contraband_found)
            FROM {STOPS} WHERE {where} GROUP BY subject_race, area"""  # noqa: S608  fixed view; logged filter conditions
    ).fetchall()
    overall: dict[str, list[int]] = {}
    areas: dict[str, dict[str, list[int]]] = {}
    for race, area, n, hits in cells:
        total = overall.setdefault(race, [0, 0])
        total[0] += int(n)
        total[1] += int(hits)
        if area is not None:
            areas.setdefault(area, {})[race] = [int(n), int(hits)]

    suppressed = 0
    race_rows = _rows(overall)
    suppressed += _suppress(race_rows, min_count)
    area_rows: list[dict[str, Any]] = []
    for area in sorted(areas, key=lambda a: (-sum(n for n, _ in areas[a].values()), a)):
        rows = _rows(areas[area])
        suppressed += _suppress(rows, min_count)
        area_rows.extend({"area": area, **r} for r in rows)
    without_area = sample_size - sum(n for cells_ in areas.values() for n, _ in cells_.values())

    return context.result(
        summary=_summary(race_rows),
        estimates={
            "reference": REFERENCE,
            "searches": sample_size,
            "hits": sum(h for _, h in overall.values()),
            "by_race": by_race(race_rows),
        },
        tables=[
            Table(
                "by_race",
                text(N_("Hit rate of searches by race")),
                _columns(),
                race_rows,
            ),
            Table(
                "by_area",
                text(N_("Hit rate of searches by area and race")),
                [Column("area", text(N_("Area")), "text"), *_columns()],
                area_rows,
                note=text(
                    N_(
                        "%(count)s searches with no area recorded are counted in the overall "
                        "figures but in no area."
                    ),
                    count=without_area,
                )
                if without_area
                else None,
            ),
        ],
        decisions=log.decisions,
        coverage=fields,
        sample_size=sample_size,
        suppressed=suppressed,
        uncertainty=text(
            N_(
                "Each hit rate has a %(level)s%% Wilson score interval; each difference from "
                "white people's hit rate has a %(level)s%% Newcombe (hybrid score) interval. They "
                "reflect chance variation only, treating searches as independent; they do not "
                "cover errors in what was recorded."
            ),
            level=PERCENT,
        ),
        assumptions=[
            text(N_("A search is a hit when its record says contraband was found.")),
            text(N_("Race is the race the officer recorded for the person searched.")),
            text(
                N_(
                    "Coverage of whether contraband was found is measured among searched stops, because "
                    "stops without a search have no contraband result by definition; coverage "
                    "of area is measured among the searches analysed."
                )
            ),
        ],
        caveats=_caveats(dataset),
        diagnostics={
            "searches_without_area": without_area,
            "areas": len(areas),
            "stops": dataset.rows,
        },
    )


def _one_sided_agencies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Agencies whose searches never record a find although some have no result at all.

    Their results are one-sided: data.police.uk's Metropolitan Police extracts of 2018, for
    example, never fill "Outcome linked to object of search", so only "no further action"
    searches get a result (nothing found) and every search with another outcome has none.
    """
    rows = con.execute(
        f"""SELECT agency FROM {STOPS} WHERE search_conducted GROUP BY agency
            HAVING count(*) FILTER (WHERE contraband_found) = 0
               AND count(*) FILTER (WHERE contraband_found IS NULL) > 0
            ORDER BY agency"""  # noqa: S608  fixed view name
    ).fetchall()
    return [str(agency) for (agency,) in rows]


def _rows(counts: dict[str, list[int]]) -> list[dict[str, Any]]:
    """One row per race: searches, hits, hit rate and its difference from white people's."""
    reference = counts.get(REFERENCE)
    rows = []
    for race in sorted(counts, key=race_sort_key):
        n, hits = counts[race]
        row: dict[str, Any] = {"race": race, "searches": n, "hits": hits}
        put(row, "hit_rate", wilson(hits, n))
        if reference is not None and race != REFERENCE:
            put(row, "difference", share_difference(hits, n, reference[1], reference[0]))
        else:
            put(row, "difference", (None, None, None))
        rows.append(round_figures(row))
    return rows


def _suppress(rows: list[dict[str, Any]], min_count: int) -> int:
    """Suppress small cells, and differences from a reference group that is itself small."""
    blanked = suppress(rows, "searches", FIGURES, min_count)
    reference_small = any(r["race"] == REFERENCE and r["suppressed"] for r in rows)
    if reference_small:
        for row in rows:
            blanked += withhold(row, DIFFERENCE)
    return blanked


def _columns() -> list[Column]:
    return [
        Column("race", text(N_("Race")), "text"),
        Column("searches", text(N_("Searches")), "count"),
        Column("hits", text(N_("Searches that found contraband")), "count"),
        Column("hit_rate", text(N_("Hit rate")), "share"),
        Column("hit_rate_low", text(N_("Hit rate, 95%% interval low")), "share"),
        Column("hit_rate_high", text(N_("Hit rate, 95%% interval high")), "share"),
        Column("difference", text(N_("Difference from white people")), "share"),
        Column("difference_low", text(N_("Difference, 95%% interval low")), "share"),
        Column("difference_high", text(N_("Difference, 95%% interval high")), "share"),
    ]


def _summary(rows: list[dict[str, Any]]) -> list[Text]:
    reference = next((r for r in rows if r["race"] == REFERENCE), None)
    sentences = []
    if reference is not None and reference["hit_rate"] is not None:
        sentences.append(
            text(
                N_(
                    "Searches of %(group)s people found contraband in %(rate)s%% of "
                    "%(searches)s searches (95%% interval %(low)s%% to %(high)s%%)."
                ),
                group=group_name(REFERENCE),
                race=REFERENCE,
                rate=pct(reference["hit_rate"]),
                searches=reference["searches"],
                low=pct(reference["hit_rate_low"]),
                high=pct(reference["hit_rate_high"]),
            )
        )
    for row in rows:
        if row["race"] == REFERENCE or row["hit_rate"] is None:
            continue
        params = {
            "group": group_name(row["race"]),
            "race": row["race"],
            "rate": pct(row["hit_rate"]),
            "searches": row["searches"],
            "low": pct(row["hit_rate_low"]),
            "high": pct(row["hit_rate_high"]),
        }
        if row["difference"] is None:
            sentences.append(
                text(
                    N_(
                        "Searches of %(group)s people found contraband in %(rate)s%% of "
                        "%(searches)s searches (95%% interval %(low)s%% to %(high)s%%)."
                    ),
                    **params,
                )
            )
            continue
        params |= {
            "diff": pct(row["difference"]),
            "diff_low": pct(row["difference_low"]),
            "diff_high": pct(row["difference_high"]),
        }
        if row["difference_high"] < 0:
            params["diff"] = abs(params["diff"])
            msgid = N_(
                "Searches of %(group)s people found contraband in %(rate)s%% of %(searches)s "
                "searches (95%% interval %(low)s%% to %(high)s%%): %(diff)s percentage points "
                "below white people (difference %(diff_low)s to %(diff_high)s points), more "
                "than chance alone is likely to produce."
            )
        elif row["difference_low"] > 0:
            msgid = N_(
                "Searches of %(group)s people found contraband in %(rate)s%% of %(searches)s "
                "searches (95%% interval %(low)s%% to %(high)s%%): %(diff)s percentage points "
                "above white people (difference %(diff_low)s to %(diff_high)s points), more "
                "than chance alone is likely to produce."
            )
        else:
            msgid = N_(
                "Searches of %(group)s people found contraband in %(rate)s%% of %(searches)s "
                "searches (95%% interval %(low)s%% to %(high)s%%): a difference from white "
                "people of %(diff)s percentage points (%(diff_low)s to %(diff_high)s), within "
                "what chance could produce."
            )
        sentences.append(text(msgid, **params))
    return sentences


def _caveats(dataset: Dataset) -> list[Text]:
    caveats = [
        text(
            N_(
                "A lower hit rate for one group suggests that officers search its members on "
                "less evidence, but does not prove it: hit rates also depend on how likely the "
                "people searched in each group are to carry contraband (the infra-marginality "
                "problem). The threshold test, which models this, is the stronger check."
            )
        ),
        text(
            N_(
                "Hit rates count searches, not people: a person searched twice counts twice. "
                "Searches with different legal bases (consent, probable cause, incident to "
                "arrest) are pooled."
            )
        ),
    ]
    if "uk_stop_search" in dataset.sources:
        caveats.append(
            text(
                N_(
                    "In the data.police.uk stop and search records every record is a search. A "
                    "search counts as finding something when its outcome is recorded as linked "
                    'to the object of the search ("Outcome linked to object of search"), and '
                    "as finding nothing when it ended with no further action. Searches that led "
                    "to another outcome not linked to the object, or whose link was not "
                    "recorded, have no result here and are removed: this is a find rate as the "
                    "forces record it, not a count of items seized."
                )
            )
        )
    if "nypd_sqf" in dataset.sources:
        caveats.append(
            text(
                N_(
                    "In the NYPD stop, question and frisk records, contraband means the form's "
                    "contraband box or a weapon found; weapons found in a frisk without a "
                    "search are not counted, because only searches have a result here."
                )
            )
        )
    return caveats
