"""Calls for service (80,000 at full scale), carrying planted effect 4 (demo/demo-city.md).

4. Response times. Calls wait in the dispatch queue (queued_at to dispatched_at) a lognormal
   time with median 45 s (priority 1), 4 min (priority 2) or 10 min (priority 3), sigma 0.7;
   priority-3 calls received 17:00-20:59 local wait 4 times as long (median 40 min). Travel
   (en_route_at to on_scene_at) has median 5/7/9 min by priority, sigma 0.45, and is 1.8 times
   as long in the neighbourhood whose centre is farthest from a police station
   (`slow_neighbourhood`). Officer-initiated calls (12%) have no queue.

9. Quieter nights. From 1 July, 45% of the night calls (22:00-05:59 local) about noise or a
   disturbance in the most populous neighbourhood (`quiet_neighbourhood`) never come: the
   effect of the demo's neighbourhood priority on noise at night, which its measure recovers.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np

from commonbeat.demo.city import AGENCY_SLUG, CENTRE_LAT, CENTRE_LNG, KM_PER_DEG_LAT, CityPlan
from commonbeat.demo.records.common import Columns, choice, ids
from commonbeat.demo.records.context import Context
from commonbeat.demo.records.places import km_per_deg_lng

# 4. Calls: lognormal medians in seconds, by priority "1", "2", "3".
QUEUE_MEDIAN = {"1": 45.0, "2": 240.0, "3": 600.0}
QUEUE_SIGMA = 0.7
EVENING_HOURS = (17, 21)  # [17:00, 21:00) local, on the received clock time
EVENING_P3_QUEUE_FACTOR = 4.0
TRAVEL_MEDIAN = {"1": 300.0, "2": 420.0, "3": 540.0}
TRAVEL_SIGMA = 0.45
SLOW_TRAVEL_FACTOR = 1.8
# 9. Quieter nights after the demo priority's action began.
QUIET_NIGHTS_FROM = (7, 1)  # month, day: local midnight of the demo year
QUIET_NIGHTS_TYPES = ("Noise complaint", "Disturbance")
QUIET_NIGHTS_HOURS = (22, 6)  # [22:00, 06:00) local
QUIET_NIGHTS_DROP = 0.45
OFFICER_INITIATED_SHARE = 0.12

# Relative frequency by local clock hour, 00:00 to 23:00.
# fmt: off
CALL_HOURS = (3, 2.5, 2, 1.5, 1.2, 1.2, 1.5, 2.2, 3, 3.5, 3.8, 4, 4.2, 4.2, 4.3, 4.6, 5, 5.5, 5.6, 5.5, 5.2, 4.8, 4.2, 3.6)
# fmt: on

CALL_TYPES = {
    "1": (
        (
            "Assault in progress",
            "Shots fired",
            "Burglary in progress",
            "Domestic violence",
            "Robbery",
        ),
        (0.3, 0.15, 0.15, 0.3, 0.1),
    ),
    "2": (
        ("Disturbance", "Suspicious person", "Traffic crash", "Theft", "Welfare check"),
        (0.25, 0.2, 0.2, 0.2, 0.15),
    ),
    "3": (
        ("Noise complaint", "Parking complaint", "Theft report", "Found property", "Follow-up"),
        (0.25, 0.2, 0.25, 0.1, 0.2),
    ),
}


def slow_neighbourhood(plan: CityPlan) -> str:
    """Return the neighbourhood whose centre is farthest from any police station."""
    stations = [
        (location.latitude, location.longitude)
        for n in plan.neighbourhoods
        for location in n.locations
        if location.type == "station"
    ] or [(CENTRE_LAT, CENTRE_LNG)]

    def distance(n: Any) -> float:
        return min(
            math.hypot((n.centre[0] - lat) * KM_PER_DEG_LAT, (n.centre[1] - lng) * km_per_deg_lng())
            for lat, lng in stations
        )

    return str(max(plan.neighbourhoods, key=distance).slug)


def quiet_neighbourhood(plan: CityPlan) -> str:
    """Return the neighbourhood whose night calls fall after the demo priority's action."""
    return str(max(plan.neighbourhoods, key=lambda n: (n.population, n.slug)).slug)


def _quieter_nights(
    ctx: Context, table: Columns, received: np.ndarray, place: np.ndarray
) -> Columns:
    """Drop the night noise and disturbance calls that the action prevented (effect 9)."""
    rng = ctx.rng("call-quiet-nights")  # its own stream: no other call changes
    month, day = QUIET_NIGHTS_FROM
    start = int(ctx.clock.midnight[(date(ctx.clock.start.year, month, day) - ctx.clock.start).days])
    hour = ctx.clock.local_hour(received)
    night = (hour >= QUIET_NIGHTS_HOURS[0]) | (hour < QUIET_NIGHTS_HOURS[1])
    kind = np.isin(np.asarray(table["call_type"], dtype=object), QUIET_NIGHTS_TYPES)
    here = place == ctx.places.slugs.index(quiet_neighbourhood(ctx.plan))
    gone = (
        here & kind & night & (received >= start) & (rng.random(len(received)) < QUIET_NIGHTS_DROP)
    )
    keep = np.flatnonzero(~gone)
    return {name: [values[i] for i in keep] for name, values in table.items()}


