"""Agreement of `tf.keras.metrics` with real TensorFlow 2 + tf_keras (`parity_tests/cases_metrics.py`).

Each `metrics_*` reference was made by `scripts/make_references.py` under TensorFlow; the same
case runs here under jaxport in a fresh process: streamed metric values after every update
(rtol 1e-5 / atol 1e-6), names and variable names exactly, `get`/`serialize` results, error
contracts, and `fit` histories with metrics given by name (rtol 1e-4, training trajectories).
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

SINGLE = dict(rtol=1e-5, atol=1e-6)
TRAJECTORY = dict(rtol=1e-4, atol=1e-5)
METRICS_REFERENCES = {
    "metrics_streaming": SINGLE,
    "metrics_confusion": SINGLE,
    "metrics_api": SINGLE,
    "metrics_compile_fit": TRAJECTORY,
    "metrics_mirrored_fit_d2": TRAJECTORY,
}


def test_metrics_references_are_registered():
    assert sorted(name for name in REFERENCES if name.startswith("metrics_")) == sorted(METRICS_REFERENCES)


@pytest.fixture(scope="session")
def compile_cache_env(request) -> dict[str, str]:
    """JAX's persistent compilation cache for the jaxport child processes (pytest's cache folder)."""
    folder = request.config.cache.mkdir("jax-compilation-cache")
    return {
        "JAX_COMPILATION_CACHE_DIR": str(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


@pytest.mark.parametrize("name", sorted(METRICS_REFERENCES))
def test_metrics_match_tf(name, compile_cache_env):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600, env=compile_cache_env)
    assert sorted(got) == sorted(want), (
        f"the case returned other results than TF's: missing {sorted(set(want) - set(got))}, "
        f"extra {sorted(set(got) - set(want))}"
    )
    assert_results_close(got, want, **METRICS_REFERENCES[name])
