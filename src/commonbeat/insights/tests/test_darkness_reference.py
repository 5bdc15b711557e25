"""The veil-of-darkness model against independent fits of the same data.

1. R: the Stanford Open Policing Project fits `glm(cbind(n_black, n_white) ~ is_dark +
   ns(minute, df = 6) + area, family = binomial)` in R. The demo city's cells are written to CSV
   and fitted by R's own glm and splines::ns (Debian's r-base-core, /usr/bin/Rscript), with the
   knots we computed passed in; every coefficient must equal ours to 1e-6 and every standard error
   to 1e-6 relative. That holds only if our natural-spline basis is R's column for column (same
   order, same signs), so the spline coefficients are compared too, not just is_dark. R also
   computes the knots itself from the stop-level minutes (`ns(rep(minute, n), df = 6)`), which
   must equal ours from the counts.
2. Stop by stop: the same model fitted by statsmodels on one Bernoulli row per stop (the cells
   expanded), with a design built from the stops directly, must give the same estimates: the
   aggregation to cells loses nothing.

Skipped when Rscript is missing, except under CI=true, where that fails the run (as the browser
tests do without Chromium).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pytest
import statsmodels.api as sm

from commonbeat.insights.darkness import Cells, Fit, design, fit_cells, model_cells
from commonbeat.insights.splines import ns_basis, ns_knots
from commonbeat.insights.stops import Selection, select_stops
from commonbeat.records.store import RecordStore

CHICAGO = "America/Chicago"

R_SCRIPT = r"""
library(splines)
args <- commandArgs(trailingOnly = TRUE)
cells <- read.csv(args[1], stringsAsFactors = FALSE)
meta <- readLines(args[2])
knots <- as.numeric(strsplit(meta[1], ",")[[1]])
boundary <- as.numeric(strsplit(meta[2], ",")[[1]])
cells$area <- factor(cells$area, levels = strsplit(meta[3], "\t")[[1]])
seasonal <- "season" %in% names(cells)
model <- "cbind(n_g, n_r) ~ is_dark + ns(minute, knots = knots, Boundary.knots = boundary)"
if (nlevels(cells$area) > 1) model <- paste(model, "+ area")
if (seasonal) {
  # season * year, leaving out a factor with one level (R refuses it; its terms are aliased).
  cells$season <- factor(cells$season)
  cells$year <- factor(cells$year)
  terms <- c("season", "year")[c(nlevels(cells$season), nlevels(cells$year)) > 1]
  if (length(terms)) model <- paste(model, "+", paste(terms, collapse = " * "))
}
model <- as.formula(model)
fit <- glm(model, family = binomial, data = cells,
           control = glm.control(epsilon = 1e-14, maxit = 100))
kept <- !is.na(coef(fit))
out <- data.frame(name = names(coef(fit))[kept], estimate = coef(fit)[kept],
                  se = sqrt(diag(vcov(fit))))
write.csv(format(out, digits = 17), args[3], row.names = FALSE)
write.csv(data.frame(fitted = format(fitted(fit), digits = 17)), args[4], row.names = FALSE)
# The knots R chooses itself from the stops: ns(minute, df = 6) over one row per stop.
stops <- rep(cells$minute, cells$n_g + cells$n_r)
basis <- ns(stops, df = 6)
writeLines(c(paste(format(attr(basis, "knots"), digits = 17), collapse = ","),
             paste(format(attr(basis, "Boundary.knots"), digits = 17), collapse = ",")),
           args[5])
