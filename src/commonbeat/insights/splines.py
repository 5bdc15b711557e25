"""Natural cubic splines exactly as R's `splines::ns()` builds them, for the veil-of-darkness model.

The Stanford Open Policing Project fits `ns(minute, df = 6)` in R. To give the same estimates,
the basis here is R's, column for column:

1. Interior knots at the quantiles 1/6, 2/6, ..., 5/6 of x (R's default quantile, type 7),
   boundary knots at the range of x.
2. The cubic B-spline basis on those knots (each boundary knot repeated four times), evaluated
   with scipy's `BSpline.design_matrix`, less its first column (`intercept = FALSE`).
3. The natural-spline constraint (second derivative zero at both boundary knots) imposed as R
   does: the QR decomposition of the constraint matrix's transpose, then the basis times Q,
   less Q's first two columns. R's QR (LINPACK's dqrdc2, no pivoting needed here) and numpy's
   (LAPACK's dgeqrf) build the same Householder reflectors, so Q, and the basis, are the same;
   tests/test_darkness_reference.py checks it against R itself.

The model is fitted on aggregated cells (area x minute x light), but its knots must be those of
the stops, not of the cells, for the fit to equal the stop-level fit: `ns_knots()` takes each
distinct value's count as a weight and returns the quantiles of the values repeated that often.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import BSpline

DEGREE = 3


def quantile_type7(
    values: ArrayLike, probs: ArrayLike, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Return R's `quantile(rep(values, weights), probs)` (type 7) without repeating anything.

    With integer weights (counts of stops), the sorted stop-level vector has each value repeated
    its weight's times; position j (0-based) holds the first value whose cumulative count
    exceeds j. Interpolation is written as R writes it, (1 - h) * lo + h * hi.
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    keep = w > 0
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cumulative = np.cumsum(w)
    n = cumulative[-1]
    p = np.asarray(probs, dtype=float)
    index = 1 + max(n - 1, 0) * p  # R's 1-based position
    lo = np.floor(index)
    hi = np.ceil(index)

    def at(position: NDArray[np.float64]) -> NDArray[np.float64]:
        # The value at 1-based stop-level position: the first with cumulative count >= it.
        return x[np.searchsorted(cumulative, position, side="left")]

    low_value, high_value = at(lo), at(hi)
    h = index - lo
    return np.where(h > 0, (1 - h) * low_value + h * high_value, low_value)


def ns_knots(
    values: ArrayLike, weights: ArrayLike | None = None, df: int = 6
) -> tuple[NDArray[np.float64], tuple[float, float]]:
    """Return R's knots for `ns(x, df)` (no intercept): interior quantiles and the range of x.

    `weights` are counts: the knots are those of the values repeated that many times.
    """
    x = np.asarray(values, dtype=float)
    w = None if weights is None else np.asarray(weights, dtype=float)
    present = x if w is None else x[w > 0]
    interior = df - 1
    # seq.int(0, 1, length.out = df + 1) without its ends, computed as R computes it.
    probs = np.arange(1, interior + 1) * (1.0 / (interior + 1))
    knots = quantile_type7(x, probs, w) if interior > 0 else np.array([], dtype=float)
    return knots, (float(present.min()), float(present.max()))


def ns_basis(
    values: ArrayLike, knots: ArrayLike, boundary: tuple[float, float]
) -> NDArray[np.float64]:
    """Return the natural cubic spline basis R's `ns(x, knots=, Boundary.knots=)` returns.

    Every value must lie within the boundary knots (the model's knots span the data, so they do).
    """
    x = np.asarray(values, dtype=float)
    low, high = boundary
    if x.size and (x.min() < low or x.max() > high):
        raise ValueError("ns_basis: values outside the boundary knots")
    interior = np.sort(np.asarray(knots, dtype=float))
    augmented = np.concatenate([[low] * (DEGREE + 1), interior, [high] * (DEGREE + 1)])
    columns = len(augmented) - DEGREE - 1
    basis = BSpline.design_matrix(x, augmented, DEGREE).toarray()
    # Second derivatives of every B-spline at the two boundary knots (R's splineDesign with
    # derivs = 2): the natural spline is the part of the span where both are zero.
    splines = BSpline(augmented, np.eye(columns), DEGREE)
    const = np.asarray(splines(np.array([low, high]), nu=2))
    basis, const = basis[:, 1:], const[:, 1:]  # intercept = FALSE drops the first B-spline
    q, _ = np.linalg.qr(const.T, mode="complete")
    return np.asarray(basis @ q[:, 2:])
