"""Benchmark: Commonbeat's import of a large stop file against bare DuckDB, plus the real sources.

Run from the project root:

    .venv/bin/python benchmarks/import_stops.py              # 5,000,000 rows, then ../shared/data
    .venv/bin/python benchmarks/import_stops.py --rows 200000 --no-real   # a quick run

1. Generates N synthetic stops as a standard_stop CSV with DuckDB (deterministic for a seed),
   with a few planted problems (bad dates, a rule violation, duplicate identifiers, rows the
   rules correct).
2. Imports it with the Importer into a fresh record store, in a child process.
3. Converts the same CSV to Parquet with bare DuckDB (same threads and memory limit), in a
   child process.
4. Prints rows per second and peak memory (the child's peak RSS, DuckDB's native memory
   included) for both, and the targets: import within 3x of bare DuckDB, peak under 2 GB.
5. With --real (the default), imports each folder of ../shared/data with `commonbeat import`
   into a fresh store and prints a table of what each read, stored and rejected.

Everything (database, stores, files) lives in a temporary folder; var/ is never touched.
Timing is printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0  # the import may take at most this many times bare DuckDB's time
TARGET_PEAK_MB = 2000.0  # and use at most this much memory (decimal MB, like DuckDB's "GB")
MB = 1_000_000

# Planted problems: (kind, share of rows, the report's reason, "rejected" or "corrected").
PLANTED = (
    ("bad_date", 0.001, "occurred_date: not a date like %Y-%m-%d", "rejected"),
    ("rule", 0.0002, "rule: contraband of a kind found, so contraband found", "rejected"),
    ("cleared", 0.0005, "no search, so no search basis or contraband result", "corrected"),
    ("duplicate", 0.0001, "record_id: duplicate identifier", "rejected"),
)


# Synthetic data ----------------------------------------------------------------------------


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _choice(uniform: str, weights: Sequence[float]) -> str:
    """Return SQL giving a 1-based index drawn with the weights from a uniform [0, 1) column."""
    total = sum(weights)
    branches, cumulative = [], 0.0
    for index, weight in enumerate(weights[:-1], start=1):
        cumulative += weight / total
        branches.append(f"WHEN {uniform} < {cumulative:.6f} THEN {index}")
    return f"CASE {' '.join(branches)} ELSE {len(weights)} END"


def _pick(uniform: str, options: Sequence[tuple[str, float]]) -> str:
    """Return SQL picking one of the weighted text options."""
    return f"{_list([o for o, _ in options])}[{_choice(uniform, [w for _, w in options])}]"


RACES = (  # standard code, raw label, share
    ("white", "White", 0.52),
    ("black", "Black", 0.26),
    ("hispanic", "Hispanic", 0.13),
    ("asian_pacific_islander", "Asian/Pacific Islander", 0.04),
    ("native_american", "Native American", 0.01),
    ("multiracial", "Two or more races", 0.015),
    ("other", "Other", 0.01),
    ("unknown", "Unknown", 0.015),
)
OUTCOMES = ("none", "warning", "citation", "summons", "arrest", "other")
OUTCOME_LABELS = ("No action", "Warning", "Citation issued", "Summons", "Arrest", "Other")
OUTCOME_WEIGHTS_NO_FIND = (0.42, 0.27, 0.25, 0.02, 0.03, 0.01)
OUTCOME_WEIGHTS_FIND = (0.10, 0.10, 0.25, 0.10, 0.45, 0.0)
STREETS = (
    "Grand Ave",
    "University Ave",
    "Ingersoll Ave",
    "Euclid Ave",
    "Hubbell Ave",
    "SE 14th St",
    "Fleur Dr",
    "MLK Jr Pkwy",
    "Douglas Ave",
    "E 14th St",
    "Army Post Rd",
    "Keo Way",
)
NEIGHBOURHOODS = (
    "northside",
    "riverside",
    "old-mill",
    "east-village",
    "southgate",
    "westwood",
    "capitol-hill",
    "beaverdale",
    "highland-park",
    "drake",
)
UNIFORMS = (  # one uniform [0, 1) column per independent draw, named u_<name>
    *("bad", "bad_value", "day", "hour_a", "hour_b", "minute", "block", "street", "geo"),
    *("lat_a", "lat_b", "lng_a", "lng_b", "area", "hood", "stop", "reason", "noage", "age"),
    *("gender", "race", "self", "frisk", "search", "found", "basis", "drugs", "weapons"),
    *("other", "object", "outcome", "strip", "force", "officer"),
)


def _bad_kind() -> str:
    branches, cumulative = [], 0.0
    for kind, share, _reason, _effect in PLANTED:
        cumulative += share
        condition = f"u_bad < {cumulative}" + (" AND i > 0" if kind == "duplicate" else "")
        branches.append(f"WHEN {condition} THEN '{kind}'")
    return f"CASE {' '.join(branches)} ELSE 'ok' END"


def _base_sql(rows: int, seed: int) -> str:
    # Every value is a hash of (row, seed, column): one seed gives one file, whatever the
    # thread count (setseed + random() is not reproducible once DuckDB scans in parallel).
    uniforms = ", ".join(
        f"(hash(i, {seed}, {k}) % 1000003) / 1000003.0 AS u_{name}"
        for k, name in enumerate(UNIFORMS)
    )
    return f"""
        WITH u AS (SELECT i, {uniforms} FROM range({rows}) t(i)),
        d AS (
            SELECT *,
                {_bad_kind()} AS kind,
                DATE '2023-01-01' + CAST(floor(u_day * 731) AS INTEGER) AS day,
                CAST((41 + floor(12 * (u_hour_a + u_hour_b - 1))) % 24 AS INTEGER) AS hour,
                CAST(floor(u_minute * 60) AS INTEGER) AS minute,
                CASE WHEN u_noage < 0.03 THEN NULL
                     ELSE CAST(16 + floor(62 * pow(u_age, 1.7)) AS INTEGER) END AS age,
                {_choice("u_race", [w for _, _, w in RACES])} AS race,
                {_choice("u_stop", [0.6, 0.36, 0.04])} AS stop
            FROM u
        ),
        s AS (
            SELECT *,
                (u_search < 0.05 OR kind = 'rule') AND kind <> 'cleared' AS searched,
                (u_search < 0.05 AND u_found < 0.30 AND kind NOT IN ('rule', 'cleared')) AS found
            FROM d
        ),
        k AS (
            SELECT *,
                CASE WHEN found THEN u_drugs < 0.6 WHEN searched THEN kind = 'rule' END AS drugs,
                CASE WHEN found THEN u_weapons < 0.2 WHEN searched THEN FALSE END AS weapons,
                CASE WHEN found THEN u_other < 0.1 OR NOT (u_drugs < 0.6 OR u_weapons < 0.2)
                     WHEN searched THEN FALSE END AS other,
                CASE WHEN found THEN {_choice("u_outcome", OUTCOME_WEIGHTS_FIND)}
                     ELSE {_choice("u_outcome", OUTCOME_WEIGHTS_NO_FIND)} END AS outcome
            FROM s
        )"""


def _column_sql() -> dict[str, str]:
    """Return the SQL of each standard_stop column, in terms of the generator's columns."""
    codes, labels = [c for c, _, _ in RACES], [label for _, label, _ in RACES]
    day = "strftime(day, '%Y-%m-%d')"
    clock = "printf('%02d:%02d:00', hour, minute)"
    offset = "CASE WHEN month(day) BETWEEN 4 AND 10 THEN '-05:00' ELSE '-06:00' END"
    bad_dates = _pick("u_bad_value", [("2023-02-30", 1), ("31/01/2024", 1), ("unknown", 1)])
    return {
        "record_id": "'RTN-' || lpad(CAST(CASE WHEN kind = 'duplicate' THEN i - 1 ELSE i END AS VARCHAR), 9, '0')",
        "agency": "'riverton'",
        "occurred_date": f"CASE WHEN kind = 'bad_date' THEN {bad_dates} ELSE {day} END",
        "occurred_time": clock,
        "occurred_at": f"{day} || 'T' || {clock} || {offset}",
        "location": f"CAST(100 * (1 + floor(u_block * 48)) AS INTEGER) || ' block of ' || {_list(STREETS)}[1 + CAST(floor(u_street * {len(STREETS)}) AS INTEGER)]",
        "latitude": "CASE WHEN u_geo >= 0.02 THEN round(41.59 + 0.07 * (u_lat_a + u_lat_b - 1), 6) END",
        "longitude": "CASE WHEN u_geo >= 0.02 THEN round(-93.62 + 0.10 * (u_lng_a + u_lng_b - 1), 6) END",
        "area": "'Beat ' || CAST(1 + floor(u_area * 24) AS INTEGER)",
        "neighbourhood": f"{_list(NEIGHBOURHOODS)}[1 + CAST(floor(u_hood * {len(NEIGHBOURHOODS)}) AS INTEGER)]",
        "stop_type": "['vehicular', 'pedestrian', 'other'][stop]",
        "reason": "CASE WHEN stop = 1 THEN "
        + _pick(
            "u_reason",
            [
                ("speeding", 4),
                ("equipment violation", 2),
                ("moving violation", 3),
                ("registration", 1),
            ],
        )
        + " ELSE "
        + _pick(
            "u_reason",
            [("suspicious activity", 4), ("call for service", 3), ("warrant", 1), ("loitering", 1)],
        )
        + " END",
        "subject_age": "age",
        "subject_age_range": "CASE WHEN age IS NULL THEN NULL WHEN age < 18 THEN 'under 18' "
        "WHEN age < 25 THEN '18-24' WHEN age < 35 THEN '25-34' WHEN age < 45 THEN '35-44' "
        "WHEN age < 55 THEN '45-54' ELSE '55 and over' END",
        "subject_gender": _pick(
            "u_gender", [("male", 71), ("female", 26), ("unknown", 1.5), ("not_recorded", 1.5)]
        ),
        "subject_race": f"{_list(codes)}[race]",
        "subject_race_raw": f"{_list(labels)}[race]",
        "subject_race_self": f"CASE WHEN u_self < 0.2 THEN {_list(codes)}[race] END",
        "subject_race_self_raw": f"CASE WHEN u_self < 0.2 THEN {_list(labels)}[race] END",
        "frisk_performed": "CAST(u_frisk < CASE WHEN stop = 2 THEN 0.15 ELSE 0.03 END AS VARCHAR)",
        "search_conducted": "CAST(searched AS VARCHAR)",
        "search_basis": "CASE WHEN kind = 'cleared' THEN 'consent' WHEN searched THEN "
        + _pick(
            "u_basis",
            [
                ("consent", 30),
                ("probable_cause", 35),
                ("incident_to_arrest", 20),
                ("plain_view", 8),
                ("k9", 5),
                ("other", 2),
            ],
        )
        + " END",
        "contraband_found": "CASE WHEN kind = 'cleared' THEN 'false' WHEN searched THEN CAST(found AS VARCHAR) END",
        "contraband_drugs": "CAST(drugs AS VARCHAR)",
        "contraband_weapons": "CAST(weapons AS VARCHAR)",
        "contraband_other": "CAST(other AS VARCHAR)",
        "object_of_search": "CASE WHEN searched THEN "
        + _pick(
            "u_object",
            [("drugs", 5), ("weapons", 3), ("stolen property", 1), ("evidence of a crime", 1)],
        )
        + " END",
        "legislation": "NULL",
        "outcome": f"{_list(OUTCOMES)}[outcome]",
        "outcome_raw": f"{_list(OUTCOME_LABELS)}[outcome]",
        "outcome_linked_to_object": "CASE WHEN searched THEN CAST(found AND outcome IN (3, 4, 5) AS VARCHAR) END",
        "clothing_removal": "CASE WHEN searched THEN CAST(u_strip < 0.02 AS VARCHAR) END",
        "force_used": "CAST(u_force < 0.015 AS VARCHAR)",
        "officer_id": "'P' || CAST(1000 + floor(u_officer * 320) AS INTEGER)",
    }


