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
from commonbeat.records import vocab
from commonbeat.records.contributions import Contributor, ReleaseContext
from commonbeat.records.privacy import PublicField

PROFILES = "oversight_officer_profiles"
ASSIGNMENTS = "oversight_officer_assignments"
CASES = "oversight_officer_cases"
# Every final finding but "pending" (a pending allegation is not closed, so not published).
FINDINGS = tuple(f for f in vocab.FINDING if f != "pending")
TYPES = ("complaint", "allegation")


def _field(name: str, kind: str, description: str) -> PublicField:
    return PublicField(name, kind, description, "")


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
        _field("agency", "string", "The agency."),
        _field("officer", "string", "The profile's address (a keyed digest, not a roster id)."),
        _field("name", "string", "The officer's name as on the roster."),
        _field("first_name", "string", "First name."),
        _field("last_name", "string", "Last name."),
        _field("rank", "string", "Current or last rank."),
        _field("unit", "string", "Current or last unit."),
        _field("badge", "string", "Current or last badge or star number."),
        _field("badges", "string", "Every badge number held, separated by spaces."),
        _field("status", "string", "Current status on the roster (active, separated, ...)."),
        _field("name_search", "string", "The name without accents, lower case (for search)."),
        _field("complaints", "integer", "Closed complaints with an allegation against them."),
        _field("allegations", "integer", "Allegations against them in closed complaints."),
        *(
            _field(f, "integer", f"Allegations whose final finding is {f}.")
            for f in FINDINGS
        ),
        _field("commendations", "integer", "Closed commendations naming them."),
        _field("force_incidents", "integer", "Use-of-force incidents they were involved in."),
        _field("years_of_service", "integer", "Completed years of service on the release date."),
        _field("cohort_size", "integer", "Serving officers with the same years of service."),
        _field(
            "complaints_percentile", "number",
            f"Percentile of complaints received in the last {build.PERCENTILE_YEARS} years, "
            "among officers with the same years of service.",
        ),
        _field(
            "sustained_percentile", "number",
            f"Percentile of sustained allegations in the last {build.PERCENTILE_YEARS} years.",
        ),
        _field(
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


def _assignments(context: ReleaseContext, agencies: list[str]) -> None:
    order = 'start DESC NULLS LAST, "end" DESC NULLS FIRST, rank, unit, badge'
    query = (
        f"SELECT *, row_number() OVER (PARTITION BY officer ORDER BY {order}) AS n "  # noqa: S608  our own SQL
        f"FROM ov_p_assignments ORDER BY officer, n"
    )
    fields = [
        _field("officer", "string", "The profile (oversight_officer_profiles.officer)."),
        _field("rank", "string", "Rank."),
        _field("unit", "string", "Unit."),
        _field("badge", "string", "Badge or star number."),
        _field("start", "string", "Month the assignment began (YYYY-MM)."),
        _field("end", "string", "Month it ended (YYYY-MM); empty while it lasts."),
        _field("n", "integer", "The assignment's place in the history, the latest first."),
    ]
    context.write_table(
        ASSIGNMENTS, query, fields, ["officer", "n"],
        "Assignment history of the officers profiled.",
        kind="profiles", agencies=agencies,
    )  # fmt: skip


def _cases(context: ReleaseContext, agencies: list[str]) -> None:
    order = 'closed DESC NULLS LAST, received DESC NULLS LAST, "case", category, finding'
    query = (
        f"SELECT *, row_number() OVER (PARTITION BY officer ORDER BY {order}) AS n "  # noqa: S608  our own SQL
        f"FROM ov_p_cases ORDER BY officer, n"
    )
    fields = [
        _field("officer", "string", "The profile (oversight_officer_profiles.officer)."),
        _field("origin", "string", "workflow (handled in Commonbeat) or historic (imported)."),
        _field("kind", "string", "complaint (one row per allegation) or commendation."),
        _field("case", "string", "The case, as a keyed digest (neither tracking code nor id)."),
        _field("received", "string", "Month received (YYYY-MM)."),
        _field("closed", "string", "Month closed (YYYY-MM), where known."),
        _field("category", "string", "Allegation category as recorded."),
        _field("allegation", "string", "The allegation as the historic source recorded it."),
        _field("finding", "string", "Final finding (records/vocab.py FINDING)."),
        _field("discipline", "string", "Final discipline, as recorded."),
        _field("n", "integer", "The row's place in the officer's cases, the latest closed first."),
    ]
    context.write_table(
        CASES, query, fields, ["officer", "n"],
        "Closed cases of the officers profiled: allegations with their final findings, and "
        "commendations; open cases are not published.",
        kind="profiles", record_types=TYPES, agencies=agencies,
    )  # fmt: skip


CONTRIBUTOR = Contributor("officer_profiles", contribute, section="officer_profiles")
