"""Agreement with TF on recurrent layers and Embedding (`parity_tests/cases_recurrent.py`):
outputs, weight names, gradients with respect to inputs and weights (rtol 1e-5 / atol 1e-6,
over 7 steps), masks, and bad arguments."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

RECURRENT = sorted(n for n in REFERENCES if n.startswith("recurrent_"))


@pytest.mark.parametrize("name", RECURRENT)
def test_recurrent_layers_match_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
