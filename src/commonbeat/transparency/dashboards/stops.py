"""The stops dashboard: stops, searches, frisks and arrests by race, sex and age group; search
hit rates by race; and stops beside the resident population where a benchmark exists."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonbeat.transparency.dashboards import memo
from commonbeat.transparency.dashboards.common import (
    Context,
    place_and_time_notes,
    quality,
    span,
)
from commonbeat.transparency.dashboards.figures import Column, Figure, per_1000, rate
from commonbeat.transparency.dashboards.registry import DASHBOARDS, Dashboard

COUNTS = ("stops", "searches", "frisks", "arrests", "hits")
MISSING = ("search_missing", "frisk_missing", "outcome_missing", "contraband_missing")
SETS = ("race", "sex", "age_group", "month", "neighbourhood")


def _grouped(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """One scan of the cube, grouped six ways at once (GROUPING SETS), plus the total.

    The (neighbourhood, race) set feeds the resident benchmark; the others, one figure each.
    """
    where, params = ctx.where()
    sums = ", ".join(f"sum({name})::BIGINT AS {name}" for name in (*COUNTS, *MISSING))
    flags = ", ".join(f"grouping({name}) = 0 AS by_{name}" for name in SETS)
    sets = ", ".join(f"({name})" for name in SETS)
    rows = ctx.release.records(
        f"SELECT {flags}, {', '.join(SETS)}, {sums} FROM dash_stop WHERE {where} "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"GROUP BY GROUPING SETS ({sets}, (neighbourhood, race), ())",
        params,
    )
    grouped: dict[str, list[dict[str, Any]]] = {name: [] for name in (*SETS, "place_race", "total")}
    for row in rows:
        found = [name for name in SETS if row[f"by_{name}"]]
        if found == ["race", "neighbourhood"]:
            grouped["place_race"].append(row)
        else:
            grouped[found[0] if found else "total"].append(row)
    return grouped


def _residents(ctx: Context) -> list[dict[str, Any]]:
    if not ctx.release.has("dash_residents"):
        return []
    return memo.per_release(
        ctx.release,
        ("residents",),
        lambda: ctx.release.records(
            "SELECT * FROM dash_residents ORDER BY agency, neighbourhood, race"
        ),
    )


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "search_rate": rate(row["searches"], row["stops"]),
        "frisk_rate": rate(row["frisks"], row["stops"]),
        "arrest_rate": rate(row["arrests"], row["stops"]),
        "hit_rate": rate(row["hits"], row["searches"]),
    }


def _activity_columns(dimension: Column) -> list[Column]:
    return [
        dimension,
        Column("stops", _("Stops")),
        Column("searches", _("Searches")),
        Column("search_rate", _("Search rate"), "rate", "stops"),
        Column("frisks", _("Frisks")),
        Column("frisk_rate", _("Frisk rate"), "rate", "stops"),
        Column("arrests", _("Arrests")),
        Column("arrest_rate", _("Arrest rate"), "rate", "stops"),
    ]


def _age_order(value: Any) -> tuple[int, str]:
    text = str(value or "")
    if text == "not_recorded":
        return (9999, text)
    if text.startswith("under"):
        return (-1, text)
    digits = "".join(ch if ch.isdigit() else " " for ch in text).split()
    return (int(digits[0]) if digits else 9998, text)


def build(ctx: Context) -> list[Figure]:
    grouped = _grouped(ctx)
    total = grouped["total"][0] if grouped["total"] else dict.fromkeys((*COUNTS, *MISSING), 0)
    stops = int(total["stops"] or 0)
    months = span(r["month"] for r in grouped["month"] if r["stops"])

    def missing_in(group: str, code: str = "not_recorded") -> int:
        return sum(r["stops"] for r in grouped[group] if r[group] in (code, None))

    common_missing = {
        "search_conducted": (total["search_missing"], stops),
        "frisk_performed": (total["frisk_missing"], stops),
        "outcome": (total["outcome_missing"], stops),
    }
    notes = place_and_time_notes(
        ctx, "dash_stop", "stops", _("stops"), missing_in("neighbourhood", "")
    )
    rate_note = _(
        "Search, frisk and arrest rates are shares of stops; a missing value counts as no. Rates on fewer than 20 stops are marked unreliable."
    )

    def q(extra: dict[str, tuple[int, int]], more: list[str] | None = None) -> dict[str, Any]:
        return quality(
            ctx, stops, "stops", {**extra, **common_missing}, months, notes + (more or [])
        )

    figures = []
    for group, field, title, column in (
        (
            "race",
            "subject_race",
            _("Stops by race or ethnicity"),
            Column("race", _("Race or ethnicity"), "dimension"),
        ),
        ("sex", "subject_gender", _("Stops by sex"), Column("sex", _("Sex"), "dimension")),
        (
            "age_group",
            "subject_age",
            _("Stops by age group"),
            Column("age_group", _("Age group"), "dimension"),
        ),
    ):
        rows = [_with_rates(r) for r in grouped[group]]
        if group == "age_group":
            rows.sort(key=lambda r: _age_order(r["age_group"]))
        else:
            rows.sort(key=lambda r: -r["stops"])
        figures.append(
            Figure(
                id=f"stops-by-{group.replace('_', '-')}",
                title=title,
                description=_(
                    "Stops, searches, frisks and arrests, with each as a share of stops."
                ),
                columns=_activity_columns(column),
                rows=rows,
                chart={"type": "bar", "values": ["stops", "searches", "frisks", "arrests"]},
                notes=[rate_note],
                quality=q({field: (missing_in(group), stops)}),
            )
        )

    months_rows = sorted((_with_rates(r) for r in grouped["month"]), key=lambda r: r["month"] or "")
    figures.append(
        Figure(
            id="stops-by-month",
            title=_("Stops by month"),
            description=_("Stops, searches, frisks and arrests in each month."),
            columns=_activity_columns(Column("month", _("Month"), "dimension")),
            rows=months_rows,
            chart={"type": "line", "values": ["stops", "searches", "frisks", "arrests"]},
            notes=[rate_note],
            quality=q({}),
        )
    )

    hit_rows = sorted((_with_rates(r) for r in grouped["race"]), key=lambda r: -r["searches"])
    figures.append(
        Figure(
            id="hit-rate-by-race",
            title=_("Search hit rate by race or ethnicity"),
            description=_("Searches that found contraband, as a share of searches."),
            columns=[
                Column("race", _("Race or ethnicity"), "dimension"),
                Column("searches", _("Searches")),
                Column("hits", _("Searches finding contraband")),
                Column("hit_rate", _("Hit rate"), "rate", "searches"),
            ],
            rows=hit_rows,
            chart={"type": "bar", "values": ["hit_rate"]},
            notes=[
                _(
                    "Hit rate = searches with contraband found / searches. A search whose result was not recorded counts as finding nothing. Rates on fewer than 20 searches are marked unreliable."
                )
            ],
            quality=quality(
                ctx,
                int(total["searches"] or 0),
                "searches",
                {
                    "subject_race": (
                        sum(r["searches"] for r in grouped["race"] if r["race"] == "not_recorded"),
                        int(total["searches"] or 0),
                    ),
                    "contraband_found": (total["contraband_missing"], int(total["searches"] or 0)),
                    "search_conducted": (total["search_missing"], stops),
                },
                months,
                notes,
            ),
        )
    )

    benchmark = _benchmark(ctx, grouped["place_race"], months)
    if benchmark is not None:
        figures.append(benchmark)

    if ctx.city_wide and any(r["neighbourhood"] for r in grouped["neighbourhood"]):
        rows = sorted(
            (_with_rates(r) for r in grouped["neighbourhood"] if r["neighbourhood"]),
            key=lambda r: ctx.names.get(r["neighbourhood"], r["neighbourhood"]),
        )
        figures.append(
            Figure(
                id="stops-by-neighbourhood",
                title=_("Stops by neighbourhood"),
                description=_("Stops, searches and search hit rates in each neighbourhood."),
                columns=[
                    Column("neighbourhood", _("Neighbourhood"), "dimension"),
                    Column("stops", _("Stops")),
                    Column("searches", _("Searches")),
                    Column("search_rate", _("Search rate"), "rate", "stops"),
                    Column("hit_rate", _("Hit rate"), "rate", "searches"),
                    Column("arrests", _("Arrests")),
                ],
                rows=rows,
                chart={"type": "bar", "values": ["stops"]},
                quality=q({"neighbourhood": (missing_in("neighbourhood", ""), stops)}),
                links={r["neighbourhood"]: ctx.link(r["neighbourhood"]) for r in rows},
                names=ctx.names,
                map_measure="stops",
            )
        )
    return figures


def _benchmark(
    ctx: Context, place_race: list[dict[str, Any]], months: tuple[str | None, str | None]
) -> Figure | None:
    """Stops per 1,000 residents by race, over the neighbourhoods with a resident count."""
    residents_rows = [
        r
        for r in _residents(ctx)
        if r["agency"] == ctx.agency
        and (ctx.filters.neighbourhood is None or r["neighbourhood"] == ctx.filters.neighbourhood)
    ]
    if not residents_rows:
        return None
    places = {r["neighbourhood"] for r in residents_rows}
    by_race: dict[str, float] = {}
    for r in residents_rows:
        by_race[r["race"]] = by_race.get(r["race"], 0.0) + float(r["residents"])
    stops: dict[str, int] = {}
    for r in place_race:
        if r["neighbourhood"] in places:
            stops[r["race"]] = stops.get(r["race"], 0) + int(r["stops"])
    all_stops = sum(stops.values())
    all_residents = int(sum(by_race.values()))
    rows: list[dict[str, Any]] = []
    for race, count in sorted(by_race.items(), key=lambda item: -item[1]):
        found = stops.get(race, 0)
        rows.append(
            {
                "race": race,
                "residents": int(count),
                "resident_share": rate(int(count), all_residents),
                "stops": found,
                "stop_share": rate(found, all_stops),
                "stops_per_1000": per_1000(found, int(count)),
            }
        )
    unmatched = all_stops - sum(row["stops"] for row in rows)
    series = residents_rows[0]["series"]
    return Figure(
        id="stops-and-residents",
        title=_("Stops compared with resident population"),
        description=_(
            "Stops of each group per 1,000 residents of that group, over the months shown (not a yearly rate)."
        ),
        columns=[
            Column("race", _("Race or ethnicity"), "dimension"),
            Column("residents", _("Residents")),
            Column("resident_share", _("Share of residents"), "rate"),
            Column("stops", _("Stops")),
            Column("stop_share", _("Share of stops"), "rate"),
            Column("stops_per_1000", _("Stops per 1,000 residents"), "per_1000", "residents"),
        ],
        rows=rows,
        chart={"type": "bar", "values": ["resident_share", "stop_share"]},
        notes=[
            _(
                "Caution: residential population is a weak benchmark for who is stopped. People stopped in a neighbourhood need not live there, and who is out on the street, driving or in contact with police differs from who lives there. A difference here is a question, not a finding."
            ),
            _("Residents: %(series)s. Only neighbourhoods with a resident count are included.")
            % {"series": series},
            _(
                "Share of stops counts all %(stops)s stops in those neighbourhoods; %(unmatched)s of them are of people whose race or ethnicity was unknown or not recorded, or outside the groups counted as residents."
            )
            % {"stops": all_stops, "unmatched": unmatched},
        ],
        quality=quality(
            ctx,
            all_stops,
            "stops",
            {"subject_race": (stops.get("not_recorded", 0), all_stops)},
            months,
        ),
    )


DASHBOARDS.register(
    Dashboard(
        "stops",
        gettext_lazy("Stops"),
        gettext_lazy(
            "Who is stopped, searched, frisked and arrested, and how often searches find something."
        ),
        "stop",
        "dash_stop",
        build,
    )
)
