"""Stops (60,000 at full scale), carrying planted effects 1, 2 and 3 (demo/demo-city.md).

1. Stop disparity: a stop's (neighbourhood, race) is drawn in proportion to residents x
   relative stop rate (population.py). 75% of stops are vehicular.
2. Veil of darkness. For vehicular stops the Black rate is multiplied by 1.0 in daylight
   (sunrise to sunset), 0.85 in twilight and 0.70 after civil dusk (or before civil dawn):
   the odds that a stopped driver is Black are 0.70 times as high after dark as in daylight
   at the same clock time (an `is_dark` coefficient of log 0.70 = -0.36). Pedestrian stops
   use 0.85 throughout (clock.py computes the light).
3. Searches and hits: a threshold test's world. Each stopped person carries contraband with
   probability p ~ Beta(lambda*phi, lambda*(1 - phi)), phi = logistic(logit(0.05) + d_n) with
   d_n ~ Normal(0, 0.25) per neighbourhood, lambda = 6, the same for every race. The officer
   searches when p exceeds the race's threshold: Black 0.10, Hispanic 0.15, everyone else
   0.23; a search finds contraband with probability p. Expected: search rate Black ~16%,
   white ~5%; hit rate Black ~20%, white ~32%: the outcome test's signature of a lower bar.
   Race is recorded as `unknown` for 1.5% of stops and left empty for 0.5%.

Patrol, traffic and gang-unit officers make most stops (roster.py).
"""

from __future__ import annotations

import math

import numpy as np

from commonbeat.demo.city import AGENCY_SLUG
from commonbeat.demo.records.common import Columns, age_range, bools, choice, ids
from commonbeat.demo.records.context import Context
from commonbeat.demo.records.population import RACE_RAW, RACES, race_rates

VEHICULAR_SHARE = 0.75
# 2. Veil of darkness: the Black stop rate of drivers by light (daylight, twilight, dark).
VEIL_FACTOR = (1.0, 0.85, 0.70)
PEDESTRIAN_VEIL_FACTOR = 0.85
# 3. Searches: contraband p ~ Beta(lambda*phi, lambda*(1-phi)); searched when p > threshold.
CONTRABAND_PHI = 0.05
CONTRABAND_LAMBDA = 6.0
AREA_PHI_SD = 0.25
SEARCH_THRESHOLD = {"black": 0.10, "hispanic": 0.15}
DEFAULT_SEARCH_THRESHOLD = 0.23
RACE_UNKNOWN_SHARE = 0.015
RACE_NOT_RECORDED_SHARE = 0.005

# Relative frequency by local clock hour, 00:00 to 23:00.
# fmt: off
STOP_HOURS = (5, 4, 3, 2, 1.5, 1, 1.5, 3, 4, 4, 4, 4, 4, 4, 4.5, 5, 5.5, 6, 6.5, 6.5, 6, 6, 6, 5.5)
# fmt: on


