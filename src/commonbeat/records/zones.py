"""Agencies' time zones as a release records them: the agency's own, its sources', or none.

Call instants are published exact and the public side counts them by the agency's local
month, and the analyses read clock times in the agency's zone, so every layer that needs a
zone asks `agency_time_zones()`: the agency's own (from the database, passed in so this module
stays free of the ORM), else the one its source mappings declare, else none (`time_zone_from` "unknown", with a
note giving the command that sets it): nothing assumes UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commonbeat.records.mapping import all_mappings


class TimeZoneError(ValueError):
    """An agency's time zone is not one DuckDB and Python can read."""


def sources_by_agency(con: Any, record_types: set[str]) -> dict[str, set[str]]:
    """Return {agency: mapping names} over the record types' store views."""
    # Each record carries the mapping that imported it (`source`) and its agency, which the
    # catalog's partitions do not (one file may hold several agencies' records).
    found: dict[str, set[str]] = {}
    for name in sorted(record_types):
        for source, agency in con.execute(f"SELECT DISTINCT source, agency FROM {name}").fetchall():  # noqa: S608  names from the schema and mappings, quoted; values inlined as quoted literals
            found.setdefault(agency, set()).add(source)
    return found


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def fix_command(agency: str) -> str:
    """Return the command that sets an agency's time zone (for messages refusing without one)."""
    return f"commonbeat agency {agency} --time-zone <Area/City, for example America/Chicago>"


def agency_time_zones(
    sources: Mapping[str, set[str]], time_zones: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Return the manifest's `agencies`: each agency's time zone and where it came from."""
    mappings = all_mappings()
    out: dict[str, dict[str, Any]] = {}
    for agency, names in sorted(sources.items()):
        entry: dict[str, Any] = {"mappings": sorted(names)}
        own = time_zones.get(agency)
        declared = sorted(
            {zone for n in names if n in mappings and (zone := mappings[n].time_zone) is not None}
        )
        if own:
            # A zone DuckDB cannot read would break every page of the release: refuse it here.
            if not is_time_zone(own):
                raise TimeZoneError(
                    f"Agency {agency} has the time zone {own!r}, which is not an IANA zone name."
                )
            entry.update(time_zone=own, time_zone_from="agency")
        elif len(declared) == 1:
            entry.update(time_zone=declared[0], time_zone_from="source")
        else:
            # Not known: no zone is assumed. The manifest leaves `time_zone` out, and whatever
            # reads clock times (the veil of darkness, hour-of-day figures) refuses.
            entry["time_zone_from"] = "unknown"
            fix = fix_command(agency)
            entry["note"] = (
                f"The sources disagree on the time zone ({', '.join(declared)}), so analyses of "
                f"local clock times are withheld; set the agency's time zone: {fix}"
                if declared
                else "No time zone is known for this agency, so analyses of local clock times "
                f"are withheld; set it: {fix}"
            )
        out[agency] = entry
    return out
