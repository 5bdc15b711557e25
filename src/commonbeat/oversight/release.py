"""Oversight's contribution to every release: complaint and finding statistics, small cells withheld.

Two kinds of case are counted side by side, never copied into one another:
- `workflow`: the cases handled in Commonbeat (oversight's tables; duplicates left out);
- `historic`: the complaints and allegations imported into the record store (the demo's year,
  Chicago's, the CCRB's), read where they are.
Findings share one vocabulary (records/vocab.py FINDING) and categories are mapped onto ours
(`vocab.category_for`), so the two are comparable. Every count under the release's
`min_count` is withheld (empty, `suppressed` true), and so is every rate or median resting on
fewer cases. Only aggregates leave: no complainant, officer or narrative is read into a table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
from django.utils import timezone

from commonbeat.core.models import Agency
from commonbeat.core.registry import Registry
from commonbeat.oversight import vocab
from commonbeat.oversight.cases.models import Allegation, Complaint, StageChange
from commonbeat.records.contributions import Contributor, ReleaseContext
from commonbeat.records.privacy import PublicField


@dataclass(frozen=True)
class TableSource:
    """A table another area adds to oversight's contribution (the force area's review outcomes):
    its rows come from `rows()`, and the columns named in `counts` are withheld when small."""

    name: str
    description: str
    fields: list[tuple[str, str, str]]  # (name, type, description)
    key: list[str]
    rows: Callable[[], Iterable[dict[str, Any]]]
    counts: tuple[str, ...]


# Filled from OversightConfig.ready(), so that this module never names the areas above cases.
TABLE_SOURCES: Registry[TableSource] = Registry("oversight release tables", key=lambda t: t.name)


def _day(moment: datetime | None) -> Any:
    return timezone.localtime(moment).date() if moment else None


def _workflow_allegations() -> pa.Table:
    rows = Allegation.objects.filter(
        complaint__kind=Complaint.Kind.COMPLAINT, complaint__duplicate_of__isnull=True
    ).values_list(
        "complaint__agency__slug",
        "complaint_id",
        "category",
        "complaint__received_at",
        "complaint__closed_at",
        "investigator_finding",
        "board_finding",
        "final_finding",
    )
    columns: dict[str, list[Any]] = {name: [] for name in _ALLEGATION_COLUMNS}
    for agency, case, category, received, closed, investigator, board, final in rows.iterator():
        for name, value in zip(
            _ALLEGATION_COLUMNS,
            (agency, f"w{case}", category, _day(received), _day(closed),
             investigator or None, board or None, final or None),
            strict=True,
        ):  # fmt: skip
            columns[name].append(value)
    return pa.table(columns, schema=_ALLEGATION_SCHEMA)


_ALLEGATION_COLUMNS = (
    "agency",
    "complaint",
    "category",
    "received",
    "closed",
    "recommended",
    "board",
    "final",
)
_ALLEGATION_SCHEMA = pa.schema(
    [
        ("agency", pa.string()),
        ("complaint", pa.string()),
        ("category", pa.string()),
        ("received", pa.date32()),
        ("closed", pa.date32()),
        ("recommended", pa.string()),
        ("board", pa.string()),
        ("final", pa.string()),
    ]
)


def _workflow_complaints() -> pa.Table:
    rows = Complaint.objects.filter(
        kind=Complaint.Kind.COMPLAINT, duplicate_of__isnull=True
    ).values_list("agency__slug", "pk", "category", "received_at", "closed_at")
    agency, key, category, received, closed = [], [], [], [], []
    for a, pk, c, r, z in rows.iterator():
        agency.append(a)
        key.append(f"w{pk}")
        category.append(c or "other")
        received.append(_day(r))
        closed.append(_day(z))
    return pa.table(
        {"agency": agency, "complaint": key, "category": category, "received": received,
         "closed": closed},
        schema=pa.schema([("agency", pa.string()), ("complaint", pa.string()),
                          ("category", pa.string()), ("received", pa.date32()),
                          ("closed", pa.date32())]),
    )  # fmt: skip


def _stage_durations() -> pa.Table:
    """Days each workflow case spent in each stage it has left (from its stage changes)."""
    agency, stage, days = [], [], []
    changes = (
        StageChange.objects.filter(complaint__kind=Complaint.Kind.COMPLAINT)
        .order_by("complaint_id", "at", "id")
        .values_list("complaint_id", "complaint__agency__slug", "from_stage", "to_stage", "at")
    )
    previous: dict[int, datetime] = {}
    for case, slug, before, after, at in changes.iterator():
        started = previous.get(case)
        if started is not None and before != after:
            agency.append(slug)
            stage.append(before)
            days.append((at - started).total_seconds() / 86400)
        if before != after or case not in previous:
            previous[case] = at
    return pa.table({"agency": agency, "stage": stage, "days": days})


def _historic(context: ReleaseContext) -> tuple[str, str] | None:
    """SQL for the record store's allegations and complaints in the workflow's columns."""
    con, store = context.con, context.store
    if not store.count("allegation") and not store.count("complaint"):
        return None
    raw = [r[0] for r in con.execute("SELECT DISTINCT category FROM allegation").fetchall()]
    raw += [r[0] for r in con.execute("SELECT DISTINCT category FROM complaint").fetchall()]
    mapping = pa.table(
        {"raw": [r for r in raw if r is not None], "ours": [vocab.category_for(r) for r in raw if r is not None]}
    )  # fmt: skip
    con.register("ov_category_map", mapping)
    allegations = """
        SELECT a.agency, 'h' || a.agency || ':' || a.parent_id AS complaint,
               coalesce(m.ours, 'other') AS category,
               c.received_date AS received,
               coalesce(c.closed_date, CASE WHEN c.days_to_close IS NOT NULL
                   THEN c.received_date + CAST(c.days_to_close AS INTEGER) END) AS closed,
               a.recommended_finding AS recommended, CAST(NULL AS VARCHAR) AS board,
               CASE WHEN a.final_finding IN ('pending', '') THEN NULL ELSE a.final_finding END AS final
        FROM allegation a
        LEFT JOIN (SELECT DISTINCT ON (agency, record_id) * FROM complaint) c
          ON c.agency = a.agency AND c.record_id = a.parent_id
        LEFT JOIN ov_category_map m ON m.raw = a.category
    """
    complaints = """
        SELECT c.agency, 'h' || c.agency || ':' || c.record_id AS complaint,
               coalesce(m.ours, 'other') AS category, c.received_date AS received,
               coalesce(c.closed_date, CASE WHEN c.days_to_close IS NOT NULL
                   THEN c.received_date + CAST(c.days_to_close AS INTEGER) END) AS closed
        FROM complaint c LEFT JOIN ov_category_map m ON m.raw = c.category
    """
    return allegations, complaints


def _agencies() -> list[str]:
    """The agencies whose workflow the release reads: every table here carries their licence."""
    return list(Agency.objects.order_by("slug").values_list("slug", flat=True))


def public_field(name: str, kind: str, description: str) -> PublicField:
    """A column of an oversight table, as the release's manifest describes it."""
    return PublicField(name, kind, description, "")


