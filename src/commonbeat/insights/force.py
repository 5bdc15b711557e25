"""Use-of-force rates per stop and per arrest, by race.

`force_rates`: people force was used on (force_subject, dated by their force_incident) per
1,000 stops and per 100 arrests of people of the same race, the stops and arrests being the
selected stop records (`equity_stops`). It reads the agency's force records over the stops'
period (agency_records.py), as `sustained.py` reads its complaints.
"""

from __future__ import annotations

from typing import Any

import duckdb
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.agency_records import (
    agency_list,
    count,
    date_filters,
    period,
    period_diagnostics,
)
from commonbeat.insights.context import Context
from commonbeat.insights.intervals import (
    PERCENT,
    REFERENCE,
    by_race,
    group_name,
    known_race,
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

FORCE_SUBJECTS = "equity_force_subjects"  # temp view: the agency's force subjects with dates

FORCE_TITLE = N_("Use of force per stop and per arrest")
FORCE_METHOD = N_(
    "For each group of people, by race, the number of people force was used on is divided by "
    "the number of stops of people of that group (per 1,000 stops) and by the number of stops "
    "of that group that ended in an arrest (per 100 arrests), and compared with the rates for "
    "white people as a ratio. Force and stops are counted over the same agency and period."
)

PER_STOPS, PER_ARRESTS = 1000, 100
STOP_FIGURES = (*with_interval("per_1000_stops"), *with_interval("stops_ratio"))
ARREST_FIGURES = (*with_interval("per_100_arrests"), *with_interval("arrests_ratio"))
SHARE_FIGURES = with_interval("arrested_share")


def force_rates(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int = MIN_COUNT
) -> Result:
    """Force subjects per 1,000 stops and per 100 stop arrests, by race, with exact intervals."""
    context = Context(
        "force", text(FORCE_TITLE), text(FORCE_METHOD), con, dataset, min_count=min_count
    )
    start, end = period(dataset)
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {FORCE_SUBJECTS} AS
            SELECT s.record_id, s.agency, s.subject_race, s.arrested,
                   i.record_id IS NOT NULL AS has_incident, i.occurred_date
            FROM force_subject s
            LEFT JOIN force_incident i ON i.agency = s.agency AND i.record_id = s.parent_id
            WHERE s.agency IN ({agency_list(dataset)})"""  # noqa: S608  fixed view and table names; quoted literals
    )
    subjects = count(con, FORCE_SUBJECTS)
    if subjects == 0:
        return context.not_applicable(
            text(
                N_(
                    "This agency has no use-of-force records (people force was used on) in the "
                    "record store, so force rates cannot be computed."
                )
            ),
        )
    if dataset.rows == 0:
        return context.not_applicable(
            text(
                N_(
                    "This agency has use-of-force records but no stop records in the selection, "
                    "so there are no stops or arrests to divide by."
                )
            ),
        )

    log = DecisionLog()
    filters = [
        Filter(
            "has_incident",
            text(N_("Removed people force was used on whose incident is not in the records")),
            text(N_("The incident gives the date, which places the force in the stops' period.")),
        )
    ]
    filters += date_filters("occurred_date", start, end)
    filters.append(
        Filter(
            known_race("subject_race"),
            text(N_("Removed people whose race was unknown or not recorded")),
            text(N_("Rates are compared between groups of people by race.")),
        )
    )
    where = log.apply(con, FORCE_SUBJECTS, filters)
    sample_size = log.decisions[-1].rows_after
    if sample_size == 0:
        return context.not_applicable(
            text(
                N_(
                    "No use of force on a person of recorded race falls in the period of the "
                    "selected stops."
                )
            ),
            decisions=log.decisions,
        )
    fields = coverage(con, FORCE_SUBJECTS, ["subject_race", "arrested"])
    fields |= {f"stop.{k}": v for k, v in coverage(con, STOPS, ["subject_race", "outcome"]).items()}

    force = {
        race: (int(n), int(arrested), int(recorded))
        for race, n, arrested, recorded in con.execute(
            f"""SELECT subject_race, count(*), count(*) FILTER (WHERE arrested), count(arrested)
                FROM {FORCE_SUBJECTS} WHERE {where} GROUP BY 1"""  # noqa: S608  fixed view; logged filter conditions
        ).fetchall()
    }
    stops = {
        race: (int(n), int(arrests))
        for race, n, arrests in con.execute(
            f"""SELECT subject_race, count(*), count(*) FILTER (WHERE outcome = 'arrest')
                FROM {STOPS} WHERE {known_race("subject_race")} GROUP BY 1"""  # noqa: S608  fixed view; a fixed condition
        ).fetchall()
    }
    outcomes_recorded = count(con, STOPS, "outcome IS NOT NULL")
    arrested_recorded = sum(r for _, _, r in force.values()) > 0

    rows = _force_rows(force, stops, arrested_recorded, bool(outcomes_recorded))
    suppressed = suppress(
        rows,
        "subjects",
        (*STOP_FIGURES, *ARREST_FIGURES, *SHARE_FIGURES, "arrested_subjects"),
        min_count,
    )
    suppressed += suppress(rows, "stops", STOP_FIGURES, min_count)
    suppressed += suppress(rows, "arrests", ARREST_FIGURES, min_count)
    if arrested_recorded:
        suppressed += suppress(rows, "arrested_subjects", ARREST_FIGURES, min_count)
    reference = next((r for r in rows if r["race"] == REFERENCE), None)
    for key, figures in (("per_1000_stops", "stops_ratio"), ("per_100_arrests", "arrests_ratio")):
        if reference is None or reference[key] is None:
            for row in rows:
                suppressed += withhold(row, with_interval(figures))

    caveats = [
        text(
            N_(
                "Arrests here are only the arrests recorded in stop records. Arrests made after "
                "calls for service, on warrants or in investigations are not counted, and a "
                "person force was used on need not have been stopped in a recorded stop, so "
                "the rate per 100 arrests overstates force per arrest; comparing groups assumes "
                "the arrests missing are missing alike for every group."
            )
        ),
        text(
            N_(
                "Stops and arrests are not the only encounters in which force is used, and the "
                "groups may differ in the encounters that lead to force (for example, calls "
                "about violence). A higher rate is a reason to look further, not proof of bias."
            )
        ),
    ]
    if arrested_recorded:
        numerator = text(
            N_(
                "The rate per 100 arrests counts people force was used on who were recorded as "
                "arrested (force used in an arrest); people whose arrest is not recorded are "
                "left out of it."
            )
        )
    else:
        numerator = text(
            N_(
                "The use-of-force records do not say who was arrested, so the rate per 100 "
                "arrests counts everyone force was used on."
            )
        )
    return context.result(
        summary=_force_summary(rows),
        estimates={
            "reference": REFERENCE,
            "subjects": sample_size,
            "stops": sum(n for n, _ in stops.values()),
            "arrests": sum(a for _, a in stops.values()),
            "arrested_recorded": arrested_recorded,
            "by_race": by_race(rows),
        },
        tables=[
            Table(
                "by_race",
                text(N_("Use of force per stop and per arrest, by race")),
                _force_columns(),
                rows,
            )
        ],
        decisions=log.decisions,
        coverage=fields,
        sample_size=sample_size,
        suppressed=suppressed,
        uncertainty=text(
            N_(
                "Rates have %(level)s%% exact (Garwood) Poisson intervals for the count of people "
                "force was used on; ratios to white people's rates have %(level)s%% exact "
                "conditional intervals; the share arrested has %(level)s%% Wilson intervals. "
                "Stops and arrests are treated as exact counts, and people as independent, so the "
                "intervals cover chance variation only."
            ),
            level=PERCENT,
        ),
        assumptions=[
            numerator,
            text(
                N_(
                    "Each person force was used on counts once per incident; a person in two "
                    "incidents counts twice. Race is as recorded in each kind of record."
                )
            ),
            text(
                N_(
                    "Coverage entries starting with 'stop.' are measured among the stops; the "
                    "others among the people force was used on."
                )
            ),
        ],
        caveats=caveats,
        diagnostics={**period_diagnostics(start, end), "stops_with_outcome": outcomes_recorded},
    )


def _force_rows(
    force: dict[str, tuple[int, int, int]],
    stops: dict[str, tuple[int, int]],
    arrested_recorded: bool,
    outcomes_recorded: bool,
) -> list[dict[str, Any]]:
    ref_subjects, ref_arrested, _ = force.get(REFERENCE, (0, 0, 0))
    ref_stops, ref_arrests = stops.get(REFERENCE, (0, 0))
    ref_numerator = ref_arrested if arrested_recorded else ref_subjects
    rows = []
    for race in sorted(set(force) | set(stops), key=race_sort_key):
        subjects, arrested, recorded = force.get(race, (0, 0, 0))
        n_stops, arrests = stops.get(race, (0, 0))
        numerator = arrested if arrested_recorded else subjects
        row: dict[str, Any] = {
            "race": race,
            "subjects": subjects,
            "stops": n_stops,
            "arrests": arrests if outcomes_recorded else None,
            "arrested_subjects": arrested if arrested_recorded else None,
        }
        put(row, "per_1000_stops", poisson_rate(subjects, n_stops, PER_STOPS))
        compare = race != REFERENCE
        put(
            row,
            "stops_ratio",
            rate_ratio(subjects, n_stops, ref_subjects, ref_stops) if compare else (None,) * 3,
        )
        if outcomes_recorded:
            put(row, "per_100_arrests", poisson_rate(numerator, arrests, PER_ARRESTS))
            put(
                row,
                "arrests_ratio",
                rate_ratio(numerator, arrests, ref_numerator, ref_arrests)
                if compare
                else (None,) * 3,
            )
        else:
            put(row, "per_100_arrests", (None,) * 3)
            put(row, "arrests_ratio", (None,) * 3)
        put(row, "arrested_share", wilson(arrested, recorded) if arrested_recorded else (None,) * 3)
        rows.append(round_figures(row))
    return rows


def _force_columns() -> list[Column]:
    return [
        Column("race", text(N_("Race")), "text"),
        Column("subjects", text(N_("People force was used on")), "count"),
        Column("stops", text(N_("Stops")), "count"),
        Column("arrests", text(N_("Arrests in stops")), "count"),
        Column("per_1000_stops", text(N_("Per 1,000 stops")), "rate"),
        Column("per_1000_stops_low", text(N_("Per 1,000 stops, 95%% interval low")), "rate"),
        Column("per_1000_stops_high", text(N_("Per 1,000 stops, 95%% interval high")), "rate"),
        Column("stops_ratio", text(N_("Rate per stop ÷ white people's rate")), "number"),
        Column("stops_ratio_low", text(N_("Ratio, 95%% interval low")), "number"),
        Column("stops_ratio_high", text(N_("Ratio, 95%% interval high")), "number"),
        Column(
            "arrested_subjects", text(N_("People force was used on who were arrested")), "count"
        ),
        Column("per_100_arrests", text(N_("Per 100 arrests in stops")), "rate"),
        Column("per_100_arrests_low", text(N_("Per 100 arrests, 95%% interval low")), "rate"),
        Column("per_100_arrests_high", text(N_("Per 100 arrests, 95%% interval high")), "rate"),
        Column("arrests_ratio", text(N_("Rate per arrest ÷ white people's rate")), "number"),
        Column("arrests_ratio_low", text(N_("Ratio, 95%% interval low")), "number"),
        Column("arrests_ratio_high", text(N_("Ratio, 95%% interval high")), "number"),
        Column("arrested_share", text(N_("Share arrested")), "share"),
        Column("arrested_share_low", text(N_("Share arrested, 95%% interval low")), "share"),
        Column("arrested_share_high", text(N_("Share arrested, 95%% interval high")), "share"),
    ]


def _force_summary(rows: list[dict[str, Any]]) -> list[Text]:
    sentences = []
    for row in rows:
        if row["per_1000_stops"] is None:
            continue
        params: dict[str, Any] = {
            "group": group_name(row["race"]),
            "race": row["race"],
            "subjects": row["subjects"],
            "rate": round(row["per_1000_stops"], 1),
            "low": round(row["per_1000_stops_low"], 1),
            "high": round(row["per_1000_stops_high"], 1),
        }
        if row["stops_ratio"] is None:
            sentences.append(
                text(
                    N_(
                        "Force was used on %(subjects)s %(group)s people: %(rate)s per 1,000 "
                        "stops of %(group)s people (95%% interval %(low)s to %(high)s)."
                    ),
                    **params,
                )
            )
            continue
        sentences.append(
            text(
                N_(
                    "Force was used on %(subjects)s %(group)s people: %(rate)s per 1,000 stops "
                    "of %(group)s people (95%% interval %(low)s to %(high)s), %(ratio)s times "
                    "the rate for white people (%(ratio_low)s to %(ratio_high)s)."
                ),
                ratio=round(row["stops_ratio"], 2),
                ratio_low=round(row["stops_ratio_low"], 2),
                ratio_high=round(row["stops_ratio_high"], 2),
                **params,
            )
        )
    return sentences
