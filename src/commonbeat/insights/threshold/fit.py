"""Fitting a threshold model to area x race cells with NUTS, and summarising the posterior.

`Cells` are the counts (built by `cells()` from any rows of area, race, stops, searches, hits);
`fit()` runs NumPyro's NUTS, chains in parallel across the CPU's cores, and returns a `Fit`: per-row and
per-race thresholds with posterior means and 95% intervals, differences from a reference race,
the posterior predictive check and the convergence diagnostics (split R-hat, effective sample
sizes, divergent transitions).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from numpyro.diagnostics import summary
from numpyro.infer import MCMC, NUTS

from commonbeat.insights.cache import cached, digest
from commonbeat.insights.threshold.models import MODELS


@dataclass(frozen=True)
class Cells:
    """Counts per area x race, areas ordered by total stops (the first is pinned)."""

    areas: tuple[str, ...]
    races: tuple[str, ...]
    area: np.ndarray  # index into areas, per row
    race: np.ndarray  # index into races, per row
    stops: np.ndarray
    searches: np.ndarray
    hits: np.ndarray

    def __len__(self) -> int:
        return len(self.stops)

    def labels(self) -> list[tuple[str, str]]:
        return [(self.areas[d], self.races[r]) for d, r in zip(self.area, self.race, strict=True)]

    def area_stops(self) -> np.ndarray:
        """Each row's area's total stops: the weight of the row in its race's threshold."""
        totals = np.bincount(self.area, weights=self.stops, minlength=len(self.areas))
        return np.asarray(totals[self.area], dtype=float)


def cells(rows: Iterable[tuple[str, str, int, int, int]], races: Iterable[str] = ()) -> Cells:
    """Build Cells from (area, race, stops, searches, hits) rows.

    Areas are ordered by total stops, most first (ties by name), because the published fits
    pinned the area with the most stops; races keep the order given, then first appearance.
    """
    listed = [(str(a), str(r), int(n), int(s), int(h)) for a, r, n, s, h in rows]
    for area, race, n, s, h in listed:
        if not 0 <= h <= s <= n:
            raise ValueError(
                f"{area} / {race}: need 0 <= hits <= searches <= stops, got {h}, {s}, {n}"
            )
    totals: dict[str, int] = {}
    for area, _, n, _, _ in listed:
        totals[area] = totals.get(area, 0) + n
    areas = tuple(sorted(totals, key=lambda a: (-totals[a], a)))
    order = list(dict.fromkeys([*races, *(r for _, r, *_ in listed)]))
    race_order = tuple(r for r in order if any(row[1] == r for row in listed))
    area_index = {a: i for i, a in enumerate(areas)}
    race_index = {r: i for i, r in enumerate(race_order)}
    return Cells(
        areas,
        race_order,
        np.array([area_index[row[0]] for row in listed], dtype=np.int32),
        np.array([race_index[row[1]] for row in listed], dtype=np.int32),
        np.array([row[2] for row in listed], dtype=float),
        np.array([row[3] for row in listed], dtype=float),
        np.array([row[4] for row in listed], dtype=float),
    )


@dataclass(frozen=True)
class Settings:
    model: str = "beta_2017"
    chains: int = 4
    warmup: int = 1000
    samples: int = 1000
    seed: int = 0
    target_accept: float = 0.8
    dense_mass: bool = False
    max_tree_depth: int = 10
    # Centre of the prior on the share carrying contraband (logit); None = the published one.
    # An operator who knows their area's rate better than the state-patrol default can set it.
    phi_prior: float | None = None


@dataclass
class Interval:
    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, draws: np.ndarray) -> Interval:
        low, high = np.quantile(draws, [0.025, 0.975])
        return cls(float(np.mean(draws)), float(low), float(high))

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


@dataclass
class Fit:
    cells: Cells
    settings: Settings
    thresholds: list[Interval]  # per row
    race_thresholds: dict[str, Interval]  # stop-weighted per race
    differences: dict[str, dict[str, Any]]  # race -> difference from the reference race
    reference: str
    # Posterior predictive check: mean absolute error of implied against observed rates,
    # weighted by stops (search rates) and searches (hit rates).
    search_rate_error: float
    hit_rate_error: float
    diagnostics: dict[str, Any] = field(default_factory=dict)