def _hide(expression: str, count: str, min_count: int) -> str:
    return f"CASE WHEN {count} >= {int(min_count)} THEN {expression} END"


def contribute(context: ReleaseContext) -> dict[str, Any]:
    """Write oversight's tables; return the manifest's `oversight` section (their names)."""
    con, n = context.con, int(context.min_count)
    con.register("ov_w_allegations", _workflow_allegations())
    con.register("ov_w_complaints", _workflow_complaints())
    con.register("ov_stage_days", _stage_durations())
    historic = _historic(context)
    alleg = "SELECT 'workflow' AS origin, * FROM ov_w_allegations"
    compl = "SELECT 'workflow' AS origin, * FROM ov_w_complaints"
    if historic is not None:
        alleg += f" UNION ALL SELECT 'historic' AS origin, * FROM ({historic[0]})"  # noqa: S608  our own SQL, no outside value
        compl += f" UNION ALL SELECT 'historic' AS origin, * FROM ({historic[1]})"  # noqa: S608  our own SQL, no outside value
    con.execute(f"CREATE OR REPLACE TEMP VIEW ov_allegations AS {alleg}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW ov_complaints AS {compl}")
    written = [
        _received(context, n),
        _findings(context, n),
        _sustained(context, n),
        _days_to_close(context, n),
        _days_in_stage(context, n),
        _concurrence(context, n),
    ]
    for source in TABLE_SOURCES.values():
        written.append(_from_source(context, source, n))
    return {"tables": sorted(written)}


