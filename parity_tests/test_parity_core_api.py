"""Agreement with TF on devices and placement, Dropout's noise_shape, tf.keras.activations, the
default strategy and MirroredStrategy details, and the error contract of Keras and
tf.distribute arguments (`parity_tests/cases_core_api.py`, `parity_tests/cases_core_distribute.py`).

Each `core_*` reference was made by `scripts/make_references.py` under TF 2.21 (those with
`devices=2` on two logical CPUs); here the case runs under jaxport in a fresh process and every
result is compared: values to rtol 1e-5 / atol 1e-6 (single computations), strings and error
records exactly.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

CORE = sorted(name for name in REFERENCES if name.startswith("core_"))


@pytest.fixture(scope="session")
def compile_cache_env(request) -> dict[str, str]:
    """Environment for the jaxport child processes: JAX's persistent compilation cache."""
    folder = request.config.cache.mkdir("jax-compilation-cache")
    return {
        "JAX_COMPILATION_CACHE_DIR": str(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


def test_core_references_exist():
    assert CORE == [
        "core_activations",
        "core_default_strategy",
        "core_devices",
        "core_distribute_errors",
        "core_distribute_one_device",
        "core_dropout_noise_shape",
        "core_keras_errors",
    ]


@pytest.mark.parametrize("name", CORE)
def test_core_api_matches_tf(name, compile_cache_env):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    assert meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600, env=compile_cache_env)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
