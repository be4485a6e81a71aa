"""Numeric agreement of jaxport with real TensorFlow 2 (tf_keras) on the seed's programs.

Each reference in `parity_tests/references/` was produced by `scripts/make_references.py`
running the same case function (`parity_tests/cases.py`) under TensorFlow; here the case
runs under jaxport in a fresh process (so the CPU device count can be set, as TF's test
rigs do) and the results are compared.

Tolerances: single forward passes rtol 1e-5 / atol 1e-6; training trajectories (losses,
weights after several optimizer steps) rtol 1e-4 / atol 1e-5.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from parity_tests.cases import REFERENCES
from parity_tests.run_case import assert_results_close, load_reference, run_reference_subprocess

SINGLE_PASS = dict(rtol=1e-5, atol=1e-6)
TRAJECTORY = dict(rtol=1e-4, atol=1e-5)

_cache: dict[str, dict] = {}


def jaxport_results(name: str) -> dict:
    """Run reference `name`'s case under jaxport once per session."""
    if name not in _cache:
        _cache[name] = run_reference_subprocess(name, "jaxport", sys.executable, timeout=600)
    return _cache[name]


def test_references_record_tensorflow_version():
    for name in REFERENCES:
        _, meta = load_reference(name)
        assert meta["framework"] == "tensorflow"
        assert meta["tensorflow_version"].startswith("2.")
        assert meta["tf_keras_version"].startswith("2.")
        assert meta["generated_by"] == "scripts/make_references.py"
        assert meta["code_path"].startswith("parity_tests/cases.py::case_")


def test_seed_mlp_inference_matches_tf():
    want, _ = load_reference("seed_mlp_inference")
    assert_results_close(jaxport_results("seed_mlp_inference"), want, **SINGLE_PASS)


@pytest.mark.parametrize("name", ["seed_mlp_fit", "seed_mlp_fit_n250"])
def test_seed_mlp_fit_matches_tf(name):
    want, _ = load_reference(name)
    assert_results_close(jaxport_results(name), want, **TRAJECTORY)


def test_seed_gradient_tape_loop_matches_tf():
    want, _ = load_reference("seed_tape_loop")
    assert_results_close(jaxport_results("seed_tape_loop"), want, **TRAJECTORY)


def test_seed_gradient_tape_snippet_runs_verbatim_and_prints_tf_losses():
    want, _ = load_reference("seed_tape_train_model")
    got = jaxport_results("seed_tape_train_model")
    assert got["timing_line"] == want["timing_line"]
    assert len(got["loss_lines"]) == len(want["loss_lines"]) == 100
    # printed with '%.4f': equal up to the last printed digit
    np.testing.assert_allclose(got["printed_losses"], want["printed_losses"], atol=1.01e-4)
    assert_results_close(got, want, keys=["final_weights"], **TRAJECTORY)


def test_seed_subclassing_block_matches_tf():
    want, _ = load_reference("seed_resnet_block")
    got = jaxport_results("seed_resnet_block")
    assert got["printed"] == want["printed"]  # the snippet's two print() lines, verbatim
    assert_results_close(got, want, **SINGLE_PASS)


def test_batchnorm_moving_statistics_match_tf():
    want, _ = load_reference("batchnorm_moving_stats")
    assert_results_close(jaxport_results("batchnorm_moving_stats"), want, **SINGLE_PASS)


def test_binary_crossentropy_logits_traps_match_tf():
    want, _ = load_reference("bce_traps")
    assert_results_close(jaxport_results("bce_traps"), want, **SINGLE_PASS)


MIRRORED = ["seed_mirrored_fit", "seed_mirrored_fit_d2", "seed_mirrored_fit_d4"]


@pytest.mark.parametrize("name", MIRRORED)
def test_seed_mirrored_fit_matches_tf_single_device(name):
    """1, 2 and 4 replicas all give TF's single-device numbers (the batch splits evenly)."""
    single, _ = load_reference("seed_mirrored_fit")
    got = jaxport_results(name)
    assert_results_close(got, single, keys=["history/loss", "history/accuracy", "final_weights"], **TRAJECTORY)
    same_devices, _ = load_reference(name)
    assert_results_close(got, same_devices, **TRAJECTORY)


@pytest.mark.parametrize("name", ["seed_mirrored_fit_n250", "seed_mirrored_fit_n250_d2", "seed_mirrored_fit_n250_d4"])
def test_mirrored_fit_uneven_last_batch_matches_tf(name):
    """250 rows, batch 32: the last batch of 26 splits [7, 7, 7, 5] over 4 replicas, as in TF."""
    want, _ = load_reference(name)
    assert_results_close(jaxport_results(name), want, **TRAJECTORY)


@pytest.mark.parametrize("name", ["mirrored_bn_fit", "mirrored_bn_fit_d2", "mirrored_bn_fit_d4"])
def test_mirrored_batchnorm_fit_matches_tf(name):
    """Per-replica batch statistics, averaged moving statistics.

    The Conv2D bias (final_weights[1]) feeds a BatchNormalization, which removes it: its
    gradient is rounding noise (~1e-9) that Adam scales up to +-lr steps, in TF as here, so
    it is compared loosely; every other weight to the trajectory tolerance.
    """
    want, _ = load_reference(name)
    got = jaxport_results(name)
    keys = [k for k in want if k != "final_weights"]
    assert_results_close(got, want, keys=keys, rtol=1e-4, atol=2e-4)
    for i, (g, w) in enumerate(zip(got["final_weights"], want["final_weights"])):
        if i == 1:
            np.testing.assert_allclose(g, w, atol=2e-3)
        else:
            np.testing.assert_allclose(g, w, **TRAJECTORY)


def test_seed_mirrored_snippet_runs_verbatim():
    want, _ = load_reference("seed_mirrored_verbatim_d2")
    assert_results_close(jaxport_results("seed_mirrored_verbatim_d2"), want, **SINGLE_PASS)


def test_seed_eager_snippet_runs_verbatim():
    """Snippet 1 shuffles (fit's default), so only the structure and the first epoch compare."""
    want, _ = load_reference("seed_eager_fit")
    got = jaxport_results("seed_eager_fit")
    assert got["epoch_lines"] == want["epoch_lines"]
    for key in ("history/loss", "history/accuracy", "history/val_loss", "history/val_accuracy"):
        assert got[key].shape == want[key].shape == (10,)
    # same weights and data: the first epoch's mean loss barely depends on the order
    np.testing.assert_allclose(got["history/loss"][0], want["history/loss"][0], rtol=0.02)
    assert got["history/loss"][-1] < got["history/loss"][0]