SUPPRESSED = (
    "Whether a figure was withheld because it rests on fewer than the release's minimum count."
)
ORIGIN = "workflow (cases handled in Commonbeat) or historic (complaints imported as records)."
TYPES = ("complaint", "allegation")


def _received(context: ReleaseContext, n: int) -> str:
    name = "oversight_complaints_received"
    query = f"""
        SELECT agency, origin, strftime(received, '%Y-%m') AS month, category,
               {_hide("count(*)", "count(*)", n)} AS complaints, count(*) < {n} AS suppressed
        FROM ov_complaints WHERE received IS NOT NULL
        GROUP BY ALL ORDER BY agency, origin, month, category
    """  # noqa: S608  no value comes from outside: n is an integer
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("origin", "string", ORIGIN),
        public_field("month", "string", "Month received (YYYY-MM)."),
        public_field("category", "string", "Complaint category (oversight's vocabulary)."),
        public_field("complaints", "integer", "Complaints received; empty when suppressed."),
        public_field("suppressed", "boolean", SUPPRESSED),
    ]
    context.write_table(
        name, query, fields, ["agency", "origin", "month", "category"],
        "Complaints received by month and category, workflow and historic, small cells withheld.",
        kind="aggregate", record_types=TYPES, agencies=_agencies(),
    )  # fmt: skip
    return name


def _findings(context: ReleaseContext, n: int) -> str:
    name = "oversight_findings"
    query = f"""
        SELECT agency, origin,
               coalesce(CAST(year(coalesce(closed, received)) AS VARCHAR), 'unknown') AS year,
               category, final AS finding,
               {_hide("count(*)", "count(*)", n)} AS allegations, count(*) < {n} AS suppressed
        FROM ov_allegations WHERE final IS NOT NULL
        GROUP BY ALL ORDER BY agency, origin, year, category, finding
    """  # noqa: S608
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("origin", "string", ORIGIN),
        public_field("year", "string", "Year the case closed (received, where no closing date)."),
        public_field("category", "string", "Allegation category (oversight's vocabulary)."),
        public_field("finding", "string", "Final finding (records/vocab.py FINDING)."),
        public_field(
            "allegations", "integer", "Allegations with this final finding; empty when suppressed."
        ),
        public_field("suppressed", "boolean", SUPPRESSED),
    ]
    context.write_table(
        name, query, fields, ["agency", "origin", "year", "category", "finding"],
        "Allegations by final finding, year and category, small cells withheld.",
        kind="aggregate", record_types=TYPES, agencies=_agencies(),
    )  # fmt: skip
    return name


