"""Public officer profiles in each release, when the deployment's policy publishes them.

Three tables (OFFICER_PROFILES = "named"; none when "off"):
- `oversight_officer_profiles`: one row per rostered officer, with counts of closed
  allegations by final finding, commendations, force incidents and percentiles;
- `oversight_officer_assignments`: their assignment history (month precision);
- `oversight_officer_cases`: their closed cases, one row per allegation or commendation.

Profiles name people on purpose, so the small-cell rule of aggregate tables does not apply to
them; what keeps them safe is what they leave out (profiles/build.py's docstring).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from commonbeat.oversight.profiles import build
from commonbeat.oversight.release import public_field
from commonbeat.records import vocab
from commonbeat.records.contributions import Contributor, ReleaseContext

PROFILES = "oversight_officer_profiles"
ASSIGNMENTS = "oversight_officer_assignments"
CASES = "oversight_officer_cases"
# Every final finding but "pending" (a pending allegation is not closed, so not published).
FINDINGS = tuple(f for f in vocab.FINDING if f != "pending")
TYPES = ("complaint", "allegation")


def contribute(context: ReleaseContext) -> dict[str, Any]:
    """Write the profile tables; return the manifest's `officer_profiles` section."""
    if settings.OFFICER_PROFILES != "named":
        return {"published": False, "tables": []}
    con = context.con
    as_of = timezone.localdate()
    roster = build.roster()
    con.register("ov_p_officers", roster.officers)
    con.register("ov_p_keys", roster.keys)
    con.register("ov_p_assignments", roster.assignments)
    historic = build.historic_cases(con.execute(build.historic_sql()).fetchall())
    con.register("ov_p_historic", historic)
    con.register("ov_p_workflow", build.workflow_cases(roster.slugs))
    con.register("ov_p_figures", build.figures(roster.by_uid, as_of, context.store))
    # An officer synced from a roster without assignment history (the CCRB's) still has the
    # roster's current rank, unit and badge: the imported roster row supplies them.
    con.execute(f"CREATE OR REPLACE TEMP VIEW ov_p_roster AS {build.ROSTER_SQL}")
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ov_p_cases AS "
        "SELECT * FROM ov_p_workflow UNION ALL SELECT * FROM ov_p_historic"
    )
    agencies = sorted(set(roster.officers.column("agency").to_pylist()))
    _cases(context, agencies)
    _assignments(context, agencies)
    _profiles(context, agencies)
    return {
        "published": True,
        "tables": [PROFILES, ASSIGNMENTS, CASES],
        "as_of": as_of.isoformat(),
        "percentile_years": build.PERCENTILE_YEARS,
    }


def _profiles(context: ReleaseContext, agencies: list[str]) -> None:
    by_finding = ",\n".join(
        f"count(*) FILTER (WHERE kind = 'complaint' AND finding = '{f}') AS {f}" for f in FINDINGS
    )
    query = f"""
        WITH counted AS (
            SELECT officer,
                   count(DISTINCT "case") FILTER (WHERE kind = 'complaint') AS complaints,
                   count(*) FILTER (WHERE kind = 'complaint') AS allegations,
                   {by_finding},
                   count(*) FILTER (WHERE kind = 'commendation') AS commendations
            FROM ov_p_cases GROUP BY officer
        )
        SELECT o.agency, o.officer, o.name, o.first_name, o.last_name,
               coalesce(o.rank, r.rank) AS rank, coalesce(o.unit, r.unit) AS unit,
               coalesce(o.badge, r.badge) AS badge,
               CASE WHEN trim(o.badges) = '' AND r.badge IS NOT NULL THEN ' ' || r.badge || ' '
                    ELSE o.badges END AS badges,
               o.status, o.name_search,
               coalesce(c.complaints, 0) AS complaints, coalesce(c.allegations, 0) AS allegations,
               {", ".join(f"coalesce(c.{f}, 0) AS {f}" for f in FINDINGS)},
               coalesce(c.commendations, 0) AS commendations,
               coalesce(f.force_incidents, 0) AS force_incidents,
               f.years_of_service, f.cohort_size, f.complaints_percentile,
               f.sustained_percentile, f.force_percentile
        FROM ov_p_officers o
        LEFT JOIN ov_p_roster r USING (officer)
        LEFT JOIN counted c USING (officer)
        LEFT JOIN ov_p_figures f USING (officer)
        ORDER BY o.agency, o.name_search, o.officer
    """  # noqa: S608  our own SQL: finding codes from the vocabulary, no outside value
    fields = [
        public_field("agency", "string", "The agency."),
        public_field("officer", "string", "The profile's address (a keyed digest, not a roster id)."),
        public_field("name", "string", "The officer's name as on the roster."),
        public_field("first_name", "string", "First name."),
        public_field("last_name", "string", "Last name."),
        public_field("rank", "string", "Current or last rank."),
        public_field("unit", "string", "Current or last unit."),
        public_field("badge", "string", "Current or last badge or star number."),
        public_field("badges", "string", "Every badge number held, separated by spaces."),
        public_field("status", "string", "Current status on the roster (active, separated, ...)."),
        public_field("name_search", "string", "The name without accents, lower case (for search)."),
        public_field("complaints", "integer", "Closed complaints with an allegation against them."),
        public_field("allegations", "integer", "Allegations against them in closed complaints."),
        *(
            public_field(f, "integer", f"Allegations whose final finding is {f}.")
            for f in FINDINGS
        ),
        public_field("commendations", "integer", "Closed commendations naming them."),
        public_field("force_incidents", "integer", "Use-of-force incidents they were involved in."),
        public_field("years_of_service", "integer", "Completed years of service on the release date."),
        public_field("cohort_size", "integer", "Serving officers with the same years of service."),
        public_field(
            "complaints_percentile", "number",
            f"Percentile of complaints received in the last {build.PERCENTILE_YEARS} years, "
            "among officers with the same years of service.",
        ),
        public_field(
            "sustained_percentile", "number",
            f"Percentile of sustained allegations in the last {build.PERCENTILE_YEARS} years.",
        ),
        public_field(
            "force_percentile", "number",
            f"Percentile of force incidents in the last {build.PERCENTILE_YEARS} years.",
        ),
    ]  # fmt: skip
    context.write_table(
        PROFILES, query, fields, ["officer"],
        "Public officer profiles: closed cases by final finding, commendations, force "
        "incidents and percentiles (published under the OFFICER_PROFILES policy).",
        kind="profiles", record_types=TYPES, agencies=agencies,
    )  # fmt: skip


