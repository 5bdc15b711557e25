"""Synthetic stops and calls for the dashboard benchmark, as Commonbeat standard CSV files.

The demo city's own generator (`demo.records.generate_records`) builds Python lists of
every value, which at 10 million stops would take tens of gigabytes and many minutes, so this
module writes the same kind of records with one DuckDB `COPY` per file, the way
`import_stops.py` does: every value is a hash of (row, seed, column), so one seed gives one
file whatever the thread count.

Where records happen is what the dashboards and the area API are about, so the places are
drawn the way the demo draws them: points strictly inside the demo city's neighbourhood
polygons (numpy and shapely, a pool per neighbourhood), each neighbourhood getting records in
proportion to its population, with part of each pool gathered around a few hot spots so the
density is uneven, as in a real city. The CSVs carry the neighbourhood's slug, which the
standard mappings keep as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

YEAR = 2025
POOL = 40_000  # points drawn per neighbourhood; records pick one by hash
HOT_SPOTS = 3  # clusters per neighbourhood holding HOT_SHARE of its points
HOT_SHARE = 0.45
HOT_SIGMA_KM = 0.5


# SQL helpers (the same idea as import_stops.py) ---------------------------------------------


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _choice(uniform: str, weights: Sequence[float]) -> str:
    """Return SQL giving a 1-based index drawn with the weights from a uniform [0, 1) column."""
    total = sum(weights)
    branches, cumulative = [], 0.0
    for index, weight in enumerate(weights[:-1], start=1):
        cumulative += weight / total
        branches.append(f"WHEN {uniform} < {cumulative:.6f} THEN {index}")
    return f"CASE {' '.join(branches)} ELSE {len(weights)} END"


def _pick(uniform: str, options: Sequence[tuple[str, float]]) -> str:
    """Return SQL picking one of the weighted text options."""
    return f"{_list([o for o, _ in options])}[{_choice(uniform, [w for _, w in options])}]"


def _uniforms(names: Sequence[str], seed: int, stream: int) -> str:
    # (0, 1], so log() of one is safe.
    return ", ".join(
        f"((hash(i, {seed}, {stream}, {k}) % 1000003) + 1) / 1000004.0 AS u_{name}"
        for k, name in enumerate(names)
    )


def _normal(a: str, b: str) -> str:
    """Return SQL for a standard normal draw from two uniform (0, 1] columns (Box-Muller)."""
    return f"(sqrt(-2 * ln(u_{a})) * cos(2 * pi() * u_{b}))"


def _offset(local: str) -> str:
    # America/Chicago, near enough: daylight time April to October.
    return f"CASE WHEN month({local}) BETWEEN 4 AND 10 THEN '-05:00' ELSE '-06:00' END"


def _instant(local: str, zone_of: str = "") -> str:
    # A call's instants all take the offset of its received time, so a call that runs over a
    # month boundary in April or November does not end before it began.
    return f"strftime({local}, '%Y-%m-%dT%H:%M:%S') || {_offset(zone_of or local)}"


# Places -------------------------------------------------------------------------------------


def point_pool(seed: int) -> tuple[list[str], list[float], Any]:
    """Return the city's neighbourhood slugs, their weights, and a pool of points (Arrow)."""
    import pyarrow as pa
    import shapely
    from shapely.geometry import shape

    from commonbeat.demo.city import CENTRE_LAT, KM_PER_DEG_LAT, build_city

    plan = build_city(seed=1)  # the city `commonbeat demo` builds (its default seed)
    rng = np.random.default_rng([seed, YEAR, 99])
    km_lng = 111.320 * math.cos(math.radians(CENTRE_LAT))
    hoods, ks, lats, lngs = [], [], [], []
    for index, neighbourhood in enumerate(plan.neighbourhoods):
        polygon = shape(neighbourhood.boundary)
        shapely.prepare(polygon)
        minx, miny, maxx, maxy = polygon.bounds
        centres: list[tuple[float, float]] = []
        while len(centres) < HOT_SPOTS:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.contains_xy(polygon, x, y):
                centres.append((x, y))
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        found = 0
        while found < POOL:
            size = POOL
            hot = rng.random(size) < HOT_SHARE
            spot = rng.integers(0, HOT_SPOTS, size)
            cx = np.array([c[0] for c in centres])[spot]
            cy = np.array([c[1] for c in centres])[spot]
            x = np.where(
                hot, cx + rng.normal(0, HOT_SIGMA_KM / km_lng, size), rng.uniform(minx, maxx, size)
            )
            y = np.where(
                hot,
                cy + rng.normal(0, HOT_SIGMA_KM / KM_PER_DEG_LAT, size),
                rng.uniform(miny, maxy, size),
            )
            x, y = np.round(x, 6), np.round(y, 6)
            inside = shapely.contains_xy(polygon, x, y)
            xs.append(x[inside])
            ys.append(y[inside])
            found += int(inside.sum())
        hoods.append(np.full(POOL, index + 1, dtype=np.int32))
        ks.append(np.arange(POOL, dtype=np.int32))
        lngs.append(np.concatenate(xs)[:POOL])
        lats.append(np.concatenate(ys)[:POOL])
    table = pa.table(
        {
            "hood": np.concatenate(hoods),
            "k": np.concatenate(ks),
            "lat": np.concatenate(lats),
            "lng": np.concatenate(lngs),
        }
    )
    slugs = [n.slug for n in plan.neighbourhoods]
    weights = [float(n.population) for n in plan.neighbourhoods]
    return slugs, weights, table


