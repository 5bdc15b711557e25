"""Complaint sustained rates by the complainant's race.

`sustained_rates`: the share of complaints with at least one sustained allegation, by the
complainant's race (and the same for allegations). It reads the agency's complaint records over
the stops' period (agency_records.py), as `force.py` reads its force records. Complainants are
private people: only counts by race leave this module, and cells under `min_count` are
suppressed.
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
from commonbeat.insights.stops import Dataset
from commonbeat.records.sql import quote_literals

COMPLAINANTS = "equity_complainants"  # temp view: complainants with their complaint's findings
# Findings that decide an allegation on its merits; pending, no finding and closures without
# a finding decide nothing.
MERITS = ("sustained", "not_sustained", "unfounded", "exonerated")

SUSTAINED_TITLE = N_("Complaints with a sustained finding, by complainant's race")
SUSTAINED_METHOD = N_(
    "A complaint counts as sustained when at least one of its allegations has a final finding "
    "of sustained. Among complaints decided on their merits (at least one allegation sustained, "
    "not sustained, unfounded or exonerated), the sustained rate is the share sustained, by the "
    "race of the person who complained, compared with white complainants. The same share is "
    "also given for allegations."
)

SUSTAINED_FIGURES = ("sustained", *with_interval("sustained_rate"), *with_interval("difference"))


def sustained_rates(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, *, min_count: int = MIN_COUNT
) -> Result:
    """Share of complaints (and allegations) sustained, by complainant race, with Wilson intervals."""
    context = Context(
        "sustained",
        text(SUSTAINED_TITLE),
        text(SUSTAINED_METHOD),
        con,
        dataset,
        min_count=min_count,
    )
    agencies = agency_list(dataset)
    start, end = period(dataset)
    merits = quote_literals(MERITS)
    complaints = count(con, "complaint", f"agency IN ({agencies})")
    if complaints == 0:
        return context.not_applicable(
            text(
                N_(
                    "This agency has no complaint records in the record store, so sustained "
                    "rates cannot be computed."
                )
            ),
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
            WHERE p.agency IN ({agencies})"""  # noqa: S608  fixed view and table names; quoted literals
    )
    if count(con, COMPLAINANTS) == 0:
        return context.not_applicable(
            text(
                N_(
                    "This agency's complaint records do not describe the complainants, so "
                    "sustained rates cannot be given by the complainant's race."
                )
            ),
        )

    log = DecisionLog()
    filters = [
        Filter(
            "has_complaint",
            text(N_("Removed complainants whose complaint is not in the records")),
            text(N_("The complaint gives the date and the findings.")),
        )
    ]
    filters += date_filters("received_date", start, end)
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
        return context.not_applicable(
            text(
                N_(
                    "No complaint in the period, by a complainant of recorded race, has an "
                    "allegation decided on its merits."
                )
            ),
            decisions=log.decisions,
        )
    pairs = con.execute(
        f"""SELECT complainant_race, complaint_id, any_value(sustained) > 0,
                   any_value(agency)
            FROM {COMPLAINANTS} WHERE {where} GROUP BY complainant_race, agency, complaint_id"""  # noqa: S608  fixed view; logged filter conditions
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
                GROUP BY 1"""  # noqa: S608  fixed view; logged filter conditions, quoted literals
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
    return context.result(
        summary=_sustained_summary(complaint_rows),
        estimates={
            "reference": REFERENCE,
            "complaints": len({(a, c) for _, c, _, a in pairs}),
            "overall": overall,
            "by_race": by_race(complaint_rows),
            "allegations_by_race": by_race(allegation_rows),
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
        diagnostics={**period_diagnostics(start, end), "complaints_of_agency": complaints},
    )


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
            WHERE a.final_finding IN ({merits})"""  # noqa: S608  fixed view; logged filter conditions, quoted literals
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