def _run(
    model: Any, kwargs: dict[str, Any], settings: Settings
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Run the chains, as many at once as there are CPU devices (see threshold/__init__.py)."""
    kernel = NUTS(
        model,
        target_accept_prob=settings.target_accept,
        dense_mass=settings.dense_mass,
        max_tree_depth=settings.max_tree_depth,
    )
    at_once = max(1, min(settings.chains, jax.local_device_count()))
    mcmc = MCMC(
        kernel,
        num_warmup=settings.warmup,
        num_samples=settings.samples,
        num_chains=at_once,
        chain_method="parallel" if at_once > 1 else "sequential",
        progress_bar=False,
    )
    draws: dict[str, list[np.ndarray]] = {}
    extra: dict[str, list[np.ndarray]] = {}
    done = 0
    while done < settings.chains:
        # Later rounds reuse the compiled sampler; each starts from its own key and warms up.
        mcmc.run(
            jax.random.PRNGKey(settings.seed * 1000 + done),
            extra_fields=("diverging", "num_steps"),
            **kwargs,
        )
        take = min(at_once, settings.chains - done)
        for k, v in mcmc.get_samples(group_by_chain=True).items():
            draws.setdefault(k, []).append(np.asarray(v)[:take])
        for k, v in mcmc.get_extra_fields(group_by_chain=True).items():
            extra.setdefault(k, []).append(np.asarray(v)[:take])
        done += take
    return (
        {k: np.concatenate(v) for k, v in draws.items()},
        {k: np.concatenate(v) for k, v in extra.items()},
    )


# The modules whose code decides a fit: a change to any of them is a new cache key.
FIT_CODE = (
    "commonbeat.insights.threshold.fit",
    "commonbeat.insights.threshold.models",
    "commonbeat.insights.threshold.betatail",
)


def fit_key(cells: Cells, settings: Settings, reference: str) -> str:
    """Return the digest of everything a fit depends on besides its code."""
    return digest(
        cells.areas,
        cells.races,
        cells.area,
        cells.race,
        cells.stops,
        cells.searches,
        cells.hits,
        settings,
        reference,
    )


def fit(cells: Cells, settings: Settings = Settings(), reference: str = "") -> Fit:
    """Fit the model and summarise; `reference` is the race differences are taken from.

    A fit depends only on its inputs (the seed is a setting), so one made before for the
    same cells, settings, reference and code is read back instead (insights/cache.py).
    """
    key = fit_key(cells, settings, reference)
    return cached("threshold-fit", key, lambda: _fit(cells, settings, reference), FIT_CODE)


def _fit(cells: Cells, settings: Settings, reference: str) -> Fit:
    if len(cells.areas) < 1 or len(cells) < 2:
        raise ValueError("the threshold test needs at least two area x race cells")
    model = MODELS[settings.model]
    kwargs = {
        "n": jnp.asarray(cells.stops),
        "s": jnp.asarray(cells.searches),
        "h": jnp.asarray(cells.hits),
        "race": jnp.asarray(cells.race),
        "area": jnp.asarray(cells.area),
        "races": len(cells.races),
        "areas": len(cells.areas),
    }
    if settings.phi_prior is not None:
        kwargs["phi_prior"] = settings.phi_prior
    started = time.perf_counter()
    draws, extra = _run(model, kwargs, settings)
    seconds = time.perf_counter() - started

    threshold = draws["threshold"]  # chains x samples x rows
    flat = threshold.reshape(-1, threshold.shape[-1])
    weights = cells.area_stops()
    per_race = {}
    for index, race in enumerate(cells.races):
        mask = cells.race == index
        w = weights[mask] / weights[mask].sum()
        per_race[race] = threshold[..., mask] @ w  # chains x samples
    reference = reference if reference in per_race else cells.races[0]
    differences = {}
    for race, values in per_race.items():
        if race == reference:
            continue
        diff = (values - per_race[reference]).ravel()
        differences[race] = {
            **Interval.of(diff).to_dict(),
            "probability_lower": float(np.mean(diff < 0)),
        }

    watched = {"threshold": threshold, **{f"race:{r}": v[..., None] for r, v in per_race.items()}}
    for name in ("t_r", "sigma_t", "phi_r", "lambda_r", "delta_r", "mu_phi", "mu_delta"):
        if name in draws:
            watched[name] = draws[name]
    stats = summary(watched, group_by_chain=True)
    r_hat = max(float(np.nanmax(s["r_hat"])) for s in stats.values())
    ess = min(float(np.nanmin(s["n_eff"])) for s in stats.values())
    ess_race = min(float(np.nanmin(stats[f"race:{r}"]["n_eff"])) for r in per_race)

    searched = cells.searches > 0
    observed_search = cells.searches / cells.stops
    observed_hit = np.divide(
        cells.hits, cells.searches, out=np.zeros_like(cells.hits), where=searched
    )
    implied_search = draws["search_rate"].reshape(-1, len(cells)).mean(axis=0)
    implied_hit = draws["hit_rate"].reshape(-1, len(cells)).mean(axis=0)
    return Fit(
        cells=cells,
        settings=settings,
        thresholds=[Interval.of(flat[:, i]) for i in range(flat.shape[1])],
        race_thresholds={r: Interval.of(v.ravel()) for r, v in per_race.items()},
        differences=differences,
        reference=reference,
        # Weighted by the counts each rate rests on, as a cell of two searches says little.
        search_rate_error=float(
            np.average(np.abs(implied_search - observed_search), weights=cells.stops)
        ),
        hit_rate_error=float(
            np.average(
                np.abs(implied_hit - observed_hit)[searched], weights=cells.searches[searched]
            )
        ),
        diagnostics={
            "model": settings.model,
            "phi_prior": settings.phi_prior,
            "chains": settings.chains,
            "warmup": settings.warmup,
            "samples": settings.samples,
            "r_hat_max": r_hat,
            "ess_min": ess,
            "ess_race_min": ess_race,
            "divergences": int(np.sum(np.asarray(extra["diverging"]))),
            "mean_steps": float(np.mean(np.asarray(extra["num_steps"]))),
            "seconds": seconds,
            "ess_per_second": ess / seconds if seconds else None,
        },
    )
