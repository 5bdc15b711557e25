"""One year (2025) of the demo city's police records, with known effects planted in them.

From the city plan and its seed, `generate_records` writes Commonbeat standard CSV files
(`standard_<record_type>` mappings, docs/mappings.md) into a folder, and `import_records` /
`load_records` bring them into the record store through the one import path
(`records.services.run_import` → `records.engine.import_files`), so the demo city's records
are stored, checked and replaced like any other source's. Everything is drawn from numpy
Generators seeded with (seed, 2025, stream), one stream per record family: the same seed
always writes the same bytes. A full year takes a few seconds.

Records (full scale): 60,000 stops, 80,000 calls for service, 25,000 crimes, 600 use-of-force
incidents (with subjects, officers and actions) and 400 complaints (with allegations and
complainants), dated in 2025 (America/Chicago). Every instant is written as local time with
its offset (-06:00 in winter, -05:00 from 9 March to 2 November 2025), generated as real
instants so that no local time falls in the spring-forward gap and the repeated hour of
2 November has both offsets. Points are drawn uniformly inside the neighbourhood polygons
(strictly inside, after rounding to 6 decimals) and the `neighbourhood` column carries the
neighbourhood's slug (the standard mapping reads that column as given). Officer identifiers
are roster uids (RPD-00012) of officers employed and assigned on the day; patrol, traffic
and gang-unit officers make most stops, and officers assigned to the stop's neighbourhood are
4 times as likely to make it. The resident population by race of each neighbourhood (the
benchmark denominator) is written as `external_series` records (measure `residents`, level
`neighbourhood`, group `race: <code>`) and returned by `resident_population(plan)`.

Planted effects, with their exact parameters (docs/demo-city.md lists the values recovered):

1. Stop disparity (benchmark). Residents by race per neighbourhood: Black share ~ Beta(1.3, 7),
   Hispanic ~ Beta(2, 10), Asian/Pacific Islander ~ Beta(1.5, 20), multiracial ~ U(3%, 5%),
   Native American 0.6%, other 1%, white the rest; counts sum to the planned population.
   A stop's (neighbourhood, race) is drawn in proportion to residents x relative stop rate:
   white 1.0, Black 2.6 (vehicular, daylight; see 2), Hispanic 1.3, Asian/Pacific Islander
   0.6, Native American 1.2, multiracial 1.0, other 0.8. 75% of stops are vehicular.
2. Veil of darkness. For vehicular stops the Black rate is multiplied by 1.0 in daylight
   (sunrise to sunset), 0.85 in twilight and 0.70 after civil dusk (or before civil dawn):
   the odds that a stopped driver is Black are 0.70 times as high after dark as in daylight
   at the same clock time (an `is_dark` coefficient of log 0.70 = -0.36). Pedestrian stops
   use 0.85 throughout. Sunrise, sunset, civil dawn and dusk are computed for the city centre
   (41.5868 N, 93.6250 W) with the `astral` package (solar depression 6 degrees).
3. Searches and hits: a threshold test's world. Each stopped person carries contraband with
   probability p ~ Beta(lambda*phi, lambda*(1 - phi)), phi = logistic(logit(0.05) + d_n) with
   d_n ~ Normal(0, 0.25) per neighbourhood, lambda = 6, the same for every race. The officer
   searches when p exceeds the race's threshold: Black 0.10, Hispanic 0.15, everyone else
   0.23; a search finds contraband with probability p. Expected: search rate Black ~16%,
   white ~5%; hit rate Black ~20%, white ~32%: the outcome test's signature of a lower bar.
   Race is recorded as `unknown` for 1.5% of stops and left empty for 0.5%.
4. Response times. Calls wait in the dispatch queue (queued_at to dispatched_at) a lognormal
   time with median 45 s (priority 1), 4 min (priority 2) or 10 min (priority 3), sigma 0.7;
   priority-3 calls received 17:00-20:59 local wait 4 times as long (median 40 min). Travel
   (en_route_at to on_scene_at) has median 5/7/9 min by priority, sigma 0.45, and is 1.8 times
   as long in the neighbourhood whose centre is farthest from a police station
   (`slow_neighbourhood`). Officer-initiated calls (12%) have no queue.
5. Hot spot. 6% of burglaries and thefts fall uniformly in a 300 m circle centred on the pole
   of inaccessibility of the neighbourhood nearest the city centre (`hot_spot`), many times
   the city's density of those crimes (about 36 times for seed 1).
6. Complaints. Days to close are lognormal (sigma 0.55) with a median by the first
   allegation's category: force 150, bias 170, improper search 120, abuse of authority 110,
   neglect of duty 75, discourtesy 55; complaints not closed by 31 March 2026 are pending.
   Sustained rates by allegation category: neglect of duty 34%, discourtesy 28%, abuse of
   authority 14%, improper search 10%, force 6%, bias 4%.
7. Early-intervention signal. Five officers (`high_force_officers`: Patrol or Gang Unit
   police officers assigned all year, chosen by the seed) are the primary officer in 35% of
   use-of-force incidents, and three times as likely as their peers to be named in a complaint.
"""

from __future__ import annotations

import csv
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from astral import Observer
from astral.sun import sun
from shapely.geometry import shape as to_shape
from shapely.ops import polylabel

from commonbeat.core.demo.city import (
    AGENCY_SLUG,
    CENTRE_LAT,
    CENTRE_LNG,
    KM_PER_DEG_LAT,
    RANKS,
    TIME_ZONE,
    UNITS,
    CityPlan,
)
from commonbeat.records.schema import RECORD_TYPES

if TYPE_CHECKING:
    from commonbeat.records.engine import ImportReport
    from commonbeat.records.models import ImportRun

YEAR = 2025
# Complaints still open on this date are pending; outcomes are dated no later.
AS_OF = date(2026, 3, 31)
COUNTS = {"stop": 60_000, "call": 80_000, "crime": 25_000, "force_incident": 600, "complaint": 400}

