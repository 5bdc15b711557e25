"""Complaints (400 at full scale, with allegations and complainants): planted effects 6 and 7.

6. Complaints (demo/demo-city.md). Days to close are lognormal (sigma 0.55) with a median by
   the first allegation's category: force 150, bias 170, improper search 120, abuse of
   authority 110, neglect of duty 75, discourtesy 55; complaints not closed by 31 March 2026
   are pending. Sustained rates by allegation category: neglect of duty 34%, discourtesy 28%,
   abuse of authority 14%, improper search 10%, force 6%, bias 4%.
7. Early-intervention signal: the five high-force officers (roster.py) are three times as
   likely as their peers to be named in a complaint.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from commonbeat.demo.records.common import (
    AS_OF,
    Columns,
    add_agency,
    age_range,
    choice,
    choose_one,
    empty_table,
    ids,
    one_of,
)
from commonbeat.demo.records.context import Context
from commonbeat.demo.records.population import RACE_RAW
from commonbeat.demo.records.roster import high_force_indexes
from commonbeat.demo.records.stops import PEDESTRIAN_VEIL_FACTOR

# 6. Complaints.
ALLEGATION_CATEGORIES = (
    "discourtesy",
    "neglect of duty",
    "abuse of authority",
    "force",
    "improper search",
    "bias",
)
ALLEGATION_WEIGHTS = (0.25, 0.2, 0.2, 0.15, 0.12, 0.08)
SUSTAINED_RATE = {
    "neglect of duty": 0.34,
    "discourtesy": 0.28,
    "abuse of authority": 0.14,
    "improper search": 0.10,
    "force": 0.06,
    "bias": 0.04,
}
DAYS_TO_CLOSE_MEDIAN = {
    "force": 150,
    "bias": 170,
    "improper search": 120,
    "abuse of authority": 110,
    "neglect of duty": 75,
    "discourtesy": 55,
}
DAYS_TO_CLOSE_SIGMA = 0.55
# 7. Early intervention: how much likelier the high-force officers are to be named.
HIGH_FORCE_COMPLAINT_WEIGHT = 3.0

ALLEGATION_TEXT = {
    "discourtesy": (
        "Was rude to the complainant",
        "Used a dismissive tone",
        "Refused to give name and badge number",
    ),
    "neglect of duty": (
        "Failed to take a report",
        "Did not respond to a request for help",
        "Failed to follow up",
    ),
    "abuse of authority": (
        "Threatened arrest without cause",
        "Detained the complainant without reason",
        "Seized property improperly",
    ),
    "force": (
        "Used excessive force during arrest",
        "Handcuffed too tightly",
        "Pushed the complainant",
    ),
    "improper search": (
        "Searched a vehicle without consent",
        "Frisked without reasonable suspicion",
        "Entered a home without a warrant",
    ),
    "bias": (
        "Stopped the complainant because of race",
        "Made a biased remark",
        "Treated the complainant differently because of gender",
    ),
}
COMPLAINT_CATEGORY = {
    "discourtesy": "Discourtesy",
    "neglect of duty": "Neglect of duty",
    "abuse of authority": "Abuse of authority",
    "force": "Use of force",
    "improper search": "Search and seizure",
    "bias": "Bias-based policing",
}
FINDING_RAW = {
    "sustained": "Sustained",
    "not_sustained": "Not Sustained",
    "unfounded": "Unfounded",
    "exonerated": "Exonerated",
    "pending": "Pending",
}
DISCIPLINE = (
    "Written reprimand",
    "Training",
    "1-day suspension",
    "3-day suspension",
    "10-day suspension",
    "Termination",
)
DISCIPLINE_WEIGHTS = (0.35, 0.3, 0.15, 0.1, 0.07, 0.03)


def complaint_tables(ctx: Context) -> dict[str, Columns]:
    """Return the year's complaints, allegations and complainants tables."""
    rng = ctx.rng("complaint")
    n = ctx.count("complaint")
    first = ctx.clock.start
    received_day = np.sort(rng.integers(0, ctx.clock.days, n))
    lag = np.minimum(rng.geometric(1 / 12, n) - 1, 120)
    received = [first + timedelta(days=int(d)) for d in received_day.tolist()]
    incident = [r - timedelta(days=int(g)) for r, g in zip(received, lag.tolist(), strict=True)]
    incident_day = np.array([ctx.roster.day_index(d) for d in incident])
    neighbourhood = ctx.neighbourhoods(rng, n)
    lat, lng = ctx.places.sample(rng, neighbourhood)
    boost = dict.fromkeys(high_force_indexes(ctx.plan, ctx.roster), HIGH_FORCE_COMPLAINT_WEIGHT)
    primary = ctx.roster.pick(rng, "complaint", incident_day, neighbourhood, boost)
    secondary = ctx.roster.pick(rng, "complaint", incident_day, neighbourhood, boost)
    allegation_count = 1 + (rng.random(n) < 0.45).astype(int) + (rng.random(n) < 0.15).astype(int)
    first_category = choice(rng, ALLEGATION_CATEGORIES, ALLEGATION_WEIGHTS, n)
    days_to_close = np.maximum(
        np.round(
            np.array([DAYS_TO_CLOSE_MEDIAN[c] for c in first_category.tolist()])
            * np.exp(rng.normal(0, DAYS_TO_CLOSE_SIGMA, n))
        ),
        3,
    ).astype(int)
    complaint_ids = ids("CP2025-", n, 4)
    complaints: Columns = empty_table(
        "record_id received_date incident_date closed_date days_to_close category narrative"
    )
    allegations: Columns = empty_table(
        "record_id parent_id officer_id category allegation recommended_finding recommended_finding_raw final_finding final_finding_raw recommended_discipline final_discipline"
    )
    complainants: Columns = empty_table(
        "record_id parent_id complainant_age complainant_age_range complainant_gender complainant_race complainant_race_raw"
    )
    for i in range(n):
        complaint = complaint_ids[i]
        closed = received[i] + timedelta(days=int(days_to_close[i]))
        is_closed = closed <= AS_OF
        complaints["record_id"].append(complaint)
        complaints["received_date"].append(received[i].isoformat())
        complaints["incident_date"].append(incident[i].isoformat())
        complaints["closed_date"].append(closed.isoformat() if is_closed else "")
        complaints["days_to_close"].append(str(days_to_close[i]) if is_closed else "")
        complaints["category"].append(COMPLAINT_CATEGORY[str(first_category[i])])
        complaints["narrative"].append(
            f"The complainant alleges that an officer {ALLEGATION_TEXT[str(first_category[i])][0].lower()}. (Synthetic narrative.)"
        )
        for a in range(allegation_count[i]):
            category = (
                str(first_category[i])
                if a == 0
                else choose_one(rng, ALLEGATION_CATEGORIES, ALLEGATION_WEIGHTS)
            )
            officer = int(primary[i]) if a == 0 or rng.random() < 0.7 else int(secondary[i])
            texts = ALLEGATION_TEXT[category]
            if not is_closed:
                final = recommended = "pending"
            elif rng.random() < SUSTAINED_RATE[category]:
                final = recommended = "sustained"
            else:
                final = choose_one(
                    rng, ["not_sustained", "unfounded", "exonerated"], [0.45, 0.3, 0.25]
                )
                recommended = "sustained" if rng.random() < 0.1 else final
            discipline = choose_one(rng, DISCIPLINE, DISCIPLINE_WEIGHTS)
            allegations["record_id"].append(f"{complaint}-A{a + 1}")
            allegations["parent_id"].append(complaint)
            allegations["officer_id"].append(ctx.plan.officers[officer].uid)
            allegations["category"].append(category)
            allegations["allegation"].append(one_of(rng, texts))
            allegations["recommended_finding"].append(recommended)
            allegations["recommended_finding_raw"].append(FINDING_RAW[recommended])
            allegations["final_finding"].append(final)
            allegations["final_finding_raw"].append(FINDING_RAW[final])
            allegations["recommended_discipline"].append(
                discipline if recommended == "sustained" else ""
            )
            allegations["final_discipline"].append(discipline if final == "sustained" else "")
        for c in range(1 + int(rng.random() < 0.15)):
            race = ctx.race(rng, PEDESTRIAN_VEIL_FACTOR)
            age = int(np.clip(18 + rng.gamma(2.5, 10.0), 18, 90))
            complainants["record_id"].append(f"{complaint}-C{c + 1}")
            complainants["parent_id"].append(complaint)
            complainants["complainant_age"].append(str(age))
            complainants["complainant_age_range"].append(age_range(age))
            complainants["complainant_gender"].append(
                choose_one(rng, ["female", "male", "not_recorded"], [0.5, 0.47, 0.03])
            )
            complainants["complainant_race"].append(race)
            complainants["complainant_race_raw"].append(RACE_RAW[race])
    complaints.update(ctx.places.columns(rng, neighbourhood, lat, lng))
    add_agency(complaints, allegations, complainants)
    return {"complaint": complaints, "allegation": allegations, "complainant": complainants}
