from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from commonbeat.records.engine import ImportReport
from commonbeat.records.store import RecordStore

WEEKS = [f"week{n}.csv" for n in range(35, 49)]
PHONE_WEEKS = [f"week_{n}_phone.csv" for n in range(44, 49)]
# Calls whose times fall in the hour repeated when clocks went back (2025-11-02, 01:00-02:00
# local), with stages recorded after the clock went back: see mappings/dispatch_911_calls.py.
CLOCK_WENT_BACK = ("25-026356", "25-026357", "25-092461", "25-092462")


def test_the_whole_dispatch_folder_imports(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    report = run_import(shared_data / "dispatch_911")
    assert report.ok and report.committed
    assert sorted(f.name for f in report.files) == sorted(WEEKS + PHONE_WEEKS)
    assert {f.name: f.mapping for f in report.files} == {
        **dict.fromkeys(WEEKS, "dispatch_911_calls"),
        **dict.fromkeys(PHONE_WEEKS, "dispatch_911_phone"),
    }
    # A week's calls and its phone log share a partition name, each in its own mapping.
    assert {f.partition for f in report.files} == {f"week{n}" for n in range(35, 49)}
    totals = report.totals()
    calls = totals["call"]
    # Nine police rows (prisoner transports, one weapon call) have no Master_Incident_Number:
    # a call without an identifier cannot be told apart from, or replaced by, a re-export.
    assert (calls.read, calls.stored, calls.rejected) == (22_147, 22_138, 9)
    assert dict(calls.reasons) == {"record_id: required value missing": 9}
    rejected = {f.name: f.rejected for f in report.files if f.rejected}
    assert rejected == {
        "week35.csv": 2,
        "week39.csv": 1,
        "week43.csv": 2,
        "week44.csv": 2,
        "week45.csv": 2,
    }
    # No call breaks the rules (dispatched, on scene or closed before received) once the
    # repeated hour of 2025-11-02 is read from the calls' own times: the only reason is above.
    series = totals["external_series"]
    # 19 count columns x 168 hours x 5 weeks; the percentage columns are not imported.
    assert (series.read, series.stored, series.rejected) == (15_960, 15_960, 0)

    con = record_store.connect()
    con.execute("SET TimeZone = 'UTC'")
    assert con.execute(
        "SELECT discipline, count(*) FROM call GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("ems", 5_123), ("fire", 2_435), ("police", 14_580)]
    assert con.execute("SELECT count(DISTINCT record_id) FROM call").fetchone() == (22_138,)
    # The first call of week 35, received at 00:07:06 local (EDT, UTC-4).
    first = con.execute(
        """SELECT agency, discipline, call_type, priority, call_source, disposition,
                  received_at::VARCHAR, queued_at::VARCHAR, dispatched_at::VARCHAR,
                  en_route_at::VARCHAR, on_scene_at::VARCHAR, cleared_at::VARCHAR
           FROM call WHERE record_id = '25-071089'"""
    ).fetchone()
    assert first == (
        "dispatch-911",
        "police",
        "ALARM COMMERCIAL",
        "2",
        "phone_other",
        "FALSE-False Alarm",
        "2025-08-24 04:07:06+00",
        "2025-08-24 04:07:53+00",
        "2025-08-24 04:09:46.81+00",
        "2025-08-24 04:13:10.71+00",
        "2025-08-24 04:23:51.86+00",
        "2025-08-24 04:35:47.19+00",
    )
    # After the change to standard time (EST, UTC-5): a fire call passed on by a neighbouring
    # centre's CAD ("C2C"), with no disposition of its own.
    assert con.execute(
        """SELECT discipline, call_type, priority, call_source, disposition,
                  received_at::VARCHAR, on_scene_at::VARCHAR
           FROM call WHERE record_id = '25-028100'"""
    ).fetchone() == (
        "fire",
        "MUTUAL MVC",
        "1",
        "other",
        "UNDEFINED",
        "2025-11-23 05:15:10.51+00",
        "2025-11-23 05:22:05.67+00",
    )
    # Officer-initiated: every stage at the same instant.
    assert con.execute(
        "SELECT call_source, call_type, received_at = on_scene_at FROM call WHERE record_id = '25-071093'"
    ).fetchone() == ("officer_initiated", "TRAFFIC STOP", True)
    # "NOT CAPTURED" is a missing call source.
    assert con.execute("SELECT count(*) FROM call WHERE call_source IS NULL").fetchone() == (662,)

    # The repeated hour: received at 01:38 (first pass, EDT), dispatched at "01:06" after the
    # clock went back (EST). Read plainly it would be dispatched half an hour before received.
    assert con.execute(
        """SELECT received_at::VARCHAR, queued_at::VARCHAR, dispatched_at::VARCHAR,
                  on_scene_at::VARCHAR, cleared_at::VARCHAR
           FROM call WHERE record_id = '25-092461'"""
    ).fetchone() == (
        "2025-11-02 05:38:20+00",
        "2025-11-02 05:39:41+00",
        "2025-11-02 06:06:14.067+00",
        "2025-11-02 06:10:37.15+00",
        "2025-11-02 13:16:54.95+00",
    )
    # A call received in the repeated hour with nothing to tell which pass: the second (EST).
    assert con.execute(
        "SELECT received_at::VARCHAR FROM call WHERE record_id = '25-092465'"
    ).fetchone() == ("2025-11-02 06:28:12+00",)
    # Received at 00:39 (EDT) and closed at "01:01": 21 minutes, not 81.
    assert con.execute(
        "SELECT floor(epoch(cleared_at - received_at))::INTEGER FROM call WHERE record_id = '25-092457'"
    ).fetchone() == (1_283,)
    assert con.execute(
        """SELECT count(*) FROM call WHERE least(queued_at, dispatched_at, en_route_at,
                  on_scene_at, cleared_at) < received_at"""
    ).fetchone() == (0,)

    # The phone log: 2025-11-02 01:00 (a local clock hour, twice as long that night).
    hour = dict(
        con.execute(
            """SELECT measure, value FROM external_series
               WHERE record_id LIKE '2025-11-02T01:00 %'"""
        ).fetchall()
    )
    assert len(hour) == 19
    assert (hour["911_answered_0_10s"], hour["911_abandoned"], hour["911_total"]) == (9, 6, 16)
    assert (hour["admin_total"], hour["all_lines_total"]) == (18, 34)
    assert con.execute(
        """SELECT series, period_start::VARCHAR, period_end::VARCHAR, level, "group", value
           FROM external_series WHERE record_id = '2025-11-29T23:00 911_40'"""
    ).fetchone() == (
        "911 centre phone answer times",
        "2025-11-29",
        "2025-11-29",
        "centre",
        "all",
        1,
    )
    totals_by_measure = dict(
        con.execute(
            """SELECT measure, sum(value)::INTEGER FROM external_series
               WHERE measure IN ('911_total', 'admin_total', 'all_lines_total') GROUP BY 1"""
        ).fetchall()
    )
    assert totals_by_measure == {
        "911_total": 7_226,
        "admin_total": 15_232,
        "all_lines_total": 22_458,
    }
    # The buckets are disjoint: in every hour they add up to the line's total.
    assert con.execute(
        """SELECT count(*) FROM (
               SELECT split_part(record_id, ' ', 1) AS hour, split_part(measure, '_', 1) AS line,
                      sum(value) FILTER (WHERE measure NOT LIKE '%total') AS buckets,
                      sum(value) FILTER (WHERE measure LIKE '%total') AS total
               FROM external_series WHERE measure <> 'all_lines_total' GROUP BY 1, 2)
           WHERE buckets <> total"""
    ).fetchone() == (0,)


def test_our_stage_durations_match_the_centres_elapsed_columns(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "dispatch_911"
    report = run_import(*(folder / name for name in WEEKS))
    assert report.ok and report.totals()["call"].stored == 22_138
    con = record_store.connect()
    weeks = ", ".join(f"'{folder / name}'" for name in WEEKS)
    con.execute(
        f"""CREATE TEMP TABLE centre AS SELECT * FROM read_csv([{weeks}], all_varchar = true,
                union_by_name = true, nullstr = 'NULL')"""  # noqa: S608  test SQL over fixed names
    )
    # The centre's elapsed seconds for the stages between our timestamps.
    measures = {
        "Time_To_Queue": ("received_at", "queued_at"),
        "Processing_Time": ("received_at", "dispatched_at"),
        "Rollout_Time": ("dispatched_at", "en_route_at"),
        "Transit_Time": ("en_route_at", "on_scene_at"),
        "Total_Call_Time": ("received_at", "cleared_at"),
    }
    differing = {}
    for column, (start, end) in measures.items():
        rows = con.execute(
            f"""SELECT c.record_id, epoch(c.{end} - c.{start}) - r.{column}::DOUBLE AS difference,
                       c.{start} < TIMESTAMPTZ '2025-11-02 06:00:00+00'
                       AND c.{end} >= TIMESTAMPTZ '2025-11-02 06:00:00+00' AS spans_the_change
                FROM call c JOIN centre r ON r.Master_Incident_Number = c.record_id
                WHERE r.{column} IS NOT NULL AND c.{end} IS NOT NULL"""  # noqa: S608  test SQL over fixed names
        ).fetchall()
        assert len(rows) > 15_000
        # The centre's seconds are truncated or rounded: within a second of ours...
        off = [(rid, diff, spans) for rid, diff, spans in rows if abs(diff) > 1]
        # ...except across the end of daylight saving: the centre subtracts wall-clock times,
        # so a stage that spans 2025-11-02 02:00 EDT is an hour short (or negative) there.
        assert all(spans and abs(diff - 3600) <= 1 for _, diff, spans in off), off
        differing[column] = len(off)
    assert differing == {
        "Time_To_Queue": 0,
        "Processing_Time": 4,
        "Rollout_Time": 0,
        "Transit_Time": 2,
        "Total_Call_Time": 10,
    }
    # Two calls, stage by stage, against the centre's own figures.
    assert con.execute(
        """SELECT round(epoch(queued_at - received_at), 2), round(epoch(dispatched_at - received_at), 2),
                  round(epoch(en_route_at - dispatched_at), 2), round(epoch(on_scene_at - en_route_at), 2),
                  round(epoch(cleared_at - received_at), 2)
           FROM call WHERE record_id = '25-071089'"""
    ).fetchone() == (47, 160.81, 203.9, 641.15, 1_721.19)
    # The centre: Time_To_Queue 47, Processing_Time 160, Rollout_Time 204 (Elapsed_Rollout
    # 203), Transit_Time 641, Total_Call_Time 1721.
    # The centre's Total_Call_Time for this call is -1937 s; it took 1663 s (27 min 43 s).
    assert con.execute(
        "SELECT round(epoch(cleared_at - received_at))::INTEGER FROM call WHERE record_id = '25-026356'"
    ).fetchone() == (1_663,)
    for record_id in CLOCK_WENT_BACK:
        assert con.execute(
            f"SELECT cleared_at > received_at FROM call WHERE record_id = '{record_id}'"  # noqa: S608  test SQL over fixed names
        ).fetchone() == (True,)


def test_importing_the_dispatch_folder_again_stores_nothing_new(
    shared_data: Path, run_import: Callable[..., ImportReport], record_store: RecordStore
) -> None:
    folder = shared_data / "dispatch_911"
    first = run_import(folder)
    catalog = record_store.catalog()
    again = run_import(folder)
    assert {f.status for f in first.files} == {"stored"}
    assert {f.status for f in again.files} == {"unchanged"}
    assert len(again.files) == 19
    assert record_store.catalog() == catalog
    assert record_store.count("call") == 22_138
    assert record_store.count("external_series") == 15_960


def test_a_corrected_week_replaces_the_week(
    shared_data: Path,
    run_import: Callable[..., ImportReport],
    record_store: RecordStore,
    tmp_path: Path,
) -> None:
    folder = shared_data / "dispatch_911"
    run_import(folder / "week40.csv", folder / "week41.csv")
    assert record_store.count("call") == 1_305 + 1_797
    # A re-export of week 41 under another name, without its last call.
    corrected = tmp_path / "week41 (corrected).csv"
    lines = (folder / "week41.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    corrected.write_text("".join(lines[:-1]), encoding="utf-8")
    report = run_import(corrected)
    assert [(f.partition, f.status) for f in report.files] == [("week41", "replaced")]
    assert record_store.count("call") == 1_305 + 1_796
    shutil.copy(folder / "week41.csv", tmp_path / "week41.csv")
    again = run_import(tmp_path / "week41.csv")
    assert [(f.partition, f.status) for f in again.files] == [("week41", "replaced")]
    assert record_store.count("call") == 1_305 + 1_797
