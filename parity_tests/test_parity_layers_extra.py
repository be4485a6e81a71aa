"""Agreement with TF on activation, masking, wrapper, noise and preprocessing layers
(`parity_tests/cases_layers_extra.py`): outputs, masks, weight names, gradients and config keys
(rtol 1e-5 / atol 1e-6), noise statistics, bad arguments, and fit trajectories of models made
of them (rtol 1e-4)."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # noqa: F401 - import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

_NAMES = ("layersx_forward", "layersx_masks", "layersx_noise", "layersx_preprocessing", "layersx_errors")


@pytest.mark.parametrize("name", _NAMES)
def test_layers_extra_match_tf(name: str):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)


def test_layers_in_fitted_models_match_tf():
    want, meta = load_reference("layersx_functional")
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess("layersx_functional", "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    assert_results_close(got, want, rtol=1e-4, atol=1e-5)
