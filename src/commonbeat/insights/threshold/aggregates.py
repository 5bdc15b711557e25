"""Threshold-test cells from published aggregate counts (`stop_aggregate` records).

The Stanford Open Policing Project published the inputs of its 2017 state-patrol threshold test
(county x race stops, searches and hits) and, for three states, the thresholds it inferred.
Importing `../shared/data/opp_state_patrols` stores both as `stop_aggregate` records; this reads
them back as `Cells`, so the published fits can be reproduced through the same code path.
"""

from __future__ import annotations

import duckdb

from commonbeat.insights.threshold.fit import Cells, cells

COUNTS_TABLE = "threshold_test_counts"
REFERENCE_TABLE = "threshold_test_reference_CO_CT_IL"
RACES = ("white", "black", "hispanic")


def aggregate_cells(con: duckdb.DuckDBPyConnection, state: str, table: str = COUNTS_TABLE) -> Cells:
    """Return one state's cells, leaving out rows with no search (as the published fits did)."""
    rows = con.execute(
        """SELECT area, subject_race, stops, searches, hits FROM stop_aggregate
           WHERE "table" = ? AND state = ? AND searches > 0""",
        [table, state],
    ).fetchall()
    if not rows:
        raise ValueError(f"no {table} counts for state {state!r} in the record store")
    return cells(rows, races=RACES)


def published_thresholds(
    con: duckdb.DuckDBPyConnection, state: str
) -> dict[tuple[str, str], float]:
    """Return the published inferred threshold of each (area, race) of a state."""
    rows = con.execute(
        """SELECT area, subject_race, inferred_threshold FROM stop_aggregate
           WHERE "table" = ? AND state = ?""",
        [REFERENCE_TABLE, state],
    ).fetchall()
    return {(str(a), str(r)): float(t) for a, r, t in rows}
