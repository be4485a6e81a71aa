"""Agreement with TF on Keras optimizers, learning-rate schedules, optimizers by name in
compile/fit, and their bad inputs. Tolerances: training trajectories (30 steps; fit histories)
rtol 1e-4 / atol 1e-6; schedules and errors (single computations) rtol 1e-5 / atol 1e-6."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

OPTIMIZERS = sorted(n for n in REFERENCES if n.startswith("optimizers_"))
TRAJECTORIES = {"optimizers_trajectories", "optimizers_options", "optimizers_by_name"}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizers_match_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    rtol = 1e-4 if name in TRAJECTORIES else 1e-5
    assert_results_close(got, want, rtol=rtol, atol=1e-6)


def test_every_optimizer_case_has_a_reference():
    from parity_tests import cases_optimizers

    defined = {name[len("case_") :] for name in vars(cases_optimizers) if name.startswith("case_")}
    assert defined == set(OPTIMIZERS)
