"""Benchmark: the neighbourhood dashboards' JSON and the stops-street API under 50 clients.

Run from the project root:

    .venv/bin/python benchmarks/dashboard.py                          # 10M stops, 5M calls
    .venv/bin/python benchmarks/dashboard.py --stops 1000000 --calls 500000 --seconds 10

1. Builds (once; kept in var/bench-dashboard/<size>/, `--rebuild` starts over) the demo city
   in its own database (`commonbeat migrate`, `commonbeat demo --no-records`), N synthetic
   stops and calls over 2025 spread over the city's neighbourhoods (dashboard_data.py),
   imported with `commonbeat import`, published with `commonbeat publish`, the release cache
   database (`Release.ensure_cache()`), and the naive baseline's SQLite database loaded from
   the release (naive/load.py). Each phase is timed.
2. Serves Commonbeat with `commonbeat serve` (gunicorn) and drives, for a fixed time after a
   warm-up, with 50 keep-alive clients over loopback (dashboard_load.py): the stops
   dashboard's JSON, the calls dashboard's JSON (varied neighbourhoods and month ranges), and
   `/api/stops-street` (varied points and months, most under the API's 10,000-stop limit).
3. Serves the naive baseline (naive/: the same figures with the Django ORM on SQLite) with the
   same gunicorn configuration and drives it with the same clients, URLs and time.
4. Prints requests per second, median, p95 and p99 latency, status codes and errors for each,
   the ratios, and the target: dashboard JSON p95 under 100 ms at 50 clients.

The clients run on the same machine as the server and share its cores. Timing is printed,
never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dashboard_load import Result, drive

PROJECT = Path(__file__).resolve().parent.parent
BENCHMARKS = PROJECT / "benchmarks"
VENV_BIN = Path(sys.executable).parent
AGENCY = "riverton-pd"
API_LIMIT = 10_000  # the API answers 503 above this many stops
MILE_METRES = 1609.344
TARGET_P95_MS = 100.0
# A scenario's result, and the shares of the machine's CPU that the server, the clients and
# other processes used meanwhile.
Usage = tuple[Result, float, float, float]
SCENARIOS = (
    ("stops", "stops dashboard JSON"),
    ("calls", "calls dashboard JSON"),
    ("api", "API stops-street"),
)


# Building the data -------------------------------------------------------------------------


class Build:
    """The benchmark's folder and what has been built in it (build.json)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.var = root / "var"
        self.state_file = root / "build.json"
        self.state: dict[str, Any] = {}
        if self.state_file.exists():
            self.state = json.loads(self.state_file.read_text(encoding="utf-8"))

    def done(self, phase: str) -> bool:
        return phase in self.state.get("phases", {})

    def record(self, phase: str, seconds: float, **extra: Any) -> None:
        self.state.setdefault("phases", {})[phase] = {"seconds": seconds, **extra}
        self.state_file.write_text(json.dumps(self.state, indent=1), encoding="utf-8")

    def env(self) -> dict[str, str]:
        """The environment of every Commonbeat command and of the server."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "commonbeat.settings",
            "DEBUG": "False",
            "SECRET_KEY": "dashboard-benchmark-only-not-a-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "VAR_DIR": str(self.var),
            "DATABASE_URL": f"sqlite:///{self.var / 'commonbeat.sqlite3'}",
            "RECORD_STORE_DIR": str(self.var / "store"),
            "RELEASES_DIR": str(self.var / "releases"),
            "RELEASE_CACHE_DIR": str(self.var / "cache"),
            "STATIC_MANIFEST": "False",
            "API_RATE_PER_SECOND": "0",  # the API's per-client rate limit off (benchmark only)
            "LOG_LEVEL": "WARNING",
        }

    def release_dir(self) -> Path:
        return self.var / "releases" / self.state["release"]

    def parquet(self, table: str) -> Path:
        return self.release_dir() / "data" / f"{table}.parquet"


def run(command: Sequence[str], env: dict[str, str], log: Path) -> float:
    """Run a command to completion (output to the log); return its wall time."""
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        # The commands are `commonbeat`, this interpreter and paths this benchmark made.
        done = subprocess.run(  # noqa: S603
            list(command), env=env, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8").splitlines()[-25:]
        raise SystemExit(f"{command[0]} failed (exit {done.returncode}):\n" + "\n".join(tail))
    return time.perf_counter() - started


def build(build_: Build, stops: int, calls: int, seed: int, naive: bool) -> None:
    """Run every build phase not yet done, printing each one's time."""
    env = build_.env()
    log = build_.root / "build.log"
    commonbeat = str(VENV_BIN / "commonbeat")
    build_.var.mkdir(parents=True, exist_ok=True)

    def phase(name: str, label: str) -> bool:
        if build_.done(name):
            seconds = build_.state["phases"][name]["seconds"]
            print(f"  {label:<52} kept (took {seconds:,.1f} s when built)")
            return False
        print(f"  {label:<52} ", end="", flush=True)
        return True

    def finished(name: str, seconds: float, note: str = "", **extra: Any) -> None:
        build_.record(name, seconds, **extra)
        print(f"{seconds:>8,.1f} s  {note}".rstrip())

    phase_labels = {
        "city": "demo city in the database",
        "generate": f"generate {stops:,} stops + {calls:,} calls (CSV)",
        "import": "commonbeat import",
        "publish": "commonbeat publish",
        "cache": "release cache database (ensure_cache)",
        "naive": "naive baseline: load SQLite + indexes",
    }
    if phase("city", phase_labels["city"]):
        seconds = run([commonbeat, "migrate", "--verbosity", "0"], env, log)
        seconds += run([commonbeat, "demo", "--no-records", "--accounts", "no"], env, log)
        finished("city", seconds)
    csv_dir = build_.root / "csv"
    if phase("generate", phase_labels["generate"]):
        seconds = run(
            [
                sys.executable,
                __file__,
                "--child",
                "generate",
                str(csv_dir),
                str(stops),
                str(calls),
                str(seed),
            ],
            env,
            log,
        )
        size = sum(p.stat().st_size for p in csv_dir.glob("*.csv"))
        finished("generate", seconds, f"{size / 1e9:.1f} GB of CSV")
    if phase("import", phase_labels["import"]):
        seconds = run([commonbeat, "import", str(csv_dir)], env, log)
        finished("import", seconds, f"{(stops + calls) / seconds:,.0f} rows/s")
        shutil.rmtree(csv_dir, ignore_errors=True)  # the store holds them now
    if phase("publish", phase_labels["publish"]):
        before = set(_versions(build_))
        seconds = run([commonbeat, "publish"], env, log)
        version = sorted(set(_versions(build_)) - before)[-1]
        build_.state["release"] = version
        finished("publish", seconds, f"release {version}")
    # The cache's name includes a digest of the derived tables' SQL: when their definitions
    # change, a fresh cache is built even if one was built before.
    result = build_.root / "cache.json"
    run([sys.executable, __file__, "--child", "cache", str(result)], env, log)
    cache = json.loads(result.read_text(encoding="utf-8"))
    if cache["built"]:
        print(f"  {phase_labels['cache']:<52} ", end="")
        finished("cache", cache["seconds"], f"{cache['bytes'] / 1e6:,.0f} MB, {cache['name']}")
    else:
        took = build_.state.get("phases", {}).get("cache", {}).get("seconds")
        when = f"took {took:,.1f} s when built, " if took is not None else ""
        print(f"  {phase_labels['cache']:<52} kept ({when}{cache['name']})")
    if naive and phase("naive", phase_labels["naive"]):
        seconds = run(
            [sys.executable, "-m", "naive.load", str(build_.release_dir())],
            naive_env(build_),
            log,
        )
        size = (build_.root / "naive.sqlite3").stat().st_size
        finished("naive", seconds, f"{size / 1e9:.1f} GB")


