"""A US 911 communications centre's weekly call exports (weekNN.csv), police, fire and EMS.

One row per call (CAD master incident), 2025-08-24 to 2025-11-29, with the centre's stage
timestamps and, beside each, its own elapsed-time columns (Time_To_Queue, Processing_Time, ...).
Those elapsed columns are the centre's arithmetic on the same timestamps and are not imported;
the tests compare our stage durations with them.

What the files hold, and how it is read:

- Stages: `Incident_Start_Time` (call answered, the earliest time of a call; `Response_Date`,
  when the incident record was created, is 0-5 s later) is `received_at`; then
  `Incident_Queue_Time`, `Incident_Dispatch_Time` (first unit assigned),
  `Incident_Enroute_Time`, `Incident_Arrival_Time` (first unit on scene) and
  `Incident_First_Close_Time` as `cleared_at`. The centre's Total_Call_Time runs to the first
  close; `Final_Closed_Time` (only later for the 438 reopened calls, and empty in 1,335 rows
  where the first close is known) is not imported. Times are "2025-08-24 00:07:06.000",
  local wall-clock time with no offset; "NULL" is written for missing values.
- Time zone: the export does not name it, but the data place the centre in Virginia:
  `Call_Reception` "VCIN" is the Virginia Criminal Information Network, and problem types
  name "ALX COURT" (Alexandria) and "JUMPER FROM WWB" (the Woodrow Wilson Bridge). All of
  Virginia is on Eastern time, so times are read as America/New_York, not the America/Chicago
  default we would otherwise assume.
- Daylight saving: on 2025-11-02 the clocks went back from 02:00 to 01:00, so wall-clock
  times from 01:00 to 02:00 happened twice, and the export does not say which. DuckDB reads
  such a time as the second (standard time) one. Four calls received in the first pass had
  later stages recorded in the second (e.g. received 01:38, dispatched "01:06"): read plainly,
  those stages come before the call was received (the centre's own Total_Call_Time is negative
  for three of them). So a call's own times decide where they can:
  - nothing happens before a call is received, so a later stage in the repeated hour with an
    earlier clock time than the reception proves the clock went back after the reception: the
    reception is then its time's first (daylight time) occurrence;
  - a later stage in the repeated hour is read as the first occurrence when that is not before
    the reception and no earlier stage has shown the clock going back (a call received at
    00:39 and closed at "01:01" took 21 minutes, not 81); otherwise as the second;
  - a reception in the repeated hour with no such evidence keeps DuckDB's reading (the second
    occurrence), which may be an hour late: nothing in the row tells.
- `Agency` (POLICE, FIRE, EMS) is the discipline; `Problem` the call type; `Priority_Number`
  the priority (1 most urgent); `Disposition` is kept as recorded (fire and EMS calls have
  "UNDEFINED"); `Call_Reception` is how the call came in ("NOT CAPTURED" is missing).
- Nine police rows (prisoner transports and one weapon call) have no `Master_Incident_Number`:
  without an identifier they are rejected.
- There is no location in the export.
"""

from __future__ import annotations

import re
from pathlib import Path

from commonbeat.records.mapping import (
    CsvFormat,
    Expr,
    Mapping,
    Output,
    code,
    datetime,
    raw,
    register,
    text,
)
from commonbeat.records.sql import quote_literal

TIME_ZONE = "America/New_York"  # see the module docstring: the data place the centre in Virginia
FORMATS = ("%Y-%m-%d %H:%M:%S.%g", "%Y-%m-%d %H:%M:%S")
# The stages in the order they happen, with the standard field each one fills.
STAGES = (
    ("received_at", "Incident_Start_Time"),
    ("queued_at", "Incident_Queue_Time"),
    ("dispatched_at", "Incident_Dispatch_Time"),
    ("en_route_at", "Incident_Enroute_Time"),
    ("on_scene_at", "Incident_Arrival_Time"),
    ("cleared_at", "Incident_First_Close_Time"),
)
CALL_SOURCES: dict[str, str | None] = {
    "E-911": "phone_911",
    "Phone": "phone_other",
    "Cell Phone": "phone_other",
    "Text": "text",
    "OFFICER": "officer_initiated",
    # C2C / CAD2CAD: passed on by a neighbouring centre's CAD; VCIN: a state network message;
    # Radio, Flag Down, TDD, 911 Center, STORM: kept as "other" (raw values are not kept).
    "NOT CAPTURED": None,
}