def generate_csv(path: Path, rows: int, seed: int) -> dict[str, int]:
    """Write the synthetic standard_stop CSV; return how many rows of each problem it plants."""
    import duckdb

    from commonbeat.records.schema import RECORD_TYPES

    columns = _column_sql()
    names = [n for n in RECORD_TYPES["stop"].names if n != "source"]
    if set(names) != set(columns):
        raise SystemExit(
            f"The stop schema changed: update the generator ({sorted(set(names) ^ set(columns))})."
        )
    select = ", ".join(f'{columns[n]} AS "{n}"' for n in names)
    con = duckdb.connect(config={"preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    try:
        base = _base_sql(rows, seed)
        con.execute(f"COPY ({base} SELECT {select} FROM k) TO '{path}' (HEADER)")
        planted = con.execute(
            f"{base} SELECT kind, count(*) FROM d WHERE kind <> 'ok' GROUP BY kind"
        ).fetchall()
    finally:
        con.close()
    return dict(planted)


# Child processes ---------------------------------------------------------------------------


@dataclass
class ChildRun:
    returncode: int
    wall_seconds: float
    peak_bytes: int
    others: float | None  # share of the machine's CPU that other processes used meanwhile
    result: dict[str, Any]
    stderr: str


def run_child(args: Sequence[str], result_file: Path | None, env: dict[str, str]) -> ChildRun:
    """Run a process to completion; return its exit code, wall time and peak RSS."""
    busy_before = _machine_busy_seconds()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        # The commands are this script and `commonbeat`, with paths the benchmark made.
        process = subprocess.Popen(  # noqa: S603
            list(args), stdout=out, stderr=err, env=env, cwd=PROJECT
        )
        # wait4 gives this child's own resource usage; ru_maxrss is in KiB on Linux.
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        busy_after = _machine_busy_seconds()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    result: dict[str, Any] = {}
    if result_file is not None and result_file.exists():
        result = json.loads(result_file.read_text(encoding="utf-8"))
    others = None
    if busy_before is not None and busy_after is not None:
        own = usage.ru_utime + usage.ru_stime
        others = max(0.0, busy_after - busy_before - own) / (wall * (os.cpu_count() or 1))
    return ChildRun(process.returncode, wall, usage.ru_maxrss * 1024, others, result, stderr)


def _machine_busy_seconds() -> float | None:
    """Return the CPU seconds all processes have used since boot (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    ticks = [int(f) for f in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_import(csv_path: Path, work: Path, threads: int, memory_limit: str) -> dict[str, Any]:
    """In the child: import the CSV into a fresh store; return the timing and report."""
    import django

    django.setup()
    from commonbeat.records.engine import Importer
    from commonbeat.records.store import RecordStore

    importer = Importer(
        RecordStore(work / "store"),
        rejects_dir=work / "rejects",
        memory_limit=memory_limit,
        threads=threads,
    )
    started, cpu = time.perf_counter(), _cpu_seconds()
    report = importer.run([csv_path])
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    stop = report.totals().get("stop")
    file = report.files[0] if report.files else None
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "ok": report.ok,
        "mapping": file.mapping if file else "",
        "error": file.error if file else "",
        "read": stop.read if stop else 0,
        "stored": stop.stored if stop else 0,
        "rejected": stop.rejected if stop else 0,
        "reasons": dict(stop.reasons) if stop else {},
        "corrected": dict(stop.corrected) if stop else {},
    }


def child_duckdb(csv_path: Path, work: Path, threads: int, memory_limit: str) -> dict[str, Any]:
    """In the child: convert the CSV to Parquet with bare DuckDB, configured as the importer."""
    import duckdb

    (work / "tmp").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        config={
            "memory_limit": memory_limit,
            "threads": threads,
            "temp_directory": str(work / "tmp"),
            "preserve_insertion_order": True,
        }
    )
    started, cpu = time.perf_counter(), _cpu_seconds()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) "
        f"TO '{work / 'bare.parquet'}' (FORMAT parquet, COMPRESSION zstd)"
    )
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    con.close()
    return {"seconds": seconds, "cpu_seconds": cpu}


CHILDREN = {"import": child_import, "duckdb": child_duckdb}


def child_main(argv: Sequence[str]) -> None:
    kind, csv_path, work, result, threads, memory_limit = argv
    outcome = CHILDREN[kind](Path(csv_path), Path(work), int(threads), memory_limit)
    Path(result).write_text(json.dumps(outcome), encoding="utf-8")


def time_child(kind: str, csv_path: Path, work: Path, args: argparse.Namespace) -> ChildRun:
    """Run one of the CHILDREN in a fresh interpreter and collect its figures."""
    work.mkdir(parents=True, exist_ok=True)
    result = work / "result.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        str(csv_path),
        str(work),
        str(result),
        str(args.threads),
        args.memory_limit,
    ]
    run = run_child(command, result, dict(os.environ))
    if run.returncode != 0 or not run.result:
        raise SystemExit(f"The {kind} child failed (exit {run.returncode}):\n{run.stderr}")
    return run


# Output ------------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """Return rows as an aligned text table: the first `left` columns left-aligned."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [
            str(cell).ljust(widths[i]) if i < left else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _mb(size: float) -> str:
    return f"{size / MB:,.0f}"


def print_synthetic(rows: int, planted: dict[str, int], imported: ChildRun, bare: ChildRun) -> None:
    result = imported.result
    print()
    print(
        table(
            ("step", "rows", "seconds", "rows/s", "peak MB", "CPU s", "process s", "others"),
            [
                (
                    name,
                    _n(rows),
                    f"{run.result['seconds']:.1f}",
                    _n(rows / run.result["seconds"]),
                    _mb(run.peak_bytes),
                    f"{run.result['cpu_seconds']:.1f}",
                    f"{run.wall_seconds:.1f}",
                    "-" if run.others is None else f"{run.others:.0%}",
                )
                for name, run in (
                    ("Commonbeat import (standard_stop)", imported),
                    ("bare DuckDB CSV -> Parquet", bare),
                )
            ],
        )
    )
    print()
    print(
        f"Import ({result['mapping'] or 'no mapping'}): read {_n(result['read'])}, "
        f"stored {_n(result['stored'])}, rejected {_n(result['rejected'])}"
        + ("" if result["ok"] else f", FAILED: {result['error']}")
    )
    found = {**result["reasons"], **result["corrected"]}
    lines = []
    for kind, _share, reason, effect in PLANTED:
        lines.append((reason, effect, _n(planted.get(kind, 0)), _n(found.pop(reason, 0))))
    lines += [(reason, "unexpected", "0", _n(count)) for reason, count in found.items()]
    print(table(("problem", "effect", "planted", "reported"), lines, left=2))
    ratio = imported.result["seconds"] / bare.result["seconds"]
    cpu_ratio = imported.result["cpu_seconds"] / bare.result["cpu_seconds"]
    peak = imported.peak_bytes / MB
    print()
    print(
        table(
            ("target", "figure", "target", "result"),
            [
                (
                    "import time / bare DuckDB time",
                    f"{ratio:.2f}x",
                    f"<= {TARGET_RATIO:.0f}x",
                    "PASS" if ratio <= TARGET_RATIO else "MISS",
                ),
                ("import CPU time / bare DuckDB CPU time", f"{cpu_ratio:.2f}x", "", "(info)"),
                (
                    "import peak memory",
                    f"{peak:,.0f} MB",
                    f"< {TARGET_PEAK_MB:,.0f} MB",
                    "PASS" if peak < TARGET_PEAK_MB else "MISS",
                ),
            ],
        )
    )


# Real sources ------------------------------------------------------------------------------


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def import_folder(folder: Path, work: Path) -> tuple[ChildRun, dict[str, Any] | None]:
    """Run `commonbeat import` on one folder into a fresh store; return the run and its log."""
    from commonbeat.records.models import ImportRun

    before = ImportRun.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    var = work / folder.name
    env = {**os.environ, "VAR_DIR": str(var), "RECORD_STORE_DIR": str(var / "store")}
    command = [str(Path(sys.executable).with_name("commonbeat")), "import", str(folder)]
    run = run_child(command, None, env)
    logged = ImportRun.objects.filter(pk__gt=before).order_by("pk").last()
    if logged is None:
        return run, None
    return run, {"seconds": logged.seconds, "report": logged.report}


def folder_row(folder: Path, run: ChildRun, logged: dict[str, Any] | None) -> tuple[list[str], str]:
    """Return one table row for a folder's import, and its failure message (or "")."""
    peak = _mb(run.peak_bytes)
    if logged is None:  # the command crashed before logging the run
        lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
        message = lines[-1] if lines else f"exit {run.returncode}"
        return [
            folder.name,
            "-",
            "crashed",
            "-",
            "-",
            "-",
            f"{run.wall_seconds:.1f}",
            "-",
            peak,
        ], message
    report = logged["report"]
    files = report["files"]
    if not report["ok"]:
        failed = next((f for f in files if f["status"] == "failed"), {"error": "failed"})
        message = (failed["error"] or "failed").strip().splitlines()[0]
        status = "no mapping" if "no mapping recognises" in message else "failed"
        return [
            folder.name,
            _n(len(files)),
            status,
            "-",
            "-",
            "-",
            f"{logged['seconds']:.1f}",
            "-",
            peak,
        ], message
    # Rows read counts source rows (the first output of each file); stored and rejected count
    # records of every type (a use-of-force row may yield an incident, an officer and a subject).
    read = sum(f["outputs"][0]["read"] for f in files if f["outputs"])
    stored = sum(o["stored"] for f in files for o in f["outputs"])
    rejected = sum(o["rejected"] for f in files for o in f["outputs"])
    seconds = logged["seconds"]
    mappings = ", ".join(sorted({f["mapping"] for f in files}))
    return [
        folder.name,
        _n(len(files)),
        "stored",
        _n(read),
        _n(stored),
        _n(rejected),
        f"{seconds:.1f}",
        _n(read / seconds) if seconds else "-",
        peak,
    ], mappings


def run_real(data: Path, work: Path) -> None:
    print()
    if not data.is_dir():
        print(f"Real sources: skipped, {data} is absent.")
        return
    folders = sorted(p for p in data.iterdir() if p.is_dir() and not p.name.startswith("."))
    print(f"Real sources: `commonbeat import` of each folder of {data} into a fresh store")
    migrate()
    rows, notes = [], []
    for folder in folders:
        print(f"  importing {folder.name} ...", file=sys.stderr, flush=True)
        row, note = folder_row(folder, *import_folder(folder, work))
        rows.append(row)
        notes.append((folder.name, row[2], note))
    header = (
        "source",
        "files",
        "status",
        "rows read",
        "stored",
        "rejected",
        "seconds",
        "rows/s",
        "peak MB",
    )
    print(table(header, rows, left=1))
    width = max(len(name) for name, _, _ in notes)
    for name, status, note in notes:
        label = "mappings:" if status == "stored" else f"{status}:"
        print(f"  {name.ljust(width)}  {label} {note}")


# Main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=5_000_000, help="synthetic rows (5,000,000)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the synthetic file (42)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads for both (2)")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit for both (1GB)")
    parser.add_argument(
        "--real",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also import each folder of --data (default on)",
    )
    parser.add_argument("--data", type=Path, default=PROJECT.parent / "shared" / "data")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def setup_environment(work: Path) -> None:
    """Point Django at a throwaway database and var folder, then set it up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonbeat.settings")
    os.environ.setdefault("DEBUG", "True")
    var = work / "var"
    var.mkdir(parents=True, exist_ok=True)
    os.environ["VAR_DIR"] = str(var)
    os.environ["DATABASE_URL"] = f"sqlite:///{var / 'commonbeat.sqlite3'}"
    os.environ["RECORD_STORE_DIR"] = str(var / "store")
    os.environ["RELEASES_DIR"] = str(var / "releases")
    import django

    django.setup()


def main(argv: Sequence[str]) -> None:
    if argv[:1] == ["--child"]:
        child_main(argv[1:])
        return
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    work = Path(tempfile.mkdtemp(prefix="commonbeat-bench-"))
    try:
        setup_environment(work)
        csv_path = work / "stops.csv"
        print(
            f"Commonbeat import benchmark: {args.rows:,} synthetic stops, "
            f"{args.threads} threads, memory limit {args.memory_limit} (both runs)"
        )
        started = time.perf_counter()
        planted = generate_csv(csv_path, args.rows, args.seed)
        print(
            f"Generated {csv_path.name} ({_mb(csv_path.stat().st_size)} MB, seed {args.seed}) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        imported = time_child("import", csv_path, work / "import", args)
        bare = time_child("duckdb", csv_path, work / "bare", args)
        print_synthetic(args.rows, planted, imported, bare)
        if args.real:
            run_real(args.data.resolve(), work / "real")
    finally:
        if args.keep:
            print(f"\nKept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
