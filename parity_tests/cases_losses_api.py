"""Parity cases: `tf.keras.losses` in use — losses given to `compile` by name, as instances,
as functions and as a Loss subclass, then `fit` / `evaluate` (History); and the error contract
of bad input (TF's class, bases and key phrases).

Same contract as `parity_tests/cases.py`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, history_results, to_numpy

# --------------------------------------------------------------------------- compile / fit


def case_losses_by_name_fit(tf: Any) -> dict[str, Any]:
    """`compile(loss=...)` with names, instances, functions and a Loss subclass, then `fit`
    (2 epochs, 4 steps, fixed weights) and `evaluate`: History and the evaluated loss."""
    L = tf.keras.losses
    rs = np.random.RandomState(21)
    x = rs.randn(32, 4).astype("float32")
    y_reg = rs.randn(32, 3).astype("float32")
    y_pos = rs.uniform(0, 2, (32, 3)).astype("float32")
    y_bin = (rs.rand(32, 1) > 0.5).astype("float32")
    y_int = rs.randint(0, 3, 32)
    y_cat = np.eye(3, dtype="float32")[y_int]

    class ScaledSquare(L.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1) * 3.0

    def clipped_error(y_true, y_pred):
        error = tf.abs(y_pred - y_true)
        if tf.reduce_max(error) > 1.0:  # Python control flow: AutoGraph converts it in the train step
            error = tf.minimum(error, 1.0)
        return tf.reduce_mean(error, axis=-1)

    runs = {
        "function_with_control_flow": ("linear", 3, clipped_error, y_reg),
        "huber": ("linear", 3, "huber", y_reg),
        "mse": ("linear", 3, "mse", y_reg),
        "mean_absolute_error": ("linear", 3, "mean_absolute_error", y_reg),
        "mape": ("linear", 3, "mape", y_reg),
        "log_cosh": ("linear", 3, "log_cosh", y_reg),
        "cosine_similarity": ("linear", 3, "cosine_similarity", y_reg),
        "Huber_instance": ("linear", 3, L.Huber(delta=0.3), y_reg),
        "function": ("linear", 3, L.mean_squared_logarithmic_error, y_pos),
        "custom_subclass": ("linear", 3, ScaledSquare(), y_reg),
        "poisson": ("softplus", 3, "poisson", y_pos),
        "squared_hinge": ("tanh", 1, "squared_hinge", y_bin),
        "binary_crossentropy": ("sigmoid", 1, "binary_crossentropy", y_bin),
        "binary_focal": ("sigmoid", 1, "binary_focal_crossentropy", y_bin),
        "categorical_crossentropy": ("softmax", 3, "categorical_crossentropy", y_cat),
        "kld": ("softmax", 3, "kld", y_cat),
        "categorical_hinge": ("softmax", 3, "categorical_hinge", y_cat),
        "CategoricalFocal_instance": ("softmax", 3, L.CategoricalFocalCrossentropy(gamma=1.0), y_cat),
        "sparse_categorical_crossentropy": ("softmax", 3, "sparse_categorical_crossentropy", y_int),
        "SparseCCE_logits": ("linear", 3, L.SparseCategoricalCrossentropy(from_logits=True), y_int),
    }
    sample_weight = rs.uniform(0, 2, 32).astype("float32")
    # reductions other than the default, and sample weights in fit and evaluate
    weighted_runs = {
        "mse_sum": ("linear", 3, L.MeanSquaredError(reduction="sum"), y_reg, None),
        "mse_none": ("linear", 3, L.MeanSquaredError(reduction="none"), y_reg, None),
        "mse_sample_weight": ("linear", 3, "mse", y_reg, sample_weight),
        "huber_sum_sample_weight": ("linear", 3, L.Huber(reduction="sum"), y_reg, sample_weight),
        "bce_sample_weight": ("sigmoid", 1, "binary_crossentropy", y_bin, sample_weight),
        "bce_rank1_labels": ("sigmoid", 1, "binary_crossentropy", y_bin[:, 0], None),
        "mse_rank1_labels": ("linear", 1, "mse", y_reg[:, 0], sample_weight),
        "scce_ignore_class_weighted": (
            "softmax",
            3,
            L.SparseCategoricalCrossentropy(ignore_class=0),
            y_int,
            sample_weight,
        ),
    }
    runs = {name: (*spec, None) for name, spec in runs.items()} | weighted_runs
    out: dict[str, Any] = {}
    for name, (activation, units, loss, y, weights) in runs.items():
        tf.keras.backend.clear_session()
        model = tf.keras.Sequential([tf.keras.layers.Dense(units, activation=activation, input_shape=(4,))])
        w = np.random.RandomState(units).uniform(-0.5, 0.5, (4, units)).astype("float32")
        model.set_weights([w, np.zeros((units,), "float32")])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=loss)
        history = model.fit(x, y, sample_weight=weights, batch_size=16, epochs=2, shuffle=False, verbose=0)
        out.update(history_results(history.history, prefix=f"{name}/history/"))
        evaluated = model.evaluate(x, y, sample_weight=weights, verbose=0, batch_size=32)
        out[f"{name}/evaluate"] = np.asarray(evaluated, dtype=np.float64)
    # a masked sequence model: the loss averages over the unmasked positions
    tf.keras.backend.clear_session()
    tokens = rs.randint(0, 5, (32, 6))
    tokens[:, 4:] = 0
    targets = rs.randint(0, 3, (32, 6))
    model = tf.keras.Sequential([tf.keras.layers.Embedding(5, 2, mask_zero=True), tf.keras.layers.Dense(3)])
    model.build((None, 6))
    model.set_weights([rs.uniform(-1, 1, w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=L.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(tokens, targets, batch_size=16, epochs=2, shuffle=False, verbose=0)
    out.update(history_results(history.history, prefix="masked_sequence/history/"))
    out["masked_sequence/evaluate"] = np.asarray(model.evaluate(tokens, targets, verbose=0), dtype=np.float64)
    return out


# --------------------------------------------------------------------------- errors


def case_losses_errors(tf: Any) -> dict[str, Any]:
    """Bad input: TF's error class, bases and key phrases of each message."""
    L = tf.keras.losses
    out: dict[str, Any] = {}
    a23 = tf.constant(np.full((2, 3), 0.3, "float32"))
    a24 = tf.constant(np.full((2, 4), 0.3, "float32"))
    add_error_contract(
        out, tf, "bad_reduction", lambda: L.Huber(reduction="mean"), ("invalid reduction key: mean", "expected keys")
    )
    add_error_contract(
        out, tf, "bad_reduction_none", lambda: L.MeanSquaredError(reduction=None), ("invalid reduction key",)
    )
    add_error_contract(
        out, tf, "mse_shapes", lambda: L.MeanSquaredError()(a23, a24), ("incompatible shapes: [2,4] vs. [2,3]",)
    )
    add_error_contract(out, tf, "mae_shapes", lambda: L.mae(a23, a24), ("incompatible shapes: [2,4] vs. [2,3]",))
    add_error_contract(out, tf, "kld_shapes", lambda: L.kld(a23, a24), ("incompatible shapes: [2,3] vs. [2,4]",))
    add_error_contract(
        out,
        tf,
        "cce_shapes",
        lambda: L.CategoricalCrossentropy()(a23, a24),
        ("shapes (2, 3) and (2, 4) are incompatible",),
    )
    add_error_contract(
        out,
        tf,
        "cfocal_shapes",
        lambda: L.CategoricalFocalCrossentropy()(a23, a24),
        ("shapes (2, 3) and (2, 4) are incompatible",),
    )
    add_error_contract(out, tf, "bce_shapes", lambda: L.BinaryCrossentropy()(a23, a24), ("incompatible shapes",))
    add_error_contract(
        out,
        tf,
        "bce_logits_shapes",
        lambda: L.BinaryCrossentropy(from_logits=True)(a23, a24),
        ("`logits` and `labels` must have the same shape", "(2, 4) vs (2, 3)"),
    )
    sigmoid_model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(1,))])
    sigmoid_out = sigmoid_model(np.ones((2, 1), "float32"))
    add_error_contract(
        out,
        tf,
        "bce_fn_keras_sigmoid_rank1_labels",
        lambda: L.binary_crossentropy(tf.constant([0.0, 1.0]), sigmoid_out),
        ("must have the same shape", "(2, 1) vs (2,)"),
    )
    add_error_contract(
        out,
        tf,
        "sample_weight_shape",
        lambda: L.MeanSquaredError()(a23, a23, sample_weight=tf.constant([1.0, 2.0, 3.0])),
        ("incompatible shapes: [2] vs. [3]",),
    )
    add_error_contract(
        out,
        tf,
        "sample_weight_per_element_of_reduced",
        lambda: L.MeanSquaredError()(a23, a23, sample_weight=np.ones((2, 3), "float32")),
        ("can not squeeze dim[1]", "expected a dimension of 1, got 3"),
    )
    add_error_contract(
        out,
        tf,
        "sample_weight_none_reduction",
        lambda: L.MeanSquaredError(reduction="none")(a23, a23, sample_weight=np.ones((2, 3, 4), "float32")),
        ("incompatible shapes: [2] vs. [2,3,4]",),
    )
    add_error_contract(
        out,
        tf,
        "scce_label_range",
        lambda: L.SparseCategoricalCrossentropy()(tf.constant([0, 5]), a23),
        ("received a label value of 5", "valid range of [0, 3)"),
    )
    add_error_contract(
        out,
        tf,
        "scce_label_negative",
        lambda: L.SparseCategoricalCrossentropy(from_logits=True)(tf.constant([0, -1]), a23),
        ("received a label value of -1", "valid range of [0, 3)"),
    )
    add_error_contract(
        out,
        tf,
        "scce_label_shape",
        lambda: L.SparseCategoricalCrossentropy()(tf.constant([0, 1, 1]), a23),
        ("`labels.shape` must equal `logits.shape`", "labels.shape=(3,)", "logits.shape=(2, 3)"),
    )
    add_error_contract(
        out,
        tf,
        "scce_label_shape_flattened",
        lambda: L.SparseCategoricalCrossentropy()(tf.constant([[0, 1], [1, 1]]), a23),
        ("labels.shape=(4,)", "logits.shape=(2, 3)"),
    )
    add_error_contract(
        out,
        tf,
        "cce_axis_bool",
        lambda: L.categorical_crossentropy(a23, a23, axis=True),
        ("`axis` must be of type `int`",),
    )
    add_error_contract(
        out,
        tf,
        "cce_axis_range",
        lambda: L.categorical_crossentropy(a23, a23, axis=5),
        ("invalid reduction dimension",),
    )
    add_error_contract(out, tf, "mse_rank0", lambda: L.mse(1.0, 2.0), ("invalid reduction dimension (-1",))
    add_error_contract(
        out, tf, "cce_int_predictions", lambda: L.categorical_crossentropy([[1, 0]], [[1, 0]]), ("cannot convert 0.0",)
    )
    add_error_contract(
        out,
        tf,
        "focal_gamma_string",
        lambda: L.BinaryFocalCrossentropy(gamma="a")(a23, a23),
        ("cannot convert 'a'", "dtype float"),
    )
    add_error_contract(
        out,
        tf,
        "get_unknown",
        lambda: L.get("not_a_loss"),
        ("unknown loss function: 'not_a_loss'", "custom_object_scope"),
    )
    add_error_contract(out, tf, "get_int", lambda: L.get(3), ("could not interpret loss function identifier: 3",))
    add_error_contract(
        out,
        tf,
        "deserialize_unknown_legacy",
        lambda: L.deserialize("Nope", use_legacy_format=True),
        ("unknown loss function: 'nope'",),
    )
    add_error_contract(out, tf, "base_loss_call", lambda: L.Loss()(a23, a23), ("must be implemented in subclasses",))
    add_error_contract(
        out, tf, "string_labels", lambda: L.mse(tf.constant([["a", "b"]]), a23), ("cast string to float",)
    )
    # an unknown loss name: compile accepts it, the first fit / evaluate raises
    unknown = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    add_error_contract(out, tf, "compile_unknown_loss", lambda: unknown.compile(loss="nope", optimizer="sgd"))
    add_error_contract(
        out,
        tf,
        "fit_unknown_loss",
        lambda: unknown.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0),
        ("unknown loss function: 'nope'",),
    )
    add_error_contract(
        out,
        tf,
        "compile_loss_not_callable",
        lambda: unknown.compile(loss=3, optimizer="sgd"),
    )
    add_error_contract(
        out,
        tf,
        "evaluate_loss_not_callable",
        lambda: unknown.evaluate(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0),
        ("could not interpret loss function identifier: 3",),
    )
    strategy = tf.distribute.MirroredStrategy()

    def in_scope(loss: Any) -> Any:
        with strategy.scope():
            return loss(a23, a23 * 2.0)

    add_error_contract(
        out,
        tf,
        "auto_reduction_in_strategy_scope",
        lambda: in_scope(L.MeanSquaredError()),
        ("please use `tf.keras.losses.reduction.sum` or `tf.keras.losses.reduction.none`",),
    )
    out["sum_reduction_in_strategy_scope"] = to_numpy(in_scope(L.MeanSquaredError(reduction="sum")))
    return out


REFERENCES: dict[str, Reference] = {
    "losses_by_name_fit": Reference("losses_by_name_fit"),
    "losses_errors": Reference("losses_errors"),
}
