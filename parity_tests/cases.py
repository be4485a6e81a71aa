"""Framework-agnostic parity cases: the same code runs under TensorFlow and jaxport.

Each case is ``case_NAME(tf, **params) -> dict[str, result]`` where ``tf`` is
either ``tensorflow`` (with ``TF_USE_LEGACY_KERAS=1``, i.e. Keras 2) or ``jaxport``.
A result is a numpy array, a string, a list of strings or a list of numpy arrays.
Cases use only the TF public API that jaxport provides:

    tf.keras.Sequential / Model (subclassing) / layers.{Dense, Dropout, Conv2D,
    BatchNormalization, Flatten} / losses.BinaryCrossentropy / optimizers.Adam /
    backend.clear_session, tf.GradientTape, tf.Variable, tf.constant, tf.zeros,
    tf.sigmoid, tf.nn.relu, tf.function,
    tf.data.Dataset.from_tensor_slices(...).batch(...),
    tf.distribute.MirroredStrategy, tf.config.{list_physical_devices,
    list_logical_devices, set_logical_device_configuration,
    LogicalDeviceConfiguration}, compile / fit / evaluate / predict / get_weights /
    set_weights / weights / trainable_variables / non_trainable_variables /
    __call__, ``.numpy()``, ``.name``, ``History.history``.

Data and weights come from numpy only (``np.random.RandomState``); no case relies on an
initializer or on a framework RNG (Dropout is either rate 0 or run in inference mode).

This module must not import a framework: ``parity_tests/run_case.py`` imports the
framework, configures devices, then imports this module. ``REFERENCES`` lists the
committed reference files (``parity_tests/references/NAME.json``) and how each is
produced.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SNIPPET_DIR = Path(__file__).resolve().parent / "seed_snippets"
_SNIPPET_MARKER = "# ---- verbatim seed snippet below ----\n"

# Uniform ranges of fixed_weights, keyed by the last component of a Keras weight name.
WEIGHT_RANGES: dict[str, tuple[float, float]] = {
    "kernel": (-0.3, 0.3),
    "bias": (-0.1, 0.1),
    "gamma": (0.5, 1.5),
    "beta": (-0.5, 0.5),
    "moving_mean": (-0.5, 0.5),
    "moving_variance": (0.5, 1.5),
}


# --------------------------------------------------------------------------- helpers


def seed_data(n: int, seed: int = 0, features: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """The seed-MLP data: ``X`` (n, features) float32, binary labels ``y`` (n,) float32.

    ``rs = RandomState(seed)``; ``X = rs.randn(n, 30)``; ``w = rs.randn(30)``;
    ``y = (X @ w + 0.5 * rs.randn(n) > 0)``.
    """
    rs = np.random.RandomState(seed)
    x = rs.randn(n, features).astype("float32")
    w = rs.randn(features)
    y = (x @ w + 0.5 * rs.randn(n) > 0).astype("float32")
    return x, y


def weight_kind(name: str) -> str:
    """The weight kind in a Keras variable name: ``dense_1/kernel:0`` -> ``kernel``."""
    return name.split("/")[-1].split(":")[0]


def fixed_weights(model: Any, seed: int) -> list[np.ndarray]:
    """Deterministic values for every weight of ``model``, in ``get_weights()`` order.

    Weight ``i`` is ``np.random.RandomState(seed + i).uniform(lo, hi, shape)`` with
    ``(lo, hi)`` chosen by the weight's name (``model.weights[i].name``, last path
    component): see ``WEIGHT_RANGES``. Shapes and dtypes come from
    ``model.get_weights()``.

    Raises:
        ValueError: a weight whose kind is not in ``WEIGHT_RANGES``, or ``weights`` and
            ``get_weights()`` disagreeing in length.
    """
    current = model.get_weights()
    names = [v.name for v in model.weights]
    if len(names) != len(current):
        raise ValueError(f"{len(names)} weight names but {len(current)} weight arrays")
    values = []
    for i, (name, array) in enumerate(zip(names, current, strict=True)):
        kind = weight_kind(name)
        if kind not in WEIGHT_RANGES:
            raise ValueError(f"fixed_weights: no range for weight {name!r} (kind {kind!r})")
        low, high = WEIGHT_RANGES[kind]
        rs = np.random.RandomState(seed + i)
        values.append(rs.uniform(low, high, size=array.shape).astype(array.dtype))
    return values


def set_fixed_weights(model: Any, seed: int) -> None:
    """``model.set_weights(fixed_weights(model, seed))``."""
    model.set_weights(fixed_weights(model, seed))


def error_name(fn: Callable[[], Any]) -> str:
    """The type name of the exception `fn()` raises ("no error" if none): cases compare
    error types, since TF's messages carry runtime prefixes."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the type is the result
        return type(exc).__name__
    return "no error"


