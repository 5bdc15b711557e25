"""The threshold test (Simoiu, Corbett-Davies and Goel 2017; Pierson et al. 2020).

JAX is configured here, before any submodule imports it: on the CPU, one device per core, in
double precision (the likelihood sums thousands of log-probabilities of counts, and float32
loses the differences).
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
# One XLA device per core, so that NUTS chains run in parallel (NumPyro maps chains to
# devices). Only effective if JAX has not started yet in this process.
if "xla_force_host_platform_device_count" not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "")
        + f" --xla_force_host_platform_device_count={os.cpu_count() or 1}"
    ).strip()

import jax

jax.config.update("jax_enable_x64", True)  # type: ignore[no-untyped-call]  # untyped in jax

from commonbeat.insights.threshold.analysis import threshold_test  # noqa: E402

__all__ = ["threshold_test"]
