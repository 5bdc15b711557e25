"""The benchmark test: stops and searches per resident, by race, against census counts.

Annual stop rate of a group = (mean monthly stops x 12) ÷ residents of that group (Stanford Open
Policing Project; ../shared/docs/methods.md), city-wide and in each area; likewise searches per
resident, and searches per stop. Residents come from `external_series` records:

    measure  residents
    group    race: <code>            (the Race vocabulary: race: black, race: white, ...)
    level    neighbourhood           (area = the neighbourhood's slug, matched to the stops'
                                      `neighbourhood`), or the agency's own area level (area =
                                      the code the stop records write in `area`), or a level
                                      with no area for one total over the whole jurisdiction
    agency   the stops' agency
    period_start / period_end        the census date (the latest one not after the stops is used)

An operator loads them with the standard external-series CSV (`commonbeat import`), as the demo
city does. Without them the test is not applicable, and says how to load them.

Annualising: the stops span a number of calendar months, from the month of the first stop to the
month of the last (months in between without stops count, as zero). A month with stops on only
some of its days counts as a whole month, so a dataset that starts or ends mid-month gets a
slightly lower annual rate; the decision log states the months. Annual stops = stops ÷ months
x 12, and a rate per resident is stops ÷ (residents x months ÷ 12), i.e. per person-year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
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
    poisson_rate,
    put,
    race_sort_key,
    rate_ratio,
    round_figures,
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
from commonbeat.insights.stops import STOPS, Dataset

ANALYSIS = "benchmark"
TITLE = N_("Benchmark test: stops and searches per resident")
METHOD = N_(
    "For each group of residents, by race, the annual stop rate is the number of stops of "
    "people of that group per year (the mean number of stops a month, times 12) divided by the "
    "number of residents of that group, given here per 1,000 residents. It is computed for the "
    "whole area covered and for each area with resident counts, and compared with the rate for "
    "white residents as a ratio. Searches are counted the same way, and as a share of stops."
)
RESIDENTS = "benchmark_residents"  # temp table of the resident counts used
PER = 1000  # rates per 1,000 residents a year

STOP_FIGURES = (
    "annual_stops",
    *with_interval("stop_rate"),
    *with_interval("stop_ratio"),
)
SEARCH_FIGURES = (
    "searches",
    *with_interval("search_rate"),
    *with_interval("search_ratio"),
    *with_interval("searches_per_stop"),
)
RATIOS = (*with_interval("stop_ratio"), *with_interval("search_ratio"))


@dataclass(frozen=True)
class Residents:
    """The resident counts chosen for a dataset: one series, one census date, one level."""

    series: str
    period_start: date
    level: str
    per_area: bool  # False: one total per race over the whole jurisdiction
    rows: list[tuple[str, str | None, str, float]]  # agency, area, race, residents


def benchmark_test(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int = MIN_COUNT
) -> Result:
    """Annual stops and searches per resident by race, city-wide and per area, with intervals."""
    context = Context(ANALYSIS, text(TITLE), text(METHOD), con, dataset, min_count=min_count)
    if dataset.rows == 0 or dataset.first_date is None or dataset.last_date is None:
        return context.not_applicable(
            text(N_("No stops were selected, so there is nothing to compare with residents."))
        )
    residents = _choose_residents(con, dataset)
    if residents is None:
        return context.not_applicable(_no_residents_reason(con, dataset), caveats=_caveats())
    _store_residents(con, residents)
    months = _months(dataset.first_date, dataset.last_date)

    log = DecisionLog()
    filters = [
        Filter(
            known_race("subject_race"),
            text(N_("Removed stops of people whose race was unknown or not recorded")),
            text(N_("A stop can be compared with residents only by the person's race.")),
        )
    ]
    if residents.per_area:
        filters.append(
            Filter(
                f"EXISTS (SELECT 1 FROM {RESIDENTS} r WHERE r.agency = {STOPS}.agency "  # noqa: S608  fixed table and view names
                f"AND r.area = {STOPS}.area)",
                text(N_("Removed stops with no area, or in an area without resident counts")),
                text(
                    N_(
                        "Resident counts cover only the areas loaded; counting stops elsewhere "
                        "against them would overstate the rates."
                    )
                ),
            )
        )
    filters.append(
        Filter(
            f"EXISTS (SELECT 1 FROM {RESIDENTS} r WHERE r.agency = {STOPS}.agency "  # noqa: S608  fixed table and view names
            f"AND r.race = {STOPS}.subject_race)",
            text(N_("Removed stops of groups with no resident count")),
            text(N_("The census counts loaded do not include these groups.")),
        )
    )
    where = log.apply(con, STOPS, filters)
    kept = log.decisions[-1].rows_after
    if kept == 0:
        return context.not_applicable(
            text(N_("No stop is left to compare with residents after the decisions below.")),
            decisions=log.decisions,
            caveats=_caveats(),
        )
    log.add(
        text(
            N_(
                "Annualised over %(months)s calendar months, %(first)s to %(last)s: annual stops "
                "are the stops divided by the months, times 12"
            ),
            months=months,
            first=dataset.first_date.strftime("%Y-%m"),
            last=dataset.last_date.strftime("%Y-%m"),
        ),
        text(
            N_(
                "Rates are per resident per year. A month with stops on only some of its days "
                "counts as a whole month, which lowers the rates slightly when the records "
                "start or end mid-month."
            )
        ),
        kept,
        kept,
    )

    counts = con.execute(
        f"""SELECT agency, area, subject_race, count(*),
                   count(*) FILTER (WHERE search_conducted), count(search_conducted)
            FROM {STOPS} WHERE {where} GROUP BY ALL"""  # noqa: S608  fixed view; logged filter conditions
    ).fetchall()
    searches_mode = _searches_mode(counts)
    years = months / 12

    city_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    area_counts: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for agency, area, race, n, searched, recorded in counts:
        cell = city_counts[race]
        cell[0] += n
        cell[1] += searched
        cell[2] += recorded
        if residents.per_area:
            area_counts[_area_key(dataset, agency, area)][race] = [n, searched, recorded]
    city_residents: dict[str, float] = defaultdict(float)
    area_residents: dict[str, dict[str, float]] = defaultdict(dict)
    for agency, area, race, value in residents.rows:
        city_residents[race] += value
        if residents.per_area:
            area_residents[_area_key(dataset, agency, area)][race] = value

    suppressed = 0
    city_rows = _rows(city_counts, city_residents, years, searches_mode)
    suppressed += _suppress(city_rows, min_count, searches_mode)
    area_rows: list[dict[str, Any]] = []
    if residents.per_area:
        order = sorted(
            area_residents,
            key=lambda a: (-sum(c[0] for c in area_counts.get(a, {}).values()), a),
        )
        for area in order:
            rows = _rows(area_counts.get(area, {}), area_residents[area], years, searches_mode)
            suppressed += _suppress(rows, min_count, searches_mode)
            area_rows.extend({"area": area, **r} for r in rows)

    tables = [
        Table(
            "by_race",
            text(N_("Stops and searches per resident, by race")),
            _columns(searches_mode),
            city_rows,
        )
    ]
    if residents.per_area:
        tables.append(
            Table(
                "by_area",
                text(N_("Stops and searches per resident, by area and race")),
                [Column("area", text(N_("Area")), "text"), *_columns(searches_mode)],
                area_rows,
            )
        )
    fields = coverage(con, STOPS, ["subject_race", "area", "search_conducted"])
    areas_without_stops = [a for a in area_residents if not area_counts.get(a)]
    return context.result(
        summary=_summary(city_rows, searches_mode),
        estimates={
            "reference": REFERENCE,
            "per": PER,
            "months": months,
            "stops": kept,
            "residents": round(sum(city_residents.values())),
            "by_race": by_race(city_rows),
        },
        tables=tables,
        decisions=log.decisions,
        coverage=fields,
        sample_size=kept,
        suppressed=suppressed,
        uncertainty=text(
            N_(
                "Rates per resident have %(level)s%% exact (Garwood) Poisson intervals for the "
                "count of stops or searches, and ratios to white residents %(level)s%% exact "
                "conditional intervals; searches per stop have %(level)s%% Wilson intervals. They "
                "treat stops as independent events and resident counts as exact, so they cover "
                "chance variation only: repeated stops of the same people, and errors in the "
                "census, make the real uncertainty larger."
            ),
            level=PERCENT,
        ),
        assumptions=_assumptions(residents, searches_mode),
        caveats=_caveats(searches_mode),
        diagnostics={
            "series": residents.series,
            "period_start": residents.period_start.isoformat(),
            "level": residents.level,
            "per_area": residents.per_area,
            "areas_with_residents": len(area_residents),
            "areas_without_stops": len(areas_without_stops),
            "months_without_stops": _empty_months(con, months),
            "searches": searches_mode,
        },
    )


def _choose_residents(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> Residents | None:
    """Pick one series, census date and level of resident counts matching the stops.

    Per-area counts at the level the stops' areas use come first (neighbourhood slugs when the
    stops have neighbourhoods, else the agency's own area codes), then one total per race; among
    those, the latest census date not after the last stop (else the earliest), then the series
    matching most stops.
    """
    if not dataset.agencies:
        return None
    marks = ", ".join("?" for _ in dataset.agencies)
    records = con.execute(
        f"""SELECT series, period_start, coalesce(level, ''), agency, NULLIF(area, ''),
                   lower(trim(substr("group", 6))), sum(value)
            FROM external_series
            WHERE measure = 'residents' AND lower("group") LIKE 'race:%' AND value IS NOT NULL
              AND agency IN ({marks})
            GROUP BY ALL""",  # noqa: S608  only ? placeholders are spliced in
        dataset.agencies,
    ).fetchall()
    if not records:
        return None
    stops_by_area = {
        (agency, area): int(n)
        for agency, area, n in con.execute(
            f"SELECT agency, area, count(*) FROM {STOPS} GROUP BY ALL"  # noqa: S608  fixed view name
        ).fetchall()
    }
    groups: dict[tuple[str, date, str], list[tuple[str, str | None, str, float]]] = defaultdict(
        list
    )
    for series, start, level, agency, area, race, value in records:
        groups[(series, start, level)].append((agency, area, race, float(value)))

    def rank(key: tuple[str, date, str]) -> tuple[Any, ...]:
        _, start, level = key
        rows = groups[key]
        areas = {(agency, area) for agency, area, _, _ in rows if area is not None}
        level_fits = dataset.area_field and (level == "neighbourhood") == (
            dataset.area_field == "neighbourhood"
        )
        matched = sum(stops_by_area.get(a, 0) for a in areas) if areas and level_fits else 0
        total = any(area is None for _, area, _, _ in rows)
        recent = start <= dataset.last_date if dataset.last_date else True
        return (matched > 0, total, recent, start if recent else -start.toordinal(), matched)

    best = max(groups, key=rank)
    usable = rank(best)
    if not usable[0] and not usable[1]:
        return None
    per_area = bool(usable[0])
    rows = [r for r in groups[best] if (r[1] is not None) == per_area]
    return Residents(best[0], best[1], best[2], per_area, rows)


def _no_residents_reason(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> Text:
    # Each message repeats how to load the counts, so that each translates as one sentence.
    loaded = con.execute(
        f"""SELECT count(*) FROM external_series
            WHERE measure = 'residents' AND lower("group") LIKE 'race:%'
              AND agency IN ({", ".join("?" for _ in dataset.agencies) or "NULL"})""",  # noqa: S608  only ? placeholders are spliced in
        dataset.agencies,
    ).fetchone()
    if loaded and loaded[0]:
        return text(
            N_(
                "Resident counts by race are loaded for this agency, but none of their areas "
                "is an area of the selected stops, and there is no total for the whole "
                "jurisdiction (a row with no area). Load census counts as external series "
                "records (the standard external series CSV, imported with 'commonbeat "
                "import'): one row per area and race, with measure 'residents', group "
                "'race: <code>' (for example 'race: black'), level 'neighbourhood' with the "
                "neighbourhood's slug as area, or the agency's own area level with the area "
                "code its stop records use, and the census date as period start."
            )
        )
    return text(
        N_(
            "No resident counts by race are loaded for this agency, so stops cannot be "
            "compared with residents. Load census counts as external series records (the "
            "standard external series CSV, imported with 'commonbeat import'): one row per "
            "area and race, with measure 'residents', group 'race: <code>' (for example "
            "'race: black'), level 'neighbourhood' with the neighbourhood's slug as area, or "
            "the agency's own area level with the area code its stop records use, and the "
            "census date as period start."
        )
    )


def _store_residents(con: duckdb.DuckDBPyConnection, residents: Residents) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {RESIDENTS} "
        "(agency VARCHAR, area VARCHAR, race VARCHAR, residents DOUBLE)"
    )
    con.executemany(f"INSERT INTO {RESIDENTS} VALUES (?, ?, ?, ?)", residents.rows)  # noqa: S608  fixed table name; values are parameters


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _empty_months(con: duckdb.DuckDBPyConnection, months: int) -> int:
    row = con.execute(
        f"SELECT count(DISTINCT date_trunc('month', occurred_date)) FROM {STOPS}"  # noqa: S608  fixed view name
    ).fetchone()
    return months - int(row[0]) if row else 0


def _area_key(dataset: Dataset, agency: str, area: str | None) -> str:
    # Areas are named by code; with several agencies the code alone could be ambiguous.
    return f"{agency}: {area}" if len(dataset.agencies) > 1 else str(area)


def _searches_mode(counts: list[tuple[Any, ...]]) -> str:
    """How searches are recorded: among stops ("stops"), every record a search, or not at all."""
    recorded = sum(c[5] for c in counts)
    searched = sum(c[4] for c in counts)
    if recorded == 0:
        return "none"
    if searched == recorded:
        return "every"
    return "stops"


def _rows(
    counts: dict[str, list[int]], residents: dict[str, float], years: float, searches: str
) -> list[dict[str, Any]]:
    reference = counts.get(REFERENCE, [0, 0, 0])
    reference_exposure = residents.get(REFERENCE, 0.0) * years
    rows = []
    for race in sorted(residents, key=race_sort_key):
        n, searched, recorded = counts.get(race, [0, 0, 0])
        exposure = residents[race] * years
        row: dict[str, Any] = {
            "race": race,
            "residents": round(residents[race]),
            "stops": n,
            "annual_stops": n / years,
        }
        put(row, "stop_rate", poisson_rate(n, exposure, PER))
        comparable = race != REFERENCE and reference_exposure > 0
        put(
            row,
            "stop_ratio",
            rate_ratio(n, exposure, reference[0], reference_exposure)
            if comparable
            else (None,) * 3,
        )
        if searches == "stops":
            row["searches"] = searched
            put(row, "search_rate", poisson_rate(searched, exposure, PER))
            put(
                row,
                "search_ratio",
                rate_ratio(searched, exposure, reference[1], reference_exposure)
                if comparable
                else (None,) * 3,
            )
            put(row, "searches_per_stop", wilson(searched, recorded))
        rows.append(round_figures(row))
    return rows


def _suppress(rows: list[dict[str, Any]], min_count: int, searches: str) -> int:
    """Blank cells resting on fewer than min_count stops, searches or residents.

    A ratio rests on the white group's count too, so it is withheld when that one is small.
    """
    search_figures = SEARCH_FIGURES if searches == "stops" else ()
    blanked = suppress(rows, "stops", (*STOP_FIGURES, *search_figures), min_count)
    if search_figures:
        blanked += suppress(rows, "searches", search_figures[1:], min_count)
    for row in rows:
        if row["residents"] < min_count:
            blanked += withhold(row, (*STOP_FIGURES, *search_figures))
    reference = next((r for r in rows if r["race"] == REFERENCE), None)
    if reference is None or reference["stop_rate"] is None:
        for row in rows:
            blanked += withhold(row, RATIOS)
    elif search_figures and reference["search_rate"] is None:
        for row in rows:
            blanked += withhold(row, with_interval("search_ratio"))
    return blanked


def _columns(searches: str) -> list[Column]:
    columns = [
        Column("race", text(N_("Race")), "text"),
        Column("residents", text(N_("Residents")), "count"),
        Column("stops", text(N_("Stops")), "count"),
        Column("annual_stops", text(N_("Stops a year")), "number"),
        Column("stop_rate", text(N_("Stops a year per 1,000 residents")), "rate"),
        Column("stop_rate_low", text(N_("Stop rate, 95%% interval low")), "rate"),
        Column("stop_rate_high", text(N_("Stop rate, 95%% interval high")), "rate"),
        Column("stop_ratio", text(N_("Stop rate ÷ white residents' rate")), "number"),
        Column("stop_ratio_low", text(N_("Ratio, 95%% interval low")), "number"),
        Column("stop_ratio_high", text(N_("Ratio, 95%% interval high")), "number"),
    ]
    if searches == "stops":
        columns += [
            Column("searches", text(N_("Searches")), "count"),
            Column("search_rate", text(N_("Searches a year per 1,000 residents")), "rate"),
            Column("search_rate_low", text(N_("Search rate, 95%% interval low")), "rate"),
            Column("search_rate_high", text(N_("Search rate, 95%% interval high")), "rate"),
            Column("search_ratio", text(N_("Search rate ÷ white residents' rate")), "number"),
            Column("search_ratio_low", text(N_("Ratio, 95%% interval low")), "number"),
            Column("search_ratio_high", text(N_("Ratio, 95%% interval high")), "number"),
            Column("searches_per_stop", text(N_("Share of stops with a search")), "share"),
            Column("searches_per_stop_low", text(N_("Share, 95%% interval low")), "share"),
            Column("searches_per_stop_high", text(N_("Share, 95%% interval high")), "share"),
        ]
    return columns


def _summary(rows: list[dict[str, Any]], searches: str) -> list[Text]:
    sentences = []
    reference = next((r for r in rows if r["race"] == REFERENCE), None)
    for row in rows:
        if row["stop_rate"] is None:
            continue
        params = {
            "group": group_name(row["race"]),
            "race": row["race"],
            "rate": round(row["stop_rate"], 1),
            "low": round(row["stop_rate_low"], 1),
            "high": round(row["stop_rate_high"], 1),
        }
        if row["stop_ratio"] is None:
            sentences.append(
                text(
                    N_(
                        "%(group)s residents: %(rate)s stops a year per 1,000 residents (95%% "
                        "interval %(low)s to %(high)s)."
                    ),
                    **params,
                )
            )
            continue
        sentences.append(
            text(
                N_(
                    "%(group)s residents: %(rate)s stops a year per 1,000 residents (95%% "
                    "interval %(low)s to %(high)s), %(ratio)s times the rate for white "
                    "residents (%(ratio_low)s to %(ratio_high)s)."
                ),
                ratio=round(row["stop_ratio"], 2),
                ratio_low=round(row["stop_ratio_low"], 2),
                ratio_high=round(row["stop_ratio_high"], 2),
                **params,
            )
        )
    if searches == "stops" and reference is not None and reference["searches_per_stop"]:
        for row in rows:
            if row["race"] == REFERENCE or row["searches_per_stop"] is None:
                continue
            sentences.append(
                text(
                    N_(
                        "%(group)s people stopped were searched in %(share)s%% of stops (95%% "
                        "interval %(low)s%% to %(high)s%%), against %(ref_share)s%% of white "
                        "people stopped."
                    ),
                    group=group_name(row["race"]),
                    race=row["race"],
                    share=pct(row["searches_per_stop"]),
                    low=pct(row["searches_per_stop_low"]),
                    high=pct(row["searches_per_stop_high"]),
                    ref_share=pct(reference["searches_per_stop"]),
                )
            )
    return sentences


def _assumptions(residents: Residents, searches: str) -> list[Text]:
    assumptions = [
        text(
            N_(
                "Residents are the series '%(series)s' dated %(date)s, at level '%(level)s'; the "
                "stops are compared with that one census date whatever their own dates."
            ),
            series=residents.series,
            date=residents.period_start.isoformat(),
            level=residents.level or "-",
        ),
        text(
            N_(
                "Race is the race the officer recorded for the person stopped, matched to the "
                "census group of the same code; the two are recorded differently (perception "
                "against self-identification)."
            )
        ),
    ]
    if residents.per_area:
        assumptions.append(
            text(
                N_(
                    "A stop counts in the area where it happened, and is compared with the "
                    "residents of that area, wherever the person stopped lives."
                )
            )
        )
    if searches == "stops":
        assumptions.append(
            text(
                N_(
                    "Stops whose record does not say whether a search was made count as stops "
                    "but are left out of the share of stops with a search."
                )
            )
        )
    return assumptions


def _caveats(searches: str = "stops") -> list[Text]:
    caveats = [
        text(
            N_(
                "Residents are not the people at risk of being stopped. Drivers and people on "
                "the street differ from residents: many people stopped live elsewhere "
                "(commuters, visitors, people passing through), groups differ in how much they "
                "drive or are out in public, and police patrol some places more than others. "
                "A higher rate per resident is a reason to look further, not proof of bias; "
                "a ratio near 1 does not rule bias out."
            )
        ),
        text(
            N_(
                "Census counts miss some people and date from one point in time; small groups "
                "and small areas give unstable rates."
            )
        ),
    ]
    if searches == "every":
        caveats.append(
            text(
                N_(
                    "Every record in this dataset is a search, so the stop rate per resident is "
                    "a search rate and there is no share of stops with a search."
                )
            )
        )
    elif searches == "none":
        caveats.append(
            text(
                N_(
                    "These records do not say whether people stopped were searched, so there "
                    "are no search rates."
                )
            )
        )
    return caveats
