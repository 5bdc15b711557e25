"""Local time in the demo city: real instants, clock changes and the sun (America/Chicago).

Every instant is written as local time with its offset (-06:00 in winter, -05:00 from 9 March
to 2 November 2025), generated as real instants so that no local time falls in the
spring-forward gap and the repeated hour of 2 November has both offsets. The light of an
instant (daylight, twilight, dark) carries planted effect 2, the veil of darkness: sunrise,
sunset, civil dawn and dusk are computed for the city centre (41.5868 N, 93.6250 W) with the
`astral` package (solar depression 6 degrees). See demo/demo-city.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from astral import Observer
from astral.sun import sun

from commonbeat.demo.city import CENTRE_LAT, CENTRE_LNG, TIME_ZONE
from commonbeat.demo.records.common import YEAR


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


class Clock:
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
        offsets: np.ndarray = self.hour_offset[index]
        return offsets

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

    def instants(self, t: np.ndarray, missing: np.ndarray | None = None) -> list[str]:
        """Return the instants with offsets alone ("" where missing)."""
        return self.render(t, missing)[2]


def _utc_offset(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