# Stops --------------------------------------------------------------------------------------

RACES = (  # code, raw label, share overall, share in the first three neighbourhoods
    ("white", "White", 0.55, 0.30),
    ("black", "Black", 0.22, 0.45),
    ("hispanic", "Hispanic", 0.14, 0.17),
    ("asian_pacific_islander", "Asian/Pacific Islander", 0.04, 0.03),
    ("native_american", "Native American", 0.01, 0.01),
    ("multiracial", "Two or more races", 0.015, 0.015),
    ("unknown", "Unknown", 0.015, 0.015),
    ("not_recorded", "", 0.01, 0.01),
)
SEARCH_RATE = {"black": 0.10, "hispanic": 0.08}  # others 0.045
HIT_RATE = {"black": 0.20, "hispanic": 0.25}  # others 0.32
STOP_UNIFORMS = (
    *("hood", "point", "day", "hour_a", "hour_b", "minute", "race", "age", "noage"),
    *("gender", "stop", "reason", "frisk", "search", "found", "basis", "drugs", "weapons"),
    *("other", "object", "outcome", "force", "officer", "block", "street", "area"),
)
STREETS = ("Main St", "Oak St", "Elm St", "Grand Ave", "Park Ave", "River Rd", "Cedar St")


def _race_sql(hood: str) -> str:
    overall = _choice("u_race", [r[2] for r in RACES])
    central = _choice("u_race", [r[3] for r in RACES])
    return f"CASE WHEN {hood} <= 3 THEN {central} ELSE {overall} END"


def _rate_sql(race: str, rates: dict[str, float], default: float) -> str:
    codes = [r[0] for r in RACES]
    cases = " ".join(f"WHEN {codes.index(c) + 1} THEN {v}" for c, v in rates.items())
    return f"CASE {race} {cases} ELSE {default} END"


