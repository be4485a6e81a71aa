"""Agreement with TF on dynamic_size TensorArrays grown by loops with a run-time trip count inside
`tf.function` (`parity_tests/cases_autograph_dynamic.py`): values, sizes, the Variables written
and trace counts. Tolerances: rtol 1e-5 / atol 1e-6.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

DYNAMIC = sorted(n for n in REFERENCES if n.startswith("autograph_dynamic_"))


@pytest.mark.parametrize("name", DYNAMIC)
def test_dynamic_tensor_arrays_match_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
