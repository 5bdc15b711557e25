"""Use-of-force rates per stop and per arrest, and complaint sustained rates, by race.

`force_rates`: people force was used on (force_subject, dated by their force_incident) per
1,000 stops and per 100 arrests of people of the same race, the stops and arrests being the
selected stop records (`equity_stops`). `sustained_rates`: the share of complaints with at least
one sustained allegation, by the complainant's race (and the same for allegations).

Both read the agency's force or complaint records over the stops' period: the selection's agency
(or the agencies of the selected stops) and the dates of the first and last stop (or the
selection's dates when there are no stops). Complainants are private people: only counts by
race leave this module, and cells under `min_count` are suppressed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
from django.utils.translation import gettext_noop as N_

from commonbeat.insights.intervals import (
    PERCENT,
    REFERENCE,
    group_name,
    known_race,
    pct,
    poisson_rate,
    put,
    race_sort_key,
    rate_ratio,
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
    not_applicable,
    suppress,
    text,
)
from commonbeat.insights.stops import STOPS, Dataset

FORCE_SUBJECTS = "equity_force_subjects"  # temp view: the agency's force subjects with dates
COMPLAINANTS = "equity_complainants"  # temp view: complainants with their complaint's findings
# Findings that decide an allegation on its merits; pending, no finding and closures without
# a finding decide nothing.
MERITS = ("sustained", "not_sustained", "unfounded", "exonerated")

FORCE_TITLE = N_("Use of force per stop and per arrest")
FORCE_METHOD = N_(
    "For each group of people, by race, the number of people force was used on is divided by "
    "the number of stops of people of that group (per 1,000 stops) and by the number of stops "
    "of that group that ended in an arrest (per 100 arrests), and compared with the rates for "
    "white people as a ratio. Force and stops are counted over the same agency and period."
)
SUSTAINED_TITLE = N_("Complaints with a sustained finding, by complainant's race")
SUSTAINED_METHOD = N_(
    "A complaint counts as sustained when at least one of its allegations has a final finding "
    "of sustained. Among complaints decided on their merits (at least one allegation sustained, "
    "not sustained, unfounded or exonerated), the sustained rate is the share sustained, by the "
    "race of the person who complained, compared with white complainants. The same share is "
    "also given for allegations."
)

PER_STOPS, PER_ARRESTS = 1000, 100
STOP_FIGURES = (*with_interval("per_1000_stops"), *with_interval("stops_ratio"))
ARREST_FIGURES = (*with_interval("per_100_arrests"), *with_interval("arrests_ratio"))
SHARE_FIGURES = with_interval("arrested_share")
SUSTAINED_FIGURES = ("sustained", *with_interval("sustained_rate"), *with_interval("difference"))


def force_rates(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int = MIN_COUNT
) -> Result:
    """Force subjects per 1,000 stops and per 100 stop arrests, by race, with exact intervals."""
    title, method = text(FORCE_TITLE), text(FORCE_METHOD)
    agencies = _agencies(dataset)
    start, end = _period(dataset)
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {FORCE_SUBJECTS} AS
            SELECT s.record_id, s.agency, s.subject_race, s.arrested,
                   i.record_id IS NOT NULL AS has_incident, i.occurred_date
            FROM force_subject s
            LEFT JOIN force_incident i ON i.agency = s.agency AND i.record_id = s.parent_id
            WHERE s.agency IN ({_literals(agencies)})"""
    )
    subjects = _count(con, FORCE_SUBJECTS)
    if subjects == 0:
        return not_applicable(
            "force",
            title,
            method,
            text(
                N_(
                    "This agency has no use-of-force records (people force was used on) in the "
                    "record store, so force rates cannot be computed."
                )
            ),
            min_count=min_count,
        )
    if dataset.rows == 0:
        return not_applicable(
            "force",
            title,
            method,
            text(
                N_(
                    "This agency has use-of-force records but no stop records in the selection, "
                    "so there are no stops or arrests to divide by."
                )
            ),
            min_count=min_count,
        )

    log = DecisionLog()
    filters = [
        Filter(
            "has_incident",
            text(N_("Removed people force was used on whose incident is not in the records")),
            text(N_("The incident gives the date, which places the force in the stops' period.")),
        )
    ]
    filters += _date_filters("occurred_date", start, end)
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
        return not_applicable(
            "force",
            title,
            method,
            text(
                N_(
                    "No use of force on a person of recorded race falls in the period of the "
                    "selected stops."
                )
            ),
            min_count=min_count,
            decisions=log.decisions,
        )
    fields = coverage(con, FORCE_SUBJECTS, ["subject_race", "arrested"])
    fields |= {f"stop.{k}": v for k, v in coverage(con, STOPS, ["subject_race", "outcome"]).items()}

    force = {
        race: (int(n), int(arrested), int(recorded))
        for race, n, arrested, recorded in con.execute(
            f"""SELECT subject_race, count(*), count(*) FILTER (WHERE arrested), count(arrested)
                FROM {FORCE_SUBJECTS} WHERE {where} GROUP BY 1"""
        ).fetchall()
    }
    stops = {
        race: (int(n), int(arrests))
        for race, n, arrests in con.execute(
            f"""SELECT subject_race, count(*), count(*) FILTER (WHERE outcome = 'arrest')
                FROM {STOPS} WHERE {known_race("subject_race")} GROUP BY 1"""
        ).fetchall()
    }
    outcomes_recorded = _count(con, STOPS, "outcome IS NOT NULL")
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
    return Result(
        "force",
        title,
        method,
        summary=_force_summary(rows),
        estimates={
            "reference": REFERENCE,
            "subjects": sample_size,
            "stops": sum(n for n, _ in stops.values()),
            "arrests": sum(a for _, a in stops.values()),
            "arrested_recorded": arrested_recorded,
            "by_race": {r["race"]: {k: v for k, v in r.items() if k != "race"} for r in rows},
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
        min_count=min_count,
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
        diagnostics={
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "stops_with_outcome": outcomes_recorded,
        },
    )


def sustained_rates(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int = MIN_COUNT
) -> Result:
    """Share of complaints (and allegations) sustained, by complainant race, with Wilson intervals."""
    title, method = text(SUSTAINED_TITLE), text(SUSTAINED_METHOD)
    agencies = _agencies(dataset)
    start, end = _period(dataset)
    merits = _literals(MERITS)
    complaints = _count(con, "complaint", f"agency IN ({_literals(agencies)})")
    if complaints == 0:
        return not_applicable(
            "sustained",
            title,
            method,
            text(
                N_(
                    "This agency has no complaint records in the record store, so sustained "
                    "rates cannot be computed."
                )
            ),
            min_count=min_count,
        )
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {COMPLAINANTS} AS
            SELECT p.agency, p.parent_id AS complaint_id, p.complainant_race,
                   c.record_id IS NOT NULL AS has_complaint, c.received_date,
                   coalesce(a.decided, 0) AS decided, coalesce(a.sustained, 0) AS sustained
            FROM complainant p
            LEFT JOIN complaint c ON c.agency = p.agency AND c.record_id = p.parent_id
            LEFT JOIN (
                SELECT agency, parent_id, count(*) FILTER (WHERE final_finding IN ({merits})) AS decided,
                       count(*) FILTER (WHERE final_finding = 'sustained') AS sustained
                FROM allegation GROUP BY ALL
            ) a ON a.agency = p.agency AND a.parent_id = p.parent_id
            WHERE p.agency IN ({_literals(agencies)})"""
    )
    if _count(con, COMPLAINANTS) == 0:
        return not_applicable(
            "sustained",
            title,
            method,
            text(
                N_(
                    "This agency's complaint records do not describe the complainants, so "
                    "sustained rates cannot be given by the complainant's race."
                )
            ),
            min_count=min_count,
        )

    log = DecisionLog()
    filters = [
        Filter(
            "has_complaint",
            text(N_("Removed complainants whose complaint is not in the records")),
            text(N_("The complaint gives the date and the findings.")),
        )
    ]
    filters += _date_filters("received_date", start, end)
    filters += [
        Filter(
            known_race("complainant_race"),
            text(N_("Removed complainants whose race was unknown or not recorded")),
            text(N_("Rates are compared between groups of complainants by race.")),
        ),
        Filter(
            "decided > 0",
            text(N_("Removed complaints with no allegation decided on its merits")),
            text(
                N_(
                    "A complaint still pending, or closed without a finding, has not been "
                    "sustained or rejected."
                )
            ),
        ),
    ]
    where = log.apply(con, COMPLAINANTS, filters)
    if log.decisions[-1].rows_after == 0:
        return not_applicable(
            "sustained",
            title,
            method,
            text(
                N_(
                    "No complaint in the period, by a complainant of recorded race, has an "
                    "allegation decided on its merits."
                )
            ),
            min_count=min_count,
            decisions=log.decisions,
        )
    pairs = con.execute(
        f"""SELECT complainant_race, complaint_id, any_value(sustained) > 0,
                   any_value(agency)
            FROM {COMPLAINANTS} WHERE {where} GROUP BY complainant_race, agency, complaint_id"""
    ).fetchall()
    log.add(
        text(N_("Counted each complaint once per complainant race")),
        text(
            N_(
                "A complaint made by two people of the same race is one complaint for that "
                "group; one made by people of two races counts once for each."
            )
        ),
        log.decisions[-1].rows_after,
        len(pairs),
    )
    fields = coverage(con, COMPLAINANTS, ["complainant_race", "received_date"])

    complaint_counts: dict[str, list[int]] = {}
    for race, _, sustained, _ in pairs:
        cell = complaint_counts.setdefault(race, [0, 0])
        cell[0] += 1
        cell[1] += int(sustained)
    allegation_counts = {
        race: [int(n), int(s)]
        for race, n, s in con.execute(
            f"""WITH pairs AS (
                    SELECT DISTINCT agency, complaint_id, complainant_race
                    FROM {COMPLAINANTS} WHERE {where})
                SELECT p.complainant_race, count(*),
                       count(*) FILTER (WHERE a.final_finding = 'sustained')
                FROM pairs p JOIN allegation a
                  ON a.agency = p.agency AND a.parent_id = p.complaint_id
                WHERE a.final_finding IN ({merits})
                GROUP BY 1"""
        ).fetchall()
    }
    complaint_rows = _share_rows(complaint_counts, "complaints")
    allegation_rows = _share_rows(allegation_counts, "allegations")
    suppressed = _suppress_shares(complaint_rows, "complaints", min_count)
    suppressed += _suppress_shares(allegation_rows, "allegations", min_count)
    # Few complainants of a group are few people: their allegations are withheld with them.
    small = {r["race"] for r in complaint_rows if r["complaints"] is None}
    for row in allegation_rows:
        if row["race"] in small:
            suppressed += withhold(row, ("allegations", *SUSTAINED_FIGURES))
    overall = _overall(con, where, merits)
    return Result(
        "sustained",
        title,
        method,
        summary=_sustained_summary(complaint_rows),
        estimates={
            "reference": REFERENCE,
            "complaints": len({(a, c) for _, c, _, a in pairs}),
            "overall": overall,
            "by_race": {
                r["race"]: {k: v for k, v in r.items() if k != "race"} for r in complaint_rows
            },
            "allegations_by_race": {
                r["race"]: {k: v for k, v in r.items() if k != "race"} for r in allegation_rows
            },
        },
        tables=[
            Table(
                "complaints_by_race",
                text(N_("Complaints with a sustained finding, by complainant's race")),
                _share_columns("complaints"),
                complaint_rows,
            ),
            Table(
                "allegations_by_race",
                text(N_("Allegations sustained, by complainant's race")),
                _share_columns("allegations"),
                allegation_rows,
                note=text(
                    N_(
                        "Allegations decided on their merits in the same complaints; an "
                        "allegation counts once for each complainant race of its complaint."
                    )
                ),
            ),
        ],
        decisions=log.decisions,
        coverage=fields,
        sample_size=len(pairs),
        min_count=min_count,
        suppressed=suppressed,
        uncertainty=text(
            N_(
                "Shares have %(level)s%% Wilson score intervals and differences from white "
                "complainants %(level)s%% Newcombe intervals. Allegations of one complaint are "
                "not independent, so the allegation intervals are too narrow; the complaint "
                "figures are the ones to rely on."
            ),
            level=PERCENT,
        ),
        assumptions=[
            text(
                N_(
                    "Findings are final findings; recommended findings that were changed are "
                    "not used."
                )
            ),
            text(
                N_(
                    "Coverage is measured among complainants of the agency's complaints; only "
                    "counts of complainants leave the records, never who they are."
                )
            ),
        ],
        caveats=[
            text(
                N_(
                    "Sustained rates depend on what is complained of (some kinds of allegation "
                    "are sustained far more often than others) and on the evidence available, "
                    "which may differ between groups of complainants; a difference is a reason "
                    "to look further, not proof of unequal treatment."
                )
            ),
            text(
                N_(
                    "Only complaints that were made are counted: people who do not complain, "
                    "or whose complaints are not recorded, are not in these figures."
                )
            ),
        ],
        diagnostics={
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "complaints_of_agency": complaints,
        },
    )


def _agencies(dataset: Dataset) -> list[str]:
    if dataset.selection.agency:
        return [dataset.selection.agency]
    return list(dataset.agencies)


def _period(dataset: Dataset) -> tuple[date | None, date | None]:
    """The stops' period; the selection's dates where there are no stops."""
    return (
        dataset.first_date or dataset.selection.start,
        dataset.last_date or dataset.selection.end,
    )


def _literals(values: Any) -> str:
    quoted = ["'" + str(v).replace("'", "''") + "'" for v in values]
    return ", ".join(quoted) if quoted else "NULL"


def _count(con: duckdb.DuckDBPyConnection, relation: str, condition: str = "TRUE") -> int:
    row = con.execute(f"SELECT count(*) FROM {relation} WHERE {condition}").fetchone()
    return int(row[0]) if row else 0


def _date_filters(column: str, start: date | None, end: date | None) -> list[Filter]:
    if start is None and end is None:
        return []
    parts = []
    if start:
        parts.append(f"{column} >= DATE '{start.isoformat()}'")
    if end:
        parts.append(f"{column} <= DATE '{end.isoformat()}'")
    return [
        Filter(
            " AND ".join(parts),
            text(
                N_("Kept records dated from %(start)s to %(end)s"),
                start=start.isoformat() if start else "-",
                end=end.isoformat() if end else "-",
            ),
            text(N_("The period of the selected stops, so that the figures cover the same time.")),
        )
    ]


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


def _share_rows(counts: dict[str, list[int]], unit: str) -> list[dict[str, Any]]:
    reference = counts.get(REFERENCE)
    rows = []
    for race in sorted(counts, key=race_sort_key):
        n, sustained = counts[race]
        row: dict[str, Any] = {"race": race, unit: n, "sustained": sustained}
        put(row, "sustained_rate", wilson(sustained, n))
        if reference is not None and race != REFERENCE:
            put(row, "difference", share_difference(sustained, n, reference[1], reference[0]))
        else:
            put(row, "difference", (None,) * 3)
        rows.append(round_figures(row))
    return rows


def _suppress_shares(rows: list[dict[str, Any]], unit: str, min_count: int) -> int:
    blanked = suppress(rows, unit, SUSTAINED_FIGURES, min_count)
    if any(r["race"] == REFERENCE and r[unit] is None for r in rows):
        for row in rows:
            blanked += withhold(row, with_interval("difference"))
    return blanked


def _share_columns(unit: str) -> list[Column]:
    label = (
        text(N_("Complaints decided")) if unit == "complaints" else text(N_("Allegations decided"))
    )
    return [
        Column("race", text(N_("Complainant's race")), "text"),
        Column(unit, label, "count"),
        Column("sustained", text(N_("Sustained")), "count"),
        Column("sustained_rate", text(N_("Share sustained")), "share"),
        Column("sustained_rate_low", text(N_("Share sustained, 95%% interval low")), "share"),
        Column("sustained_rate_high", text(N_("Share sustained, 95%% interval high")), "share"),
        Column("difference", text(N_("Difference from white complainants")), "share"),
        Column("difference_low", text(N_("Difference, 95%% interval low")), "share"),
        Column("difference_high", text(N_("Difference, 95%% interval high")), "share"),
    ]


def _overall(con: duckdb.DuckDBPyConnection, where: str, merits: str) -> dict[str, Any]:
    """Sustained shares over all complainants' complaints analysed, each complaint once."""
    row = con.execute(
        f"""WITH complaints AS (
                SELECT DISTINCT agency, complaint_id, sustained > 0 AS sustained
                FROM {COMPLAINANTS} WHERE {where})
            SELECT (SELECT count(*) FROM complaints),
                   (SELECT count(*) FILTER (WHERE sustained) FROM complaints),
                   count(*), count(*) FILTER (WHERE a.final_finding = 'sustained')
            FROM complaints c JOIN allegation a
              ON a.agency = c.agency AND a.parent_id = c.complaint_id
            WHERE a.final_finding IN ({merits})"""
    ).fetchone() or (0, 0, 0, 0)
    complaints, sustained, allegations, sustained_allegations = (int(v) for v in row)
    result: dict[str, Any] = {
        "complaints": complaints,
        "sustained": sustained,
        "allegations": allegations,
        "sustained_allegations": sustained_allegations,
    }
    put(result, "sustained_rate", wilson(sustained, complaints))
    put(result, "allegation_sustained_rate", wilson(sustained_allegations, allegations))
    return round_figures(result)


def _sustained_summary(rows: list[dict[str, Any]]) -> list[Text]:
    sentences = []
    for row in rows:
        if row["sustained_rate"] is None:
            continue
        params: dict[str, Any] = {
            "group": group_name(row["race"]),
            "race": row["race"],
            "complaints": row["complaints"],
            "rate": pct(row["sustained_rate"]),
            "low": pct(row["sustained_rate_low"]),
            "high": pct(row["sustained_rate_high"]),
        }
        if row["difference"] is None:
            sentences.append(
                text(
                    N_(
                        "Of %(complaints)s decided complaints by %(group)s complainants, "
                        "%(rate)s%% had a sustained allegation (95%% interval %(low)s%% to "
                        "%(high)s%%)."
                    ),
                    **params,
                )
            )
            continue
        excludes_zero = row["difference_low"] > 0 or row["difference_high"] < 0
        params |= {
            "diff": pct(row["difference"]),
            "diff_low": pct(row["difference_low"]),
            "diff_high": pct(row["difference_high"]),
        }
        if excludes_zero:
            msgid = N_(
                "Of %(complaints)s decided complaints by %(group)s complainants, %(rate)s%% had "
                "a sustained allegation (95%% interval %(low)s%% to %(high)s%%): %(diff)s "
                "percentage points from white complainants (%(diff_low)s to %(diff_high)s), "
                "more than chance alone is likely to produce."
            )
        else:
            msgid = N_(
                "Of %(complaints)s decided complaints by %(group)s complainants, %(rate)s%% had "
                "a sustained allegation (95%% interval %(low)s%% to %(high)s%%): %(diff)s "
                "percentage points from white complainants (%(diff_low)s to %(diff_high)s), "
                "within what chance could produce."
            )
        sentences.append(text(msgid, **params))
    return sentences