def error_contract(
    tf: Any,
    fn: Callable[[], Any],
    phrases: tuple[str, ...] = (),
    state: Callable[[], Any] | None = None,
) -> dict[str, Any]:
    """What an error looks like to a TF user: the error-contract record of calling ``fn()``.

    Returns results (flattened by the caller with a key prefix, see ``add_error_contract``):
    ``class`` (the exception's type name, or "no error"), ``bases`` (the builtin classes in its
    MRO, e.g. ``ValueError,Exception,BaseException``), ``tf_errors`` (the ``tf.errors`` classes
    in its MRO, e.g. ``InvalidArgumentError,OpError``; "" when none), one ``phrase/i`` flag
    ("yes"/"no") per key phrase that the message should contain (compared case-insensitively),
    and ``state``: ``state()`` after the error (any result type), when given, to show nothing
    was half-changed.
    """
    record: dict[str, Any] = {}
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the error is the result
        mro = type(exc).__mro__
        record["class"] = type(exc).__name__
        record["bases"] = ",".join(c.__name__ for c in mro if c.__module__ == "builtins" and c is not object)
        record["tf_errors"] = ",".join(c.__name__ for c in mro if getattr(tf.errors, c.__name__, None) is c)
        message = str(exc).lower()
    else:
        record["class"] = "no error"
        record["bases"] = ""
        record["tf_errors"] = ""
        message = ""
    for i, phrase in enumerate(phrases):
        record[f"phrase/{i}"] = "yes" if phrase.lower() in message else "no"
    if state is not None:
        record["state"] = state()
    return record


def add_error_contract(
    out: dict[str, Any],
    tf: Any,
    key: str,
    fn: Callable[[], Any],
    phrases: tuple[str, ...] = (),
    state: Callable[[], Any] | None = None,
) -> None:
    """Store ``error_contract(tf, fn, phrases, state)`` in ``out`` under ``errors/KEY/...``.

    Every ``errors/KEY/class`` entry counts as one bad-input case of the error contract
    (``parity_tests/test_error_contract.py`` counts them across all references).
    """
    for field_name, value in error_contract(tf, fn, phrases, state).items():
        out[f"errors/{key}/{field_name}"] = value


def to_numpy(value: Any) -> np.ndarray:
    """A numpy array from a Tensor / Variable (``.numpy()``) or anything array-like."""
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


def seed_mlp(tf: Any, rate: float = 0.2, input_dim: int = 30) -> Any:
    """The seed's Sequential MLP (snippets 2 and 4) with Dropout rate ``rate``."""
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=rate, input_shape=(input_dim,)),
            tf.keras.layers.Dense(units=64, activation="relu"),
            tf.keras.layers.Dropout(rate=rate),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )


def load_snippet(name: str) -> str:
    """The verbatim seed snippet in ``seed_snippets/NAME.py`` (header stripped)."""
    text = (SNIPPET_DIR / f"{name}.py").read_text(encoding="utf-8")
    _, marker, body = text.partition(_SNIPPET_MARKER)
    if not marker:
        raise ValueError(f"seed snippet {name!r} has no marker line {_SNIPPET_MARKER!r}")
    return body


def exec_snippet(name: str, namespace: dict[str, Any], drop_final_call: str | None = None) -> str:
    """Execute seed snippet ``name`` in ``namespace``; return what it printed.

    Args:
        name: file stem in ``seed_snippets/``.
        namespace: globals for the snippet (it has no imports); updated in place.
        drop_final_call: if given, the snippet's last statement must be a bare call
            of this function name (e.g. ``train_model()``) and is not executed.
    """
    source = load_snippet(name)
    tree = ast.parse(source, filename=f"seed_snippets/{name}.py")
    if drop_final_call is not None:
        last = tree.body[-1]
        if not (
            isinstance(last, ast.Expr)
            and isinstance(last.value, ast.Call)
            and isinstance(last.value.func, ast.Name)
            and last.value.func.id == drop_final_call
        ):
            raise ValueError(f"snippet {name!r} does not end with {drop_final_call}()")
        tree.body.pop()
    code = compile(tree, filename=str(SNIPPET_DIR / f"{name}.py"), mode="exec")
    namespace.setdefault("__name__", f"seed_snippet_{name}")
    return capture_stdout(lambda: exec(code, namespace))[1]


