"""Parity cases: GradientTape, higher-order derivatives, jacobians, custom gradients,
Variables and tf.Module (the TF2 guides on autodiff, advanced autodiff, variables, modules).

Same contract as `parity_tests/cases.py`: each `case_*(tf)` runs unchanged under TensorFlow
and jaxport and returns numpy arrays / strings. A gradient that is None is recorded as the
string "None"; an expected exception as its type name.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from parity_tests.cases import Reference, to_numpy
from parity_tests.cases import error_name as _error_name


def _g(value: Any) -> Any:
    return "None" if value is None else to_numpy(value)


def case_autodiff_tape(tf: Any) -> dict[str, Any]:
    """GradientTape's contract on small functions."""
    out: dict[str, Any] = {}
    w = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
    b = tf.Variable([0.1, -0.2], name="b")
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.nn.relu(x @ w + b)
        loss = tf.reduce_mean(y**2)
        other = tf.reduce_sum(tf.sigmoid(w))
    out["dloss_dw"], out["dloss_db"] = (to_numpy(g) for g in tape.gradient(loss, [w, b]))
    grads = tape.gradient([loss, other], {"w": w, "b": [b]})
    out["sum_targets_w"], out["sum_targets_b"] = to_numpy(grads["w"]), to_numpy(grads["b"][0])
    out["output_gradients"] = to_numpy(tape.gradient(y, w, output_gradients=tf.constant([[2.0, -1.0]])))
    out["watched_variables"] = [v.name for v in tape.watched_variables()]
    unused = tf.Variable(5.0)
    out["unconnected_none"] = _g(tape.gradient(loss, unused))
    out["unconnected_zero"] = _g(tape.gradient(loss, unused, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    del tape

    c = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = c * c
    out["constant_unwatched"] = _g(tape.gradient(y, c))
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * c * c
    out["constant_watched"] = _g(tape.gradient(y, c))

    i = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(i)
        y = i * i
    out["integer_source"] = _g(tape.gradient(y, i))

    v = tf.Variable(2.0)
    frozen = tf.Variable(3.0, trainable=False)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(frozen)
        y = v * frozen
    out["no_auto_watch"] = [str(_g(g)) for g in tape.gradient(y, [v, frozen])]

    with tf.GradientTape(persistent=True) as tape:
        a = v * v
        with tape.stop_recording():
            b2 = v * v * v
        c2 = a + b2
    out["stop_recording"] = _g(tape.gradient(c2, v))
    with tf.GradientTape() as tape:
        _ = v * 10.0
        tape.reset()
        y = v * v
    out["after_reset"] = _g(tape.gradient(y, v))

    x = tf.constant([1.0, 0.0, -2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.relu(x) + tf.stop_gradient(x * 4.0) + tf.abs(x)
    out["relu_abs_stop_gradient"] = to_numpy(tape.gradient(y, x))

    def f(z):
        result = tf.constant(1.0)
        for k in range(4):
            if k % 2:
                result = result * z
            else:
                result = result + z
        return result

    z = tf.Variable(1.5)
    with tf.GradientTape() as tape:
        y = f(z)
    out["python_control_flow"] = _g(tape.gradient(y, z))

    layer = tf.keras.layers.Dense(2, activation="tanh")
    xin = tf.constant([[0.3, -0.7, 1.1]])
    layer(xin)
    layer.set_weights([np.arange(6, dtype="float32").reshape(3, 2) / 10.0, np.array([0.1, -0.1], "float32")])
    with tf.GradientTape() as tape:
        tape.watch(xin)
        y = layer(xin)
    out["dense_input_gradient"] = to_numpy(tape.gradient(y, xin))
    return out


def case_autodiff_higher_order(tf: Any) -> dict[str, Any]:
    """Nested tapes: second and third derivatives, Hessians."""
    out: dict[str, Any] = {}
    x = tf.Variable(1.3)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.sin(x) * x**3 if hasattr(tf, "sin") else tf.math.sin(x) * x**3
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    out["d1"], out["d2"], out["d3"] = to_numpy(d1), to_numpy(d2), to_numpy(d3)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with tf.GradientTape(persistent=True) as tape:
            y = tf.exp(x * 2.0)
            dy = tape.gradient(y, x)
        out["persistent_self_second"] = _g(tape.gradient(dy, x))

    w = tf.Variable([0.5, -1.0, 2.0])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_sum(w**3) + tf.reduce_prod(w)
        grad = inner.gradient(loss, w)
    out["hessian"] = to_numpy(outer.jacobian(grad, w))

    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(tf.nn.softmax(v) * v)
        g = inner.gradient(y, v)
        gnorm = tf.reduce_sum(g * g)
    out["gradient_penalty_grad"] = to_numpy(outer.gradient(gnorm, v))
    return out


def case_autodiff_jacobians(tf: Any) -> dict[str, Any]:
    """jacobian (pfor and not), batch_jacobian, unconnected handling."""
    out: dict[str, Any] = {}
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = tf.Variable([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
    unused = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(x @ w)
        s = tf.reduce_sum(x * x, axis=1)
    out["jacobian_w"] = to_numpy(tape.jacobian(y, w))
    out["jacobian_x"] = to_numpy(tape.jacobian(y, x))
    out["jacobian_no_pfor"] = to_numpy(tape.jacobian(s, x, experimental_use_pfor=False))
    out["jacobian_unconnected"] = _g(tape.jacobian(y, unused))
    out["jacobian_unconnected_zero"] = _g(tape.jacobian(y, unused, unconnected_gradients="zero"))
    out["batch_jacobian"] = to_numpy(tape.batch_jacobian(y, x))
    out["batch_jacobian_shape"] = np.asarray(tape.batch_jacobian(y, x).shape.as_list())
    xs = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(xs)
        ys = tf.reshape(xs**2, [3, 1, 2])
    out["batch_jacobian_rank3"] = to_numpy(tape.batch_jacobian(ys, xs))
    return out


def case_autodiff_custom_gradient(tf: Any) -> dict[str, Any]:
    """tf.custom_gradient, including the `variables` keyword and use inside tf.function."""
    out: dict[str, Any] = {}

    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))

        return tf.math.log(1 + e), grad

    x = tf.constant([0.0, 2.0, 100.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    out["log1pexp_value"] = to_numpy(y)
    out["log1pexp_grad"] = to_numpy(tape.gradient(y, x))

    @tf.custom_gradient
    def clip_gradient(v):
        def grad(dy):
            return tf.clip_by_value(dy, -0.1, 0.1)

        return tf.identity(v), grad

    var = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(clip_gradient(var) * tf.constant([5.0, -0.05]))
    out["clipped"] = to_numpy(tape.gradient(y, var))

    scale = tf.Variable(3.0)

    @tf.custom_gradient
    def scaled(v):
        def grad(dy, variables=None):
            return dy * scale * 2.0, [tf.reduce_sum(dy * v) * 10.0]

        return v * scale, grad

    xv = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xv)
        y = tf.reduce_sum(scaled(xv))
    out["with_variables"] = [to_numpy(g) for g in tape.gradient(y, [xv, scale])]

    @tf.custom_gradient
    def uses_variable_badly(v):
        return v * scale, lambda dy: dy

    out["missing_variables_kwarg"] = _error_name(lambda: uses_variable_badly(tf.constant(1.0)))

    @tf.function
    def compiled(v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = log1pexp(v)
        return tape.gradient(y, v)

    out["in_function"] = to_numpy(compiled(tf.constant([1.0, 50.0])))

    @tf.custom_gradient
    def square_with_custom(v):
        def grad(dy):
            return dy * 2.0 * v

        return v * v, grad

    z = tf.Variable(1.5)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = square_with_custom(z)
        dz = inner.gradient(y, z)
    out["custom_second_order"] = _g(outer.gradient(dz, z))
    return out


def case_autodiff_errors(tf: Any) -> dict[str, Any]:
    """The exception types of misused tapes."""
    out: dict[str, Any] = {}
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    out["second_gradient_call"] = _error_name(lambda: tape.gradient(y, x))
    with tf.GradientTape() as tape:
        y = x * x
    out["target_none"] = _error_name(lambda: tape.gradient(None, x))
    out["watch_string"] = _error_name(lambda: tf.GradientTape().watch("a"))
    with tf.GradientTape() as tape:
        tape.watch(tf.constant([1.0]))
        y = x * 3.0
    tape.jacobian(y, x)
    out["jacobian_after_use"] = _error_name(lambda: tape.jacobian(y, x))
    with tf.GradientTape(persistent=True) as tape:
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        tape.watch(a)
        b = tf.reduce_sum(a, axis=0, keepdims=True) * tf.ones([3, 2])
    out["batch_jacobian_mismatch"] = _error_name(lambda: tape.batch_jacobian(b, a))
    return out


def case_variables_and_modules(tf: Any) -> dict[str, Any]:
    """tf.Variable and tf.Module as in TF's variables and intro-to-modules guides."""
    out: dict[str, Any] = {}
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="matrix")
    v[0].assign([9.0, 8.0])
    v[:, 1].assign([7.0, 6.0])
    v[1, 0].assign(2.0)
    out["sliced_assign"] = to_numpy(v)
    out["names"] = [v.name, tf.Variable(1.0).name, tf.Variable(1, name="count").name]
    out["dtypes"] = [tf.Variable(1.0).dtype.name, tf.Variable(1).dtype.name, tf.Variable(np.float64(1.0)).dtype.name]
    out["assign_add_shape_error"] = _error_name(lambda: v.assign_add([1.0, 2.0, 3.0]))
    out["assign_shape_error"] = _error_name(lambda: v.assign([1.0, 2.0, 3.0]))

    class Dense(tf.Module):
        def __init__(self, in_features, out_features, name=None):
            super().__init__(name=name)
            self.w = tf.Variable(np.ones([in_features, out_features], "float32") / 2, name="w")
            self.b = tf.Variable(np.zeros([out_features], "float32"), name="b")

        def __call__(self, x):
            return tf.nn.relu(x @ self.w + self.b)

    class Sequential(tf.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            self.dense_1 = Dense(3, 3)
            self.dense_2 = Dense(3, 2)
            self.alpha = tf.Variable(1.0, trainable=False, name="alpha")
            self.extra = [tf.Variable(2.0, name="e0")]

        def __call__(self, x):
            return self.dense_2(self.dense_1(x)) * self.extra[0]

    model = Sequential(name="the_model")
    out["module_name"] = model.name
    out["submodules"] = [m.name for m in model.submodules]
    out["module_variables"] = [x.name for x in model.variables]
    out["module_trainable"] = [x.name for x in model.trainable_variables]
    out["module_non_trainable"] = [x.name for x in model.non_trainable_variables]
    xin = tf.constant([[1.0, -2.0, 3.0]])
    out["module_output"] = to_numpy(model(xin))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(model(xin))
    out["module_grads"] = [to_numpy(g) for g in tape.gradient(y, model.trainable_variables)]
    out["bad_module_name"] = _error_name(lambda: tf.Module(name="bad name"))

    class Scoped(tf.Module):
        def __init__(self):
            super().__init__()
            with self.name_scope:
                self.v = tf.Variable(1.0, name="v")

    out["scoped_name"] = Scoped().v.name
    with tf.name_scope("outer"):
        out["name_scope_variable"] = tf.Variable(1.0, name="x").name
    return out


def case_variables_optimizers(tf: Any) -> dict[str, Any]:
    """Keras optimizers' updates and slot variables: RMSprop (plain, momentum, centered),
    SGD's always-built momentum slots, a variable the optimizer was not built for, and
    `compile()`'s default optimizer (RMSprop)."""
    out: dict[str, Any] = {}
    settings = ({}, {"momentum": 0.5}, {"centered": True}, {"centered": True, "momentum": 0.3, "learning_rate": 0.01})
    for i, kwargs in enumerate(settings):
        opt = tf.keras.optimizers.RMSprop(**kwargs)
        w = tf.Variable([1.0, 2.0], name="w")
        for g in ([0.5, -1.0], [0.1, 0.2], [-0.3, 0.0]):
            opt.apply_gradients([(tf.constant(g), w)])
        out[f"rmsprop_{i}"] = to_numpy(w)
        out[f"rmsprop_{i}_slots"] = [v.name for v in opt.variables]
    sgd = tf.keras.optimizers.SGD(0.1)
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    sgd.apply_gradients([(tf.constant(1.0), a)])
    out["sgd_slots"] = [v.name for v in sgd.variables]
    out["unknown_variable"] = _error_name(lambda: sgd.apply_gradients([(tf.constant(1.0), b)]))
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(loss="mse")
    x = np.arange(12, dtype=np.float32).reshape(6, 2) / 10
    history = model.fit(x, np.ones((6, 1), np.float32), epochs=3, verbose=0, shuffle=False)
    out["default_optimizer_history"] = np.asarray(history.history["loss"])
    out["default_optimizer"] = [type(model.optimizer).__name__]
    return out


def case_variables_regularizers(tf: Any) -> dict[str, Any]:
    """Weight and activity regularizers in `layer.losses` (Keras's order, values at the
    weights' current values), added to the loss by `fit`/`evaluate`; `add_loss` from a
    sublayer's call, replaced on the next outermost call."""
    out: dict[str, Any] = {}
    rs = np.random.RandomState(0)
    x = rs.randn(32, 4).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    regularizers = tf.keras.regularizers
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                8,
                activation="relu",
                kernel_regularizer=regularizers.l2(0.01),
                bias_regularizer="l1",
                activity_regularizer=regularizers.L1L2(l1=0.001, l2=0.002),
            ),
            tf.keras.layers.Dense(1, activation="sigmoid", kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.02)),
        ]
    )
    model.build((None, 4))
    model.set_weights([(rs.randn(*w.shape) * 0.5).astype("float32") for w in model.get_weights()])
    model(x[:8])
    out["losses"] = np.asarray([to_numpy(loss) for loss in model.losses])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    out["fit_loss"] = np.asarray(model.fit(x, y, epochs=3, batch_size=8, verbose=0, shuffle=False).history["loss"])
    out["evaluate_loss"] = np.asarray(model.evaluate(x, y, verbose=0))

    class AddsLoss(tf.keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs) * 0.1)
            return inputs

    class Outer(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.adds = AddsLoss()
            self.dense = tf.keras.layers.Dense(1, kernel_initializer="ones")

        def call(self, inputs):
            return self.dense(self.adds(inputs))

    outer = Outer()
    outer(tf.ones((2, 3)))
    first = [to_numpy(loss) for loss in outer.losses]
    outer(tf.ones((1, 3)))
    out["add_loss"] = [np.asarray(first), np.asarray([to_numpy(loss) for loss in outer.losses])]
    return out


REFERENCES: dict[str, Reference] = {
    "autodiff_tape": Reference("autodiff_tape"),
    "autodiff_higher_order": Reference("autodiff_higher_order"),
    "autodiff_jacobians": Reference("autodiff_jacobians"),
    "autodiff_custom_gradient": Reference("autodiff_custom_gradient"),
    "autodiff_errors": Reference("autodiff_errors"),
    "variables_and_modules": Reference("variables_and_modules"),
    "variables_optimizers": Reference("variables_optimizers"),
    "variables_regularizers": Reference("variables_regularizers"),
}
