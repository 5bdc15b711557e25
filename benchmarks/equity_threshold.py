"""Benchmark: the threshold test on Colorado's county x race cells, against the published fit.

Run from the project root:

    .venv/bin/python benchmarks/equity_threshold.py               # the product's settings
    .venv/bin/python benchmarks/equity_threshold.py --baseline    # also plain 4 x 2,000 NUTS

Imports ../shared/data/opp_state_patrols' threshold-test counts and published thresholds into a
temporary record store (the product's import path), reads Colorado's 150 county x race cells
back with `insights.threshold.aggregates`, fits the 2017 beta-signal model with `fit()` and
prints: wall seconds (with the compile time of the first run inside them), effective samples
per second (the smallest bulk ESS over every cell's threshold and the race-level parameters),
R-hat, divergences, and accuracy against the published thresholds (mean absolute difference and
correlation). `--baseline` adds the plain NUTS fit the issue describes: 4 chains x 2,000
iterations (1,000 warm-up). Timing is printed, never asserted. Target: under 10 s at the same
accuracy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

TARGET_SECONDS = 10.0
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "opp_state_patrols"


def setup_environment(work: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonbeat.settings")
    os.environ.setdefault("DEBUG", "True")
    os.environ["VAR_DIR"] = str(work / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'var' / 'commonbeat.sqlite3'}"
    os.environ["ANALYSIS_CACHE"] = "False"  # time real fits, never results read back
    (work / "var").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def run(work: Path, state: str, settings: Any) -> dict[str, Any]:
    from commonbeat.insights.threshold.aggregates import aggregate_cells, published_thresholds
    from commonbeat.insights.threshold.fit import fit
    from commonbeat.records.engine import Importer
    from commonbeat.records.store import RecordStore

    store = RecordStore(work / "store")
    if not (work / "store").exists():
        files = [DATA / "threshold_test_counts.csv", DATA / "threshold_test_reference_CO_CT_IL.csv"]
        report = Importer(store, rejects_dir=work / "rejects").run(files)
        if not report.ok:
            raise SystemExit("could not import the threshold-test counts")
    con = store.connect()
    cells = aggregate_cells(con, state)
    published = published_thresholds(con, state)
    result = fit(cells, settings, reference="white")
    ours = np.array([t.mean for t in result.thresholds])
    theirs = np.array([published[label] for label in cells.labels()])
    diagnostics = result.diagnostics
    return {
        "cells": len(cells),
        "seconds": diagnostics["seconds"],
        "ess_min": diagnostics["ess_min"],
        "ess_per_second": diagnostics["ess_min"] / diagnostics["seconds"],
        "r_hat_max": diagnostics["r_hat_max"],
        "divergences": diagnostics["divergences"],
        "mean_steps": diagnostics["mean_steps"],
        "mad": float(np.mean(np.abs(ours - theirs))),
        "correlation": float(np.corrcoef(ours, theirs)[0, 1]),
        "races": {r: round(i.mean, 4) for r, i in result.race_thresholds.items()},
    }


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--state", default="CO")
    parser.add_argument("--baseline", action="store_true", help="also run 4 x 2,000 plain NUTS")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    work = Path(tempfile.mkdtemp(prefix="commonbeat-threshold-"))
    try:
        setup_environment(work)
        from commonbeat.insights.threshold.analysis import DEFAULT_SETTINGS
        from commonbeat.insights.threshold.fit import Settings

        runs = [("Commonbeat (4 x 600, first run, with compile)", DEFAULT_SETTINGS)]
        runs.append(("Commonbeat (4 x 600, second run)", DEFAULT_SETTINGS))
        if args.baseline:
            runs.append(("plain NUTS 4 x 2,000", Settings(warmup=1000, samples=1000)))
        print(f"Threshold test, {args.state}: 2017 beta-signal model, NumPyro NUTS")
        header = ("fit", "seconds", "ESS min", "ESS/s", "R-hat", "div.", "steps", "MAD", "corr.")
        rows = []
        for name, settings in runs:
            f = run(work, args.state, settings)
            rows.append(
                (
                    name,
                    f"{f['seconds']:.1f}",
                    f"{f['ess_min']:.0f}",
                    f"{f['ess_per_second']:.1f}",
                    f"{f['r_hat_max']:.3f}",
                    str(f["divergences"]),
                    f"{f['mean_steps']:.0f}",
                    f"{f['mad']:.5f}",
                    f"{f['correlation']:.5f}",
                )
            )
            print(f"  {name}: {f['cells']} cells; race thresholds {f['races']}")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        print()
        for row in [header, tuple("-" * w for w in widths), *rows]:
            print(
                "  ".join(
                    c.ljust(w) if i == 0 else c.rjust(w)
                    for i, (c, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        best = float(rows[1][1])
        print(
            f"\nTarget: under {TARGET_SECONDS:.0f} s at mean abs. difference < 0.002 and "
            f"correlation > 0.999: {'PASS' if best < TARGET_SECONDS else 'MISS'} ({best:.1f} s)."
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
