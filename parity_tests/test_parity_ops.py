"""Numeric agreement of jaxport's ops with real TensorFlow 2 (`parity_tests/cases_ops.py`).

Each `ops_*` reference was produced by `scripts/make_references.py` under TensorFlow; here the
same case runs under jaxport in a fresh process and everything it returned is compared:
values and gradients (rtol 1e-5 / atol 1e-6, single ops), the result dtypes, which gradients
are None, and the error type of every bad call.

Each case runs hundreds of ops eagerly, each compiled by XLA once per shape (~40 ms on CPU),
so the child processes share JAX's persistent compilation cache, kept in pytest's cache
folder (`pytest --cache-clear` empties it): reruns skip the compiles, the numbers are the same.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

SINGLE_OP = dict(rtol=1e-5, atol=1e-6)
OPS_REFERENCES = sorted(name for name in REFERENCES if name.startswith("ops_"))


@pytest.fixture(scope="session")
def compile_cache_env(request) -> dict[str, str]:
    """Environment for the jaxport child processes: JAX's persistent compilation cache."""
    folder = request.config.cache.mkdir("jax-compilation-cache")
    return {
        "JAX_COMPILATION_CACHE_DIR": str(folder),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


def test_ops_references_are_registered():
    assert OPS_REFERENCES == [
        "ops_creation_shape",
        "ops_indexing",
        "ops_math",
        "ops_nn",
        "ops_random",
        "ops_reduce_linalg",
    ]


@pytest.mark.parametrize("name", OPS_REFERENCES)
def test_ops_match_tf(name, compile_cache_env):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600, env=compile_cache_env)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, **SINGLE_OP)