def stop_table(ctx: Context) -> Columns:
    """Return the year's stops table."""
    rng = ctx.rng("stop")
    n = ctx.count("stop")
    t = ctx.clock.draw(rng, n, STOP_HOURS, weekdays=(1.0, 1.05, 1.05, 1.05, 1.1, 0.95, 0.8))
    light = ctx.clock.light(t)
    vehicular = rng.random(n) < VEHICULAR_SHARE
    neighbourhood = np.zeros(n, dtype=np.int64)
    race = np.zeros(n, dtype=np.int64)
    groups = [(vehicular & (light == state), VEIL_FACTOR[state]) for state in range(3)]
    groups.append((~vehicular, PEDESTRIAN_VEIL_FACTOR))
    for mask, factor in groups:
        rows = np.flatnonzero(mask)
        neighbourhood[rows], race[rows] = ctx.cells(rng, race_rates(factor), len(rows))
    race_code = np.asarray(RACES)[race]

    # Contraband and searches: the threshold test's generative model.
    area_shift = rng.normal(0.0, AREA_PHI_SD, size=len(ctx.places.slugs))
    phi = 1 / (1 + np.exp(-(math.log(CONTRABAND_PHI / (1 - CONTRABAND_PHI)) + area_shift)))
    a = (CONTRABAND_LAMBDA * phi)[neighbourhood]
    b = (CONTRABAND_LAMBDA * (1 - phi))[neighbourhood]
    p = rng.beta(a, b)
    threshold = np.array([SEARCH_THRESHOLD.get(r, DEFAULT_SEARCH_THRESHOLD) for r in RACES])[race]
    searched = p > threshold
    found = searched & (rng.random(n) < p)
    drugs = found & (rng.random(n) < 0.65)
    weapons = found & (rng.random(n) < 0.2)
    other = (found & ~drugs & ~weapons) | (found & (rng.random(n) < 0.1))
    no_search = ~searched

    # What the officer recorded about the person.
    recorded = race_code.astype(object)
    noise = rng.random(n)
    recorded[noise < RACE_UNKNOWN_SHARE + RACE_NOT_RECORDED_SHARE] = "unknown"
    recorded[noise < RACE_NOT_RECORDED_SHARE] = "not_recorded"
    age = np.clip(16 + rng.gamma(2.2, 9.0, size=n), 16, 88).astype(int)
    gender = choice(rng, ["male", "female", "not_recorded"], [0.70, 0.29, 0.01], n)
    reason = np.where(
        vehicular,
        choice(
            rng,
            [
                "Speeding",
                "Moving violation",
                "Equipment violation",
                "Registration",
                "Suspicious vehicle",
            ],
            [0.38, 0.25, 0.17, 0.12, 0.08],
            n,
        ),
        choice(
            rng,
            [
                "Suspicious person",
                "Matches description",
                "Trespass",
                "Call for service",
                "Disorderly conduct",
            ],
            [0.35, 0.2, 0.15, 0.2, 0.1],
            n,
        ),
    )
    frisk = (rng.random(n) < np.where(vehicular, 0.03, 0.14)) | (searched & (rng.random(n) < 0.5))
    basis = choice(
        rng,
        ["probable_cause", "consent", "incident_to_arrest", "plain_view", "k9", "other"],
        [0.40, 0.30, 0.10, 0.10, 0.05, 0.05],
        n,
    )
    purpose = choice(rng, ["Drugs", "Weapons", "Stolen property"], [0.6, 0.25, 0.15], n)
    outcome_draw = rng.random(n)
    outcome = np.where(
        found,
        np.where(
            outcome_draw < 0.55, "arrest", np.where(outcome_draw < 0.9, "citation", "warning")
        ),
        np.where(
            vehicular,
            np.select(
                [outcome_draw < 0.45, outcome_draw < 0.90, outcome_draw < 0.97],
                ["citation", "warning", "none"],
                "arrest",
            ),
            np.select(
                [outcome_draw < 0.55, outcome_draw < 0.80, outcome_draw < 0.92],
                ["none", "warning", "citation"],
                "arrest",
            ),
        ),
    )
    linked = found & np.isin(outcome, ["arrest", "citation"])
    force_used = rng.random(n) < 0.008

    officer = np.zeros(n, dtype=np.int64)
    day = ctx.roster_day(t)
    for kind, mask in (("vehicular", vehicular), ("pedestrian", ~vehicular)):
        rows = np.flatnonzero(mask)
        officer[rows] = ctx.roster.pick(rng, kind, day[rows], neighbourhood[rows])

    lat, lng = ctx.places.sample(rng, neighbourhood)
    dates, times, instants = ctx.clock.render(t)
    uids = [o.uid for o in ctx.plan.officers]
    recorded_list = recorded.tolist()
    return {
        "record_id": ids("S2025-", n),
        "agency": [AGENCY_SLUG] * n,
        "occurred_date": dates,
        "occurred_time": times,
        "occurred_at": instants,
        **ctx.places.columns(rng, neighbourhood, lat, lng),
        "stop_type": np.where(vehicular, "vehicular", "pedestrian").tolist(),
        "reason": reason.tolist(),
        "subject_age": age.astype(str).tolist(),
        "subject_age_range": [age_range(a) for a in age.tolist()],
        "subject_gender": gender.tolist(),
        "subject_race": recorded_list,
        "subject_race_raw": [RACE_RAW[r] for r in recorded_list],
        "frisk_performed": bools(frisk),
        "search_conducted": bools(searched),
        "search_basis": np.where(searched, basis, "").tolist(),
        "contraband_found": bools(found, no_search),
        "contraband_drugs": bools(drugs, no_search),
        "contraband_weapons": bools(weapons, no_search),
        "contraband_other": bools(other, no_search),
        "object_of_search": np.where(searched, purpose, "").tolist(),
        "outcome": outcome.tolist(),
        "outcome_raw": [o.capitalize() if o != "none" else "No action" for o in outcome.tolist()],
        "outcome_linked_to_object": bools(linked, no_search),
        "force_used": bools(force_used),
        "officer_id": [uids[i] for i in officer.tolist()],
    }
