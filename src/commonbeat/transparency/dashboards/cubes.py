"""Derived tables the dashboards read: small cubes computed once per release (release.py).

A dashboard request must answer in milliseconds against a release of millions of rows, so it
never scans a release table: every figure sums rows of one of these cubes. Each cube is
grouped by agency, neighbourhood and month (the filters) plus the dimensions its figures need,
and carries counts of missing values so the data-quality notes need no other scan.

Response times cannot be summed as medians, so the call cube stores a histogram: the number of
calls per stage in log-spaced bins of seconds, BINS_PER_DECADE to a factor of ten (each bin
spans 10^(1/40) = 5.9%, so a quantile read at a bin's geometric middle is within 3% of the
exact value). Bin -1 holds durations under one second, -2 negative durations (timestamps out
of order) and NULL a missing timestamp; quantiles use bins >= -1 only.
"""

from __future__ import annotations

from commonbeat.releases.cache import Release, derived, month_sql

BINS_PER_DECADE = 40
UNDER_ONE_SECOND = -1
OUT_OF_ORDER = -2
# Targets for "first unit on scene within N minutes", counted exactly (not from the histogram).
TARGET_MINUTES = (5, 10, 15, 20)
STAGES = (
    ("intake", "received_at", "queued_at"),
    ("queue", "queued_at", "dispatched_at"),
    ("turnout", "dispatched_at", "en_route_at"),
    ("travel", "en_route_at", "on_scene_at"),
    ("total", "received_at", "on_scene_at"),
)

# Releases carry ages only in data.police.uk's bands (records/privacy.py); sources that only
# give their own range (Seattle's "26 - 35") keep it, since it cannot be split.
AGE_GROUP_SQL = "coalesce(subject_age_range, 'not_recorded')"

CUBE_ORDER = "agency, month, neighbourhood"

derived(
    "dash_stop",
    ("stop",),
    f"""
    SELECT agency, neighbourhood, occurred_month AS month,
        coalesce(subject_race, 'not_recorded') AS race,
        coalesce(subject_gender, 'not_recorded') AS sex,
        {AGE_GROUP_SQL} AS age_group,
        count(*) AS stops,
        count(*) FILTER (WHERE search_conducted) AS searches,
        count(*) FILTER (WHERE frisk_performed) AS frisks,
        count(*) FILTER (WHERE outcome = 'arrest') AS arrests,
        count(*) FILTER (WHERE search_conducted AND contraband_found) AS hits,
        count(*) FILTER (WHERE search_conducted IS NULL) AS search_missing,
        count(*) FILTER (WHERE frisk_performed IS NULL) AS frisk_missing,
        count(*) FILTER (WHERE outcome IS NULL) AS outcome_missing,
        count(*) FILTER (WHERE search_conducted AND contraband_found IS NULL)
            AS contraband_missing
    FROM stop GROUP BY ALL
    """,  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
    CUBE_ORDER,
)

# Resident population by race per neighbourhood, where a source publishes it (the benchmark).
derived(
    "dash_residents",
    ("external_series",),
    """
    SELECT agency, area AS neighbourhood, replace("group", 'race: ', '') AS race,
        sum(value) AS residents, min(period_start) AS period_start,
        max(period_end) AS period_end, any_value(series) AS series
    FROM external_series
    WHERE measure = 'residents' AND level = 'neighbourhood' AND "group" LIKE 'race: %'
    GROUP BY ALL
    """,
    "agency, neighbourhood",
)


def _call_volume_sql(release: Release) -> str:
    return f"""
    SELECT agency, neighbourhood, {month_sql(release, "call")} AS month, discipline,
        priority, call_type, count(*) AS calls,
        count(*) FILTER (WHERE call_type IS NULL) AS type_missing,
        count(*) FILTER (WHERE priority IS NULL) AS priority_missing,
        count(*) FILTER (WHERE discipline IS NULL) AS discipline_missing
    FROM call GROUP BY ALL
    """  # noqa: S608  cube and column names fixed in code; filter values are ? parameters


def _call_response_sql(release: Release) -> str:
    stages = " UNION ALL ".join(
        f"SELECT agency, neighbourhood, month, discipline, priority, '{name}' AS stage, "  # noqa: S608  cube and column names fixed in code; filter values are ? parameters
        f"epoch({end}) - epoch({start}) AS seconds FROM calls"
        for name, start, end in STAGES
    )
    return f"""
    WITH calls AS (
        SELECT *, {month_sql(release, "call")} AS month FROM call
    ), stages AS ({stages})
    SELECT agency, neighbourhood, month, discipline, priority, stage,
        CASE WHEN seconds IS NULL THEN NULL
            WHEN seconds < 0 THEN {OUT_OF_ORDER}
            WHEN seconds < 1 THEN {UNDER_ONE_SECOND}
            ELSE floor({BINS_PER_DECADE} * log10(seconds))::INTEGER END AS bin,
        count(*) AS calls
    FROM stages GROUP BY ALL
    """  # noqa: S608  cube and column names fixed in code; filter values are ? parameters


