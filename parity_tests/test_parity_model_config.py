"""Agreement with TF on Keras model configs and cloning (`parity_tests/cases_model_config.py`).

Each `modelcfg_*` reference was made by `scripts/make_references.py` under TF 2.21 +
tf_keras; here the case runs under jaxport in a fresh process and every result is compared:
config JSON strings, names and error contracts exactly, predictions to rtol 1e-5 / atol 1e-6.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

MODEL_CONFIG = sorted(name for name in REFERENCES if name.startswith("modelcfg_"))


def test_every_model_config_case_has_a_reference():
    from parity_tests import cases_model_config

    cases = {name[len("case_") :] for name in vars(cases_model_config) if name.startswith("case_modelcfg_")}
    assert cases == {REFERENCES[name].case for name in MODEL_CONFIG}


@pytest.mark.parametrize("name", MODEL_CONFIG)
def test_model_config_matches_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["case"] == REFERENCES[name].case
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want), "the case returned other results than TF's"
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