def _sustained(context: ReleaseContext, n: int) -> str:
    """Sustained share of decided allegations, with a Wilson 95% interval, by year and category
    (and 'all' for each), withheld under the minimum count of decided allegations."""
    name = "oversight_sustained_rates"
    z = 1.959964
    decided = "count(*)"
    sustained = "count(*) FILTER (WHERE final = 'sustained')"
    p = f"({sustained})::DOUBLE / {decided}"
    centre = f"({p} + {z * z}/(2*{decided})) / (1 + {z * z}/{decided})"
    half = f"({z} * sqrt({p}*(1-{p})/{decided} + {z * z}/(4*{decided}*{decided}))) / (1 + {z * z}/{decided})"
    # grouping() tells a total ('all') from a case with no date ('unknown').
    query = f"""
        SELECT agency, origin,
               CASE WHEN grouping(yr) = 1 THEN 'all' ELSE coalesce(yr, 'unknown') END AS year,
               CASE WHEN grouping(category) = 1 THEN 'all' ELSE category END AS category,
               {_hide(decided, decided, n)} AS decided,
               {_hide(sustained, decided, n)} AS sustained,
               {_hide(f"round({p}, 4)", decided, n)} AS rate,
               {_hide(f"round({centre} - {half}, 4)", decided, n)} AS rate_low,
               {_hide(f"round({centre} + {half}, 4)", decided, n)} AS rate_high,
               {decided} < {n} AS suppressed
        FROM (SELECT *, CAST(year(coalesce(closed, received)) AS VARCHAR) AS yr
              FROM ov_allegations WHERE final IS NOT NULL)
        GROUP BY GROUPING SETS ((agency, origin, yr, category), (agency, origin, yr),
                                (agency, origin, category), (agency, origin))
        ORDER BY agency, origin, year, category
    """  # noqa: S608
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("origin", "string", ORIGIN),
        public_field("year", "string", "Year the case closed, or 'all'."),
        public_field("category", "string", "Allegation category, or 'all'."),
        public_field("decided", "integer", "Allegations with a final finding."),
        public_field("sustained", "integer", "Of those, sustained."),
        public_field("rate", "number", "Sustained ÷ decided."),
        public_field("rate_low", "number", "Lower end of the Wilson 95% interval of the rate."),
        public_field("rate_high", "number", "Upper end of the Wilson 95% interval of the rate."),
        public_field("suppressed", "boolean", SUPPRESSED),
    ]
    context.write_table(
        name, query, fields, ["agency", "origin", "year", "category"],
        "Sustained rates of decided allegations with Wilson 95% intervals, by year and category.",
        kind="aggregate", record_types=TYPES, agencies=_agencies(),
    )  # fmt: skip
    return name


def _days_to_close(context: ReleaseContext, n: int) -> str:
    name = "oversight_days_to_close"
    days = "date_diff('day', received, closed)"
    query = f"""
        SELECT agency, origin,
               CASE WHEN grouping(category) = 1 THEN 'all' ELSE category END AS category,
               {_hide("count(*)", "count(*)", n)} AS closed_cases,
               {_hide(f"quantile_cont({days}, 0.25)", "count(*)", n)} AS days_p25,
               {_hide(f"median({days})", "count(*)", n)} AS days_median,
               {_hide(f"quantile_cont({days}, 0.75)", "count(*)", n)} AS days_p75,
               count(*) < {n} AS suppressed
        FROM ov_complaints WHERE closed IS NOT NULL AND received IS NOT NULL AND closed >= received
        GROUP BY GROUPING SETS ((agency, origin, category), (agency, origin))
        ORDER BY agency, origin, category
    """  # noqa: S608
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("origin", "string", ORIGIN),
        public_field("category", "string", "Complaint category, or 'all'."),
        public_field("closed_cases", "integer", "Complaints closed."),
        public_field("days_p25", "number", "Days from receipt to closing: first quartile."),
        public_field("days_median", "number", "Days from receipt to closing: median."),
        public_field("days_p75", "number", "Days from receipt to closing: third quartile."),
        public_field("suppressed", "boolean", SUPPRESSED),
    ]
    context.write_table(
        name, query, fields, ["agency", "origin", "category"],
        "Days from receipt to closing (quartiles), by category and overall, small groups withheld.",
        kind="aggregate", record_types=TYPES, agencies=_agencies(),
    )  # fmt: skip
    return name


def _days_in_stage(context: ReleaseContext, n: int) -> str:
    name = "oversight_days_in_stage"
    query = f"""
        SELECT agency, stage, {_hide("count(*)", "count(*)", n)} AS cases,
               {_hide("round(quantile_cont(days, 0.25), 1)", "count(*)", n)} AS days_p25,
               {_hide("round(median(days), 1)", "count(*)", n)} AS days_median,
               {_hide("round(quantile_cont(days, 0.75), 1)", "count(*)", n)} AS days_p75,
               count(*) < {n} AS suppressed
        FROM ov_stage_days GROUP BY ALL ORDER BY agency, stage
    """  # noqa: S608
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("stage", "string", "The stage (oversight's case stages)."),
        public_field("cases", "integer", "Workflow complaints that have left the stage."),
        public_field("days_p25", "number", "Days spent in the stage: first quartile."),
        public_field("days_median", "number", "Days spent in the stage: median."),
        public_field("days_p75", "number", "Days spent in the stage: third quartile."),
        public_field("suppressed", "boolean", SUPPRESSED),
    ]
    context.write_table(
        name, query, fields, ["agency", "stage"],
        "Days workflow complaints spent in each stage, small groups withheld.",
        kind="aggregate", agencies=_agencies(),
    )  # fmt: skip
    return name


