"""Agreement with TF on control flow (tf.cond / case / switch_case / while_loop / TensorArray,
AutoGraph) and on tf.function tracing facts. Tolerances: rtol 1e-5 / atol 1e-6.

Differences known and owned elsewhere are listed in KNOWN_DIFFERENCES and run as strict
xfails, so that fixing them turns the xfail into a failure that asks to remove the entry.
"""

from __future__ import annotations

import sys

import pytest

from parity_tests.cases import REFERENCES  # import the registry first: it loads the topic modules
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

CONTROL = sorted(n for n in REFERENCES if n.startswith(("control_", "tracing_")))

KNOWN_DIFFERENCES: dict[str, dict[str, str]] = {
    "tracing_signatures": {
        "trace_log_empty": (
            "jaxport/symbolic_trace.py: JAX's dimension variables are at least 1, so a call with a 0 in a None "
            "dim is traced again for its concrete shape (TF's one trace serves it); the values agree"
        ),
        "trace_log_untied": (
            "jaxport/symbolic_trace.py: None dims of equal size in the first call share one dimension variable "
            "(XLA must know that a batch of x and of its labels agree); a later call where they differ is "
            "traced again for its concrete shapes; the values agree"
        ),
    },
}

_RESULTS: dict[str, dict] = {}


def _jaxport_results(name: str) -> dict:
    if name not in _RESULTS:
        _RESULTS[name] = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    return _RESULTS[name]


@pytest.mark.parametrize("name", CONTROL)
def test_control_flow_matches_tf(name):
    want, meta = load_reference(name)
    assert meta["framework"] == "tensorflow" and meta["tensorflow_version"].startswith("2.")
    got = _jaxport_results(name)
    known = KNOWN_DIFFERENCES.get(name, {})
    assert_results_close(got, want, rtol=1e-5, atol=1e-6, keys=[k for k in want if k not in known])


@pytest.mark.parametrize(
    "name,key", [(name, key) for name, keys in sorted(KNOWN_DIFFERENCES.items()) for key in sorted(keys)]
)
def test_known_differences(name, key):
    want, _ = load_reference(name)
    got = _jaxport_results(name)
    try:
        assert_results_close(got, want, keys=[key])
    except AssertionError:
        pytest.xfail(KNOWN_DIFFERENCES[name][key])
    pytest.fail(f"{name}[{key}] now matches TF: remove it from KNOWN_DIFFERENCES")
