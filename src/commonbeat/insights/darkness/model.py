"""The veil-of-darkness model: the binomial GLM
`cbind(n_group, n_reference) ~ is_dark + ns(minute, df = 6) + area [+ season * year]`, fitted on
the aggregated cells with statsmodels.

The design matrix follows R's: treatment contrasts, the spline basis of `splines::ns()`
(splines.py), and columns that are combinations of earlier ones left out as R's QR leaves them
(their coefficients NA). tests/test_darkness_reference.py checks the fit against R's `glm` and
against a fit stop by stop.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import statsmodels.api as sm
from numpy.typing import NDArray

from commonbeat.insights.splines import ns_basis, ns_knots

SPLINE_DF = 6  # ns(minute, df = 6)


@dataclass
class Cells:
    """The aggregated cells the model is fitted on: one per area x rounded minute x light
    (x season x year for the daylight-saving variant)."""

    area: NDArray[Any]
    minute: NDArray[np.float64]
    dark: NDArray[np.float64]
    n_group: NDArray[np.float64]
    n_reference: NDArray[np.float64]
    season: NDArray[Any] | None = None
    year: NDArray[Any] | None = None

    @property
    def stops(self) -> int:
        return int(self.n_group.sum() + self.n_reference.sum())


@dataclass
class Fit:
    """The fitted model: every coefficient, and the darkness one with its interval."""

    names: list[str]
    params: NDArray[np.float64]
    bse: NDArray[np.float64]
    fitted: NDArray[np.float64]  # fitted probability that a stop in the cell is of the group
    knots: list[float]
    boundary: tuple[float, float]
    dropped: list[str]  # columns left out as linearly dependent on earlier ones (R's NA)
    converged: bool
    iterations: int
    deviance: float
    df_resid: float
    warnings: list[str] = field(default_factory=list)

    def coefficient(self, name: str = "is_dark") -> tuple[float, float]:
        index = self.names.index(name)
        return float(self.params[index]), float(self.bse[index])


def design(cells: Cells) -> tuple[NDArray[np.float64], list[str], list[float], tuple[float, float]]:
    """Return the design matrix of `is_dark + ns(minute, df = 6) + area [+ season * year]`,
    with R's treatment contrasts (first level of each factor, in sorted order, is the
    baseline), the column names and the spline's knots (from the stops, via the counts)."""
    weights = cells.n_group + cells.n_reference
    knots, boundary = ns_knots(cells.minute, weights, SPLINE_DF)
    basis = ns_basis(cells.minute, knots, boundary)
    columns = [np.ones(len(cells.minute)), cells.dark]
    names = ["(Intercept)", "is_dark"]
    for index in range(basis.shape[1]):
        columns.append(basis[:, index])
        names.append(f"ns(minute){index + 1}")
    for level in sorted(set(cells.area.tolist()))[1:]:
        columns.append((cells.area == level).astype(float))
        names.append(f"area[{level}]")
    if cells.season is not None and cells.year is not None:
        seasons = sorted(set(cells.season.tolist()))[1:]
        years = sorted(set(cells.year.tolist()))[1:]
        for season in seasons:
            columns.append((cells.season == season).astype(float))
            names.append(f"season[{season}]")
        for year in years:
            columns.append((cells.year == year).astype(float))
            names.append(f"year[{year}]")
        for year in years:
            for season in seasons:
                columns.append(((cells.season == season) & (cells.year == year)).astype(float))
                names.append(f"season[{season}]:year[{year}]")
    return np.column_stack(columns), names, [float(k) for k in knots], boundary


def fit_cells(cells: Cells) -> Fit:
    """Fit the binomial GLM on the cells with statsmodels.

    The response is the two columns (stops of the group, stops of the reference group), as R's
    `cbind(n_group, n_reference)`: the likelihood is that of the stop-level logistic regression,
    so the estimates and standard errors are the stop-level ones.
    """
    x, names, knots, boundary = design(cells)
    keep = _independent_columns(x)
    dropped = [n for n, k in zip(names, keep, strict=True) if not k]
    x = x[:, keep]
    names = [n for n, k in zip(names, keep, strict=True) if k]
    endog = np.column_stack([cells.n_group, cells.n_reference])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = sm.GLM(endog, x, family=sm.families.Binomial())
        result = model.fit(tol=1e-12, maxiter=100)
    return Fit(
        names=names,
        params=np.asarray(result.params, dtype=float),
        bse=np.asarray(result.bse, dtype=float),
        fitted=np.asarray(result.fittedvalues, dtype=float),
        knots=knots,
        boundary=boundary,
        dropped=dropped,
        converged=bool(result.converged),
        iterations=int(result.fit_history["iteration"]),
        deviance=float(result.deviance),
        df_resid=float(result.df_resid),
        warnings=sorted({str(w.message) for w in caught}),
    )


def _independent_columns(x: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Columns that are not (numerically) combinations of earlier ones, as R's glm keeps.

    R's QR (dqrdc2) sets aside a column whose norm, once the earlier columns are projected
    out, falls below 1e-7 times its original norm; its coefficient is then NA. An unpivoted QR
    gives that remaining norm as |R[j, j]|.
    """
    norms = np.linalg.norm(x, axis=0)
    _, r = np.linalg.qr(x, mode="reduced")
    remaining = np.abs(np.diag(r))
    return np.asarray((norms > 0) & (remaining > 1e-7 * norms))


def usable(fit: Fit) -> bool:
    """Whether the fit gives a usable estimate: converged, with a finite coefficient and
    standard error, and no perfect separation (all stops of one group in some cells' pattern),
    where the estimates run off to infinity."""
    coefficient, se = fit.coefficient()
    separated = any("separation" in w.lower() for w in fit.warnings)
    return (
        fit.converged
        and not separated
        and math.isfinite(coefficient)
        and math.isfinite(se)
        and 0 < se < 10
        and abs(coefficient) < 20
    )
