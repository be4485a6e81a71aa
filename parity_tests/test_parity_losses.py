"""Agreement with TF 2.21 + tf_keras on `tf.keras.losses` (`parity_tests/cases_losses.py`):
every loss in function and class form over its options, reductions and sample-weight shapes,
gradients with respect to `y_pred`, get / serialize rules, the error contract of bad input
(rtol 1e-5 / atol 1e-6), and losses given to `compile` by name in `fit` (History, rtol 1e-4)."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

LOSSES = sorted(n for n in REFERENCES if n.startswith("losses_"))
TRAJECTORIES = {"losses_by_name_fit"}


@pytest.fixture(scope="session")
def compile_cache_env(request) -> dict[str, str]:
    """Environment for the jaxport child processes: JAX's persistent compilation cache."""
    folder = request.config.cache.mkdir("jax-compilation-cache")
    return {
        "JAX_COMPILATION_CACHE_DIR": str(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


@pytest.mark.parametrize("name", LOSSES)
def test_losses_match_tf(name, compile_cache_env):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600, env=compile_cache_env)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    if name in TRAJECTORIES:
        assert_results_close(got, want, rtol=1e-4, atol=1e-6)
    else:
        assert_results_close(got, want, rtol=1e-5, atol=1e-6)
