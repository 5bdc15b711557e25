"""Engagement's public pages and the Open311 server on the demo city with many concerns,
beside the agency page, in one run.

Run from the project root:

    .venv/bin/python benchmarks/engagement.py                  # build once (a few minutes), then time
    .venv/bin/python benchmarks/engagement.py --requests 100   # a quicker timing on the kept build

1. Builds (once; kept in var/bench-engagement/, `--rebuild` starts over) the demo city on its
   own SQLite database (`--database-url` for PostgreSQL) at half its records
   (`commonbeat demo --records-scale 0.5`: meetings, priorities with measures, a release), then
   adds 20,000 residents' concerns over the last 80 days in bulk (engagement_data.py).
2. Serves it with `commonbeat serve` (one process of 8 threads) and sends each page kind the
   same number of requests from C keep-alive clients (default 4), interleaved: the
   neighbourhood "you said, we did" pages (a measure's chart each, from the release), the
   priority pages, the event list, the neighbourhood calendars, Open311's services, its
   default request list (the last 90 days: 1,000 requests, JSON and XML), requests by service
   and status, one request, the concern list, a survey wave's published results (HTML, and
   JSON in Spanish) and the survey's trends, the announcements and their Atom feed, the
   critical-incident page, the volunteer programmes; and the agency page as the yardstick.
3. Prints requests, median, p95 and p99 per kind, each p95 as a multiple of the agency page's,
   and the targets: within 2x of the agency page, except the Open311 lists (up to 1,000
   requests each: the default window, and a busy service's open requests), within 10x.

Timing is printed, never asserted; the clients share the cores with the server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from intake_load import run, wait_ready
from profiles import drive, percentile

PROJECT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The Open311 lists write up to 1,000 requests each (the default window and a busy service).
TARGETS = {"open311 1,000 requests": 10.0, "open311 by service": 10.0}
TARGET = 2.0


def environment(root: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commonbeat.settings",
        "DEBUG": "False",
        "SECRET_KEY": "engagement-benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "False",
        "VAR_DIR": str(root / "var"),
        "DATABASE_URL": database_url or f"sqlite:///{root / 'var' / 'db.sqlite3'}",
        "STATIC_MANIFEST": "False",
        "LOG_LEVEL": "WARNING",
        "API_RATE_PER_SECOND": "0",
    }


def build(root: Path, env: dict[str, str], concerns: int) -> dict[str, float]:
    state_file = root / "build.json"
    state: dict[str, float] = json.loads(state_file.read_text()) if state_file.exists() else {}
    (root / "var").mkdir(parents=True, exist_ok=True)
    log = root / "build.log"
    cb, py = str(VENV_BIN / "commonbeat"), str(VENV_BIN / "python")
    phases = {
        "migrate": [cb, "migrate", "--no-input"],
        "demo": [cb, "demo", "--records-scale", "0.5"],
        "concerns": [py, str(PROJECT / "benchmarks" / "engagement_data.py"), "concerns", str(concerns)],
    }  # fmt: skip
    for phase, command in phases.items():
        if phase in state:
            continue
        print(f"  {phase} ...", file=sys.stderr, flush=True)
        state[phase] = run(command, env, log)
        state_file.write_text(json.dumps(state), encoding="utf-8")
    return state


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=PROJECT / "var" / "bench-engagement")
    parser.add_argument("--rebuild", action="store_true", help="Start the build over.")
    parser.add_argument("--database-url", default="", help="Default: SQLite in the build.")
    parser.add_argument("--concerns", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="Requests per page kind.")
    parser.add_argument("--warmup", type=int, default=20, help="Warm-up requests per kind.")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args(argv)
    if args.rebuild and args.root.exists():
        shutil.rmtree(args.root)
    env = environment(args.root, args.database_url, args.port)
    print("Building (once) ...", file=sys.stderr, flush=True)
    phases = build(args.root, env, args.concerns)
    picked = subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), str(PROJECT / "benchmarks" / "engagement_data.py"), "urls"],
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
        wait_ready(args.port, 180.0, chosen["pages"]["agency page"][0])
        print("Warming up ...", file=sys.stderr, flush=True)
        drive(args.port, chosen["pages"], "", args.warmup, args.clients)
        print("Timing ...", file=sys.stderr, flush=True)
        latencies, statuses = drive(args.port, chosen["pages"], "", args.requests, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    print("\nBuild (seconds, once): " + ", ".join(f"{k} {v:.0f}" for k, v in phases.items()))
    print("Data: " + ", ".join(f"{k} {v:,}" for k, v in chosen["counts"].items()))
    base = percentile(latencies["agency page"], 0.95) * 1000
    print(f"\n{'page':<24}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'x agency':>10}{'target':>8}  statuses")  # fmt: skip
    missed = []
    for kind in chosen["pages"]:
        values = latencies[kind]
        p95 = percentile(values, 0.95) * 1000
        ratio = p95 / base if base else float("nan")
        target = TARGETS.get(kind, TARGET)
        if kind != "agency page" and ratio > target:
            missed.append(kind)
        codes = " ".join(f"{code}:{n}" for code, n in sorted(statuses[kind].items()))
        print(f"{kind:<24}{len(values):>9}{percentile(values, 0.5) * 1000:>11.1f}{p95:>9.1f}"
              f"{percentile(values, 0.99) * 1000:>9.1f}{ratio:>9.2f}x{target:>7.0f}x  {codes}")  # fmt: skip
    print("\nTargets: " + ("all met." if not missed else "NOT met for " + ", ".join(missed) + "."))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