def _per_officer(
    context: ReleaseContext,
    name: str,
    source: str,
    order: str,
    fields: list[tuple[str, str, str]],
    description: str,
    record_types: tuple[str, ...] = (),
    agencies: list[str] | None = None,
) -> None:
    """Write rows listed per officer, numbered `n` in `order` within each (the key)."""
    query = (
        f"SELECT *, row_number() OVER (PARTITION BY officer ORDER BY {order}) AS n "  # noqa: S608  our own SQL
        f"FROM {source} ORDER BY officer, n"
    )
    described = [
        public_field("officer", "string", "The profile (oversight_officer_profiles.officer)."),
        *(public_field(*f) for f in fields),
        public_field("n", "integer", "The row's place in the officer's list, the latest first."),
    ]
    context.write_table(
        name, query, described, ["officer", "n"], description,
        kind="profiles", record_types=record_types, agencies=agencies or [],
    )  # fmt: skip


def _assignments(context: ReleaseContext, agencies: list[str]) -> None:
    _per_officer(
        context, ASSIGNMENTS, "ov_p_assignments",
        'start DESC NULLS LAST, "end" DESC NULLS FIRST, rank, unit, badge',
        [
            ("rank", "string", "Rank."),
            ("unit", "string", "Unit."),
            ("badge", "string", "Badge or star number."),
            ("start", "string", "Month the assignment began (YYYY-MM)."),
            ("end", "string", "Month it ended (YYYY-MM); empty while it lasts."),
        ],
        "Assignment history of the officers profiled.",
        agencies=agencies,
    )  # fmt: skip


def _cases(context: ReleaseContext, agencies: list[str]) -> None:
    _per_officer(
        context, CASES, "ov_p_cases",
        'closed DESC NULLS LAST, received DESC NULLS LAST, "case", category, finding',
        [
            ("origin", "string", "workflow (handled in Commonbeat) or historic (imported)."),
            ("kind", "string", "complaint (one row per allegation) or commendation."),
            ("case", "string", "The case, as a keyed digest (neither tracking code nor id)."),
            ("received", "string", "Month received (YYYY-MM)."),
            ("closed", "string", "Month closed (YYYY-MM), where known."),
            ("category", "string", "Allegation category as recorded."),
            ("allegation", "string", "The allegation as the historic source recorded it."),
            ("finding", "string", "Final finding (records/vocab.py FINDING)."),
            ("discipline", "string", "Final discipline, as recorded."),
        ],
        "Closed cases of the officers profiled: allegations with their final findings, and "
        "commendations; open cases are not published.",
        record_types=TYPES, agencies=agencies,
    )  # fmt: skip


CONTRIBUTOR = Contributor("officer_profiles", contribute, section="officer_profiles")