# One stable file name per record type: the name is the store's partition key, so a rebuilt
# demo replaces the previous demo's records rather than adding to them.
FILES = {
    "external_series": f"riverton-residents-{YEAR}.csv",
    "stop": f"riverton-stops-{YEAR}.csv",
    "call": f"riverton-calls-{YEAR}.csv",
    "crime": f"riverton-crimes-{YEAR}.csv",
    "force_incident": f"riverton-force-incidents-{YEAR}.csv",
    "force_subject": f"riverton-force-subjects-{YEAR}.csv",
    "force_officer": f"riverton-force-officers-{YEAR}.csv",
    "force_action": f"riverton-force-actions-{YEAR}.csv",
    "complaint": f"riverton-complaints-{YEAR}.csv",
    "allegation": f"riverton-allegations-{YEAR}.csv",
    "complainant": f"riverton-complainants-{YEAR}.csv",
}
# A table to write: column name to values (strings, "" for missing), one per row.
Columns = dict[str, Any]
STREAMS = {
    "residents": 1,
    "stop": 2,
    "call": 3,
    "crime": 4,
    "force": 5,
    "complaint": 6,
    "roster": 7,
    "high-force": 8,
}

# 1. Residents and stop rates ---------------------------------------------------------------
RACES = (
    "white",
    "black",
    "hispanic",
    "asian_pacific_islander",
    "native_american",
    "multiracial",
    "other",
)
RACE_RAW = {
    "white": "White",
    "black": "Black",
    "hispanic": "Hispanic",
    "asian_pacific_islander": "Asian/Pacific Islander",
    "native_american": "Native American",
    "multiracial": "Multiracial",
    "other": "Other",
    "unknown": "Unknown",
    "not_recorded": "",
}
STOP_RATE = {
    "white": 1.0,
    "black": 2.6,
    "hispanic": 1.3,
    "asian_pacific_islander": 0.6,
    "native_american": 1.2,
    "multiracial": 1.0,
    "other": 0.8,
}
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
# 4. Calls: lognormal medians in seconds, by priority "1", "2", "3".
QUEUE_MEDIAN = {"1": 45.0, "2": 240.0, "3": 600.0}
QUEUE_SIGMA = 0.7
EVENING_HOURS = (17, 21)  # [17:00, 21:00) local, on the received clock time
EVENING_P3_QUEUE_FACTOR = 4.0
TRAVEL_MEDIAN = {"1": 300.0, "2": 420.0, "3": 540.0}
TRAVEL_SIGMA = 0.45
SLOW_TRAVEL_FACTOR = 1.8
OFFICER_INITIATED_SHARE = 0.12
# 5. Hot spot.
HOT_SPOT_RADIUS_M = 300.0
HOT_SPOT_SHARE = 0.06
HOT_SPOT_CATEGORIES = ("burglary", "theft")
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
# 7. Early intervention.
HIGH_FORCE_COUNT = 5
HIGH_FORCE_SHARE = 0.35
HIGH_FORCE_COMPLAINT_WEIGHT = 3.0

# Relative frequency by local clock hour, 00:00 to 23:00.
# fmt: off
STOP_HOURS = (5, 4, 3, 2, 1.5, 1, 1.5, 3, 4, 4, 4, 4, 4, 4, 4.5, 5, 5.5, 6, 6.5, 6.5, 6, 6, 6, 5.5)
CALL_HOURS = (3, 2.5, 2, 1.5, 1.2, 1.2, 1.5, 2.2, 3, 3.5, 3.8, 4, 4.2, 4.2, 4.3, 4.6, 5, 5.5, 5.6, 5.5, 5.2, 4.8, 4.2, 3.6)
CRIME_HOURS = (4, 3.5, 3, 2, 1.5, 1.2, 1.5, 2.5, 3.5, 4, 4.2, 4.5, 5, 5, 5, 5.2, 5.5, 5.8, 5.8, 5.6, 5.4, 5.2, 5, 4.5)
FORCE_HOURS = (6, 5.5, 5, 3.5, 2, 1.2, 1, 1.2, 1.5, 2, 2.5, 3, 3.2, 3.4, 3.6, 4, 4.5, 5, 5.5, 6, 6.5, 6.8, 7, 6.5)
# fmt: on

# Who does what: weights by unit (in city.UNITS order) and by rank (city.RANKS order).
UNIT_WEIGHTS = {
    # Patrol, Traffic, Investigations, Community Policing, Training, Gang Unit
    "vehicular": (1.0, 3.0, 0.0, 0.2, 0.0, 0.3),
    "pedestrian": (1.0, 0.2, 0.05, 0.6, 0.0, 1.5),
    "force": (1.0, 0.4, 0.1, 0.3, 0.02, 1.5),
    "complaint": (1.0, 0.8, 0.4, 0.5, 0.1, 1.2),
}
RANK_WEIGHTS = (1.0, 0.3, 0.4, 0.08, 0.02)
NEIGHBOURHOOD_AFFINITY = 4.0

STREETS = (
    "Main St",
    "Oak St",
    "Elm St",
    "Grand Ave",
    "Park Ave",
    "River Rd",
    "Cedar St",
    "Walnut St",
    "Maple Ave",
    "University Ave",
    "Hickman Rd",
    "Ingersoll Ave",
    "Army Post Rd",
    "Euclid Ave",
    "Fleur Dr",
    "Keo Way",
)


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, YEAR, STREAMS[stream]])


def _choice(
    rng: np.random.Generator, options: Sequence[Any], weights: Sequence[float], n: int
) -> Any:
    p = np.asarray(weights, dtype=float)
    return np.asarray(options)[rng.choice(len(options), size=n, p=p / p.sum())]


# Residents ----------------------------------------------------------------------------------


def resident_population(plan: CityPlan) -> dict[str, dict[str, int]]:
    """Return each neighbourhood's residents by race (codes of RACES); each sums to its population."""
    rng = _rng(plan.seed, "residents")
    result: dict[str, dict[str, int]] = {}
    for neighbourhood in plan.neighbourhoods:
        others = np.array(
            [
                rng.beta(1.3, 7.0),
                rng.beta(2.0, 10.0),
                rng.beta(1.5, 20.0),
                0.006,
                rng.uniform(0.03, 0.05),
                0.01,
            ]
        )
        if others.sum() > 0.85:
            others *= 0.85 / others.sum()
        shares = np.concatenate([[1.0 - others.sum()], others])
        exact = shares * neighbourhood.population
        counts = np.floor(exact).astype(int)
        remainder = neighbourhood.population - int(counts.sum())
        for index in np.argsort(-(exact - counts), kind="stable")[:remainder]:
            counts[index] += 1
        result[neighbourhood.slug] = {
            race: int(count) for race, count in zip(RACES, counts, strict=True)
        }
    return result


# Time ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SunTimes:
    """Civil dawn, sunrise, sunset and civil dusk of one local date, as aware datetimes."""

    date: date
    dawn: datetime
    sunrise: datetime
    sunset: datetime
    dusk: datetime