def capture_stdout(fn: Callable[[], Any]) -> tuple[Any, str]:
    """Call ``fn()`` with ``sys.stdout`` redirected; return ``(result, printed)``."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = fn()
    return result, buffer.getvalue()


def epoch_header_lines(printed: str) -> list[str]:
    """The ``Epoch i/n`` lines of Keras' verbose fit output (not the progress bars)."""
    return [line.strip() for line in printed.splitlines() if re.fullmatch(r"Epoch \d+/\d+", line.strip())]


def history_results(history: dict[str, list[float]], prefix: str = "history/") -> dict[str, np.ndarray]:
    """``History.history`` as float64 arrays (Keras keeps Python floats), prefixed."""
    return {prefix + key: np.asarray(values, dtype=np.float64) for key, values in history.items()}


def compiled_seed_mlp(tf: Any, seed: int = 1, rate: float = 0.0) -> Any:
    """The seed MLP compiled as snippet 4 does, with fixed weights (seed ``seed``)."""
    model = seed_mlp(tf, rate=rate)
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    set_fixed_weights(model, seed)
    return model


# --------------------------------------------------------------------------- cases


def case_seed_mlp_inference(tf: Any, n: int = 64) -> dict[str, Any]:
    """The seed MLP (Dropout 0.2) in inference; ``model(X)`` (``training=None``) too."""
    x, _ = seed_data(n)
    model = seed_mlp(tf, rate=0.2)
    set_fixed_weights(model, 1)
    return {
        "call_default": to_numpy(model(x)),
        "call_training_false": to_numpy(model(x, training=False)),
        "predict": to_numpy(model.predict(x, verbose=0)),
        "trainable_variable_names": [v.name for v in model.trainable_variables],
        "weight_names": [v.name for v in model.weights],
        "weight_shapes": [np.asarray(w.shape, dtype=np.int64) for w in model.get_weights()],
    }


def case_seed_mlp_fit(tf: Any, n: int = 256) -> dict[str, Any]:
    """Seed MLP (Dropout rate 0.0 so that fit is deterministic) trained by fit.

    ``fit(X, y, epochs=5, batch_size=32, shuffle=False, validation_data=(Xv, yv))``;
    with ``n=250`` the last batch of each epoch is partial (26 rows).
    """
    x, y = seed_data(n)
    x_valid, y_valid = seed_data(64, seed=1)
    model = compiled_seed_mlp(tf, seed=1)
    history = model.fit(
        x,
        y,
        epochs=5,
        batch_size=32,
        shuffle=False,
        verbose=0,
        validation_data=(x_valid, y_valid),
    )
    results = history_results(history.history)
    results["final_weights"] = model.get_weights()
    results["evaluate"] = np.asarray(model.evaluate(x_valid, y_valid, verbose=0), dtype=np.float64)
    results["predict_valid_8"] = to_numpy(model.predict(x_valid[:8], verbose=0))
    return results


def case_seed_tape_loop(tf: Any, n: int = 320, steps: int = 10) -> dict[str, Any]:
    """Snippet 2 verbatim (minus ``train_model()``), then ``train_loop`` on batches.

    ``model(features)`` inside ``train_loop`` runs with ``training=None``, i.e.
    Dropout(0.2) is the identity, so the loop is deterministic with fixed weights.
    """
    x, y = seed_data(n)
    namespace = {
        "tf": tf,
        "X": x,
        "time": time,
        "dataset": tf.data.Dataset.from_tensor_slices((x, y)).batch(32),
    }
    printed = exec_snippet("gradient_tape", namespace, drop_final_call="train_model")
    model, train_loop = namespace["model"], namespace["train_loop"]
    set_fixed_weights(model, 1)
    losses = []
    for step, (features, labels) in enumerate(namespace["dataset"]):
        if step == steps:
            break
        losses.append(to_numpy(train_loop(features, labels)))
    return {
        "printed": printed,
        "losses": np.stack(losses),
        "final_weights": model.get_weights(),
        "trainable_variable_names": [v.name for v in model.trainable_variables],
    }


