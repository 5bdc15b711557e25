"""The tails of the beta distribution, differentiable in all three arguments, for NUTS.

The 2017 threshold model needs P(p > t) and E[p; p > t] for p ~ Beta(a, b), and Hamiltonian
Monte Carlo needs their gradients in t, a and b, hundreds of thousands of times per fit. JAX's
`betainc` has no gradient in a and b, and differentiating an iterative evaluation in reverse
mode is slow. So `log_ibeta` carries the derivatives forward through the same recurrence that
computes the value (the continued fraction of Numerical Recipes' `betacf`, as Wallis
convergents), and hands them to JAX as a custom JVP: one pass, no reverse sweep.

The continued fraction for I_x(a, b) converges quickly for x < (a + 1) / (a + b + 2); above that
the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) is used, so every evaluation is in the fast region.
With 20 terms the relative error against scipy.special.betainc is under 1e-9 over the range the
model visits (tests/test_threshold_betatail.py).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax.scipy.special import digamma, gammaln

TERMS = 14
_TINY = 1e-300


def _log_ibeta_and_grads(
    x: jax.Array, a: jax.Array, b: jax.Array, terms: int = TERMS
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """log I_x(a, b) and its derivatives in a and b, for x in the continued fraction's region.

    I_x(a, b) = x^a (1-x)^b / (a B(a, b)) / (1 + d1 / (1 + d2 / (1 + ...))), with
    d_k = n_k / ((a + k - 1)(a + k)), n_2m = m (b - m) x and n_2m+1 = -(a + m)(a + b + m) x.
    Scaling the k-th level by (a + k) (an equivalence transformation) clears every denominator,
    so the convergents A_k / B_k follow Wallis's recurrences with multiplications only:
    A_k = (a + k) A_k-1 + n_k A_k-2, the same for B, and the same differentiated in a and b.
    Divisions are what cost most on the CPU, and this needs none until the end.
    """
    one, zero = jnp.ones_like(x), jnp.zeros_like(x)
    # (A, dA/da, dA/db) and (B, ...) for the two previous levels; level 0 is (a, 1).
    a2, a2_a, a2_b, b2, b2_a, b2_b = one, zero, zero, zero, zero, zero
    a1, a1_a, a1_b, b1, b1_a, b1_b = a, one, zero, one, zero, zero
    # Unrolled in Python rather than a lax loop: XLA then fuses the whole fraction into one
    # kernel, many times faster on the CPU than a loop of small kernels.
    for k in range(1, 2 * terms + 2):
        m = k // 2
        if k % 2:  # odd level: n = -(a + m)(a + b + m) x
            n = -(a + m) * (a + b + m) * x
            n_a = -(2.0 * a + b + 2.0 * m) * x
            n_b = -(a + m) * x
        else:  # even level: n = m (b - m) x
            n = m * (b - m) * x
            n_a = zero
            n_b = m * x
        ak = a + k
        a0 = ak * a1 + n * a2
        a0_a = a1 + ak * a1_a + n_a * a2 + n * a2_a
        a0_b = ak * a1_b + n_b * a2 + n * a2_b
        b0 = ak * b1 + n * b2
        b0_a = b1 + ak * b1_a + n_a * b2 + n * b2_a
        b0_b = ak * b1_b + n_b * b2 + n * b2_b
        a2, a2_a, a2_b, b2, b2_a, b2_b = a1, a1_a, a1_b, b1, b1_a, b1_b
        a1, a1_a, a1_b, b1, b1_a, b1_b = a0, a0_a, a0_b, b0, b0_a, b0_b
    log_x, log_1mx = jnp.log(x), jnp.log1p(-x)
    psi_ab = digamma(a + b)
    # The fraction's value, rescaled, is B / A (the leading 1/a cancels against level 0's a).
    value = a * log_x + b * log_1mx - log_beta(a, b) + jnp.log(jnp.abs(b1)) - jnp.log(jnp.abs(a1))
    grad_a = log_x - digamma(a) + psi_ab + b1_a / b1 - a1_a / a1
    grad_b = log_1mx - digamma(b) + psi_ab + b1_b / b1 - a1_b / a1
    return value, grad_a, grad_b


def log_beta(a: jax.Array, b: jax.Array) -> jax.Array:
    # jax.scipy.special.betaln is accurate only to about 1e-7 here; three lgammas are exact.
    return gammaln(a) + gammaln(b) - gammaln(a + b)


@jax.custom_jvp
def log_ibeta(x: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    """log of the regularised incomplete beta I_x(a, b), for x < (a + 1) / (a + b + 2)."""
    return _log_ibeta_and_grads(x, a, b)[0]


@log_ibeta.defjvp
def _log_ibeta_jvp(
    primals: tuple[jax.Array, ...], tangents: tuple[jax.Array, ...]
) -> tuple[jax.Array, jax.Array]:
    x, a, b = primals
    dx, da, db = tangents
    value, grad_a, grad_b = _log_ibeta_and_grads(x, a, b)
    # d/dx log I = density / I, both known in closed form.
    grad_x = jnp.exp((a - 1.0) * jnp.log(x) + (b - 1.0) * jnp.log1p(-x) - log_beta(a, b) - value)
    return value, grad_x * dx + grad_a * da + grad_b * db


def log_tails(t: jax.Array, a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Return (log P(p > t), log P(p <= t)) for p ~ Beta(a, b), each without cancellation."""
    flip = (1.0 - t) < (b + 1.0) / (a + b + 2.0)
    # P(p > t) = I_{1-t}(b, a): evaluate whichever of the pair lies in the fast region.
    x = jnp.where(flip, 1.0 - t, t)
    log_i = log_ibeta(x, jnp.where(flip, b, a), jnp.where(flip, a, b))
    # The other tail is 1 - exp(log_i); clamp so the unused branch stays finite (a NaN there
    # would poison the gradient through jnp.where).
    log_other = jnp.log(-jnp.expm1(jnp.minimum(log_i, -1e-300)))
    return jnp.where(flip, log_i, log_other), jnp.where(flip, log_other, log_i)