def _concurrence(context: ReleaseContext, n: int) -> str:
    """How often the final finding followed a recommendation: the board's (workflow) and the
    investigators' (workflow, and historic data recording both, such as Chicago's and the
    CCRB's), by year."""
    name = "oversight_concurrence"
    pairs = """
        SELECT agency, origin, 'board' AS recommended_by, board AS recommended, final,
               coalesce(closed, received) AS day FROM ov_allegations
        WHERE board IS NOT NULL AND final IS NOT NULL
        UNION ALL
        SELECT agency, origin, 'investigator', recommended, final, coalesce(closed, received)
        FROM ov_allegations
        WHERE recommended IS NOT NULL AND final IS NOT NULL AND recommended NOT IN ('pending', '')
    """
    agreed = "count(*) FILTER (WHERE recommended = final)"
    query = f"""
        SELECT agency, origin, recommended_by,
               CASE WHEN grouping(yr) = 1 THEN 'all' ELSE coalesce(yr, 'unknown') END AS year,
               {_hide("count(*)", "count(*)", n)} AS compared,
               {_hide(agreed, "count(*)", n)} AS followed,
               {_hide(f"round(({agreed})::DOUBLE / count(*), 4)", "count(*)", n)} AS share_followed,
               count(*) < {n} AS suppressed
        FROM (SELECT *, CAST(year(day) AS VARCHAR) AS yr FROM ({pairs}))
        GROUP BY GROUPING SETS ((agency, origin, recommended_by, yr),
                                (agency, origin, recommended_by))
        ORDER BY agency, origin, recommended_by, year
    """  # noqa: S608
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("origin", "string", ORIGIN),
        public_field("recommended_by", "string", "board (the civilian board) or investigator."),
        public_field("year", "string", "Year the case closed, or 'all'."),
        public_field(
            "compared", "integer", "Allegations with both a recommendation and a final finding."
        ),
        public_field(
            "followed", "integer", "Of those, where the final finding was the recommended one."
        ),
        public_field("share_followed", "number", "Followed ÷ compared."),
        public_field("suppressed", "boolean", SUPPRESSED),
    ]
    context.write_table(
        name, query, fields, ["agency", "origin", "recommended_by", "year"],
        "How often the final finding followed the board's or the investigators' recommendation.",
        kind="aggregate", record_types=TYPES, agencies=_agencies(),
    )  # fmt: skip
    return name


def _from_source(context: ReleaseContext, source: TableSource, n: int) -> str:
    rows = list(source.rows())
    names = [f[0] for f in source.fields]
    table = pa.table({name: [row.get(name) for row in rows] for name in names})
    context.con.register(f"ov_src_{source.name}", table)
    # Zero is not disclosive; a count from 1 to min_count - 1 is withheld.
    select = ", ".join(
        f'CASE WHEN "{name}" BETWEEN 1 AND {n - 1} THEN NULL ELSE "{name}" END AS "{name}"'
        if name in source.counts
        else f'"{name}"'
        for name in names
    )
    small = " OR ".join(f'coalesce("{c}", 0) BETWEEN 1 AND {n - 1}' for c in source.counts)
    query = (
        f"SELECT {select}, ({small or 'false'}) AS suppressed FROM ov_src_{source.name} ORDER BY 1"  # noqa: S608
    )
    fields = [public_field(*f) for f in source.fields] + [
        public_field("suppressed", "boolean", SUPPRESSED)
    ]
    context.write_table(
        source.name, query, fields, source.key, source.description, kind="aggregate",
        agencies=_agencies(),
    )  # fmt: skip
    return source.name


CONTRIBUTOR = Contributor("oversight", contribute, section="oversight")