def _stops_sql(rows: int, seed: int, slugs: list[str], weights: list[float]) -> str:
    codes, labels = [r[0] for r in RACES], [r[1] for r in RACES]
    hood = _choice("u_hood", weights)
    no_find = _choice("u_outcome", (0.42, 0.30, 0.22, 0.02, 0.03, 0.01))
    find = _choice("u_outcome", (0.05, 0.10, 0.30, 0.05, 0.50, 0.0))
    outcomes = _list(("none", "warning", "citation", "summons", "arrest", "other"))
    labels_out = _list(("No action", "Warning", "Citation issued", "Summons", "Arrest", "Other"))
    day = "strftime(day, '%Y-%m-%d')"
    clock = "printf('%02d:%02d:00', hour, minute)"
    local = "(day + to_hours(hour) + to_minutes(minute))"
    return f"""
        WITH u AS (SELECT i, {_uniforms(STOP_UNIFORMS, seed, 1)} FROM range({rows}) t(i)),
        d AS (
            SELECT *,
                {hood} AS hood,
                CAST(floor(u_point * {POOL}) AS INTEGER) AS k,
                DATE '{YEAR}-01-01' + CAST(floor(u_day * 365) AS INTEGER) AS day,
                CAST((41 + floor(12 * (u_hour_a + u_hour_b - 1))) % 24 AS INTEGER) AS hour,
                CAST(floor(u_minute * 60) AS INTEGER) AS minute,
                CASE WHEN u_noage < 0.03 THEN NULL
                     ELSE CAST(16 + floor(62 * pow(u_age, 1.7)) AS INTEGER) END AS age,
                {_choice("u_stop", [0.72, 0.26, 0.02])} AS stop
            FROM u
        ),
        r AS (SELECT *, {_race_sql("hood")} AS race FROM d),
        s AS (
            SELECT *,
                u_search < {_rate_sql("race", SEARCH_RATE, 0.045)} AS searched,
                u_search < {_rate_sql("race", SEARCH_RATE, 0.045)}
                    AND u_found < {_rate_sql("race", HIT_RATE, 0.32)} AS found
            FROM r
        ),
        k AS (
            SELECT s.*, p.lat, p.lng,
                CASE WHEN found THEN {find} ELSE {no_find} END AS outcome,
                found AND u_drugs < 0.65 AS drugs,
                found AND u_weapons < 0.2 AS weapons
            FROM s JOIN pool p ON p.hood = s.hood AND p.k = s.k
        )
        SELECT
            'S{YEAR}-' || lpad(CAST(i + 1 AS VARCHAR), 9, '0') AS record_id,
            'riverton-pd' AS agency,
            {day} AS occurred_date,
            {clock} AS occurred_time,
            {_instant(local)} AS occurred_at,
            CAST(100 * (1 + floor(u_block * 48)) AS INTEGER) || ' block of '
                || {_list(STREETS)}[1 + CAST(floor(u_street * {len(STREETS)}) AS INTEGER)] AS location,
            printf('%.6f', lat) AS latitude,
            printf('%.6f', lng) AS longitude,
            'Beat ' || CAST(1 + floor(u_area * 24) AS INTEGER) AS area,
            {_list(slugs)}[hood] AS neighbourhood,
            ['vehicular', 'pedestrian', 'other'][stop] AS stop_type,
            CASE WHEN stop = 1 THEN {_pick("u_reason", [("Speeding", 4), ("Moving violation", 3), ("Equipment violation", 2), ("Registration", 1)])}
                 ELSE {_pick("u_reason", [("Suspicious person", 4), ("Call for service", 3), ("Trespass", 1), ("Disorderly conduct", 1)])} END AS reason,
            age AS subject_age,
            CASE WHEN age IS NULL THEN NULL WHEN age < 18 THEN 'under 18' WHEN age < 25 THEN '18-24'
                 WHEN age < 35 THEN '25-34' WHEN age < 45 THEN '35-44' WHEN age < 55 THEN '45-54'
                 WHEN age < 65 THEN '55-64' ELSE '65+' END AS subject_age_range,
            {_pick("u_gender", [("male", 70), ("female", 28.5), ("not_recorded", 1.5)])} AS subject_gender,
            {_list(codes)}[race] AS subject_race,
            {_list(labels)}[race] AS subject_race_raw,
            NULL AS subject_race_self,
            NULL AS subject_race_self_raw,
            CAST(u_frisk < CASE WHEN stop = 2 THEN 0.14 ELSE 0.03 END OR (searched AND u_frisk < 0.5) AS VARCHAR) AS frisk_performed,
            CAST(searched AS VARCHAR) AS search_conducted,
            CASE WHEN searched THEN {_pick("u_basis", [("probable_cause", 40), ("consent", 30), ("incident_to_arrest", 10), ("plain_view", 10), ("k9", 5), ("other", 5)])} END AS search_basis,
            CASE WHEN searched THEN CAST(found AS VARCHAR) END AS contraband_found,
            CASE WHEN searched THEN CAST(drugs AS VARCHAR) END AS contraband_drugs,
            CASE WHEN searched THEN CAST(weapons AS VARCHAR) END AS contraband_weapons,
            CASE WHEN searched THEN CAST(found AND NOT drugs AND NOT weapons OR (found AND u_other < 0.1) AS VARCHAR) END AS contraband_other,
            CASE WHEN searched THEN {_pick("u_object", [("Drugs", 6), ("Weapons", 2.5), ("Stolen property", 1.5)])} END AS object_of_search,
            NULL AS legislation,
            {outcomes}[outcome] AS outcome,
            {labels_out}[outcome] AS outcome_raw,
            CASE WHEN searched THEN CAST(found AND outcome IN (3, 5) AS VARCHAR) END AS outcome_linked_to_object,
            NULL AS clothing_removal,
            CAST(u_force < 0.008 AS VARCHAR) AS force_used,
            'P' || CAST(1000 + floor(u_officer * 320) AS INTEGER) AS officer_id
        FROM k"""


