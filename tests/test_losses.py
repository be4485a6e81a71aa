"""jaxport's Keras losses on the JAX side: the pure functions under `jax.grad` / `jax.jit` /
`jax.vmap`, their agreement with the Tensor-facing functions and classes, TF's gradient
conventions at clipping bounds, losses inside `tf.function`, and `get` / `compile` wiring.
(Agreement with real TF is in `parity_tests/test_parity_losses.py`.)"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxport as tf
from jaxport.modules.losses import pure

L = tf.keras.losses
RS = np.random.RandomState(0)
PROBS = RS.uniform(0.05, 0.95, (4, 3)).astype("float32")
BINARY = (RS.rand(4, 3) > 0.5).astype("float32")
ONEHOT = np.eye(3, dtype="float32")[[0, 2, 1, 1]]
SPARSE = np.asarray([0, 2, 1, 1], "int32")
REGRESSION = RS.randn(4, 3).astype("float32")

# pure name -> (labels, predictions) it is checked on
INPUTS = {
    "mean_squared_error": (REGRESSION, PROBS),
    "mean_absolute_error": (REGRESSION, PROBS),
    "mean_absolute_percentage_error": (REGRESSION, PROBS),
    "mean_squared_logarithmic_error": (np.abs(REGRESSION), PROBS),
    "huber": (REGRESSION, PROBS),
    "log_cosh": (REGRESSION, PROBS),
    "cosine_similarity": (REGRESSION, PROBS),
    "hinge": (BINARY, PROBS),
    "squared_hinge": (BINARY, PROBS),
    "categorical_hinge": (ONEHOT, PROBS),
    "kl_divergence": (ONEHOT, PROBS),
    "poisson": (np.abs(REGRESSION), PROBS),
    "binary_crossentropy": (BINARY, PROBS),
    "binary_focal_crossentropy": (BINARY, PROBS),
    "categorical_crossentropy": (ONEHOT, PROBS),
    "categorical_focal_crossentropy": (ONEHOT, PROBS),
    "sparse_categorical_crossentropy": (SPARSE, PROBS),
}


def test_every_loss_has_a_pure_function():
    assert sorted(pure.PER_SAMPLE) == sorted(INPUTS)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_pure_loss_matches_the_keras_function_and_runs_under_jit_and_grad(name):
    y_true, y_pred = INPUTS[name]
    fn = pure.PER_SAMPLE[name]
    keras_value = getattr(L, name)(tf.constant(y_true), tf.constant(y_pred)).numpy()
    np.testing.assert_allclose(np.asarray(fn(y_true, y_pred)), keras_value, rtol=1e-6, atol=1e-7)
    jitted = jax.jit(fn)(jnp.asarray(y_true), jnp.asarray(y_pred))
    np.testing.assert_allclose(np.asarray(jitted), keras_value, rtol=1e-6, atol=1e-7)
    # jax.grad of the SUM_OVER_BATCH_SIZE loss equals the tape's gradient of the Keras class
    grad = jax.grad(lambda p: jnp.mean(fn(y_true, p)))(jnp.asarray(y_pred))
    p = tf.constant(y_pred)
    with tf.GradientTape() as tape:
        tape.watch(p)
        loss = getattr(L, name)(tf.constant(y_true), p)
        loss = tf.reduce_mean(loss)
    np.testing.assert_allclose(np.asarray(grad), tape.gradient(loss, p).numpy(), rtol=1e-5, atol=1e-7)


def test_pure_losses_vmap_over_a_leading_axis():
    y_true, y_pred = INPUTS["categorical_crossentropy"]
    stacked = jax.vmap(pure.categorical_crossentropy)(jnp.stack([y_true, y_true]), jnp.stack([y_pred, y_pred * 0.5]))
    assert stacked.shape == (2, 4)
    # probabilities are renormalised, so halving them changes nothing
    np.testing.assert_allclose(np.asarray(stacked[0]), np.asarray(stacked[1]), rtol=1e-6)


def test_clip_passes_the_whole_gradient_at_its_bounds_as_tf():
    eps = np.float32(1e-7)
    x = jnp.asarray([eps, 0.5, 1 - eps, 0.0, 1.0], jnp.float32)
    grad = jax.grad(lambda v: jnp.sum(pure.clip_tf(v, eps, 1 - eps)))(x)
    np.testing.assert_array_equal(np.asarray(grad), [1.0, 1.0, 1.0, 0.0, 0.0])


def test_hinge_gradient_at_a_zero_margin_goes_to_the_margin():
    # y * p == 1: max(1 - y*p, 0) ties; TF sends the gradient to the margin (JAX would halve it)
    grad = jax.grad(lambda p: jnp.sum(pure.hinge(jnp.ones(2), p)))(jnp.asarray([1.0, 0.5]))
    np.testing.assert_allclose(np.asarray(grad), [-0.5, -0.5])


def test_mae_gradient_is_zero_where_prediction_equals_label():
    grad = jax.grad(lambda p: jnp.sum(pure.mean_absolute_error(jnp.asarray([[1.0, 2.0]]), p)))(
        jnp.asarray([[1.0, 3.0]])
    )
    np.testing.assert_allclose(np.asarray(grad), [[0.0, 0.5]])


def test_sparse_ignore_class_gives_zero_loss_and_gradient_at_ignored_positions():
    logits = jnp.asarray(RS.randn(2, 3, 4), jnp.float32)
    labels = jnp.asarray([[0, -1, 2], [-1, 1, 3]])
    losses, valid = pure.sparse_categorical_core(labels, logits, True, -1, -1)
    np.testing.assert_array_equal(np.asarray(valid), [[True, False, True], [False, True, True]])
    assert float(losses[0, 1]) == 0.0 and float(losses[1, 0]) == 0.0
    grad = jax.grad(lambda x: jnp.sum(pure.sparse_categorical_crossentropy(labels, x, True, -1, -1)))(logits)
    np.testing.assert_array_equal(np.asarray(grad[0, 1]), np.zeros(4))


def test_losses_inside_tf_function_match_eager():
    cases = {
        "huber": (REGRESSION, PROBS),
        "kl_divergence": (ONEHOT, PROBS),
        "categorical_hinge": (ONEHOT, PROBS),
        "binary_focal_crossentropy": (BINARY, PROBS),
    }
    for name, (y_true, y_pred) in cases.items():
        loss = L.get(name)
        wrapped = L.LossFunctionWrapper(loss, reduction="sum")
        compiled = tf.function(lambda t, p, wrapped=wrapped: wrapped(t, p))
        eager = wrapped(tf.constant(y_true), tf.constant(y_pred)).numpy()
        np.testing.assert_allclose(compiled(tf.constant(y_true), tf.constant(y_pred)).numpy(), eager, rtol=1e-6)
    scce = L.SparseCategoricalCrossentropy(ignore_class=2)
    compiled = tf.function(lambda t, p: scce(t, p))
    eager = scce(tf.constant(SPARSE), tf.constant(PROBS)).numpy()
    np.testing.assert_allclose(compiled(tf.constant(SPARSE), tf.constant(PROBS)).numpy(), eager, rtol=1e-6)


def test_get_rules():
    assert L.get("mse") is L.mean_squared_error
    assert L.get("huber_loss") is L.huber
    assert isinstance(L.get("MeanSquaredError"), L.MeanSquaredError)
    assert L.get({"class_name": "Huber", "config": {"delta": 3.0}}).get_config()["delta"] == 3.0
    assert L.get(L.poisson) is L.poisson
    with pytest.raises(ValueError, match="Unknown loss function: 'nope'"):
        L.get("nope")
    with pytest.raises(ValueError, match="Could not interpret loss function identifier: 3"):
        L.get(3)


def test_loss_for_compile_wraps_functions_and_allows_sum_over_batch_size():
    from jaxport.modules.losses import loss_for_compile

    wrapped = loss_for_compile("huber")
    assert isinstance(wrapped, L.LossFunctionWrapper) and wrapped.fn is L.huber and wrapped.name == "huber"
    assert wrapped._allow_sum_over_batch_size
    instance = L.Poisson()
    assert loss_for_compile(instance) is instance and instance._allow_sum_over_batch_size
    assert loss_for_compile(None) is None
    # an unknown name is accepted by compile and raises TF's ValueError when first computed
    deferred = loss_for_compile("nope")
    with pytest.raises(ValueError, match="Unknown loss function: 'nope'"):
        deferred(tf.constant([[1.0]]), tf.constant([[2.0]]))


def test_compute_weighted_loss_reductions_and_bad_key():
    losses = tf.constant([1.0, 2.0, 3.0, 6.0])
    weights = np.asarray([1.0, 0.0, 2.0, 0.5], "float32")
    compute = L.compute_weighted_loss
    np.testing.assert_allclose(compute(losses, weights, "sum").numpy(), 10.0)
    np.testing.assert_allclose(compute(losses, weights, "sum_over_batch_size").numpy(), 2.5)
    np.testing.assert_allclose(compute(losses, weights, "none").numpy(), [1.0, 0.0, 6.0, 3.0])
    with pytest.raises(ValueError, match="Invalid Reduction Key: mean"):
        compute(losses, weights, "mean")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[4\] vs. \[3\]"):
        compute(losses, weights[:3], "sum")


def test_custom_loss_subclass_and_config_round_trip():
    class Twice(L.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * L.mae(y_true, y_pred)

    value = Twice(reduction="sum")(tf.constant(REGRESSION), tf.constant(PROBS)).numpy()
    np.testing.assert_allclose(value, 2.0 * np.abs(PROBS - REGRESSION).mean(axis=-1).sum(), rtol=1e-6)
    focal = L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.0, name="f")
    clone = L.BinaryFocalCrossentropy.from_config(focal.get_config())
    assert clone.get_config() == focal.get_config()
    assert clone.alpha == 0.4 and clone.apply_class_balancing


@pytest.mark.parametrize(
    "name",
    ["sparse_flattened_labels", "sparse_ignore_class", "categorical_smoothing", "weighted_kld"],
)
def test_losses_trace_once_for_an_unknown_batch(name):
    fns = {
        "sparse_flattened_labels": lambda x: L.SparseCategoricalCrossentropy(from_logits=True)(
            tf.zeros([tf.shape(x)[0], 1], tf.int32), x
        ),
        "sparse_ignore_class": lambda x: L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)(
            tf.ones([tf.shape(x)[0]], tf.int32), x
        ),
        "categorical_smoothing": lambda x: L.CategoricalCrossentropy(label_smoothing=0.1)(
            tf.nn.softmax(x), tf.nn.softmax(x * 2.0)
        ),
        "weighted_kld": lambda x: L.KLDivergence()(
            tf.nn.softmax(x), tf.nn.softmax(x * 2.0), sample_weight=tf.ones([tf.shape(x)[0]])
        ),
    }
    fn = fns[name]
    traced = tf.function(fn, input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    for n in (3, 5):
        x = tf.reshape(tf.range(n * 4, dtype=tf.float32) / 7.0, [n, 4])
        np.testing.assert_allclose(traced(x).numpy(), fn(x).numpy(), rtol=1e-6, atol=1e-6)
    assert len(traced._cache) == 1  # one symbolic trace served both batch sizes
