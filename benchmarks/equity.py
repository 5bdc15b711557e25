"""Benchmark: the equity analyses' two costly parts, one command.

    .venv/bin/python benchmarks/equity.py             # veil of darkness (10M stops) + threshold (CO)
    .venv/bin/python benchmarks/equity.py --baseline  # also the plain 4 x 2,000 NUTS threshold fit

Runs benchmarks/equity_darkness.py and benchmarks/equity_threshold.py in turn, each in its own
process (so each starts with a cold JAX and DuckDB), and prints their tables.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    darkness = [sys.executable, str(HERE / "equity_darkness.py")]
    threshold = [sys.executable, str(HERE / "equity_threshold.py")]
    if "--baseline" in argv:
        threshold.append("--baseline")
    status = 0
    for command in (darkness, threshold):
        status |= subprocess.run(command, check=False).returncode  # noqa: S603
        print()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
