"""Agreement with TF on tf.function's error contract (`parity_tests/cases_function_errors.py`):
class, builtin bases, tf.errors classes, key phrases and state after each bad call."""

from __future__ import annotations

import sys

from parity_tests.cases import REFERENCES  # noqa: F401 - import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess


def test_function_errors_match_tf():
    want, meta = load_reference("function_errors")
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess("function_errors", "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
