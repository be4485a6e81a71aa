"""Agreement with TF on HDF5 weight files (`parity_tests/cases_weights_files.py`).

Each `weights_h5_*` reference was made by `scripts/make_references.py` under TF 2.21 +
tf_keras; here the case runs under jaxport in a fresh process and every result is compared
(values to rtol 1e-5 / atol 1e-6; file lists and error contracts exactly).
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

WEIGHTS_FILES = sorted(name for name in REFERENCES if name.startswith("weights_h5_"))


def test_every_weights_file_case_has_a_reference():
    from parity_tests import cases_weights_files

    cases = {name[len("case_") :] for name in vars(cases_weights_files) if name.startswith("case_")}
    assert cases == {REFERENCES[name].case for name in WEIGHTS_FILES}


@pytest.mark.parametrize("name", WEIGHTS_FILES)
def test_weights_files_match_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want)