def case_seed_tape_train_model(tf: Any, n: int = 320) -> dict[str, Any]:
    """Snippet 2 in full: ``train_model()`` (10 epochs, printing) with fixed weights.

    The timing line is normalised to ``It took <t> seconds``; the printed losses
    (``%.4f``) are also returned parsed, for comparison with a tolerance.
    """
    x, y = seed_data(n)
    namespace = {
        "tf": tf,
        "X": x,
        "time": time,
        "dataset": tf.data.Dataset.from_tensor_slices((x, y)).batch(32),
    }
    exec_snippet("gradient_tape", namespace, drop_final_call="train_model")
    set_fixed_weights(namespace["model"], 1)
    _, printed = capture_stdout(namespace["train_model"])
    lines = printed.splitlines()
    loss_lines = lines[:-1]
    timing = re.sub(r"^It took \S+ seconds$", "It took <t> seconds", lines[-1])
    return {
        "loss_lines": loss_lines,
        "printed_losses": np.asarray([float(line.rsplit("= ", 1)[1]) for line in loss_lines]),
        "timing_line": timing,
        "final_weights": namespace["model"].get_weights(),
    }


def case_seed_resnet_block(tf: Any) -> dict[str, Any]:
    """Snippet 3 verbatim (class, block, two prints), then fixed weights, BN modes."""
    namespace = {"tf": tf}
    printed = exec_snippet("subclassing", namespace)
    block = namespace["block"]
    results: dict[str, Any] = {
        "printed": printed,
        "block_name": block.name,
        "zeros_output": to_numpy(block(tf.zeros([1, 2, 3, 3]))),
    }
    set_fixed_weights(block, 2)
    xr = np.random.RandomState(3).randn(2, 4, 5, 3).astype("float32")
    results["output_training_false"] = to_numpy(block(xr, training=False))
    results["output_training_true"] = to_numpy(block(xr, training=True))
    results["weights_after_training_call"] = block.get_weights()
    results["output_default_after"] = to_numpy(block(xr))
    results["trainable_variable_names"] = [v.name for v in block.trainable_variables]
    results["non_trainable_variable_names"] = [v.name for v in block.non_trainable_variables]
    results["weight_names"] = [v.name for v in block.weights]
    return results


def case_seed_mirrored_fit(tf: Any, n: int = 256) -> dict[str, Any]:
    """Snippet 4's structure (Dropout rate 0.0) under MirroredStrategy; 5 epochs.

    The replica count is what ``MirroredStrategy()`` finds: run with ``--devices N``.
    """
    x, y = seed_data(n)
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = seed_mlp(tf, rate=0.0)
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        set_fixed_weights(model, 1)
    history = model.fit(x, y, epochs=5, shuffle=False, verbose=0)
    results = history_results(history.history)
    results["final_weights"] = model.get_weights()
    results["num_replicas_in_sync"] = np.asarray(strategy.num_replicas_in_sync, dtype=np.int64)
    results["predict_8"] = to_numpy(model.predict(x[:8], verbose=0))
    return results


def case_seed_mirrored_verbatim(tf: Any, n: int = 256) -> dict[str, Any]:
    """Snippet 4 verbatim (Dropout 0.2, verbose fit); returns non-random facts only."""
    x, y = seed_data(n)
    namespace = {"tf": tf, "X": x, "y": y}
    printed = exec_snippet("mirrored_strategy", namespace)
    model = namespace["model"]
    return {
        "epoch_lines": epoch_header_lines(printed),
        "num_replicas_in_sync": np.asarray(namespace["strategy"].num_replicas_in_sync, dtype=np.int64),
        "weight_names": [v.name for v in model.weights],
        "weight_shapes": [np.asarray(w.shape, dtype=np.int64) for w in model.get_weights()],
    }


