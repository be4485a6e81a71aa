"""Agreement with TF on the Keras Functional API and the Sequential surface
(`parity_tests/cases_functional.py`, `cases_functional_graphs.py`, `cases_merging.py`,
`cases_model_summary.py`).

Each `functional_*` reference was made by `scripts/make_references.py` under TF 2.21 +
tf_keras; here the case runs under jaxport in a fresh process and every result is compared:
single forward/backward passes to rtol 1e-5 / atol 1e-6, the `fit` trajectory
(`functional_fit`) to rtol 1e-4; names, shapes and error contracts exactly.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

FUNCTIONAL = sorted(name for name in REFERENCES if name.startswith("functional_"))
TRAJECTORIES = {"functional_fit"}


def test_every_functional_case_has_a_reference():
    from parity_tests import cases_functional, cases_functional_graphs, cases_merging, cases_model_summary

    modules = (cases_functional, cases_functional_graphs, cases_merging, cases_model_summary)
    cases = {name[len("case_") :] for module in modules for name in vars(module) if name.startswith("case_functional_")}
    assert cases == {REFERENCES[name].case for name in FUNCTIONAL}


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional_matches_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    if name in TRAJECTORIES:
        assert_results_close(got, want, rtol=1e-4, atol=1e-6)
    else:
        assert_results_close(got, want, rtol=1e-5, atol=1e-6)
