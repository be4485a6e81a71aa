"""Agreement with TF on convolution, pooling and reshaping layers (`parity_tests/cases_conv_layers.py`):
outputs, weight names and shapes, gradients (rtol 1e-5 / atol 1e-6) and bad arguments."""

from __future__ import annotations

import sys

from parity_tests.cases import REFERENCES  # noqa: F401 - import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess


def test_conv_layers_match_tf():
    want, meta = load_reference("conv_layers")
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess("conv_layers", "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