def _call_target_sql(release: Release) -> str:
    within = ", ".join(
        f"count(*) FILTER (WHERE seconds BETWEEN 0 AND {minutes * 60}) AS within_{minutes}"
        for minutes in TARGET_MINUTES
    )
    return f"""
    WITH calls AS (
        SELECT agency, neighbourhood, {month_sql(release, "call")} AS month, discipline,
            priority, epoch(on_scene_at) - epoch(received_at) AS seconds
        FROM call
    )
    SELECT agency, neighbourhood, month, discipline, priority,
        count(*) FILTER (WHERE seconds >= 0) AS reached, {within}
    FROM calls GROUP BY ALL
    """  # noqa: S608  cube and column names fixed in code; filter values are ? parameters


derived("dash_call_volume", ("call",), _call_volume_sql, CUBE_ORDER)
derived("dash_call_response", ("call",), _call_response_sql, CUBE_ORDER)
derived("dash_call_target", ("call",), _call_target_sql, CUBE_ORDER)

derived(
    "dash_crime",
    ("crime",),
    """
    SELECT agency, neighbourhood, occurred_month AS month, category, outcome, cleared,
        count(*) AS crimes
    FROM crime GROUP BY ALL
    """,
    CUBE_ORDER,
)

# Releases carry the people of each incident as counts on the incident's row
# (records/release.py), also when they publish the people's rows (PUBLISH_PERSON_ROWS).
derived(
    "dash_force",
    ("force_incident",),
    """
    SELECT agency, neighbourhood, occurred_month AS month,
        count(*) AS incidents,
        count(*) FILTER (WHERE fatal) AS fatal,
        count(*) FILTER (WHERE firearm_discharged) AS firearm,
        coalesce(sum(subjects), 0)::BIGINT AS subjects,
        coalesce(sum(subjects_injured), 0)::BIGINT AS subjects_injured,
        coalesce(sum(subject_injury_missing), 0)::BIGINT AS subject_injury_missing,
        coalesce(sum(officers), 0)::BIGINT AS officers,
        coalesce(sum(officers_injured), 0)::BIGINT AS officers_injured,
        coalesce(sum(officer_injury_missing), 0)::BIGINT AS officer_injury_missing
    FROM force_incident
    GROUP BY ALL
    """,
    CUBE_ORDER,
)

# Officers' actions only (subjects' resistance is not force); an incident counts once per type.
derived(
    "dash_force_type",
    ("force_incident", "force_action"),
    """
    SELECT i.agency, i.neighbourhood, i.occurred_month AS month, a.force_type,
        count(*) AS actions, count(DISTINCT a.parent_id) AS incidents
    FROM force_action a
    JOIN force_incident i ON i.agency = a.agency AND i.record_id = a.parent_id
    WHERE a.actor = 'officer' OR (a.actor IS NULL AND a.force_type IS NOT NULL)
    GROUP BY ALL
    """,
    CUBE_ORDER,
)

derived(
    "dash_complaint",
    ("complaint",),
    """
    SELECT agency, neighbourhood, received_month AS month, category,
        count(*) AS complaints,
        count(*) FILTER (WHERE days_to_close IS NOT NULL) AS closed,
        count(*) FILTER (WHERE category IS NULL) AS category_missing
    FROM complaint GROUP BY ALL
    """,
    CUBE_ORDER,
)

# Days to close are whole days: a histogram of exact values gives exact quantiles.
derived(
    "dash_complaint_days",
    ("complaint",),
    """
    SELECT agency, neighbourhood, received_month AS month, days_to_close AS days,
        count(*) AS complaints
    FROM complaint WHERE days_to_close IS NOT NULL GROUP BY ALL
    """,
    CUBE_ORDER,
)

# Allegations take their complaint's neighbourhood and month of receipt.
derived(
    "dash_allegation",
    ("complaint", "allegation"),
    """
    SELECT a.agency, c.neighbourhood, c.received_month AS month, a.category,
        a.final_finding AS finding, count(*) AS allegations
    FROM allegation a
    LEFT JOIN complaint c ON c.agency = a.agency AND c.record_id = a.parent_id
    GROUP BY ALL
    """,
    CUBE_ORDER,
)
