"""`Model.save_weights` / `Model.load_weights`: choosing the format, the checks tf_keras makes
before touching a file, the atomic write and the all-or-nothing assignment."""

from __future__ import annotations

import os
import zipfile
from typing import Any

import h5py

from jaxport.modules.saving import hdf5_format
from jaxport.modules.saving.atomic_file import atomic_write_path

_HDF5_SUFFIXES = (".h5", ".keras", ".hdf5")
_CHECKPOINT_NOT_SUPPORTED = (
    "jaxport reads and writes Keras weights in tf_keras's HDF5 format only: give a filepath ending in "
    "'.h5' (or '.hdf5'). TF's checkpoint format (TensorBundle: `{path}.index` + `{path}.data-*`), "
    "used for any other filepath or save_format='tf', is not supported yet. Received: filepath={path}"
)


def is_hdf5_filepath(filepath: str) -> bool:
    """Whether tf_keras treats `filepath` as HDF5 by its suffix (`.h5`, `.keras`, `.hdf5`)."""
    return filepath.endswith(_HDF5_SUFFIXES)


def _save_format(filepath: str, save_format: str | None) -> str:
    is_h5 = is_hdf5_filepath(filepath)
    if save_format is None:
        return "h5" if is_h5 else "tf"
    user_format = save_format.lower().strip()
    if user_format in ("tensorflow", "tf"):
        if is_h5:
            raise ValueError(
                'save_weights got save_format="tf"/"tensorflow", but the '
                f"filepath ({filepath}) looks like an HDF5 file. "
                'Omit the ".h5"/".keras" when saving in TensorFlow format.'
            )
        return "tf"
    if user_format in ("hdf5", "h5", "keras"):
        return "h5"
    raise ValueError(f'Unknown format. Received: `save_format`={save_format}. Was expecting one of {{"tf", "h5"}}.')


def _refuse_keras_v3(filepath: str) -> None:
    # tf_keras sends `*.weights.h5` (and zipped `.keras` files) to Keras 3's other layout.
    if filepath.endswith(".weights.h5"):
        raise NotImplementedError(
            "tf_keras saves a filepath ending in '.weights.h5' in the Keras v3 weights layout, which "
            f"jaxport does not support yet; use a plain '.h5' filepath. Received: filepath={filepath}"
        )


def _ask_to_proceed_with_overwrite(filepath: str) -> bool:
    """tf_keras's prompt when `overwrite=False` and the file exists."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True


def _assert_weights_created(model: Any) -> None:
    from jaxport.modules.model import Model, Sequential

    has_own_build = isinstance(model, Sequential) or "build" in type(model).__dict__
    if has_own_build and type(model) is not Model and not model.built:
        raise ValueError(
            f"Weights for model '{model.name}' have not yet been created. "
            "Weights are created when the model is first called on inputs or `build()` is called with an "
            "`input_shape`."
        )


def save_weights(model: Any, filepath: Any, overwrite: bool = True, save_format: str | None = None) -> None:
    """Write `model`'s weights to `filepath` in tf_keras's HDF5 layout, atomically.

    Raises:
      ValueError: the model's weights are not created yet, or a bad `save_format`.
      NotImplementedError: TF's checkpoint format (a filepath without `.h5`) or `*.weights.h5`.
      FileNotFoundError: the folder of `filepath` does not exist.
    """
    _assert_weights_created(model)
    filepath = os.fspath(filepath)
    if _save_format(filepath, save_format) == "tf":
        raise NotImplementedError(_CHECKPOINT_NOT_SUPPORTED.format(path=filepath))
    _refuse_keras_v3(filepath)
    if not overwrite and os.path.isfile(filepath) and not _ask_to_proceed_with_overwrite(filepath):
        return
    with atomic_write_path(filepath) as tmp_path:
        with h5py.File(tmp_path, "w") as f:
            hdf5_format.save_weights_to_hdf5_group(f, model)
            f.flush()


def _weights_are_created(model: Any) -> bool:
    from jaxport.modules.functional import Functional

    return isinstance(model, Functional) or model.built


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Set `model`'s weights from a tf_keras HDF5 weights file (or a whole-model `.h5`'s
    `model_weights`); every check runs before any weight changes.

    Raises:
      ValueError: `skip_mismatch` without `by_name`, an unbuilt subclassed model, or a layer /
        weight count or shape mismatch (TF's messages).
      NotImplementedError: TF's checkpoint format, or a Keras v3 file.
      FileNotFoundError / OSError: no such file, or not an HDF5 file (h5py's errors, as in TF).
    """
    if skip_mismatch and not by_name:
        raise ValueError("When calling model.load_weights, skip_mismatch can only be set to True when by_name is True.")
    filepath = os.fspath(filepath)
    _refuse_keras_v3(filepath)
    if filepath.endswith(".keras") and zipfile.is_zipfile(filepath):
        raise NotImplementedError(
            f"{filepath} is a zipped Keras v3 `.keras` file, which jaxport cannot read yet; save the weights "
            "with `model.save_weights('name.h5')` instead."
        )
    if not is_hdf5_filepath(filepath) and not (os.path.isfile(filepath) and h5py.is_hdf5(filepath)):
        raise NotImplementedError(_CHECKPOINT_NOT_SUPPORTED.format(path=filepath))
    if not _weights_are_created(model):
        raise ValueError(
            "Unable to load weights saved in HDF5 format into a subclassed Model which has not created its "
            "variables yet. Call the Model first, then load the weights."
        )
    _assert_weights_created(model)
    with h5py.File(filepath, "r") as f:
        group = f["model_weights"] if "layer_names" not in f.attrs and "model_weights" in f else f
        if by_name:
            pairs = hdf5_format.load_weights_from_hdf5_group_by_name(group, model, skip_mismatch)
        else:
            pairs = hdf5_format.load_weights_from_hdf5_group(group, model)
    for weight, value in pairs:  # every value was read and checked: assigning cannot fail half-way
        weight.assign(value)