def sun_times(year: int = YEAR) -> list[SunTimes]:
    """Return the sun's times at the city centre for each day of the year (astral, civil twilight)."""
    zone = ZoneInfo(TIME_ZONE)
    observer = Observer(latitude=CENTRE_LAT, longitude=CENTRE_LNG, elevation=0.0)
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        times = sun(observer, date=day, tzinfo=zone)
        days.append(SunTimes(day, times["dawn"], times["sunrise"], times["sunset"], times["dusk"]))
        day += timedelta(days=1)
    return days


class _Clock:
    """Local days of the year as real instants (epoch seconds), and their local rendering."""

    def __init__(self, year: int) -> None:
        self.zone = ZoneInfo(TIME_ZONE)
        self.start = date(year, 1, 1)
        self.days = (date(year + 1, 1, 1) - self.start).days
        self.midnight = np.array(
            [
                int(
                    datetime.combine(
                        self.start + timedelta(d), datetime.min.time(), self.zone
                    ).timestamp()
                )
                for d in range(self.days)
            ],
            dtype=np.int64,
        )
        # UTC offsets hour by hour (changes happen on the hour), with margins either side.
        self.t0 = int(self.midnight[0]) - 120 * 86400
        hours = (self.days + 240) * 24
        self.hour_offset = np.array(
            [
                _utc_offset(datetime.fromtimestamp(self.t0 + h * 3600, UTC).astimezone(self.zone))
                for h in range(hours)
            ],
            dtype=np.int64,
        )
        self.local_epoch = int(self.midnight[0]) + int(self.offset(self.midnight[:1])[0])
        self.weekday = (self.start.weekday() + np.arange(self.days)) % 7
        suns = sun_times(year)
        self.dawn, self.sunrise, self.sunset, self.dusk = (
            np.array([int(getattr(s, part).timestamp()) for s in suns], dtype=np.int64)
            for part in ("dawn", "sunrise", "sunset", "dusk")
        )

    def offset(self, t: np.ndarray) -> np.ndarray:
        index = np.clip((t - self.t0) // 3600, 0, len(self.hour_offset) - 1)
        return self.hour_offset[index]

    def local_day(self, t: np.ndarray) -> np.ndarray:
        """Return the index of each instant's local date (0 = 1 January)."""
        return np.asarray((t + self.offset(t) - self.local_epoch) // 86400)

    def local_hour(self, t: np.ndarray) -> np.ndarray:
        return np.asarray(((t + self.offset(t)) % 86400) // 3600)

    def draw(
        self,
        rng: np.random.Generator,
        n: int,
        hours: Sequence[float],
        weekdays: Sequence[float] = (1, 1, 1, 1, 1, 1, 1),
        season: float = 0.0,
    ) -> np.ndarray:
        """Return n sorted instants: a day by weekday and season, then an hour by clock profile.

        The time is elapsed time since local midnight, so every instant exists; on the two
        days the clocks change, the clock time after 02:00 is an hour off the profile.
        """
        phase = 2 * np.pi * (np.arange(self.days) - 80) / self.days
        day_weights = np.asarray(weekdays, dtype=float)[self.weekday] * (1 + season * np.sin(phase))
        day = rng.choice(self.days, size=n, p=day_weights / day_weights.sum())
        hour_weights = np.asarray(hours, dtype=float)
        hour = rng.choice(24, size=n, p=hour_weights / hour_weights.sum())
        second = rng.integers(0, 3600, size=n)
        return np.sort(self.midnight[day] + hour * 3600 + second)

    def light(self, t: np.ndarray) -> np.ndarray:
        """Return 0 in daylight (sunrise to sunset), 2 in the dark (dusk to dawn), 1 between."""
        day = np.clip(self.local_day(t), 0, self.days - 1)
        daylight = (t >= self.sunrise[day]) & (t < self.sunset[day])
        dark = (t < self.dawn[day]) | (t >= self.dusk[day])
        return np.where(daylight, 0, np.where(dark, 2, 1))

    def render(
        self, t: np.ndarray, missing: np.ndarray | None = None
    ) -> tuple[list[str], list[str], list[str]]:
        """Return local dates, clock times and instants with offsets ("" where missing)."""
        offsets = self.offset(t)
        text = np.datetime_as_string((t + offsets).astype("datetime64[s]"), unit="s").tolist()
        suffix = {int(o): _offset_text(int(o)) for o in np.unique(offsets)}
        dates = [s[:10] for s in text]
        times = [s[11:] for s in text]
        instants = [s + suffix[o] for s, o in zip(text, offsets.tolist(), strict=True)]
        if missing is not None:
            for index in np.flatnonzero(missing).tolist():
                dates[index] = times[index] = instants[index] = ""
        return dates, times, instants


def _utc_offset(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _instants(clock: _Clock, t: np.ndarray, missing: np.ndarray | None = None) -> list[str]:
    return clock.render(t, missing)[2]


def _dates(days: Sequence[date | None]) -> list[str]:
    return [d.isoformat() if d else "" for d in days]


# Places -------------------------------------------------------------------------------------


def _km_per_deg_lng() -> float:
    return 111.320 * math.cos(math.radians(CENTRE_LAT))


def _to_km(geometry: Any) -> Any:
    def convert(xy: Any) -> Any:
        out = xy.copy()
        out[:, 0] = (xy[:, 0] - CENTRE_LNG) * _km_per_deg_lng()
        out[:, 1] = (xy[:, 1] - CENTRE_LAT) * KM_PER_DEG_LAT
        return out

    return shapely.transform(geometry, convert)


@dataclass(frozen=True)
class HotSpot:
    neighbourhood: str
    latitude: float
    longitude: float
    radius_m: float


def hot_spot(plan: CityPlan) -> HotSpot:
    """Return the burglary and theft hot spot: a circle deep inside the most central neighbourhood."""
    centre = shapely.Point(0.0, 0.0)
    shapes = [_to_km(to_shape(n.boundary)) for n in plan.neighbourhoods]
    index = min(range(len(shapes)), key=lambda i: (shapes[i].distance(centre), i))
    polygon = shapes[index]
    if polygon.geom_type == "MultiPolygon":
        polygon = max(polygon.geoms, key=lambda g: g.area)
    pole = polylabel(polygon, tolerance=0.01)
    return HotSpot(
        plan.neighbourhoods[index].slug,
        round(CENTRE_LAT + pole.y / KM_PER_DEG_LAT, 6),
        round(CENTRE_LNG + pole.x / _km_per_deg_lng(), 6),
        HOT_SPOT_RADIUS_M,
    )


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
            math.hypot(
                (n.centre[0] - lat) * KM_PER_DEG_LAT, (n.centre[1] - lng) * _km_per_deg_lng()
            )
            for lat, lng in stations
        )

    return str(max(plan.neighbourhoods, key=distance).slug)


class _Places:
    def __init__(self, plan: CityPlan) -> None:
        self.slugs = [n.slug for n in plan.neighbourhoods]
        self.shapes = [to_shape(n.boundary) for n in plan.neighbourhoods]
        for polygon in self.shapes:
            shapely.prepare(polygon)

    def sample(
        self, rng: np.random.Generator, neighbourhood: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return uniform points strictly inside each row's neighbourhood (6 decimals)."""
        lat = np.zeros(len(neighbourhood))
        lng = np.zeros(len(neighbourhood))
        for k, polygon in enumerate(self.shapes):
            rows = np.flatnonzero(neighbourhood == k)
            if not len(rows):
                continue
            minx, miny, maxx, maxy = polygon.bounds
            fill = polygon.area / ((maxx - minx) * (maxy - miny))
            xs: list[np.ndarray] = []
            ys: list[np.ndarray] = []
            found = 0
            while found < len(rows):
                size = int((len(rows) - found) * 1.3 / fill) + 16
                x = np.round(rng.uniform(minx, maxx, size), 6)
                y = np.round(rng.uniform(miny, maxy, size), 6)
                inside = shapely.contains_xy(polygon, x, y)
                xs.append(x[inside])
                ys.append(y[inside])
                found += int(inside.sum())
            lng[rows] = np.concatenate(xs)[: len(rows)]
            lat[rows] = np.concatenate(ys)[: len(rows)]
        return lat, lng

    def sample_circle(
        self, rng: np.random.Generator, spot: HotSpot, n: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return n uniform points in the hot spot's circle, inside its neighbourhood."""
        polygon = self.shapes[self.slugs.index(spot.neighbourhood)]
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        found = 0
        while found < n:
            size = n - found + 16
            radius = spot.radius_m / 1000 * np.sqrt(rng.random(size))
            angle = rng.uniform(0, 2 * np.pi, size)
            x = np.round(spot.longitude + radius * np.cos(angle) / _km_per_deg_lng(), 6)
            y = np.round(spot.latitude + radius * np.sin(angle) / KM_PER_DEG_LAT, 6)
            inside = shapely.contains_xy(polygon, x, y) & (
                np.hypot(
                    (x - spot.longitude) * _km_per_deg_lng(), (y - spot.latitude) * KM_PER_DEG_LAT
                )
                <= spot.radius_m / 1000
            )
            xs.append(x[inside])
            ys.append(y[inside])
            found += int(inside.sum())
        return np.concatenate(ys)[:n], np.concatenate(xs)[:n]


def _addresses(rng: np.random.Generator, n: int) -> list[str]:
    blocks = (rng.integers(1, 60, size=n) * 100).tolist()
    streets = rng.integers(0, len(STREETS), size=n).tolist()
    return [f"{b} block of {STREETS[s]}" for b, s in zip(blocks, streets, strict=True)]


# Officers -----------------------------------------------------------------------------------


class _Roster:
    """Each officer's unit, rank and neighbourhood on each day (-1: not employed or none)."""

    def __init__(self, plan: CityPlan, start: date, end: date) -> None:
        self.plan = plan
        self.start = start
        self.days = (end - start).days + 1
        count = len(plan.officers)
        slugs = {n.slug: i for i, n in enumerate(plan.neighbourhoods)}
        self.unit = np.full((count, self.days), -1, dtype=np.int16)
        self.rank = np.full((count, self.days), -1, dtype=np.int16)
        self.neighbourhood = np.full((count, self.days), -1, dtype=np.int16)
        for i, officer in enumerate(plan.officers):
            for assignment in officer.assignments:
                first = max((assignment.start_date - start).days, 0)
                last = min(((assignment.end_date or end) - start).days, self.days - 1)
                if first > last:
                    continue
                span = slice(first, last + 1)
                self.unit[i, span] = UNITS.index(assignment.unit) if assignment.unit in UNITS else 0
                self.rank[i, span] = RANKS.index(assignment.rank) if assignment.rank in RANKS else 0
                self.neighbourhood[i, span] = slugs.get(assignment.neighbourhood or "", -1)
        key = np.concatenate([self.unit, self.rank, self.neighbourhood]).T
        _, first_day, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        self.group = np.asarray(inverse).reshape(-1)
        self.group_day = first_day
        self.productivity = _rng(plan.seed, "roster").gamma(2.0, 0.5, size=count)

    def day_index(self, day: date) -> int:
        return (day - self.start).days

    def weights(self, purpose: str, day: int) -> np.ndarray:
        unit = self.unit[:, day]
        rank = self.rank[:, day]
        active = unit >= 0
        unit_weight = np.asarray(UNIT_WEIGHTS[purpose])[np.where(active, unit, 0)]
        rank_weight = np.asarray(RANK_WEIGHTS)[np.where(active, rank, 0)]
        return np.asarray(np.where(active, unit_weight * rank_weight * self.productivity, 0.0))

    def pick(
        self,
        rng: np.random.Generator,
        purpose: str,
        day: np.ndarray,
        neighbourhood: np.ndarray,
        boost: dict[int, float] | None = None,
    ) -> np.ndarray:
        """Return one officer index per row, employed on the row's day, weighted by purpose."""
        result = np.zeros(len(day), dtype=np.int64)
        if not len(day):
            return result
        width = int(self.neighbourhood.max()) + 2
        combo = self.group[day] * width + (neighbourhood + 1)
        order = np.argsort(combo, kind="stable")
        values, starts = np.unique(combo[order], return_index=True)
        ends = [*starts[1:].tolist(), len(order)]
        for value, begin, finish in zip(values.tolist(), starts.tolist(), ends, strict=True):
            rows = order[begin:finish]
            group, place = divmod(value, width)
            sample_day = int(self.group_day[group])
            weights = self.weights(purpose, sample_day)
            weights = weights * np.where(
                self.neighbourhood[:, sample_day] == place - 1, NEIGHBOURHOOD_AFFINITY, 1.0
            )
            for officer, factor in (boost or {}).items():
                weights[officer] *= factor
            if weights.sum() <= 0:
                weights = (self.unit[:, sample_day] >= 0).astype(float)
            if weights.sum() <= 0:
                weights = np.ones(len(weights))
            cumulative = np.cumsum(weights)
            draws = rng.random(len(rows)) * cumulative[-1]
            result[rows] = np.minimum(
                np.searchsorted(cumulative, draws, side="right"), len(weights) - 1
            )
        return result


def high_force_officers(plan: CityPlan) -> list[str]:
    """Return the uids of the officers planted as the use-of-force early-intervention signal."""
    roster = _Roster(plan, date(YEAR, 1, 1), date(YEAR, 12, 31))
    return [plan.officers[i].uid for i in _high_force_indexes(plan, roster)]


def _high_force_indexes(plan: CityPlan, roster: _Roster) -> list[int]:
    first = roster.day_index(date(YEAR, 1, 1))
    last = roster.day_index(date(YEAR, 12, 31))
    units = roster.unit[:, first : last + 1]
    ranks = roster.rank[:, first : last + 1]
    street = np.isin(units, [UNITS.index("Patrol"), UNITS.index("Gang Unit")]).all(axis=1)
    eligible = np.flatnonzero(street & (ranks == 0).all(axis=1))
    if len(eligible) < HIGH_FORCE_COUNT:
        eligible = np.flatnonzero((units >= 0).all(axis=1))
    rng = _rng(plan.seed, "high-force")
    chosen = rng.choice(eligible, size=min(HIGH_FORCE_COUNT, len(eligible)), replace=False)
    return sorted(int(i) for i in chosen)


# Output -------------------------------------------------------------------------------------


@dataclass
class GeneratedRecords:
    """What `generate_records` wrote: the files in import order, and rows per record type."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    residents: dict[str, dict[str, int]] = field(default_factory=dict)


def _write(folder: Path, record_type: str, columns: Columns) -> tuple[Path, int]:
    names = [n for n in RECORD_TYPES[record_type].names if n != "source"]
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"{record_type} has no field(s) {sorted(unknown)}")
    rows = len(columns["record_id"])
    empty = [""] * rows
    ordered = [list(columns.get(name, empty)) for name in names]
    for name, values in zip(names, ordered, strict=True):
        if len(values) != rows:
            raise ValueError(f"{record_type}.{name}: {len(values)} values for {rows} rows")
    path = folder / FILES[record_type]
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(zip(*ordered, strict=True))
    return path, rows


def _columns(names: str) -> Columns:
    """Return an empty table with these (space-separated) columns."""
    return {name: [] for name in names.split()}


def _bools(values: np.ndarray, missing: np.ndarray | None = None) -> list[str]:
    text = np.where(values, "true", "false")
    if missing is not None:
        text = np.where(missing, "", text)
    return list(text.tolist())


def _numbers(values: np.ndarray, digits: int) -> list[str]:
    return [f"{v:.{digits}f}" for v in values.tolist()]


def _ids(prefix: str, n: int, width: int = 6) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _age_range(age: int) -> str:
    for upper, label in (
        (17, "under 18"),
        (24, "18-24"),
        (34, "25-34"),
        (44, "35-44"),
        (54, "45-54"),
        (64, "55-64"),
    ):
        if age <= upper:
            return label
    return "65+"


@dataclass
class _Context:
    plan: CityPlan
    scale: float
    counts: dict[str, int]
    clock: _Clock
    places: _Places
    roster: _Roster
    residents: np.ndarray  # neighbourhood x race

    def count(self, record_type: str) -> int:
        if record_type in self.counts:
            return int(self.counts[record_type])
        return max(1, round(COUNTS[record_type] * self.scale))

    def rng(self, stream: str) -> np.random.Generator:
        return _rng(self.plan.seed, stream)

    def roster_day(self, t: np.ndarray) -> np.ndarray:
        offset = self.roster.day_index(self.clock.start)
        return np.clip(self.clock.local_day(t) + offset, 0, self.roster.days - 1)

    def cells(
        self, rng: np.random.Generator, rates: np.ndarray, n: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw (neighbourhood, race) cells in proportion to residents x rate by race."""
        weights = (self.residents * rates[None, :]).ravel()
        cell = rng.choice(len(weights), size=n, p=weights / weights.sum())
        return cell // len(RACES), cell % len(RACES)


def _race_rates(black_factor: float) -> np.ndarray:
    rates = np.array([STOP_RATE[r] for r in RACES])
    rates[RACES.index("black")] *= black_factor
    return rates


# Record families ----------------------------------------------------------------------------


def _stops(ctx: _Context) -> Columns:
    rng = ctx.rng("stop")
    n = ctx.count("stop")
    hours = STOP_HOURS
    t = ctx.clock.draw(rng, n, hours, weekdays=(1.0, 1.05, 1.05, 1.05, 1.1, 0.95, 0.8))
    light = ctx.clock.light(t)
    vehicular = rng.random(n) < VEHICULAR_SHARE
    neighbourhood = np.zeros(n, dtype=np.int64)
    race = np.zeros(n, dtype=np.int64)
    groups = [(vehicular & (light == state), VEIL_FACTOR[state]) for state in range(3)]
    groups.append((~vehicular, PEDESTRIAN_VEIL_FACTOR))
    for mask, factor in groups:
        rows = np.flatnonzero(mask)
        neighbourhood[rows], race[rows] = ctx.cells(rng, _race_rates(factor), len(rows))
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
    gender = _choice(rng, ["male", "female", "not_recorded"], [0.70, 0.29, 0.01], n)
    reason = np.where(
        vehicular,
        _choice(
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
        _choice(
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
    basis = _choice(
        rng,
        ["probable_cause", "consent", "incident_to_arrest", "plain_view", "k9", "other"],
        [0.40, 0.30, 0.10, 0.10, 0.05, 0.05],
        n,
    )
    purpose = _choice(rng, ["Drugs", "Weapons", "Stolen property"], [0.6, 0.25, 0.15], n)
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
        "record_id": _ids("S2025-", n),
        "agency": [AGENCY_SLUG] * n,
        "occurred_date": dates,
        "occurred_time": times,
        "occurred_at": instants,
        "location": _addresses(rng, n),
        "latitude": _numbers(lat, 6),
        "longitude": _numbers(lng, 6),
        "neighbourhood": [ctx.places.slugs[k] for k in neighbourhood.tolist()],
        "stop_type": np.where(vehicular, "vehicular", "pedestrian").tolist(),
        "reason": reason.tolist(),
        "subject_age": age.astype(str).tolist(),
        "subject_age_range": [_age_range(a) for a in age.tolist()],
        "subject_gender": gender.tolist(),
        "subject_race": recorded_list,
        "subject_race_raw": [RACE_RAW[r] for r in recorded_list],
        "frisk_performed": _bools(frisk),
        "search_conducted": _bools(searched),
        "search_basis": np.where(searched, basis, "").tolist(),
        "contraband_found": _bools(found, no_search),
        "contraband_drugs": _bools(drugs, no_search),
        "contraband_weapons": _bools(weapons, no_search),
        "contraband_other": _bools(other, no_search),
        "object_of_search": np.where(searched, purpose, "").tolist(),
        "outcome": outcome.tolist(),
        "outcome_raw": [o.capitalize() if o != "none" else "No action" for o in outcome.tolist()],
        "outcome_linked_to_object": _bools(linked, no_search),
        "force_used": _bools(force_used),
        "officer_id": [uids[i] for i in officer.tolist()],
    }


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


def _calls(ctx: _Context) -> Columns:
    rng = ctx.rng("call")
    n = ctx.count("call")
    hours = CALL_HOURS
    received = ctx.clock.draw(rng, n, hours, weekdays=(1, 1, 1, 1, 1.08, 1.1, 1.0), season=0.08)
    priority = _choice(rng, ["1", "2", "3"], [0.15, 0.35, 0.5], n)
    officer_initiated = rng.random(n) < OFFICER_INITIATED_SHARE
    source = np.where(
        officer_initiated,
        "officer_initiated",
        np.where(
            priority == "1",
            _choice(rng, ["phone_911", "alarm"], [0.9, 0.1], n),
            _choice(
                rng,
                ["phone_911", "phone_other", "alarm", "online", "text"],
                [0.45, 0.38, 0.08, 0.07, 0.02],
                n,
            ),
        ),
    )
    neighbourhood = rng.choice(
        len(ctx.places.slugs), size=n, p=ctx.residents.sum(axis=1) / ctx.residents.sum()
    )
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
        call_type[rows] = _choice(rng, types, weights, len(rows))
    call_type[officer_initiated] = np.where(
        priority[officer_initiated] == "3", "Traffic stop", "Suspicious activity"
    )
    disposition = _choice(
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
        _choice(rng, ["Disturbance", "Assist other agency", "No crime"], [0.4, 0.3, 0.3], n),
        call_type,
    )

    lat, lng = ctx.places.sample(rng, neighbourhood)
    return {
        "record_id": _ids("E2025-", n),
        "agency": [AGENCY_SLUG] * n,
        "discipline": ["police"] * n,
        "received_at": _instants(ctx.clock, received),
        "queued_at": _instants(ctx.clock, queued),
        "dispatched_at": _instants(ctx.clock, dispatched, cancelled),
        "en_route_at": _instants(ctx.clock, en_route, cancelled),
        "on_scene_at": _instants(ctx.clock, on_scene, cancelled | called_off),
        "cleared_at": _instants(ctx.clock, cleared),
        "priority": priority.tolist(),
        "call_type": call_type.tolist(),
        "final_type": final_type.tolist(),
        "call_source": source.tolist(),
        "disposition": disposition.tolist(),
        "location": _addresses(rng, n),
        "latitude": _numbers(lat, 6),
        "longitude": _numbers(lng, 6),
        "neighbourhood": [ctx.places.slugs[k] for k in neighbourhood.tolist()],
    }


CRIME_CATEGORIES = {
    # category: (share, clearance rate)
    "theft": (0.34, 0.10),
    "burglary": (0.12, 0.12),
    "motor vehicle theft": (0.08, 0.09),
    "criminal damage": (0.14, 0.10),
    "assault": (0.15, 0.45),
    "robbery": (0.03, 0.28),
    "drug offences": (0.06, 0.90),
    "fraud": (0.05, 0.15),
    "other": (0.03, 0.30),
}


def _crimes(ctx: _Context) -> Columns:
    rng = ctx.rng("crime")
    n = ctx.count("crime")
    hours = CRIME_HOURS
    t = ctx.clock.draw(rng, n, hours, season=0.12)
    names = list(CRIME_CATEGORIES)
    category = _choice(rng, names, [CRIME_CATEGORIES[c][0] for c in names], n)
    neighbourhood = rng.choice(
        len(ctx.places.slugs), size=n, p=ctx.residents.sum(axis=1) / ctx.residents.sum()
    )
    lat, lng = ctx.places.sample(rng, neighbourhood)
    spot = hot_spot(ctx.plan)
    in_spot = np.isin(category, HOT_SPOT_CATEGORIES) & (rng.random(n) < HOT_SPOT_SHARE)
    rows = np.flatnonzero(in_spot)
    lat[rows], lng[rows] = ctx.places.sample_circle(rng, spot, len(rows))
    neighbourhood[rows] = ctx.places.slugs.index(spot.neighbourhood)

    untimed = np.isin(category, ("burglary", "theft", "motor vehicle theft", "fraud")) & (
        rng.random(n) < 0.15
    )
    dates, times, instants = ctx.clock.render(t)
    for index in np.flatnonzero(untimed).tolist():
        times[index] = instants[index] = ""
    clearance = np.array([CRIME_CATEGORIES[c][1] for c in category.tolist()])
    cleared = rng.random(n) < clearance
    draw = rng.random(n)
    outcome = np.where(
        cleared,
        np.where(draw < 0.8, "charged", "cleared by exceptional means"),
        np.where(draw < 0.7, "no suspect identified", "under investigation"),
    )
    lag = np.where(
        outcome == "under investigation",
        0,
        np.where(cleared, 20 * np.exp(rng.normal(0, 1.0, n)), rng.integers(30, 90, n)),
    ).astype(int)
    first = ctx.clock.start
    outcome_dates = [
        min(first + timedelta(days=d + lag_days), AS_OF)
        for d, lag_days in zip(ctx.clock.local_day(t).tolist(), lag.tolist(), strict=True)
    ]
    return {
        "record_id": _ids("C2025-", n),
        "agency": [AGENCY_SLUG] * n,
        "category": category.tolist(),
        "occurred_date": dates,
        "occurred_time": times,
        "occurred_at": instants,
        "location": _addresses(rng, n),
        "latitude": _numbers(lat, 6),
        "longitude": _numbers(lng, 6),
        "neighbourhood": [ctx.places.slugs[k] for k in neighbourhood.tolist()],
        "outcome": outcome.tolist(),
        "outcome_date": _dates(outcome_dates),
        "cleared": _bools(cleared),
    }


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


def _force(ctx: _Context) -> dict[str, Columns]:
    rng = ctx.rng("force")
    n = ctx.count("force_incident")
    hours = FORCE_HOURS
    t = ctx.clock.draw(rng, n, hours)
    neighbourhood, race = ctx.cells(rng, _race_rates(PEDESTRIAN_VEIL_FACTOR), n)
    lat, lng = ctx.places.sample(rng, neighbourhood)
    dates, times, instants = ctx.clock.render(t)
    light = ctx.clock.light(t)
    indoors = rng.random(n) < 0.3
    fatal = rng.random(n) < 0.004
    firearm = fatal | (rng.random(n) < 0.01)
    day = ctx.roster_day(t)

    high_force = _high_force_indexes(ctx.plan, ctx.roster)
    picks = [ctx.roster.pick(rng, "force", day, neighbourhood) for _ in range(3)]
    use_high = rng.random(n) < HIGH_FORCE_SHARE
    high_pick = rng.integers(0, max(len(high_force), 1), n)
    officer_count = 1 + (rng.random(n) < 0.5).astype(int) + (rng.random(n) < 0.15).astype(int)
    subject_count = 1 + (rng.random(n) < 0.08).astype(int)
    incident_ids = _ids("UF2025-", n, 4)

    subjects: Columns = _columns(
        "record_id parent_id subject_age subject_age_range subject_gender subject_race subject_race_raw armed weapon injured arrested killed mental_health_crisis"
    )
    officers: Columns = _columns(
        "record_id parent_id officer_id officer_gender officer_race officer_race_raw officer_rank years_of_service injured"
    )
    actions: Columns = _columns(
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
            subject_race = (
                RACES[race[i]] if s == 0 else RACES[int(ctx.cells(rng, _race_rates(1.0), 1)[1][0])]
            )
            age = int(np.clip(16 + rng.gamma(2.0, 8.0), 16, 80))
            armed = bool(rng.random() < 0.15) or bool(firearm[i])
            subjects["record_id"].append(f"{incident}-S{s + 1}")
            subjects["parent_id"].append(incident)
            subjects["subject_age"].append(str(age))
            subjects["subject_age_range"].append(_age_range(age))
            subjects["subject_gender"].append("male" if rng.random() < 0.85 else "female")
            subjects["subject_race"].append(subject_race)
            subjects["subject_race_raw"].append(RACE_RAW[subject_race])
            subjects["armed"].append("true" if armed else "false")
            subjects["weapon"].append(
                str(WEAPONS[int(rng.integers(0, len(WEAPONS)))]) if armed else ""
            )
            killed = bool(fatal[i]) and s == 0
            subjects["injured"].append("true" if killed or rng.random() < 0.3 else "false")
            subjects["arrested"].append(
                "false" if killed else ("true" if rng.random() < 0.8 else "false")
            )
            subjects["killed"].append("true" if killed else "false")
            subjects["mental_health_crisis"].append("true" if rng.random() < 0.18 else "false")
            for _ in range(1 + int(rng.random() < 0.4)):
                moves.append(
                    (
                        "subject",
                        f"S{s + 1}",
                        str(RESISTANCE[int(rng.integers(0, len(RESISTANCE)))]),
                        "",
                    )
                )
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
                moves.append(
                    (
                        "officer",
                        f"O{o + 1}",
                        "",
                        str(FORCE_TYPES[int(rng.integers(0, len(FORCE_TYPES)))]),
                    )
                )
            if firearm[i] and o == 0:
                moves.append(("officer", "O1", "", "Firearm discharged"))
        for number, (actor, person, resistance, force) in enumerate(moves, start=1):
            actions["record_id"].append(f"{incident}-A{number}")
            actions["parent_id"].append(incident)
            actions["actor"].append(actor)
            actions["person_id"].append(person)
            actions["resistance_type"].append(resistance)
            actions["force_type"].append(force)
            actions["action"].append(resistance or force)
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
        "location": _addresses(rng, n),
        "latitude": _numbers(lat, 6),
        "longitude": _numbers(lng, 6),
        "neighbourhood": [ctx.places.slugs[k] for k in neighbourhood.tolist()],
        "conditions": conditions,
        "fatal": _bools(fatal),
        "firearm_discharged": _bools(firearm),
        "narrative": narratives,
    }
    for table in (subjects, officers, actions):
        table["agency"] = [AGENCY_SLUG] * len(table["record_id"])
    return {
        "force_incident": incidents,
        "force_subject": subjects,
        "force_officer": officers,
        "force_action": actions,
    }


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


def _complaints(ctx: _Context) -> dict[str, Columns]:
    rng = ctx.rng("complaint")
    n = ctx.count("complaint")
    first = ctx.clock.start
    received_day = np.sort(rng.integers(0, ctx.clock.days, n))
    lag = np.minimum(rng.geometric(1 / 12, n) - 1, 120)
    received = [first + timedelta(days=int(d)) for d in received_day.tolist()]
    incident = [r - timedelta(days=int(g)) for r, g in zip(received, lag.tolist(), strict=True)]
    incident_day = np.array([ctx.roster.day_index(d) for d in incident])
    neighbourhood = rng.choice(
        len(ctx.places.slugs), size=n, p=ctx.residents.sum(axis=1) / ctx.residents.sum()
    )
    lat, lng = ctx.places.sample(rng, neighbourhood)
    boost = dict.fromkeys(_high_force_indexes(ctx.plan, ctx.roster), HIGH_FORCE_COMPLAINT_WEIGHT)
    primary = ctx.roster.pick(rng, "complaint", incident_day, neighbourhood, boost)
    secondary = ctx.roster.pick(rng, "complaint", incident_day, neighbourhood, boost)
    allegation_count = 1 + (rng.random(n) < 0.45).astype(int) + (rng.random(n) < 0.15).astype(int)
    first_category = _choice(rng, ALLEGATION_CATEGORIES, ALLEGATION_WEIGHTS, n)
    days_to_close = np.maximum(
        np.round(
            np.array([DAYS_TO_CLOSE_MEDIAN[c] for c in first_category.tolist()])
            * np.exp(rng.normal(0, DAYS_TO_CLOSE_SIGMA, n))
        ),
        3,
    ).astype(int)
    complaint_ids = _ids("CP2025-", n, 4)
    complaints: Columns = _columns(
        "record_id received_date incident_date closed_date days_to_close category narrative"
    )
    allegations: Columns = _columns(
        "record_id parent_id officer_id category allegation recommended_finding recommended_finding_raw final_finding final_finding_raw recommended_discipline final_discipline"
    )
    complainants: Columns = _columns(
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
                else str(_choice(rng, ALLEGATION_CATEGORIES, ALLEGATION_WEIGHTS, 1)[0])
            )
            officer = int(primary[i]) if a == 0 or rng.random() < 0.7 else int(secondary[i])
            texts = ALLEGATION_TEXT[category]
            if not is_closed:
                final = recommended = "pending"
            elif rng.random() < SUSTAINED_RATE[category]:
                final = recommended = "sustained"
            else:
                final = str(
                    _choice(
                        rng, ["not_sustained", "unfounded", "exonerated"], [0.45, 0.3, 0.25], 1
                    )[0]
                )
                recommended = "sustained" if rng.random() < 0.1 else final
            discipline = str(_choice(rng, DISCIPLINE, DISCIPLINE_WEIGHTS, 1)[0])
            allegations["record_id"].append(f"{complaint}-A{a + 1}")
            allegations["parent_id"].append(complaint)
            allegations["officer_id"].append(ctx.plan.officers[officer].uid)
            allegations["category"].append(category)
            allegations["allegation"].append(texts[int(rng.integers(0, len(texts)))])
            allegations["recommended_finding"].append(recommended)
            allegations["recommended_finding_raw"].append(FINDING_RAW[recommended])
            allegations["final_finding"].append(final)
            allegations["final_finding_raw"].append(FINDING_RAW[final])
            allegations["recommended_discipline"].append(
                discipline if recommended == "sustained" else ""
            )
            allegations["final_discipline"].append(discipline if final == "sustained" else "")
        for c in range(1 + int(rng.random() < 0.15)):
            race = RACES[int(ctx.cells(rng, _race_rates(PEDESTRIAN_VEIL_FACTOR), 1)[1][0])]
            age = int(np.clip(18 + rng.gamma(2.5, 10.0), 18, 90))
            complainants["record_id"].append(f"{complaint}-C{c + 1}")
            complainants["parent_id"].append(complaint)
            complainants["complainant_age"].append(str(age))
            complainants["complainant_age_range"].append(_age_range(age))
            complainants["complainant_gender"].append(
                str(_choice(rng, ["female", "male", "not_recorded"], [0.5, 0.47, 0.03], 1)[0])
            )
            complainants["complainant_race"].append(race)
            complainants["complainant_race_raw"].append(RACE_RAW[race])
    complaints["agency"] = [AGENCY_SLUG] * n
    complaints["location"] = _addresses(rng, n)
    complaints["latitude"] = _numbers(lat, 6)
    complaints["longitude"] = _numbers(lng, 6)
    complaints["neighbourhood"] = [ctx.places.slugs[k] for k in neighbourhood.tolist()]
    for table in (allegations, complainants):
        table["agency"] = [AGENCY_SLUG] * len(table["record_id"])
    return {"complaint": complaints, "allegation": allegations, "complainant": complainants}


def _residents_series(residents: dict[str, dict[str, int]]) -> Columns:
    rows = [
        (slug, race, count) for slug, races in residents.items() for race, count in races.items()
    ]
    n = len(rows)
    return {
        "record_id": [f"residents-{slug}-{race}" for slug, race, _ in rows],
        "agency": [AGENCY_SLUG] * n,
        "series": ["Riverton resident population (synthetic)"] * n,
        "period_start": [f"{YEAR}-01-01"] * n,
        "period_end": [f"{YEAR}-12-31"] * n,
        "level": ["neighbourhood"] * n,
        "area": [slug for slug, _, _ in rows],
        "measure": ["residents"] * n,
        "group": [f"race: {race}" for _, race, _ in rows],
        "value": [str(count) for _, _, count in rows],
    }


# Public -------------------------------------------------------------------------------------


def generate_records(
    plan: CityPlan, folder: Path, scale: float = 1.0, counts: dict[str, int] | None = None
) -> GeneratedRecords:
    """Write the year's records as standard CSV files into the folder (same seed, same bytes).

    `scale` multiplies every count in COUNTS; `counts` sets some exactly (keys: stop, call,
    crime, force_incident, complaint). Children (force subjects, complaint allegations, …)
    follow their parents.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    residents = resident_population(plan)
    matrix = np.array(
        [[residents[n.slug][r] for r in RACES] for n in plan.neighbourhoods], dtype=float
    )
    ctx = _Context(
        plan=plan,
        scale=scale,
        counts=dict(counts or {}),
        clock=_Clock(YEAR),
        places=_Places(plan),
        roster=_Roster(plan, date(YEAR - 1, 10, 1), date(YEAR, 12, 31)),
        residents=matrix,
    )
    result = GeneratedRecords(folder, residents=residents)
    tables: dict[str, Columns] = {"external_series": _residents_series(residents)}
    families: list[Callable[[_Context], dict[str, Columns]]] = [
        lambda c: {"stop": _stops(c)},
        lambda c: {"call": _calls(c)},
        lambda c: {"crime": _crimes(c)},
        _force,
        _complaints,
    ]
    for family in families:
        tables.update(family(ctx))
    for record_type in FILES:
        path, rows = _write(folder, record_type, tables[record_type])
        result.files.append(path)
        result.rows[record_type] = rows
    return result


def import_records(
    paths: Sequence[Path],
    actor: str = "command:demo",
    progress: Callable[[str], None] | None = None,
) -> tuple[ImportReport, ImportRun]:
    """Import generated files into the configured record store, logged like any import."""
    from commonbeat.records.services import run_import

    return run_import(list(paths), actor=actor, progress=progress)


def load_records(
    plan: CityPlan,
    actor: str = "command:demo",
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[GeneratedRecords, ImportReport, ImportRun]:
    """Generate the year's records in a temporary folder and import them."""
    with tempfile.TemporaryDirectory(prefix="commonbeat-demo-") as folder:
        generated = generate_records(plan, Path(folder), scale=scale)
        report, run = import_records(generated.files, actor=actor, progress=progress)
    return generated, report, run
