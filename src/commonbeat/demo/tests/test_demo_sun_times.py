"""The analyses' sun times (insights/sun.py) are the demo city's: the same sunset and dusk at
its centre as the demo generator's clock (demo/records/clock.py), which decides which planted
stops fall in daylight and which after dark (demo/demo-city.md, section 2).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from commonbeat.demo.city import CENTRE_LAT, CENTRE_LNG
from commonbeat.demo.records.clock import sun_times
from commonbeat.insights import sun

CHICAGO = "America/Chicago"


def test_sun_times_agree_with_astral_and_the_demo_city() -> None:
    zone = ZoneInfo(CHICAGO)
    evening = sun.evening(CENTRE_LAT, CENTRE_LNG, date(2025, 6, 21), zone)
    assert evening is not None
    # demo/demo-city.md: 21 June 2025, sunset 20:52 and dusk 21:27 CDT at the city centre.
    nearest = [
        (t + timedelta(seconds=30)).strftime("%H:%M") for t in (evening.sunset, evening.dusk)
    ]
    assert nearest == ["20:52", "21:27"]
    assert evening.sunset.utcoffset() == timedelta(hours=-5)
    # The same as the demo generator's own astral call, every day of the year.
    for day in sun_times(2025):
        found = sun.evening(CENTRE_LAT, CENTRE_LNG, day.date, zone)
        assert found is not None
        assert (found.sunset, found.dusk) == (day.sunset, day.dusk)
        assert found.dusk_minute == day.dusk.hour * 60 + day.dusk.minute
