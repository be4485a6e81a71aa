"""jaxport's optimizers as optax transforms: each bare transform, inside `optax.chain` on a
pure-JAX pytree, follows the Keras-style optimizer's trajectory on the same problem; schedules
work as optax schedules; the Keras wrapper's state is its slot Variables."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jaxport as tf
from jaxport.modules import optax_transforms as T
from jaxport.modules.optimizers import legacy

STEPS = 8
RS = np.random.RandomState(0)
X = RS.randn(6, 3).astype("float32")
Y = RS.randn(6, 1).astype("float32")
INIT = {
    "w1": RS.uniform(-0.5, 0.5, (3, 4)).astype("float32"),
    "b1": RS.uniform(-0.1, 0.1, (4,)).astype("float32"),
    "w2": RS.uniform(-0.5, 0.5, (4, 1)).astype("float32"),
}
ORDER = ("w1", "b1", "w2")


def jax_loss(params):
    hidden = jax.nn.relu(X @ params["w1"] + params["b1"])
    return jnp.mean(jnp.square(hidden @ params["w2"] - Y))


def optax_trajectory(tx):
    """The pure-JAX run: jax.grad + a jitted optax step on a dict pytree."""
    params = {k: jnp.asarray(v) for k, v in INIT.items()}
    state = tx.init(params)

    @jax.jit
    def step(params, state):
        loss, grads = jax.value_and_grad(jax_loss)(params)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state, loss

    losses = []
    for _ in range(STEPS):
        params, state, loss = step(params, state)
        losses.append(float(loss))
    return np.asarray(losses), params, state


def keras_trajectory(optimizer, compiled=True):
    """The TF-style run: Variables, GradientTape and `apply_gradients`."""
    variables = [tf.Variable(INIT[k], name=k) for k in ORDER]
    x, y = tf.constant(X), tf.constant(Y)

    def step():
        with tf.GradientTape() as tape:
            hidden = tf.nn.relu(tf.matmul(x, variables[0]) + variables[1])
            loss = tf.reduce_mean(tf.square(tf.matmul(hidden, variables[2]) - y))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    run = tf.function(step) if compiled else step
    losses = np.asarray([float(run().numpy()) for _ in range(STEPS)])
    return losses, {k: v.numpy() for k, v in zip(ORDER, variables)}


K = tf.keras.optimizers
PAIRS = {
    "sgd": (lambda: K.SGD(0.1), lambda: T.keras_sgd(0.1)),
    "sgd_nesterov": (lambda: K.SGD(0.05, momentum=0.9, nesterov=True), lambda: T.keras_sgd(0.05, 0.9, True)),
    "adam": (lambda: K.Adam(0.02), lambda: T.keras_adam(0.02)),
    "adam_amsgrad": (lambda: K.Adam(0.02, amsgrad=True), lambda: T.keras_adam(0.02, amsgrad=True)),
    "adamw": (
        lambda: K.AdamW(0.02, weight_decay=0.1),
        lambda: optax.chain(T.keras_adam(0.02), T.keras_weight_decay(0.02, 0.1)),
    ),
    "adamax": (lambda: K.Adamax(0.02), lambda: T.keras_adamax(0.02)),
    "nadam": (lambda: K.Nadam(0.02), lambda: T.keras_nadam(0.02)),
    "rmsprop": (
        lambda: K.RMSprop(0.01, momentum=0.5, centered=True),
        lambda: T.keras_rmsprop(0.01, momentum=0.5, centered=True),
    ),
    "adagrad": (lambda: K.Adagrad(0.1, initial_accumulator_value=0.3), lambda: T.keras_adagrad(0.1, 0.3)),
    "adadelta": (lambda: K.Adadelta(1.0), lambda: T.keras_adadelta(1.0)),
    "adafactor": (lambda: K.Adafactor(0.05), lambda: T.keras_adafactor(0.05)),
    "ftrl": (
        lambda: K.Ftrl(0.2, l1_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.02, beta=0.1),
        lambda: T.keras_ftrl(0.2, l1_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.02, beta=0.1),
    ),
    "lion": (lambda: K.Lion(0.003), lambda: T.keras_lion(0.003)),
    "global_clipnorm": (
        lambda: K.SGD(0.1, momentum=0.5, global_clipnorm=0.2),
        lambda: optax.chain(optax.clip_by_global_norm(0.2), T.keras_sgd(0.1, 0.5)),
    ),
    "schedule": (
        lambda: K.SGD(K.schedules.ExponentialDecay(0.2, 3, 0.5)),
        lambda: T.keras_sgd(K.schedules.ExponentialDecay(0.2, 3, 0.5)),
    ),
    "legacy_adagrad": (lambda: legacy.Adagrad(0.1, epsilon=0.01), lambda: T.keras_legacy_adagrad(0.1, 0.1, 0.01)),
    "legacy_nadam": (lambda: legacy.Nadam(0.02), lambda: T.keras_legacy_nadam(0.02)),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_optax_transform_in_a_chain_follows_the_keras_optimizer(name):
    make_keras, make_tx = PAIRS[name]
    # Nadam compiled replays TF's per-variable u_product counter; eagerly it is the plain formula
    keras_losses, keras_params = keras_trajectory(make_keras(), compiled=name != "nadam")
    losses, params, _ = optax_trajectory(optax.chain(make_tx()))
    np.testing.assert_allclose(losses, keras_losses, rtol=2e-5, atol=1e-7)
    for key in ORDER:
        np.testing.assert_allclose(np.asarray(params[key]), keras_params[key], rtol=2e-5, atol=1e-6)
    assert losses[-1] < losses[0]


def test_transform_state_fields_are_keras_slot_names():
    params = {k: jnp.asarray(v) for k, v in INIT.items()}
    assert T.keras_adam(amsgrad=True).init(params)._fields == ("count", "m", "v", "vhat")
    state = T.keras_adafactor().init(params)
    assert state.r["w1"].shape == (3,) and state.c["w1"].shape == (4,) and state.r["b1"].shape == ()
    np.testing.assert_array_equal(
        T.keras_adagrad(initial_accumulator_value=0.3).init(params).accumulator["b1"], np.float32(0.3)
    )
    assert T.keras_sgd(momentum=0.0).init(params).m["w2"].shape == (4, 1)  # Keras keeps m at momentum 0


def test_keras_optimizer_slots_hold_the_transform_state():
    optimizer = K.Adam(0.02)
    keras_trajectory(optimizer)
    _, _, state = optax_trajectory(T.keras_adam(0.02))
    names = [v.name for v in optimizer.variables]
    assert names[:3] == ["iteration:0", "Adam/m/w1:0", "Adam/v/w1:0"]
    assert int(optimizer.iterations.numpy()) == STEPS == int(state.count)
    np.testing.assert_allclose(optimizer.variables[1].numpy(), state.m["w1"], rtol=2e-5, atol=1e-7)
    np.testing.assert_allclose(optimizer.variables[2].numpy(), state.v["w1"], rtol=2e-5, atol=1e-9)


def test_schedules_are_optax_schedules():
    sched = K.schedules
    cases = {
        sched.ExponentialDecay(0.1, 3, 0.5, staircase=True): lambda s: 0.1 * 0.5 ** np.floor(s / 3),
        sched.InverseTimeDecay(0.1, 2, 0.5): lambda s: 0.1 / (1 + 0.5 * s / 2),
        sched.PolynomialDecay(0.1, 6, 0.01, power=2.0): lambda s: (0.09 * (1 - min(s, 6) / 6) ** 2) + 0.01,
        sched.CosineDecay(0.1, 8, alpha=0.1): lambda s: 0.1 * (0.9 * 0.5 * (1 + np.cos(np.pi * min(s, 8) / 8)) + 0.1),
        sched.PiecewiseConstantDecay([3, 6], [0.1, 0.05, 0.01]): lambda s: 0.1 if s <= 3 else 0.05 if s <= 6 else 0.01,
    }
    steps = jnp.arange(10)
    for schedule, formula in cases.items():
        got = jax.jit(jax.vmap(schedule))(steps)  # traced step counts, as inside optax
        np.testing.assert_allclose(got, [formula(s) for s in range(10)], rtol=1e-5)
        assert isinstance(schedule(3), tf.Tensor) and isinstance(schedule(jnp.int32(3)), jax.Array)
    # inside an optax chain: the count drives the schedule
    tx = optax.chain(T.keras_sgd(sched.PiecewiseConstantDecay([0], [1.0, 0.5])))
    params = {"w": jnp.ones(2)}
    state = tx.init(params)
    first, state = tx.update({"w": jnp.ones(2)}, state, params)
    second, _ = tx.update({"w": jnp.ones(2)}, state, params)
    np.testing.assert_allclose(first["w"], -1.0)
    np.testing.assert_allclose(second["w"], -0.5)


def test_bad_gradient_changes_nothing():
    a, b = tf.Variable([1.0, 2.0], name="a"), tf.Variable([[1.0, 2.0]], name="b")
    optimizer = K.Adam(0.1)
    optimizer.build([a, b])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[3\] vs. \[1,2\]"):
        optimizer.apply_gradients([(tf.ones([2]), a), (tf.ones([3]), b)])
    np.testing.assert_array_equal(a.numpy(), [1.0, 2.0])  # TF would have moved `a` already
    assert int(optimizer.iterations.numpy()) == 0
    assert all(float(np.abs(v.numpy()).sum()) == 0.0 for v in optimizer.variables)


def test_exclude_from_weight_decay_by_variable_and_by_name():
    decayed = keras_trajectory(K.SGD(0.1, weight_decay=0.5))[1]
    plain = keras_trajectory(K.SGD(0.1))[1]
    by_variable = K.SGD(0.1, weight_decay=0.5)
    variables = [tf.Variable(INIT[k], name=k) for k in ORDER]
    by_variable.exclude_from_weight_decay(var_list=[variables[0]])
    assert not by_variable._use_weight_decay(variables[0]) and by_variable._use_weight_decay(variables[1])
    by_name = K.SGD(0.1, weight_decay=0.5)
    by_name.exclude_from_weight_decay(var_names=["w1", "b1", "w2"])
    excluded = keras_trajectory(by_name)[1]
    for key in ORDER:  # every variable excluded: plain SGD; otherwise the decay moves them
        np.testing.assert_allclose(excluded[key], plain[key], rtol=1e-6)
        assert not np.allclose(decayed[key], plain[key], rtol=1e-4)


def test_namespaces_as_tf_keras():
    from jaxport.keras.optimizers.legacy import Adam as LegacyAdam
    from jaxport.keras.optimizers.schedules import CosineDecay

    assert LegacyAdam is K.legacy.Adam and CosineDecay is K.schedules.CosineDecay
    assert K.experimental.Adam is K.Adam and K.experimental.Optimizer is K.Optimizer
    public = {"Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lion", "Nadam", "RMSprop", "SGD"}
    assert public <= set(dir(K)) and not hasattr(K, "LearningRateSchedule")  # TF has it in `schedules` only
    assert {"Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop", "SGD"} <= set(
        dir(K.legacy)
    )
    assert isinstance(K.get("adam"), K.Adam) and not isinstance(K.get("adam"), K.legacy.Optimizer)