"""


def rscript() -> str:
    found = shutil.which("Rscript")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Rscript is not installed: `apt-get install r-base-core`.")
        pytest.skip("No Rscript found (install Debian's r-base-core).")
    return found


@pytest.fixture(scope="module")
def demo_cells(demo_store: RecordStore) -> Iterator[tuple[Cells, Cells]]:
    """The cells both demo models are fitted on (full year, and around the clock changes)."""
    con: duckdb.DuckDBPyConnection = demo_store.connect()
    dataset = select_stops(con, Selection())
    full = model_cells(con, dataset, time_zone=CHICAGO)
    around = model_cells(con, dataset, time_zone=CHICAGO, daylight_saving=True)
    con.close()
    assert full is not None and around is not None
    yield full, around


@dataclass
class RFit:
    ours: Fit  # our fit of the same cells
    names: list[str]
    estimate: np.ndarray
    se: np.ndarray
    fitted: np.ndarray
    knots: list[float]
    boundary: tuple[float, ...]


def fit_in_r(cells: Cells, folder: Path) -> RFit:
    """Fit the cells with R's glm; return its coefficients, standard errors, fitted values
    and the knots R computes from the stops."""
    fit = fit_cells(cells)
    folder.mkdir(parents=True, exist_ok=True)
    seasonal = cells.season is not None and cells.year is not None
    with (folder / "cells.csv").open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["area", "minute", "is_dark", "n_g", "n_r", *(["season", "year"] if seasonal else [])]
        )
        for i in range(len(cells.minute)):
            extra = (
                [cells.season[i], cells.year[i]]
                if seasonal and cells.season is not None and cells.year is not None
                else []
            )
            writer.writerow(
                [
                    cells.area[i],
                    int(cells.minute[i]),
                    int(cells.dark[i]),
                    int(cells.n_group[i]),
                    int(cells.n_reference[i]),
                    *extra,
                ]
            )
    levels = sorted(set(cells.area.tolist()))
    (folder / "meta.txt").write_text(
        ",".join(repr(k) for k in fit.knots)
        + "\n"
        + ",".join(repr(b) for b in fit.boundary)
        + "\n"
        + "\t".join(levels)
        + "\n"
    )
    (folder / "fit.R").write_text(R_SCRIPT)
    paths = [folder / n for n in ("cells.csv", "meta.txt", "coef.csv", "fitted.csv", "knots.txt")]
    run = subprocess.run(  # noqa: S603 (Rscript with our own script and files)
        [rscript(), "--vanilla", str(folder / "fit.R"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    with paths[2].open() as stream:
        rows = list(csv.DictReader(stream))
    with paths[3].open() as stream:
        fitted = [float(row["fitted"]) for row in csv.DictReader(stream)]
    knots, boundary = paths[4].read_text().splitlines()
    return RFit(
        ours=fit,
        names=[row["name"] for row in rows],
        estimate=np.array([float(row["estimate"]) for row in rows]),
        se=np.array([float(row["se"]) for row in rows]),
        fitted=np.array(fitted),
        knots=[float(k) for k in knots.split(",")],
        boundary=tuple(float(b) for b in boundary.split(",")),
    )


def test_the_fit_equals_rs_glm_with_ns_coefficient_for_coefficient(
    demo_cells: tuple[Cells, Cells], tmp_path: Path
) -> None:
    cells, _ = demo_cells
    r = fit_in_r(cells, tmp_path / "full")
    ours, names = r.ours, r.names
    # Same columns in the same order: intercept, is_dark, the six spline columns, the areas.
    assert len(names) == len(ours.names) == 2 + 6 + len(set(cells.area.tolist())) - 1
    assert names[1] == "is_dark"
    assert all(n.startswith("ns(minute") for n in names[2:8])
    assert [n.removeprefix("area") for n in names[8:]] == [n[5:-1] for n in ours.names[8:]]
    assert ours.params == pytest.approx(r.estimate, abs=1e-6, rel=0)
    assert ours.bse == pytest.approx(r.se, rel=1e-6, abs=0)
    assert ours.fitted == pytest.approx(r.fitted, abs=1e-9)
    # R's own knots from the stop-level minutes are the ones we computed from the counts.
    assert ours.knots == pytest.approx(r.knots, abs=1e-12)
    assert ours.boundary == r.boundary


def test_the_daylight_saving_fit_equals_rs_glm_with_season_and_year(
    demo_cells: tuple[Cells, Cells], tmp_path: Path
) -> None:
    _, cells = demo_cells
    r = fit_in_r(cells, tmp_path / "dst")
    ours = r.ours
    # R drops aliased terms (NA) as we do: one year of demo data leaves no year terms.
    assert len(r.names) == len(ours.names)
    assert "seasonspring" in r.names
    assert ours.params == pytest.approx(r.estimate, abs=1e-6, rel=0)
    assert ours.bse == pytest.approx(r.se, rel=1e-6, abs=0)
    assert ours.fitted == pytest.approx(r.fitted, abs=1e-9)


def test_the_fit_on_cells_equals_the_fit_stop_by_stop(demo_cells: tuple[Cells, Cells]) -> None:
    cells, _ = demo_cells
    aggregated = fit_cells(cells)
    # One row per stop: 1 for a stop of the group, 0 for the reference group.
    counts = (cells.n_group + cells.n_reference).astype(int)
    area = np.repeat(cells.area, counts)
    minute = np.repeat(cells.minute, counts)
    dark = np.repeat(cells.dark, counts)
    outcome = np.concatenate(
        [
            np.r_[np.ones(int(g)), np.zeros(int(r))]
            for g, r in zip(cells.n_group, cells.n_reference, strict=True)
        ]
    )
    # The stop-level design, built from the stops alone: knots from their own minutes.
    knots, boundary = ns_knots(minute)
    columns = [np.ones(len(minute)), dark, *ns_basis(minute, knots, boundary).T]
    columns += [(area == level).astype(float) for level in sorted(set(area.tolist()))[1:]]
    stops = sm.GLM(outcome, np.column_stack(columns), family=sm.families.Binomial()).fit(tol=1e-12)
    assert len(outcome) == cells.stops > 5000
    assert knots == pytest.approx(aggregated.knots, abs=0)
    assert stops.params == pytest.approx(aggregated.params, abs=1e-6, rel=0)
    assert stops.bse == pytest.approx(aggregated.bse, rel=1e-6, abs=0)
    # The cell-level design is the stop-level one with repeated rows removed.
    x, _, _, _ = design(cells)
    assert np.repeat(x, counts, axis=0) == pytest.approx(np.column_stack(columns), abs=1e-12)
