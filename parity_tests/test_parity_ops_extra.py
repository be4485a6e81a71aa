"""Numeric agreement of jaxport's ops with real TensorFlow 2 (`parity_tests/cases_ops_extra*.py`).

Each `opsx_*` reference was produced by `scripts/make_references.py` under TensorFlow 2.21;
the same case runs under jaxport in a fresh process and everything it returned is compared:
values and gradients (rtol 1e-5 / atol 1e-6, single ops), result dtypes, which gradients
are None, the `tf.function` runs (`fn/...` keys) and each error-contract record (class,
builtin bases, tf.errors classes, key phrases, state after the error). The child processes
share JAX's persistent compilation cache in pytest's cache folder (see test_parity_ops.py).
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

SINGLE_OP = dict(rtol=1e-5, atol=1e-6)
OPSX_REFERENCES = sorted(name for name in REFERENCES if name.startswith("opsx_"))


@pytest.fixture(scope="session")
def compile_cache_env(request) -> dict[str, str]:
    """Environment for the jaxport child processes: JAX's persistent compilation cache."""
    folder = request.config.cache.mkdir("jax-compilation-cache")
    return {
        "JAX_COMPILATION_CACHE_DIR": str(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


def test_every_opsx_reference_has_a_file():
    assert OPSX_REFERENCES, "no opsx_* references registered"
    for name in OPSX_REFERENCES:
        _, meta = load_reference(name)
        assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case


@pytest.mark.parametrize("name", OPSX_REFERENCES)
def test_opsx_match_tf(name, compile_cache_env):
    want, _ = load_reference(name)
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600, env=compile_cache_env)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, **SINGLE_OP)