def case_seed_eager_fit(tf: Any, n: int = 256) -> dict[str, Any]:
    """Snippet 1's "After" line verbatim on a compiled rate-0 seed MLP, fixed weights.

    The snippet passes no ``verbose``, so fit prints; the ``Epoch i/10`` lines are kept.
    """
    x_train, y_train = seed_data(n)
    x_valid, y_valid = seed_data(64, seed=1)
    namespace = {
        "model": compiled_seed_mlp(tf, seed=1),
        "X_train": x_train,
        "y_train": y_train,
        "X_valid": x_valid,
        "y_valid": y_valid,
    }
    source = load_snippet("eager_fit")
    code = compile(source, filename=str(SNIPPET_DIR / "eager_fit.py"), mode="eval")
    history, printed = capture_stdout(lambda: eval(code, namespace))
    results = history_results(history.history)
    results["epoch_lines"] = epoch_header_lines(printed)
    results["final_weights"] = namespace["model"].get_weights()
    return results


def case_bce_traps(tf: Any) -> dict[str, Any]:
    """BinaryCrossentropy of Keras-sigmoid outputs (uses logits) vs ``tf.sigmoid``.

    Rows have logits ``[20, -3, 0.5, -20]`` and labels ``[0, 1, 1, 1]`` (row 0 alone
    is the "logit 20, y=0" trap: 20.0 from logits, 15.333 after clipping at 1e-7).
    """
    logits = np.asarray([[20.0], [-3.0], [0.5], [-20.0]], dtype="float32")
    labels = np.asarray([[0.0], [1.0], [1.0], [1.0]], dtype="float32")
    loss_fn = tf.keras.losses.BinaryCrossentropy()

    # A Dense(1, sigmoid) with kernel 1 and bias 0: its logit is its input.
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(1,))])
    model.set_weights([np.ones((1, 1), "float32"), np.zeros((1,), "float32")])
    dense_out = model(logits)
    plain_sigmoid = tf.sigmoid(tf.constant(logits))

    @tf.function
    def loss_of_sigmoid_in_function(y_true, z):
        return loss_fn(y_true, tf.sigmoid(z))

    model.compile(loss="binary_crossentropy", optimizer="adam")
    row0 = (labels[:1], logits[:1])
    return {
        "keras_sigmoid_row0": to_numpy(loss_fn(tf.constant(row0[0]), model(row0[1]))),
        "keras_sigmoid": to_numpy(loss_fn(tf.constant(labels), dense_out)),
        "tf_sigmoid_row0": to_numpy(loss_fn(tf.constant(row0[0]), tf.sigmoid(tf.constant(row0[1])))),
        "tf_sigmoid": to_numpy(loss_fn(tf.constant(labels), plain_sigmoid)),
        "tf_function_sigmoid_row0": to_numpy(loss_of_sigmoid_in_function(tf.constant(row0[0]), tf.constant(row0[1]))),
        "tf_function_sigmoid": to_numpy(loss_of_sigmoid_in_function(tf.constant(labels), tf.constant(logits))),
        "from_logits": to_numpy(
            tf.keras.losses.BinaryCrossentropy(from_logits=True)(tf.constant(labels), tf.constant(logits))
        ),
        "sigmoid_values": to_numpy(plain_sigmoid),
        # Labels (4,) against predictions (4, 1): Keras expands, never broadcasts.
        "rank1_labels": to_numpy(loss_fn(tf.constant(labels[:, 0]), plain_sigmoid)),
        "compile_evaluate": np.asarray(model.evaluate(logits, labels, verbose=0), dtype=np.float64),
        "compile_evaluate_row0": np.asarray(model.evaluate(row0[1], row0[0], verbose=0), dtype=np.float64),
    }


def case_batchnorm_moving_stats(tf: Any) -> dict[str, Any]:
    """One training-mode BatchNormalization call on rank-2 and rank-4 inputs.

    TF 2.21 / tf_keras: the rank-4 (fused) path updates ``moving_variance`` with the
    unbiased (n / (n - 1)) batch variance, the rank-2 path with the biased one; both
    normalise with the biased variance.
    """
    rs = np.random.RandomState(5)
    results: dict[str, Any] = {}
    for label, shape in (("rank2", (8, 3)), ("rank4", (2, 4, 5, 3))):
        x = (rs.randn(*shape) * 2 + 1).astype("float32")
        layer = tf.keras.layers.BatchNormalization()
        layer(x, training=False)  # builds the layer
        set_fixed_weights(layer, 6)
        results[f"{label}/output_training_true"] = to_numpy(layer(x, training=True))
        results[f"{label}/weights_after"] = layer.get_weights()
        results[f"{label}/output_training_false"] = to_numpy(layer(x, training=False))
    return results


