"""The same 911 centre's hourly phone-answer statistics (week_NN_phone.csv), Oct-Nov 2025.

One row per local clock hour ("11/2/2025 01:00" or "11/9/2025 9:00"), with, for 911 lines
(`911_*`) and administrative lines (`ADM_*`), the calls answered within 10 s, in 10-15 s,
15-20 s, 20-40 s, 40-60 s, 60-120 s and after 120 s, the abandoned calls and the total. The
buckets are disjoint: in every row they add up to the total (`911_T`, `ADM_T`; `Total` is both).

Each count column kept becomes one `external_series` value per hour (one output per column).
The standard record has a date but no time of day, so the hour is in the record identifier
("2025-11-02T01:00 911_10"), which is unique per hour and measure across all outputs.

Not imported: `Hour` (the hour of `DateTime`) and the percentage columns (`*_PCT_*`), which are
the kept counts divided by calls answered or offered (and "#DIV/0!" in hours with no calls):
they are recomputed from the counts for any period. The rows are local clock hours, so on
2025-11-02 the 01:00 row covers the repeated hour twice.
"""

from __future__ import annotations

import re
from pathlib import Path

from commonbeat.records.mapping import (
    Mapping,
    Output,
    const,
    date,
    integer,
    raw,
    register,
    sql,
)
from commonbeat.records.mappings.dispatch_911_calls import TIME_ZONE
from commonbeat.records.sql import quote_literal

HOUR_FORMAT = "%m/%d/%Y %H:%M"  # DuckDB reads "11/2/2025 9:00" with this too
SERIES = "911 centre phone answer times"
LINES = {"911": "911", "ADM": "admin"}
BUCKETS = {
    "10": "answered_0_10s",
    "15": "answered_10_15s",
    "20": "answered_15_20s",
    "40": "answered_20_40s",
    "60": "answered_40_60s",
    "120": "answered_60_120s",
    "121": "answered_over_120s",
    "AB": "abandoned",
    "T": "total",
}
MEASURES = {
    **{
        f"{line}_{bucket}": f"{name}_{measure}"
        for line, name in LINES.items()
        for bucket, measure in BUCKETS.items()
    },
    "Total": "all_lines_total",
}


def _output(column: str, measure: str) -> Output:
    hour = (
        f"strftime(TRY_STRPTIME({raw('DateTime')}, {quote_literal(HOUR_FORMAT)}), '%Y-%m-%dT%H:%M')"
    )
    return Output(
        "external_series",
        {
            "series": const(SERIES),
            "period_start": date("DateTime", HOUR_FORMAT),
            "period_end": date("DateTime", HOUR_FORMAT),
            "level": const("centre"),
            "measure": const(measure),
            "group": const("all"),
            "value": integer(column, 0),  # counts of calls
        },
        key=sql(f"{hour} || ' ' || {quote_literal(column)}", "DateTime"),
        where=f"{raw(column)} IS NOT NULL",
    )


@register
class Dispatch911Phone(Mapping):
    name = "dispatch_911_phone"
    title = "911 centre hourly phone answer statistics"
    source = (
        "A US (Virginia) 911 communications centre's weekly phone logs, 2025-10-26 to 2025-11-29"
    )
    licence = "as published by the centre (public records)"
    agency = "dispatch-911"
    time_zone = TIME_ZONE  # the same centre as the call exports
    signature = ("DateTime", "Hour", "911_10", "911_AB", "911_T", "ADM_10", "ADM_AB", "ADM_T")
    outputs = tuple(_output(column, measure) for column, measure in MEASURES.items())

    @classmethod
    def partition(cls, path: Path) -> str:
        # week_44_phone.csv is week44's phone log; a re-export of it replaces it.
        match = re.match(r"week_?(\d+)", path.name, re.IGNORECASE)
        return f"week{int(match[1]):02d}" if match else super().partition(path)
