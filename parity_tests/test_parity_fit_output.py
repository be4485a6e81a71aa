"""Agreement with TF 2.21 + tf_keras on what fit / evaluate / predict print and the callbacks
they drive (`parity_tests/cases_fit_output.py`).

Printed text is compared exactly once times are masked (`cases_fit_output.mask_times`); hook
sequences, log keys and their order exactly; logged values, weights and learning rates after
training with rtol 1e-4 / atol 1e-5 (training trajectories); error contracts exactly.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

TRAJECTORY = dict(rtol=1e-4, atol=1e-5)
FIT_OUTPUT_REFERENCES = [
    "fitout_csv_logger",
    "fitout_custom_train_step",
    "fitout_early_stopping",
    "fitout_hooks",
    "fitout_lambda_and_errors",
    "fitout_lr_callbacks",
    "fitout_printed",
    "fitout_printed_dataset",
    "fitout_terminate_on_nan",
]


def test_fit_output_references_are_registered():
    assert sorted(name for name in REFERENCES if name.startswith("fitout_")) == FIT_OUTPUT_REFERENCES


@pytest.fixture(scope="session")
def compile_cache_env(request) -> dict[str, str]:
    """JAX's persistent compilation cache for the jaxport child processes (pytest's cache folder)."""
    folder = request.config.cache.mkdir("jax-compilation-cache")
    return {
        "JAX_COMPILATION_CACHE_DIR": str(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


@pytest.mark.parametrize("name", FIT_OUTPUT_REFERENCES)
def test_fit_output_matches_tf(name, compile_cache_env):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600, env=compile_cache_env)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, **TRAJECTORY)
