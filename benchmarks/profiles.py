"""Officer profile and case list pages with the real Chicago and CCRB complaints, beside the
agency page, in one run.

Run from the project root:

    .venv/bin/python benchmarks/profiles.py                  # build once (about 5 minutes), then time
    .venv/bin/python benchmarks/profiles.py --requests 100   # a quicker timing on the kept build

1. Builds (once; kept in var/bench-profiles/, `--rebuild` starts over) a deployment on its own
   SQLite database (`--database-url` for PostgreSQL) with OFFICER_PROFILES=named: the agencies
   chicago-pd and nypd; the real Chicago complaints, accused officers and roster and the CCRB
   folder imported with `commonbeat import` (about 300,000 allegations); the rosters synced to
   the relational roster with `commonbeat roster sync` (the CCRB's officer files, whose ids its
   allegations use, and Chicago's roster: about 115,000 officers); 20,000 workflow complaints
   in bulk for the staff queue (profiles_data.py); `commonbeat publish`; the release cache.
2. Serves it with `commonbeat serve` (gunicorn, one process of 8 threads) and, after a warm-up,
   sends each page kind the same number of requests from C keep-alive clients (default 4),
   in rounds that interleave the kinds, so all share the machine's state alike: profiles of
   the busiest and of sampled officers, their cases as CSV, searches by surname and by badge,
   the staff case queue as a signed-in investigator (pages 1-10, overdue, by stage), and the
   agency pages.
3. Prints requests, median, p95 and p99 per kind, each p95 as a multiple of the agency page's,
   and the targets: within 2x of the agency page (under 200 ms on the quicker machines).

Timing is printed, never asserted; the clients share the cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from intake_load import run, wait_ready

PROJECT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DATA = PROJECT.parent / "shared" / "data"
TARGET_RATIO = 2.0
TARGET_MS = 200.0
IMPORTS = (
    "chicago_invinst/complaints-complaints_2000-2016_2016-11.csv.gz",
    "chicago_invinst/complaints-accused_2000-2016_2016-11.csv.gz",
    "chicago_invinst/roster_1936-2017_2017-04.csv.gz",
    "nyc_ccrb",
)


def environment(root: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonbeat.settings",
        "DEBUG": "False",
        "SECRET_KEY": "profiles-benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "False",
        "VAR_DIR": str(root / "var"),
        "DATABASE_URL": database_url or f"sqlite:///{root / 'var' / 'db.sqlite3'}",
        "OFFICER_PROFILES": "named",
        "STATIC_MANIFEST": "False",
        "LOG_LEVEL": "WARNING",
        "PORT": str(port),
    }


def build(root: Path, env: dict[str, str], cases: int) -> dict[str, float]:
    """Build the deployment once; return the seconds each phase took (kept in build.json)."""
    state_file = root / "build.json"
    state: dict[str, float] = {}
    if state_file.exists():  # phases already done are kept: a failed build resumes
        state = json.loads(state_file.read_text(encoding="utf-8"))
    (root / "var").mkdir(parents=True, exist_ok=True)
    log = root / "build.log"
    cb = str(VENV_BIN / "commonbeat")
    py = str(VENV_BIN / "python")
    missing = [name for name in IMPORTS if not (DATA / name).exists()]
    if missing:
        raise SystemExit(f"The real data is absent from {DATA}: {', '.join(missing)}.")
    phases = {
        "migrate": [cb, "migrate", "--no-input", "-v0"],
        "agencies": [cb, "agency", "chicago-pd", "--name", "Chicago Police Department",
                     "--time-zone", "America/Chicago"],
        "agencies (nypd)": [cb, "agency", "nypd", "--name", "New York City Police Department",
                            "--time-zone", "America/New_York"],
        "import": [cb, "import", *(str(DATA / name) for name in IMPORTS)],
        "roster sync (nypd)": [cb, "roster", "sync", "--agency", "nypd",
                               "--source", "nyc_ccrb_officers"],
        "roster sync (chicago-pd)": [cb, "roster", "sync", "--agency", "chicago-pd"],
        "workflow complaints": [py, str(PROJECT / "benchmarks" / "profiles_data.py"), "cases",
                                str(cases)],
        "publish": [cb, "publish"],
    }  # fmt: skip
    for phase, command in phases.items():
        if phase in state:
            continue
        print(f"  {phase} ...", file=sys.stderr, flush=True)
        state[phase] = run(command, env, log)
        state_file.write_text(json.dumps(state), encoding="utf-8")
    return state


class Client(threading.Thread):
    """Sends its share of the requests over one keep-alive connection."""

    def __init__(self, port: int, jobs: list[tuple[str, str]], cookie: str) -> None:
        super().__init__(daemon=True)
        self.port, self.jobs, self.cookie = port, jobs, cookie
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        for kind, path in self.jobs:
            headers = {"Cookie": self.cookie} if "/cases/" in path else {}
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                status = 0
            self.latencies[kind].append(time.perf_counter() - began)
            self.statuses[kind][status] += 1


def drive(port: int, pages: dict[str, list[str]], cookie: str, per_kind: int, clients: int) -> Any:
    rng = random.Random(5)
    rounds = [[(kind, rng.choice(paths)) for kind, paths in pages.items()] for _ in range(per_kind)]
    jobs = [job for round_ in rounds for job in rng.sample(round_, len(round_))]
    workers = [Client(port, jobs[n::clients], cookie) for n in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for worker in workers:
        for kind, values in worker.latencies.items():
            latencies[kind] += values
            statuses[kind].update(worker.statuses[kind])
    return latencies, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=PROJECT / "var" / "bench-profiles")
    parser.add_argument("--rebuild", action="store_true", help="Start the build over.")
    parser.add_argument("--database-url", default="", help="Default: SQLite in the build.")
    parser.add_argument("--cases", type=int, default=20_000, help="Workflow complaints added.")
    parser.add_argument("--requests", type=int, default=300, help="Requests per page kind.")
    parser.add_argument("--warmup", type=int, default=30, help="Warm-up requests per kind.")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args(argv)
    if args.rebuild and args.root.exists():
        shutil.rmtree(args.root)
    env = environment(args.root, args.database_url, args.port)
    print("Building (once) ...", file=sys.stderr, flush=True)
    phases = build(args.root, env, args.cases)
    picked = subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), str(PROJECT / "benchmarks" / "profiles_data.py"), "urls"],
        env=env, cwd=PROJECT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    chosen = json.loads(picked.stdout)
    server_log = (args.root / "server.log").open("a", encoding="utf-8")
    server = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "commonbeat"), "serve", "--host", "127.0.0.1", "--port", str(args.port),
         "--workers", "1", "--threads", "8"],
        env=env, cwd=PROJECT, stdout=server_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_ready(args.port, 180.0, "/agencies/nypd/")
        print("Warming up ...", file=sys.stderr, flush=True)
        drive(args.port, chosen["pages"], chosen["cookie"], args.warmup, args.clients)
        print("Timing ...", file=sys.stderr, flush=True)
        latencies, statuses = drive(
            args.port, chosen["pages"], chosen["cookie"], args.requests, args.clients
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    print("\nBuild (seconds, once): " + ", ".join(f"{k} {v:.0f}" for k, v in phases.items()))
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in chosen["counts"].items() if v is not None))
    agency_p95 = percentile(latencies["agency page"], 0.95) * 1000
    print(f"\n{'page':<22}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'x agency':>10}  statuses")  # fmt: skip
    worst = 0.0
    for kind in chosen["pages"]:
        values = latencies[kind]
        p95 = percentile(values, 0.95) * 1000
        ratio = p95 / agency_p95 if agency_p95 else float("nan")
        if kind != "agency page":
            worst = max(worst, ratio)
        codes = " ".join(f"{code}:{n}" for code, n in sorted(statuses[kind].items()))
        print(f"{kind:<22}{len(values):>9}{percentile(values, 0.5) * 1000:>11.1f}{p95:>9.1f}"
              f"{percentile(values, 0.99) * 1000:>9.1f}{ratio:>9.2f}x  {codes}")  # fmt: skip
    print(f"\nTarget: every page's p95 within {TARGET_RATIO:.0f}x of the agency page's "
          f"(under {TARGET_MS:.0f} ms on the quicker machines). Worst here: {worst:.2f}x "
          f"({'met' if worst <= TARGET_RATIO else 'NOT met'}).")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
