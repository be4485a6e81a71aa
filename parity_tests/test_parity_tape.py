"""Agreement with TF on where GradientTape's answer depends on TF's gradient registry: which
sources are unconnected (None) behind ops TF does not differentiate, custom gradients whose
backward calls TF ops, and the tape's error contract. Tolerances: rtol 1e-5 / atol 1e-6
(float32 single computations); strings (None markers, error records) compare exactly."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

TAPE = sorted(n for n in REFERENCES if n.startswith("tape_"))


def test_tape_references_are_registered():
    assert TAPE == ["tape_custom_gradient_ops", "tape_errors", "tape_unconnected_audit"]


@pytest.mark.parametrize("name", TAPE)
def test_tape_matches_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