def _versions(build_: Build) -> list[str]:
    folder = build_.var / "releases"
    return [p.name for p in folder.iterdir() if p.is_dir()] if folder.exists() else []


def naive_env(build_: Build) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "naive.settings",
        "NAIVE_DATABASE": str(build_.root / "naive.sqlite3"),
        "PYTHONPATH": str(BENCHMARKS),
    }


# Children ----------------------------------------------------------------------------------


def child_generate(folder: str, stops: str, calls: str, seed: str) -> None:
    import django

    django.setup()
    from dashboard_data import generate

    generate(Path(folder), int(stops), int(calls), int(seed))


def child_cache(result: str) -> None:
    import django

    django.setup()
    from commonbeat.releases.cache import current_release

    release = current_release()
    if release is None:
        raise SystemExit("No release was published.")
    path = release.cache_path()
    built = not path.exists()
    started = time.perf_counter()
    release.ensure_cache()
    seconds = time.perf_counter() - started
    Path(result).write_text(
        json.dumps(
            {"built": built, "seconds": seconds, "name": path.name, "bytes": path.stat().st_size}
        ),
        encoding="utf-8",
    )


CHILDREN: dict[str, Callable[..., None]] = {"generate": child_generate, "cache": child_cache}


# The URLs ----------------------------------------------------------------------------------


