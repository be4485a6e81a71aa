"""Agreement with TF on host-side types: string tensors and tf.strings, tf.RaggedTensor,
tf.sparse.SparseTensor, and their bad inputs. Tolerances: rtol 1e-5 / atol 1e-6."""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess


def _dtypes(results: dict) -> dict:
    """The numpy dtype of every array result (the shared comparison checks values only)."""
    out = {}
    for key, value in results.items():
        items = value if isinstance(value, list) else [value]
        out[key] = [str(v.dtype) for v in items if hasattr(v, "dtype")]
    return out


HOST_TYPES = sorted(n for n in REFERENCES if n.startswith("host_"))


def test_all_host_type_references_registered():
    assert HOST_TYPES == ["host_errors", "host_ragged", "host_sparse", "host_strings"]


@pytest.mark.parametrize("name", HOST_TYPES)
def test_host_types_match_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    assert_results_close(got, want, rtol=1e-5, atol=1e-6)
    assert _dtypes(got) == _dtypes(want)