def _local(column: str) -> str:
    """SQL for the column's local wall-clock time (TIMESTAMP), NULL when empty or unreadable."""
    attempts = ", ".join(f"TRY_STRPTIME({raw(column)}, {quote_literal(f)})" for f in FORMATS)
    return f"CAST(COALESCE({attempts}) AS TIMESTAMP)"


def _instant(local: str) -> str:
    return f"timezone({quote_literal(TIME_ZONE)}, {local})"


def _repeated(local: str) -> str:
    # True when the wall-clock time happened twice (the hour after clocks go back): the hour
    # before it is then two real hours earlier. (DuckDB reads a repeated time as the second one.)
    return f"(epoch({_instant(local)}) - epoch({_instant(f'({local} - INTERVAL 1 HOUR)')}) = 7200)"


def _stage(index: int) -> Expr:
    """The instant of one stage, a wall-clock time in the repeated hour read as the module
    docstring says."""
    _, column = STAGES[index]
    locals_ = [_local(c) for _, c in STAGES]
    received = locals_[0]

    def before_reception(local: str) -> str:
        # Nothing happens before a call is received: a later stage's time in the repeated
        # hour that is earlier than the reception's was recorded after the clock went back.
        return f"coalesce({_repeated(local)} AND {local} < {received}, FALSE)"

    went_back = " OR ".join(before_reception(x) for x in locals_[1:])
    first_pass = f"coalesce({_repeated(received)}, FALSE) AND ({went_back})"
    reception = f"CASE WHEN {first_pass} THEN {_instant(received)} - INTERVAL 1 HOUR ELSE {_instant(received)} END"
    if index == 0:
        value = reception
    else:
        here = locals_[index]
        earlier = " OR ".join(before_reception(x) for x in locals_[1:index]) or "FALSE"
        first = (
            f"coalesce({_repeated(here)} AND {_instant(here)} - INTERVAL 1 HOUR >= {reception}, FALSE) "
            f"AND NOT ({earlier})"
        )
        value = (
            f"CASE WHEN {first} THEN {_instant(here)} - INTERVAL 1 HOUR ELSE {_instant(here)} END"
        )
    check = datetime(column, *FORMATS, time_zone=TIME_ZONE).check
    return Expr(value, tuple(c for _, c in STAGES), check)


@register
class Dispatch911Calls(Mapping):
    name = "dispatch_911_calls"
    title = "911 centre weekly call exports"
    source = "A US (Virginia) 911 communications centre's weekly CAD call exports, 2025-08-24 to 2025-11-29"
    licence = "as published by the centre (public records)"
    agency = "dispatch-911"
    time_zone = TIME_ZONE
    csv = CsvFormat(null_values=("NULL",))
    signature = (
        "Master_Incident_Number",
        "Agency",
        "Problem",
        "Priority_Number",
        "Call_Reception",
        "Incident_Start_Time",
        "Incident_Queue_Time",
        "Incident_Dispatch_Time",
        "Incident_Enroute_Time",
        "Incident_Arrival_Time",
        "Incident_First_Close_Time",
    )
    outputs = (
        Output(
            "call",
            {
                "discipline": code("Agency", {"POLICE": "police", "FIRE": "fire", "EMS": "ems"}),
                **{field: _stage(i) for i, (field, _) in enumerate(STAGES)},
                "priority": text("Priority_Number"),
                "call_type": text("Problem"),
                "call_source": code("Call_Reception", CALL_SOURCES),
                "disposition": text("Disposition"),
            },
            key=text("Master_Incident_Number"),
        ),
    )

    @classmethod
    def partition(cls, path: Path) -> str:
        # week41.csv; a corrected re-export named e.g. "week41 (1).csv" or "week41_fixed.csv"
        # replaces the same week.
        match = re.match(r"week_?(\d+)", path.name, re.IGNORECASE)
        return f"week{int(match[1]):02d}" if match else super().partition(path)
