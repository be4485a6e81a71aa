"""Agreement with TF 2.21 + tf_keras on the Keras utilities (`parity_tests/cases_keras_utils.py`):
each `kutils_*` case runs under jaxport in a fresh process; values compared to rtol 1e-5 /
atol 1e-6, strings, tables and error contracts exactly."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

KUTILS = sorted(name for name in REFERENCES if name.startswith("kutils_"))


def test_every_keras_utils_case_has_a_reference():
    from parity_tests import cases_keras_utils

    cases = {name[len("case_") :] for name in vars(cases_keras_utils) if name.startswith("case_kutils_")}
    assert cases == {REFERENCES[name].case for name in KUTILS} and len(KUTILS) == 5


@pytest.mark.parametrize("name", KUTILS)
def test_keras_utils_match_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