def month_ranges(months: Sequence[str]) -> list[tuple[str, str]]:
    """Single months, rolling quarters, halves and the whole span."""
    ranges = [(m, m) for m in months]
    ranges += [(months[i], months[i + 2]) for i in range(len(months) - 2)]
    ranges += [(months[i], months[i + 5]) for i in range(0, len(months) - 5, 6)]
    ranges.append((months[0], months[-1]))
    return ranges


def dashboard_paths(kind: str, neighbourhoods: Sequence[str], months: Sequence[str]) -> list[str]:
    paths = [
        f"/dashboards/{AGENCY}/{kind}.json?neighbourhood={n}&from={first}&to={last}"
        for n in neighbourhoods
        for first, last in month_ranges(months)
    ]
    random.Random(kind).shuffle(paths)
    return paths


def api_points(build_: Build, count: int) -> tuple[list[str], dict[str, float]]:
    """Pick (point, month) pairs over and around the city, most under the API's limit.

    At this density a mile around most points inside the city holds more than 10,000 stops
    a month (the API answers 503), so the points are chosen from a grid over the city and its
    edges by their estimated answer size: 95% with 1 to 9,500 stops, 5% over the limit.
    """
    import duckdb

    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    try:
        rows = con.execute(
            f"""
            WITH cells AS (
                SELECT occurred_month AS month, latitude AS lat, longitude AS lng, count(*) AS n
                FROM read_parquet('{build_.parquet("stop")}')
                WHERE latitude IS NOT NULL GROUP BY ALL
            ),
            box AS (SELECT min(lat) - 0.02 AS lat0, max(lat) + 0.02 AS lat1,
                           min(lng) - 0.03 AS lng0, max(lng) + 0.03 AS lng1 FROM cells),
            grid AS (
                SELECT round(lat0 + a.i * 0.005, 6) AS lat, round(lng0 + b.j * 0.0065, 6) AS lng
                FROM box, range(40) a(i), range(40) b(j)
                WHERE lat0 + a.i * 0.005 <= lat1 AND lng0 + b.j * 0.0065 <= lng1
            )
            SELECT g.lat, g.lng, c.month, sum(c.n) AS stops
            FROM grid g JOIN cells c
              ON abs(c.lat - g.lat) < 0.0146 AND abs(c.lng - g.lng) < 0.0196
            WHERE 2 * 6371000 * asin(sqrt(
                pow(sin(radians(c.lat - g.lat) / 2), 2)
                + cos(radians(g.lat)) * cos(radians(c.lat)) * pow(sin(radians(c.lng - g.lng) / 2), 2)
            )) <= {MILE_METRES}
            GROUP BY ALL
            """
        ).fetchall()
    finally:
        con.close()
    rng = random.Random(42)
    under = [r for r in rows if 1 <= r[3] <= API_LIMIT * 0.95]
    over = [r for r in rows if r[3] > API_LIMIT * 1.05]
    chosen = rng.sample(under, min(len(under), round(count * 0.95)))
    chosen += rng.sample(over, min(len(over), count - len(chosen)))
    rng.shuffle(chosen)
    paths = [f"/api/stops-street?lat={lat}&lng={lng}&date={month}" for lat, lng, month, _ in chosen]
    sizes = sorted(r[3] for r in chosen if r[3] <= API_LIMIT)
    facts = {
        "candidates": len(rows),
        "over_limit_share": len(over) / len(rows) if rows else 0.0,
        "chosen_under": len(sizes),
        "chosen_over": len(chosen) - len(sizes),
        "mean_stops": sum(sizes) / len(sizes) if sizes else 0.0,
        "median_stops": sizes[len(sizes) // 2] if sizes else 0.0,
    }
    return paths, facts


def url_sets(build_: Build) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Return the URL list of each scenario (kept in urls.json, so reruns drive the same)."""
    saved = build_.root / "urls.json"
    if saved.exists():
        data = json.loads(saved.read_text(encoding="utf-8"))
        if data.get("release") == build_.state["release"]:
            return data["paths"], data["api"]
    import duckdb

    stop = build_.parquet("stop")
    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    try:
        neighbourhoods = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT neighbourhood FROM read_parquet('{stop}') "
                "WHERE neighbourhood IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
        months = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT occurred_month FROM read_parquet('{stop}') ORDER BY 1"
            ).fetchall()
        ]
    finally:
        con.close()
    api, facts = api_points(build_, 400)
    paths = {
        "stops": dashboard_paths("stops", neighbourhoods, months),
        "calls": dashboard_paths("calls", neighbourhoods, months),
        "api": api,
    }
    saved.write_text(
        json.dumps({"release": build_.state["release"], "paths": paths, "api": facts}),
        encoding="utf-8",
    )
    return paths, facts


# Servers -----------------------------------------------------------------------------------


class Server:
    """A gunicorn server in a child process, stopped by its own process id."""

    def __init__(self, name: str, command: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log.open("a", encoding="utf-8")
        # The command is `commonbeat serve` or this venv's gunicorn, with our own arguments.
        self.process = subprocess.Popen(  # noqa: S603
            list(command), env=env, cwd=PROJECT, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, port: int, path: str, timeout: float = 120.0) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise SystemExit(f"The {self.name} server exited; see {self.log.name}.")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                    sock.settimeout(timeout)
                    if sock.recv(12).startswith(b"HTTP/1."):
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"The {self.name} server did not answer within {timeout:.0f} s.")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's process and its workers (Linux /proc)."""
        pids = [self.process.pid, *_children(self.process.pid)]
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def stop(self) -> None:
        """Kill the master, then its workers, by their process ids.

        A graceful stop would let a worker finish a slow request (the naive baseline's take
        minutes), and a worker outliving its master would keep using the cores during the
        next scenario. The master goes first so it cannot start new workers.
        """
        workers = _children(self.process.pid)
        self.process.kill()
        self.process.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):  # it may have gone with its master
                os.kill(pid, signal.SIGKILL)
        self.log.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == pid:
            found.append(int(entry.name))
    return found


