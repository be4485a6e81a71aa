"""HDF5 weight files move between tf.keras and jaxport.

TF -> jaxport: each fixture ``parity_tests/fixtures/NAME.h5`` was written by real TF
(``scripts/make_weight_fixtures.py``) after training; loaded into the same architecture built
in jaxport, it must give TF's weights and TF's predictions (``NAME.json``).
jaxport -> TF: the file jaxport writes for that model must be laid out exactly as TF's
(groups, attributes with their HDF5 types, dataset names, dtypes, shapes and values).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import jaxport as tf
from parity_tests.fixtures import hdf5_layout, weight_models
from parity_tests.run_case import assert_results_close, decode_payload

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"
NAMES = sorted(weight_models.BUILDERS)


def _reference(name: str) -> tuple[dict, dict]:
    import json

    return decode_payload(json.loads((FIXTURE_DIR / f"{name}.json").read_text(encoding="utf-8")))


def test_fixtures_are_tf_written() -> None:
    for name in NAMES:
        _, metadata = _reference(name)
        assert metadata["framework"] == "tensorflow" and metadata["tf_keras_version"].startswith("2.")
        assert metadata["generator"] == "scripts/make_weight_fixtures.py"
        assert (FIXTURE_DIR / f"{name}.h5").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_tf_file_loads_into_jaxport(name: str, tmp_path: Path) -> None:
    expected, _ = _reference(name)
    model = weight_models.BUILDERS[name](tf)
    model.load_weights(str(FIXTURE_DIR / f"{name}.h5"))
    assert [w.name for w in model.weights] == expected["weight_names"]
    for got, want in zip(model.get_weights(), expected["weights"]):
        np.testing.assert_array_equal(got, want)
    predictions = model(weight_models.INPUTS[name], training=False)
    assert_results_close({"predictions": predictions.numpy()}, expected, keys=["predictions"])

    # by_name finds the same layers by their names: the same weights
    other = weight_models.BUILDERS[name](tf)
    other.load_weights(str(FIXTURE_DIR / f"{name}.h5"), by_name=True)
    for got, want in zip(other.get_weights(), expected["weights"]):
        np.testing.assert_array_equal(got, want)

    # jaxport -> TF: jaxport's file is TF's file (layout, HDF5 types and values)
    path = tmp_path / f"{name}.h5"
    model.save_weights(str(path))
    tf_entries, tf_values = hdf5_layout.describe(str(FIXTURE_DIR / f"{name}.h5"))
    jx_entries, jx_values = hdf5_layout.describe(str(path))
    assert jx_entries == tf_entries
    assert sorted(jx_values) == sorted(tf_values)
    for key, value in tf_values.items():
        np.testing.assert_array_equal(jx_values[key], value, err_msg=key)


def test_fresh_jaxport_model_file_has_tf_layout(tmp_path: Path) -> None:
    """A model whose weights jaxport initialised writes TF's layout (only the values differ)."""
    model = weight_models.seq_mlp(tf)
    path = tmp_path / "fresh.h5"
    model.save_weights(str(path))
    entries, values = hdf5_layout.describe(str(path))
    tf_entries, tf_values = hdf5_layout.describe(str(FIXTURE_DIR / "seq_mlp.h5"))
    assert entries == tf_entries
    assert len(values) == len(model.weights) == 8
    for layer in model.layers:
        for weight in layer.weights:
            np.testing.assert_array_equal(values[f"{layer.name}/{weight.name}"], weight.numpy())
