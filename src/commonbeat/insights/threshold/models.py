"""The two published threshold-test models, as NumPyro models over area x race cells.

Both follow ../shared/docs/methods.md (and the Stan programs they were published with): one row
i per area d x race r with stops n, searches s and hits h; s ~ Binomial(n, search rate) and
h ~ Binomial(s, hit rate); the first area (the one with most stops) has its area effects pinned
to zero. Each model records `threshold`, the per-row threshold as a probability of carrying
contraband, which is what is reported and compared with hit rates.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from jax.scipy.special import log_ndtr
from jax.scipy.stats import norm

from commonbeat.insights.threshold.betatail import log_beta, log_tails


def _pinned(name: str, scale: float, areas: int) -> jax.Array:
    raw = numpyro.sample(name, dist.Normal(0.0, scale).expand([areas - 1]))
    return jnp.concatenate([jnp.zeros(1), raw])


def _binomial_counts(
    n: jax.Array,
    s: jax.Array,
    h: jax.Array,
    log_search: jax.Array,
    log_no_search: jax.Array,
    log_hit: jax.Array,
    log_miss: jax.Array,
) -> None:
    # The binomial coefficients are constants of the data, so only the kernel is added.
    numpyro.factor(
        "counts",
        jnp.sum(s * log_search + (n - s) * log_no_search + h * log_hit + (s - h) * log_miss),
    )


def _record(threshold: jax.Array, log_search: jax.Array, log_hit: jax.Array) -> None:
    # Kept with every draw: the thresholds reported, and the rates the model implies, which
    # the posterior predictive check compares with the observed rates.
    numpyro.deterministic("threshold", threshold)
    numpyro.deterministic("search_rate", jnp.exp(log_search))
    numpyro.deterministic("hit_rate", jnp.exp(log_hit))


def beta_2017(
    n: jax.Array,
    s: jax.Array,
    h: jax.Array,
    race: jax.Array,
    area: jax.Array,
    races: int,
    areas: int,
    phi_prior: float = -3.5,
) -> None:
    """Simoiu, Corbett-Davies and Goel (2017): beta-distributed signals, logit-normal thresholds.

    p ~ Beta(lambda phi, lambda (1 - phi)); search when p > t; phi = logistic(phi_r + phi_d),
    lambda = exp(lambda_r + lambda_d), t = logistic(t_r + sigma_t,r z), z ~ Normal(0, 1).
    """
    sigma_t = numpyro.sample("sigma_t", dist.HalfNormal(0.25).expand([races]))
    t_r = numpyro.sample("t_r", dist.Normal(-2.0, 1.0).expand([races]))
    z = numpyro.sample("t_raw", dist.Normal(0.0, 1.0).expand([n.shape[0]]))
    # The published prior centres phi_r on -3.5 (about 3% carrying, as on state patrols).
    phi_r = numpyro.sample("phi_r", dist.Normal(phi_prior, 0.25).expand([races]))
    lambda_r = numpyro.sample("lambda_r", dist.Normal(2.0, 0.5).expand([races]))
    phi_d = _pinned("phi_d_raw", 0.25, areas)
    lambda_d = _pinned("lambda_d_raw", 0.5, areas)

    t = jax.nn.sigmoid(t_r[race] + sigma_t[race] * z)
    phi = jax.nn.sigmoid(phi_r[race] + phi_d[area])
    lam = jnp.exp(lambda_r[race] + lambda_d[area])
    a, b = lam * phi, lam * (1.0 - phi)
    log_search, log_no_search = log_tails(t, a, b)
    # E[p; p > t] = a / (a + b) * P(p' > t) for p' ~ Beta(a + 1, b), and that tail follows from
    # this one without a second continued fraction: P'(p' > t) = P(p > t) + t^a (1-t)^b / (a B(a, b)).
    log_step = a * jnp.log(t) + b * jnp.log1p(-t) - jnp.log(a) - log_beta(a, b)
    # hit rate = E[p | p > t] = phi * P'(p' > t) / P(p > t)
    log_hit = jnp.log(phi) + jnp.logaddexp(log_search, log_step) - log_search
    log_miss = jnp.log1p(-jnp.exp(jnp.minimum(log_hit, -1e-12)))
    _binomial_counts(n, s, h, log_search, log_no_search, log_hit, log_miss)
    _record(t, log_search, log_hit)


def normal_2020(
    n: jax.Array,
    s: jax.Array,
    h: jax.Array,
    race: jax.Array,
    area: jax.Array,
    races: int,
    areas: int,
    phi_prior: float = 0.0,
) -> None:
    """Pierson et al. (2020): normal signals, Normal(0, 1) without contraband and
    Normal(delta, 1) with it; phi = logistic(phi_r + phi_d) with phi_r ~ Normal(mu_phi, 0.1),
    delta = exp(delta_r + delta_d); a threshold per row in signal space around its race's mean.
    """
    sigma_t = numpyro.sample("sigma_t", dist.HalfNormal(1.0))
    mu_phi = numpyro.sample("mu_phi", dist.Normal(phi_prior, 1.0))
    mu_delta = numpyro.sample("mu_delta", dist.Normal(0.0, 1.0))
    phi_r = numpyro.sample("phi_r", dist.Normal(mu_phi, 0.1).expand([races]))
    delta_r = numpyro.sample("delta_r", dist.Normal(mu_delta, 0.1).expand([races]))
    t_r = numpyro.sample("t_r", dist.Normal(0.0, 1.0).expand([races]))
    z = numpyro.sample("t_raw", dist.Normal(0.0, 1.0).expand([n.shape[0]]))
    phi_d = _pinned("phi_d_raw", 0.1, areas)
    delta_d = _pinned("delta_d_raw", 0.1, areas)

    t = t_r[race] + sigma_t * z
    logit_phi = phi_r[race] + phi_d[area]
    delta = jnp.exp(delta_r[race] + delta_d[area])
    log_phi, log_1m_phi = jax.nn.log_sigmoid(logit_phi), jax.nn.log_sigmoid(-logit_phi)
    log_found = log_phi + log_ndtr(delta - t)  # searched and carrying: phi (1 - Phi(t - delta))
    log_empty = log_1m_phi + log_ndtr(-t)  # searched, not carrying
    log_search = jnp.logaddexp(log_found, log_empty)
    # not searched: phi Phi(t - delta) + (1 - phi) Phi(t)
    log_no_search = jnp.logaddexp(log_phi + log_ndtr(t - delta), log_1m_phi + log_ndtr(t))
    log_hit, log_miss = log_found - log_search, log_empty - log_search
    _binomial_counts(n, s, h, log_search, log_no_search, log_hit, log_miss)
    # Reported threshold: the probability of carrying contraband at signal t.
    carrying = log_phi + norm.logpdf(t, delta, 1.0)
    threshold = jnp.exp(carrying - jnp.logaddexp(carrying, log_1m_phi + norm.logpdf(t)))
    _record(threshold, log_search, log_hit)


MODELS = {"beta_2017": beta_2017, "normal_2020": normal_2020}
