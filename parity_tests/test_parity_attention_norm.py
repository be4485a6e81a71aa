"""Agreement with TF on attention and per-sample normalization layers and a small transformer
block (`parity_tests/cases_attention_norm.py`): outputs, scores, weight names and shapes,
gradients (rtol 1e-5 / atol 1e-6); the block's fit History at rtol 1e-4."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess


@pytest.mark.parametrize("name", ["attention_normalization", "attention_transformer_block"])
def test_attention_and_normalization_match_tf(name):
    assert name in REFERENCES
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow"
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert sorted(got) == sorted(want)
    history = {k: v for k, v in want.items() if k.startswith("history/")}
    assert_results_close({k: got[k] for k in history}, history, rtol=1e-4, atol=1e-6)
    rest = {k: v for k, v in want.items() if k not in history}
    assert_results_close({k: got[k] for k in rest}, rest, rtol=1e-5, atol=1e-6)