def call_table(ctx: Context) -> Columns:
    """Return the year's calls-for-service table."""
    rng = ctx.rng("call")
    n = ctx.count("call")
    received = ctx.clock.draw(
        rng, n, CALL_HOURS, weekdays=(1, 1, 1, 1, 1.08, 1.1, 1.0), season=0.08
    )
    priority = choice(rng, ["1", "2", "3"], [0.15, 0.35, 0.5], n)
    officer_initiated = rng.random(n) < OFFICER_INITIATED_SHARE
    source = np.where(
        officer_initiated,
        "officer_initiated",
        np.where(
            priority == "1",
            choice(rng, ["phone_911", "alarm"], [0.9, 0.1], n),
            choice(
                rng,
                ["phone_911", "phone_other", "alarm", "online", "text"],
                [0.45, 0.38, 0.08, 0.07, 0.02],
                n,
            ),
        ),
    )
    neighbourhood = ctx.neighbourhoods(rng, n)
    slow = ctx.places.slugs.index(slow_neighbourhood(ctx.plan))

    queue_median = np.array([QUEUE_MEDIAN[p] for p in ("1", "2", "3")])
    travel_median = np.array([TRAVEL_MEDIAN[p] for p in ("1", "2", "3")])
    level = priority.astype(int) - 1
    hour = ctx.clock.local_hour(received)
    evening = (hour >= EVENING_HOURS[0]) & (hour < EVENING_HOURS[1]) & (priority == "3")
    queue = queue_median[level] * np.exp(rng.normal(0, QUEUE_SIGMA, n))
    queue = np.where(evening, queue * EVENING_P3_QUEUE_FACTOR, queue)
    travel = travel_median[level] * np.exp(rng.normal(0, TRAVEL_SIGMA, n))
    travel = np.where(neighbourhood == slow, travel * SLOW_TRAVEL_FACTOR, travel)
    intake = np.where(priority == "1", rng.integers(15, 60, n), rng.integers(30, 150, n))
    turnout = 10 + rng.exponential(35, n)
    service = 1500 * np.exp(rng.normal(0, 0.8, n))

    queued = received + np.where(officer_initiated, 0, intake)
    dispatched = queued + np.where(officer_initiated, 0, queue.astype(np.int64))
    en_route = dispatched + np.where(officer_initiated, 0, turnout.astype(np.int64))
    on_scene = en_route + np.where(officer_initiated, 0, travel.astype(np.int64))
    cleared = on_scene + service.astype(np.int64)
    fate = rng.random(n)
    cancelled = ~officer_initiated & (fate < 0.06)  # before dispatch
    called_off = ~officer_initiated & (fate >= 0.06) & (fate < 0.09)  # while en route
    cleared = np.where(
        cancelled,
        dispatched,
        np.where(called_off, en_route + travel.astype(np.int64) // 2, cleared),
    )

    call_type = np.empty(n, dtype=object)
    for p, (types, weights) in CALL_TYPES.items():
        rows = np.flatnonzero(priority == p)
        call_type[rows] = choice(rng, types, weights, len(rows))
    call_type[officer_initiated] = np.where(
        priority[officer_initiated] == "3", "Traffic stop", "Suspicious activity"
    )
    disposition = choice(
        rng,
        ["Report taken", "Advised", "Arrest made", "Gone on arrival", "Unfounded", "Referred"],
        [0.3, 0.3, 0.1, 0.12, 0.1, 0.08],
        n,
    ).astype(object)
    disposition[cancelled] = "Cancelled by caller"
    disposition[called_off] = "Cancelled en route"
    changed = rng.random(n) < 0.1
    final_type = np.where(
        changed,
        choice(rng, ["Disturbance", "Assist other agency", "No crime"], [0.4, 0.3, 0.3], n),
        call_type,
    )

    lat, lng = ctx.places.sample(rng, neighbourhood)
    clock = ctx.clock
    table: Columns = {
        "record_id": ids("E2025-", n),
        "agency": [AGENCY_SLUG] * n,
        "discipline": ["police"] * n,
        "received_at": clock.instants(received),
        "queued_at": clock.instants(queued),
        "dispatched_at": clock.instants(dispatched, cancelled),
        "en_route_at": clock.instants(en_route, cancelled),
        "on_scene_at": clock.instants(on_scene, cancelled | called_off),
        "cleared_at": clock.instants(cleared),
        "priority": priority.tolist(),
        "call_type": call_type.tolist(),
        "final_type": final_type.tolist(),
        "call_source": source.tolist(),
        "disposition": disposition.tolist(),
        **ctx.places.columns(rng, neighbourhood, lat, lng),
    }
    return _quieter_nights(ctx, table, received, neighbourhood)
