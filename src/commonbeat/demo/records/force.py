"""Use of force (600 incidents at full scale, with subjects, officers and actions).

Carries planted effect 7, the early-intervention signal (demo/demo-city.md): five officers
(`high_force_officers`, roster.py: Patrol or Gang Unit police officers assigned all year,
chosen by the seed) are the primary officer in 35% of use-of-force incidents (complaints.py
plants the rest of the signal). A subject's (neighbourhood, race) is drawn like a pedestrian
stop's (population.py, stops.py).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from commonbeat.demo.city import AGENCY_SLUG, RANKS
from commonbeat.demo.records.common import (
    Columns,
    add_agency,
    age_range,
    bools,
    empty_table,
    ids,
    one_of,
)
from commonbeat.demo.records.context import Context
from commonbeat.demo.records.population import RACE_RAW, RACES, race_rates
from commonbeat.demo.records.roster import high_force_indexes
from commonbeat.demo.records.stops import PEDESTRIAN_VEIL_FACTOR

# 7. Early intervention: the high-force officers' share of incidents as primary officer.
HIGH_FORCE_SHARE = 0.35

# Relative frequency by local clock hour, 00:00 to 23:00.
# fmt: off
FORCE_HOURS = (6, 5.5, 5, 3.5, 2, 1.2, 1, 1.2, 1.5, 2, 2.5, 3, 3.2, 3.4, 3.6, 4, 4.5, 5, 5.5, 6, 6.5, 6.8, 7, 6.5)
# fmt: on

RESISTANCE = (
    "Passive resistance",
    "Active resistance",
    "Fled on foot",
    "Assaulted officer",
    "Threatened with weapon",
)
FORCE_TYPES = (
    "Hands-on control",
    "Takedown",
    "Taser deployed",
    "OC spray",
    "Baton strike",
    "Firearm pointed",
)
WEAPONS = ("Knife", "Handgun", "Blunt object", "Vehicle")


def force_tables(ctx: Context) -> dict[str, Columns]:
    """Return the year's use-of-force incidents, subjects, officers and actions tables."""
    rng = ctx.rng("force")
    n = ctx.count("force_incident")
    t = ctx.clock.draw(rng, n, FORCE_HOURS)
    neighbourhood, race = ctx.cells(rng, race_rates(PEDESTRIAN_VEIL_FACTOR), n)
    lat, lng = ctx.places.sample(rng, neighbourhood)
    dates, times, instants = ctx.clock.render(t)
    light = ctx.clock.light(t)
    indoors = rng.random(n) < 0.3
    fatal = rng.random(n) < 0.004
    firearm = fatal | (rng.random(n) < 0.01)
    day = ctx.roster_day(t)

    high_force = high_force_indexes(ctx.plan, ctx.roster)
    picks = [ctx.roster.pick(rng, "force", day, neighbourhood) for _ in range(3)]
    use_high = rng.random(n) < HIGH_FORCE_SHARE
    high_pick = rng.integers(0, max(len(high_force), 1), n)
    officer_count = 1 + (rng.random(n) < 0.5).astype(int) + (rng.random(n) < 0.15).astype(int)
    subject_count = 1 + (rng.random(n) < 0.08).astype(int)
    incident_ids = ids("UF2025-", n, 4)

    subjects: Columns = empty_table(
        "record_id parent_id subject_age subject_age_range subject_gender subject_race subject_race_raw armed weapon injured arrested killed mental_health_crisis"
    )
    officers: Columns = empty_table(
        "record_id parent_id officer_id officer_gender officer_race officer_race_raw officer_rank years_of_service injured"
    )
    actions: Columns = empty_table(
        "record_id parent_id actor person_id resistance_type force_type action"
    )
    conditions = []
    narratives = []
    for i in range(n):
        incident = incident_ids[i]
        chosen: list[int] = []
        if use_high[i] and high_force and ctx.roster.unit[high_force[high_pick[i]], day[i]] >= 0:
            chosen.append(high_force[high_pick[i]])
        for pick in picks:
            if len(chosen) >= officer_count[i]:
                break
            if int(pick[i]) not in chosen:
                chosen.append(int(pick[i]))
        incident_date = ctx.clock.start + timedelta(days=int(ctx.clock.local_day(t[i : i + 1])[0]))
        moves: list[tuple[str, str, str, str]] = []  # actor, person, resistance, force
        for s in range(subject_count[i]):
            subject_race = RACES[race[i]] if s == 0 else ctx.race(rng, 1.0)
            age = int(np.clip(16 + rng.gamma(2.0, 8.0), 16, 80))
            armed = bool(rng.random() < 0.15) or bool(firearm[i])
            subjects["record_id"].append(f"{incident}-S{s + 1}")
            subjects["parent_id"].append(incident)
            subjects["subject_age"].append(str(age))
            subjects["subject_age_range"].append(age_range(age))
            subjects["subject_gender"].append("male" if rng.random() < 0.85 else "female")
            subjects["subject_race"].append(subject_race)
            subjects["subject_race_raw"].append(RACE_RAW[subject_race])
            subjects["armed"].append("true" if armed else "false")
            subjects["weapon"].append(one_of(rng, WEAPONS) if armed else "")
            killed = bool(fatal[i]) and s == 0
            subjects["injured"].append("true" if killed or rng.random() < 0.3 else "false")
            subjects["arrested"].append(
                "false" if killed else ("true" if rng.random() < 0.8 else "false")
            )
            subjects["killed"].append("true" if killed else "false")
            subjects["mental_health_crisis"].append("true" if rng.random() < 0.18 else "false")
            for _ in range(1 + int(rng.random() < 0.4)):
                moves.append(("subject", f"S{s + 1}", one_of(rng, RESISTANCE), ""))
        for o, index in enumerate(chosen):
            planned = ctx.plan.officers[index]
            rank = int(ctx.roster.rank[index, day[i]])
            service = (incident_date - planned.employment_date).days / 365.25
            officers["record_id"].append(f"{incident}-O{o + 1}")
            officers["parent_id"].append(incident)
            officers["officer_id"].append(planned.uid)
            officers["officer_gender"].append(planned.gender)
            officers["officer_race"].append(planned.race)
            officers["officer_race_raw"].append(RACE_RAW.get(planned.race, planned.race.title()))
            officers["officer_rank"].append(RANKS[max(rank, 0)])
            officers["years_of_service"].append(f"{max(service, 0):.1f}")
            officers["injured"].append("true" if rng.random() < 0.1 else "false")
            for _ in range(1 + int(rng.random() < 0.35)):
                moves.append(("officer", f"O{o + 1}", "", one_of(rng, FORCE_TYPES)))
            if firearm[i] and o == 0:
                moves.append(("officer", "O1", "", "Firearm discharged"))
        for number, (actor, person, resistance, force_type) in enumerate(moves, start=1):
            actions["record_id"].append(f"{incident}-A{number}")
            actions["parent_id"].append(incident)
            actions["actor"].append(actor)
            actions["person_id"].append(person)
            actions["resistance_type"].append(resistance)
            actions["force_type"].append(force_type)
            actions["action"].append(resistance or force_type)
        place = "indoors" if indoors[i] else "outdoors"
        conditions.append(f"{('Daylight', 'Twilight', 'Dark')[int(light[i])]}; {place}")
        narratives.append(
            f"Officers attempted to detain {subject_count[i]} subject(s) in "
            f"{ctx.places.slugs[neighbourhood[i]].replace('-', ' ').title()}; force was used "
            "to complete the arrest. (Synthetic narrative.)"
        )
    incidents = {
        "record_id": incident_ids,
        "agency": [AGENCY_SLUG] * n,
        "occurred_date": dates,
        "occurred_time": times,
        "occurred_at": instants,
        **ctx.places.columns(rng, neighbourhood, lat, lng),
        "conditions": conditions,
        "fatal": bools(fatal),
        "firearm_discharged": bools(firearm),
        "narrative": narratives,
    }
    add_agency(subjects, officers, actions)
    return {
        "force_incident": incidents,
        "force_subject": subjects,
        "force_officer": officers,
        "force_action": actions,
    }