def gunicorn_options(args: argparse.Namespace) -> list[str]:
    return ["--threads", str(args.threads), "--keep-alive", "30", "--backlog", "2048"]


def start_commonbeat(build_: Build, args: argparse.Namespace) -> Server:
    env = {**build_.env(), "GUNICORN_CMD_ARGS": " ".join(gunicorn_options(args))}
    command = [
        str(VENV_BIN / "commonbeat"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--threads",  # serve's own default (8) would override GUNICORN_CMD_ARGS
        str(args.threads),
    ]
    return Server("Commonbeat", command, env, build_.root / "server-commonbeat.log")


def start_naive(build_: Build, args: argparse.Namespace) -> Server:
    # The same gunicorn configuration as `commonbeat serve` with GUNICORN_CMD_ARGS, access log
    # included, so both pay for the same server.
    command = [
        str(VENV_BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{args.port + 1}",
        "--workers",
        str(args.workers),
        *gunicorn_options(args),
        "--access-logfile",
        "-",
        "--chdir",
        str(BENCHMARKS),
        "naive.wsgi:application",
    ]
    return Server("naive", command, naive_env(build_), build_.root / "server-naive.log")


# Driving and printing ----------------------------------------------------------------------


def drive_server(
    name: str,
    start: Callable[[], Server],
    port: int,
    paths: dict[str, list[str]],
    args: argparse.Namespace,
    seconds: float,
) -> dict[str, Usage]:
    """Run every scenario against a fresh server; return its result and CPU shares.

    The server is restarted for each scenario, so work abandoned at one scenario's end (the
    naive baseline's slow requests) does not run on into the next.
    """
    out = {}
    cores = os.cpu_count() or 1
    for scenario, label in SCENARIOS:
        print(f"  {name}: {label} ...", file=sys.stderr, flush=True)
        server = start()
        try:
            server.wait_ready(port, "/api/stops-street")  # a quick 400 from both
            before, client_before = server.cpu_seconds(), _own_cpu()
            busy_before, began = _machine_busy_seconds(), time.perf_counter()
            result = drive(
                "127.0.0.1",
                port,
                paths[scenario],
                args.clients,
                seconds,
                args.warmup,
                min(args.clients, args.workers * args.threads),
            )
            wall = time.perf_counter() - began
            server_used = server.cpu_seconds() - before
            client_used = _own_cpu() - client_before
            others = _machine_busy_seconds() - busy_before - server_used - client_used
        finally:
            server.stop()
        out[scenario] = (
            result,
            server_used / (wall * cores),
            client_used / (wall * cores),
            max(0.0, others) / (wall * cores),
        )
    return out


def _machine_busy_seconds() -> float:
    """Return the CPU seconds all processes have used since boot (Linux /proc/stat)."""
    fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    # user nice system idle iowait irq softirq steal: everything but idle and iowait.
    ticks = [int(f) for f in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:,.0f}" if value >= 0.1 else f"{value * 1000:.1f}"


def _percentile(result: Result, share: float) -> str:
    value, lower_bound = result.percentile(share)
    return (">=" if lower_bound else "") + _ms(value)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """Return rows as an aligned text table: the first `left` columns left-aligned."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [
            str(c).ljust(widths[i]) if i < left else str(c).rjust(widths[i])
            for i, c in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def print_results(results: dict[str, dict[str, Usage]]) -> None:
    rows = []
    for server, by_scenario in results.items():
        for scenario, label in SCENARIOS:
            result, server_cpu, client_cpu, others = by_scenario[scenario]
            statuses = " ".join(f"{code}:{n}" for code, n in sorted(result.statuses.items()))
            errors = " ".join(f"{name}:{n}" for name, n in sorted(result.errors.items()))
            rows.append(
                (
                    server,
                    label,
                    f"{result.requests:,}",
                    f"{result.requests / result.seconds:,.1f}",
                    _percentile(result, 0.5),
                    _percentile(result, 0.95),
                    _percentile(result, 0.99),
                    f"{result.bytes / max(1, result.requests) / 1000:,.1f}",
                    statuses or "-",
                    errors or "0",
                    f"{len(result.unfinished):,}",
                    f"{server_cpu:.0%}",
                    f"{client_cpu:.0%}",
                    f"{others:.0%}",
                )
            )
    header = ["server", "scenario", "requests", "req/s", "median ms", "p95 ms", "p99 ms"]
    header += [
        "kB/answer",
        "statuses",
        "errors",
        "unfinished",
        "server CPU",
        "client CPU",
        "others",
    ]
    print(table(header, rows, left=2))


def print_ratios(results: dict[str, dict[str, Usage]]) -> None:
    if "naive" not in results:
        return
    rows = []
    for scenario, label in SCENARIOS:
        ours, naive = results["Commonbeat"][scenario][0], results["naive"][scenario][0]
        ours_rps, naive_rps = ours.requests / ours.seconds, naive.requests / naive.seconds
        (ours_p95, _), (naive_p95, naive_bound) = ours.percentile(0.95), naive.percentile(0.95)
        rows.append(
            (
                label,
                f"{ours_rps / naive_rps:,.1f}x" if naive_rps else "-",
                (">=" if naive_bound else "") + f"{naive_p95 / ours_p95:,.1f}x"
                if ours_p95 and naive_p95
                else "-",
            )
        )
    print()
    print(table(("Commonbeat vs naive", "req/s (ours / naive)", "p95 (naive / ours)"), rows))


def print_target(results: dict[str, dict[str, Usage]]) -> None:
    rows = []
    for scenario in ("stops", "calls"):
        label = dict(SCENARIOS)[scenario]
        p95, bound = results["Commonbeat"][scenario][0].percentile(0.95)
        ok = p95 is not None and not bound and p95 * 1000 < TARGET_P95_MS
        rows.append((f"{label} p95", _ms(p95) + " ms", f"< {TARGET_P95_MS:.0f} ms", _pass(ok)))
    print()
    print(table(("target (50 clients)", "figure", "target", "result"), rows))


def _pass(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# Main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--stops", type=int, default=10_000_000, help="stops (10,000,000)")
    parser.add_argument("--calls", type=int, default=5_000_000, help="calls (5,000,000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic records (7)")
    parser.add_argument("--seconds", type=float, default=30.0, help="per scenario (30)")
    parser.add_argument(
        "--naive-seconds", type=float, help="per scenario for the naive baseline (--seconds)"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="unrecorded, per scenario (5)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument("--port", type=int, default=8765, help="Commonbeat's; naive's is +1")
    parser.add_argument(
        "--naive",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build and drive the naive baseline (default on)",
    )
    parser.add_argument("--rebuild", action="store_true", help="discard the built data first")
    parser.add_argument("--build-only", action="store_true", help="build the data, then stop")
    parser.add_argument(
        "--work",
        type=Path,
        default=PROJECT / "var" / "bench-dashboard",
        help="where the built data is kept (var/bench-dashboard)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> None:
    if argv[:1] == ["--child"]:
        CHILDREN[argv[1]](*argv[2:])
        return
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    root = args.work.resolve() / f"stops-{args.stops}-calls-{args.calls}-seed-{args.seed}"
    if args.rebuild:
        shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    build_ = Build(root)
    print(
        f"Commonbeat dashboard benchmark: {args.stops:,} stops, {args.calls:,} calls "
        f"(agency {AGENCY}, 2025), in {root.relative_to(PROJECT) if root.is_relative_to(PROJECT) else root}"
    )
    print("Build:")
    build(build_, args.stops, args.calls, args.seed, args.naive)
    paths, facts = url_sets(build_)
    if args.build_only:
        return
    cores = os.cpu_count() or 1
    print()
    print(
        f"Machine: {cores} CPUs (shared by the server and the clients). gunicorn: "
        f"{args.workers} workers x {args.threads} threads (gthread), keep-alive 30 s, "
        f"access log on; RELEASE_QUERY_THREADS={os.environ.get('RELEASE_QUERY_THREADS', '2')}; "
        "API_RATE_PER_SECOND=0 (the API's rate limit off)."
    )
    print(
        f"Load: {args.clients} keep-alive clients over loopback, {args.warmup:g} s warm-up "
        f"then {args.seconds:g} s per scenario"
        + (f" ({args.naive_seconds:g} s for the naive baseline)" if args.naive_seconds else "")
        + f"; URLs: {len(paths['stops'])} stops and "
        f"{len(paths['calls'])} calls dashboard (neighbourhood x month range), "
        f"{len(paths['api'])} API (point x month: {facts['chosen_under']:.0f} estimated under "
        f"{API_LIMIT:,} stops, mean {facts['mean_stops']:,.0f}, median "
        f"{facts['median_stops']:,.0f}; {facts['chosen_over']:.0f} over; "
        f"{facts['over_limit_share']:.0%} of the grid's point-months are over)."
    )
    results: dict[str, dict[str, Usage]] = {}
    results["Commonbeat"] = drive_server(
        "Commonbeat", lambda: start_commonbeat(build_, args), args.port, paths, args, args.seconds
    )
    if args.naive:
        results["naive"] = drive_server(
            "naive",
            lambda: start_naive(build_, args),
            args.port + 1,
            paths,
            args,
            args.naive_seconds or args.seconds,
        )
    print()
    print_results(results)
    print_ratios(results)
    print_target(results)


if __name__ == "__main__":
    main(sys.argv[1:])
