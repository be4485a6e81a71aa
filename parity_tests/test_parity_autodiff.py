"""Agreement with TF on GradientTape (incl. higher order, jacobians, custom gradients),
Variables and tf.Module. Tolerances: rtol 1e-5 / atol 1e-6 (float32 single computations)."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

AUTODIFF = sorted(n for n in REFERENCES if n.startswith(("autodiff_", "variables_")))


@pytest.mark.parametrize("name", AUTODIFF)
def test_autodiff_matches_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