# Calls --------------------------------------------------------------------------------------

CALL_UNIFORMS = (
    *("hood", "point", "day", "hour_a", "hour_b", "minute", "second", "priority", "initiated"),
    *("intake", "queue_a", "queue_b", "turnout", "travel_a", "travel_b", "service_a"),
    *("service_b", "fate", "type", "changed", "final", "source", "disposition", "block"),
    *("street", "area"),
)
QUEUE_MEDIAN = (45.0, 240.0, 600.0)  # seconds, by priority 1, 2, 3
TRAVEL_MEDIAN = (300.0, 420.0, 540.0)
CALL_TYPES = (
    ("Assault in progress", "Shots fired", "Burglary in progress", "Domestic violence"),
    ("Disturbance", "Suspicious person", "Traffic crash", "Theft", "Welfare check"),
    ("Noise complaint", "Parking complaint", "Theft report", "Found property", "Follow-up"),
)


def _by_priority(values: Sequence[float]) -> str:
    return f"[{', '.join(str(v) for v in values)}][priority]"


def _calls_sql(rows: int, seed: int, slugs: list[str], weights: list[float]) -> str:
    hood = _choice("u_hood", weights)
    types = " ".join(
        f"WHEN {p} THEN {_list(t)}[1 + CAST(floor(u_type * {len(t)}) AS INTEGER)]"
        for p, t in enumerate(CALL_TYPES, start=1)
    )
    return f"""
        WITH u AS (SELECT i, {_uniforms(CALL_UNIFORMS, seed, 2)} FROM range({rows}) t(i)),
        d AS (
            SELECT *,
                {hood} AS hood,
                CAST(floor(u_point * {POOL}) AS INTEGER) AS k,
                {_choice("u_priority", [0.15, 0.35, 0.5])} AS priority,
                u_initiated < 0.12 AS initiated,
                u_fate < 0.06 AS cancelled,
                TIMESTAMP '{YEAR}-01-01 00:00:00'
                    + to_days(CAST(floor(u_day * 365) AS INTEGER))
                    + to_hours(CAST((39 + floor(12 * (u_hour_a + u_hour_b - 1))) % 24 AS INTEGER))
                    + to_minutes(CAST(floor(u_minute * 60) AS INTEGER))
                    + to_seconds(CAST(floor(u_second * 60) AS INTEGER)) AS received
            FROM u
        ),
        t AS (
            SELECT *,
                CASE WHEN initiated THEN 0 ELSE 15 + floor(u_intake * 120) END AS intake,
                CASE WHEN initiated THEN 0
                     ELSE {_by_priority(QUEUE_MEDIAN)} * exp(0.7 * {_normal("queue_a", "queue_b")}) END AS queue,
                CASE WHEN initiated THEN 0 ELSE 10 - 35 * ln(u_turnout) END AS turnout,
                {_by_priority(TRAVEL_MEDIAN)} * exp(0.45 * {_normal("travel_a", "travel_b")})
                    * CASE WHEN hood = {len(slugs)} THEN 1.8 ELSE 1 END AS travel,
                1500 * exp(0.8 * {_normal("service_a", "service_b")}) AS service
            FROM d
        ),
        c AS (
            SELECT t.*, p.lat, p.lng,
                received + to_seconds(CAST(intake AS BIGINT)) AS queued,
                received + to_seconds(CAST(intake + queue AS BIGINT)) AS dispatched,
                received + to_seconds(CAST(intake + queue + turnout AS BIGINT)) AS en_route,
                received + to_seconds(CAST(intake + queue + turnout + travel AS BIGINT)) AS on_scene,
                received + to_seconds(CAST(intake + queue + turnout + travel + service AS BIGINT)) AS cleared
            FROM t JOIN pool p ON p.hood = t.hood AND p.k = t.k
        )
        SELECT
            'E{YEAR}-' || lpad(CAST(i + 1 AS VARCHAR), 9, '0') AS record_id,
            'riverton-pd' AS agency,
            'police' AS discipline,
            {_instant("received")} AS received_at,
            {_instant("queued", "received")} AS queued_at,
            CASE WHEN NOT cancelled THEN {_instant("dispatched", "received")} END AS dispatched_at,
            CASE WHEN NOT cancelled THEN {_instant("en_route", "received")} END AS en_route_at,
            CASE WHEN NOT cancelled THEN {_instant("on_scene", "received")} END AS on_scene_at,
            CASE WHEN cancelled THEN {_instant("dispatched", "received")} ELSE {_instant("cleared", "received")} END AS cleared_at,
            CAST(priority AS VARCHAR) AS priority,
            CASE WHEN initiated THEN 'Traffic stop' ELSE CASE priority {types} END END AS call_type,
            CASE WHEN u_changed < 0.1 THEN {_pick("u_final", [("Disturbance", 4), ("Assist other agency", 3), ("No crime", 3)])} END AS final_type,
            CASE WHEN initiated THEN 'officer_initiated'
                 ELSE {_pick("u_source", [("phone_911", 55), ("phone_other", 30), ("alarm", 8), ("online", 5), ("text", 2)])} END AS call_source,
            CASE WHEN cancelled THEN 'Cancelled by caller'
                 ELSE {_pick("u_disposition", [("Report taken", 3), ("Advised", 3), ("Arrest made", 1), ("Gone on arrival", 1.2), ("Unfounded", 1), ("Referred", 0.8)])} END AS disposition,
            CAST(100 * (1 + floor(u_block * 48)) AS INTEGER) || ' block of '
                || {_list(STREETS)}[1 + CAST(floor(u_street * {len(STREETS)}) AS INTEGER)] AS location,
            printf('%.6f', lat) AS latitude,
            printf('%.6f', lng) AS longitude,
            'Beat ' || CAST(1 + floor(u_area * 24) AS INTEGER) AS area,
            {_list(slugs)}[hood] AS neighbourhood
        FROM c"""


def generate(folder: Path, stops: int, calls: int, seed: int = 7) -> list[Path]:
    """Write stops.csv and calls.csv (standard_stop, standard_call) into the folder."""
    import duckdb

    from commonbeat.records.schema import RECORD_TYPES

    folder.mkdir(parents=True, exist_ok=True)
    slugs, weights, pool = point_pool(seed)
    con = duckdb.connect(config={"preserve_insertion_order": True, "memory_limit": "2GB"})
    con.execute("SET enable_progress_bar = false")
    paths = []
    try:
        con.register("pool_arrow", pool)
        con.execute("CREATE TABLE pool AS SELECT * FROM pool_arrow")
        for name, sql in (
            ("stop", _stops_sql(stops, seed, slugs, weights)),
            ("call", _calls_sql(calls, seed, slugs, weights)),
        ):
            names = [n for n in RECORD_TYPES[name].names if n != "source"]
            columns = ", ".join(f'"{n}"' for n in names)  # the schema's order, checked by name
            path = folder / f"riverton-bench-{name}s.csv"
            con.execute(f"COPY (SELECT {columns} FROM ({sql})) TO '{path}' (HEADER)")
            paths.append(path)
    finally:
        con.close()
    return paths
