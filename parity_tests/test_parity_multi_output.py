"""Agreement with TF 2.21 + tf_keras on multi-output `compile`/`fit`/`evaluate`
(`parity_tests/cases_multi_output.py`): History keys and order exactly, logged values,
`evaluate` results and weights after training at rtol 1e-4 / atol 1e-6 (trajectories),
`metrics_names` and error contracts exactly."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

MULTI_OUTPUT = sorted(name for name in REFERENCES if name.startswith("multiout_"))


def test_every_multi_output_case_has_a_reference():
    from parity_tests import cases_multi_output

    cases = {name[len("case_") :] for name in vars(cases_multi_output) if name.startswith("case_multiout_")}
    assert cases == {REFERENCES[name].case for name in MULTI_OUTPUT} and len(MULTI_OUTPUT) == 4


@pytest.mark.parametrize("name", MULTI_OUTPUT)
def test_multi_output_matches_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, rtol=1e-4, atol=1e-6)