def case_mirrored_bn_fit(tf: Any, n: int = 64) -> dict[str, Any]:
    """Conv2D + BatchNormalization fit under MirroredStrategy (per-replica BN stats).

    Each replica normalises with its own batch statistics; the moving statistics become
    the mean over replicas of each replica's update. Run with ``--devices N``.
    """
    rs = np.random.RandomState(4)
    x = rs.randn(n, 4, 4, 3).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) + 0.1 * rs.randn(n) > 0).astype("float32")
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = tf.keras.Sequential(
            [
                tf.keras.layers.Conv2D(4, (1, 1), input_shape=(4, 4, 3)),
                tf.keras.layers.BatchNormalization(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        set_fixed_weights(model, 1)
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    results = history_results(history.history)
    results["final_weights"] = model.get_weights()
    results["weight_names"] = [v.name for v in model.weights]
    results["num_replicas_in_sync"] = np.asarray(strategy.num_replicas_in_sync, dtype=np.int64)
    results["predict_8"] = to_numpy(model.predict(x[:8], verbose=0))
    return results


# --------------------------------------------------------------------------- registry

CASES: dict[str, Callable[..., dict[str, Any]]] = {
    name[len("case_") :]: fn for name, fn in sorted(globals().items()) if name.startswith("case_") and callable(fn)
}


@dataclass(frozen=True)
class Reference:
    """How one reference file is made: a case, its params, the logical CPU devices."""

    case: str
    params: dict[str, Any] = field(default_factory=dict)
    devices: int | None = None


REFERENCES: dict[str, Reference] = {
    "seed_mlp_inference": Reference("seed_mlp_inference"),
    "seed_mlp_fit": Reference("seed_mlp_fit"),
    "seed_mlp_fit_n250": Reference("seed_mlp_fit", {"n": 250}),
    "seed_tape_loop": Reference("seed_tape_loop"),
    "seed_tape_train_model": Reference("seed_tape_train_model"),
    "seed_resnet_block": Reference("seed_resnet_block"),
    "seed_mirrored_fit": Reference("seed_mirrored_fit", devices=1),
    "seed_mirrored_fit_d2": Reference("seed_mirrored_fit", devices=2),
    "seed_mirrored_fit_d4": Reference("seed_mirrored_fit", devices=4),
    "seed_mirrored_fit_n250": Reference("seed_mirrored_fit", {"n": 250}, devices=1),
    "seed_mirrored_fit_n250_d2": Reference("seed_mirrored_fit", {"n": 250}, devices=2),
    "seed_mirrored_fit_n250_d4": Reference("seed_mirrored_fit", {"n": 250}, devices=4),
    "seed_mirrored_verbatim_d2": Reference("seed_mirrored_verbatim", devices=2),
    "seed_eager_fit": Reference("seed_eager_fit"),
    "bce_traps": Reference("bce_traps"),
    "batchnorm_moving_stats": Reference("batchnorm_moving_stats"),
    "mirrored_bn_fit": Reference("mirrored_bn_fit", devices=1),
    "mirrored_bn_fit_d2": Reference("mirrored_bn_fit", devices=2),
    "mirrored_bn_fit_d4": Reference("mirrored_bn_fit", devices=4),
}


# --------------------------------------------------------------------------- topic modules

# Each `parity_tests/cases_<topic>.py` defines `case_*` functions (same contract as above) and
# a `REFERENCES` dict; they join the registry here, so run_case.py and make_references.py
# see one set of cases. Import `parity_tests.cases` before a topic module (the registry loads them).
# Every `cases_*.py` file beside this one is a topic module, loaded in name order.
TOPIC_MODULES = tuple(sorted(path.stem for path in Path(__file__).resolve().parent.glob("cases_*.py")))


def _register_topics() -> None:
    import importlib

    for module_name in TOPIC_MODULES:
        module = importlib.import_module(f"parity_tests.{module_name}")
        for name, fn in vars(module).items():
            if name.startswith("case_") and callable(fn):
                CASES[name[len("case_") :]] = fn
        REFERENCES.update(module.REFERENCES)


_register_topics()
