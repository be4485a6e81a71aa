"""Parity cases: Keras optimizers (tf_keras 2.21's 2.11+ optimizers and legacy ones),
learning-rate schedules, optimizers by name in compile/fit, and their bad inputs.

Same contract as `parity_tests/cases.py`. Trajectories train a fixed small MLP (Dense 8 relu ->
Dense 1, weights from `set_fixed_weights`, numpy data) for 30 compiled steps of a GradientTape
+ `apply_gradients` loop, and record the losses, the final weights, the optimizer's variable
names and values, and `iterations`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, history_results, set_fixed_weights, to_numpy

STEPS = 30


def _data(n: int = 16, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rs = np.random.RandomState(seed)
    x = rs.randn(n, 5).astype("float32")
    y = (x @ rs.randn(5, 1) + 0.1 * rs.randn(n, 1)).astype("float32")
    return x, y


def _mlp(tf: Any, seed: int = 7) -> Any:
    tf.keras.backend.clear_session()  # same layer names (dense/kernel:0) in both frameworks
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(8, activation="relu", input_shape=(5,)), tf.keras.layers.Dense(1)]
    )
    set_fixed_weights(model, seed)
    return model


def _train(tf: Any, out: dict, key: str, make_optimizer: Any, steps: int = STEPS, compiled: bool = True) -> Any:
    """Train the fixed MLP with `make_optimizer()`; store losses, weights, optimizer state."""
    model = _mlp(tf)
    optimizer = make_optimizer()
    x, y = (tf.constant(a) for a in _data())

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    run = tf.function(step) if compiled else step
    out[f"{key}/losses"] = np.asarray([to_numpy(run()) for _ in range(steps)])
    _record_state(out, key, model, optimizer)
    return model, optimizer


def _record_state(out: dict, key: str, model: Any, optimizer: Any) -> None:
    for i, w in enumerate(model.get_weights()):
        out[f"{key}/weights/{i}"] = w
    variables = optimizer.variables() if callable(optimizer.variables) else optimizer.variables
    out[f"{key}/variable_names"] = [v.name for v in variables]
    for i, v in enumerate(variables[1:]):
        out[f"{key}/variables/{i}"] = to_numpy(v)
    out[f"{key}/iterations"] = to_numpy(optimizer.iterations)


def case_optimizers_trajectories(tf: Any) -> dict[str, Any]:
    """Every Keras 2.11+ optimizer (main options) over 30 compiled steps on the fixed MLP."""
    opt = tf.keras.optimizers
    settings = {
        "sgd": lambda: opt.SGD(0.1),
        "sgd_momentum": lambda: opt.SGD(0.05, momentum=0.9),
        "sgd_nesterov": lambda: opt.SGD(0.05, momentum=0.9, nesterov=True),
        "adam": lambda: opt.Adam(0.01),
        "adam_amsgrad": lambda: opt.Adam(0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-4, amsgrad=True),
        "adamw": lambda: opt.AdamW(0.01, weight_decay=0.1),
        "adamw_amsgrad": lambda: opt.AdamW(0.01, amsgrad=True),
        "adamax": lambda: opt.Adamax(0.02),
        "nadam": lambda: opt.Nadam(0.01),
        "rmsprop": lambda: opt.RMSprop(0.01),
        "rmsprop_momentum_centered": lambda: opt.RMSprop(0.005, rho=0.8, momentum=0.5, centered=True),
        "adagrad": lambda: opt.Adagrad(0.1, initial_accumulator_value=0.5),
        "adadelta": lambda: opt.Adadelta(1.0, rho=0.9),
        "adafactor": lambda: opt.Adafactor(0.05),
        "adafactor_options": lambda: opt.Adafactor(
            0.5, beta_2_decay=-0.5, epsilon_2=1e-2, clip_threshold=0.5, relative_step=False
        ),
        "ftrl": lambda: opt.Ftrl(0.2),
        "ftrl_regularized": lambda: opt.Ftrl(
            0.2,
            learning_rate_power=-0.3,
            initial_accumulator_value=0.2,
            l1_regularization_strength=0.01,
            l2_regularization_strength=0.02,
            l2_shrinkage_regularization_strength=0.03,
            beta=0.1,
        ),
        "lion": lambda: opt.Lion(0.003),
        "lion_betas": lambda: opt.Lion(0.003, beta_1=0.5, beta_2=0.9),
    }
    out: dict[str, Any] = {}
    for key, make in settings.items():
        _train(tf, out, key, make)
    return out


def case_optimizers_options(tf: Any) -> dict[str, Any]:
    """Clipping, weight decay (with exclusions), EMA, settable / scheduled learning rates,
    `minimize`, `build`, configs and serialization, eager Nadam, and the legacy optimizers."""
    opt = tf.keras.optimizers
    sched = tf.keras.optimizers.schedules
    out: dict[str, Any] = {}
    settings = {
        "clipnorm": lambda: opt.Adam(0.01, clipnorm=0.1),
        "global_clipnorm": lambda: opt.SGD(0.1, momentum=0.5, global_clipnorm=0.2),
        "clipvalue": lambda: opt.RMSprop(0.01, clipvalue=0.05),
        "clipnorm_with_clipvalue": lambda: opt.SGD(0.1, clipnorm=0.1, clipvalue=0.01),  # Keras: clipnorm only
        "weight_decay": lambda: opt.SGD(0.1, weight_decay=0.05),
        "weight_decay_lion": lambda: opt.Lion(0.003, weight_decay=0.5),
        "ema": lambda: opt.Adam(0.01, use_ema=True, ema_momentum=0.9),
        "ema_overwrite": lambda: opt.SGD(0.1, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=4),
        "jit_compile_false": lambda: opt.Adagrad(0.1, jit_compile=False),
        "schedule_exponential": lambda: opt.SGD(sched.ExponentialDecay(0.2, 5, 0.5)),
        "schedule_adafactor": lambda: opt.Adafactor(sched.PolynomialDecay(0.5, 20, 0.01)),
        "schedule_cosine_adam": lambda: opt.Adam(sched.CosineDecay(0.001, 20, warmup_target=0.02, warmup_steps=5)),
        "legacy_sgd": lambda: opt.legacy.SGD(0.1, momentum=0.5, decay=0.01),
        "legacy_sgd_plain": lambda: opt.legacy.SGD(0.1),
        "legacy_adam": lambda: opt.legacy.Adam(0.01, decay=0.02),
        "legacy_adam_amsgrad": lambda: opt.legacy.Adam(0.01, amsgrad=True),
        "legacy_rmsprop": lambda: opt.legacy.RMSprop(0.01, momentum=0.5, centered=True),
        "legacy_rmsprop_plain": lambda: opt.legacy.RMSprop(0.01, decay=0.01),
        "legacy_adagrad": lambda: opt.legacy.Adagrad(0.1, initial_accumulator_value=0.5, epsilon=0.01),
        "legacy_adadelta": lambda: opt.legacy.Adadelta(1.0, rho=0.9, decay=0.01),
        "legacy_adamax": lambda: opt.legacy.Adamax(0.02),
        "legacy_ftrl": lambda: opt.legacy.Ftrl(
            0.2, l1_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.02, beta=0.1
        ),
        "legacy_ftrl_plain": lambda: opt.legacy.Ftrl(0.2, decay=0.05),
        "legacy_nadam": lambda: opt.legacy.Nadam(0.01),
    }
    for key, make in settings.items():
        model, optimizer = _train(tf, out, key, make)
        if key.startswith(("ema", "schedule")):
            out[f"{key}/learning_rate"] = to_numpy(optimizer.learning_rate)
        if key.startswith("ema"):
            optimizer.finalize_variable_values(model.trainable_variables)
            out[f"{key}/finalized"] = [to_numpy(w) for w in model.get_weights()]

    def excluded():
        optimizer = opt.AdamW(0.01, weight_decay=0.5)
        optimizer.exclude_from_weight_decay(var_names=["bias"])
        return optimizer

    _train(tf, out, "exclude_by_name", excluded)
    _train(tf, out, "nadam_eager", lambda: opt.Nadam(0.01), steps=6, compiled=False)

    class MomentumSGD(tf.keras.optimizers.Optimizer):  # Keras's protocol for a custom optimizer
        def __init__(self, learning_rate=0.05, momentum=0.8, name="MomentumSGD", **kwargs):
            super().__init__(name=name, **kwargs)
            self._learning_rate = self._build_learning_rate(learning_rate)
            self.momentum = momentum

        def build(self, var_list):
            super().build(var_list)
            if hasattr(self, "_built") and self._built:
                return
            self._velocities = [self.add_variable_from_reference(v, "velocity") for v in var_list]
            self._built = True

        def update_step(self, gradient, variable):
            lr = tf.cast(self.learning_rate, variable.dtype)
            velocity = self._velocities[self._index_dict[self._var_key(variable)]]
            velocity.assign(self.momentum * velocity - lr * gradient)
            variable.assign_add(velocity)

    _, custom = _train(tf, out, "custom", lambda: MomentumSGD(weight_decay=0.01, clipnorm=0.5))
    out["custom/config"] = _config_text({k: v for k, v in custom.get_config().items() if k != "jit_compile"})
    _train(tf, out, "custom_eager_ema", lambda: MomentumSGD(use_ema=True, ema_momentum=0.5), steps=4, compiled=False)
    _train(tf, out, "adam_eager", lambda: opt.Adam(0.01), steps=3, compiled=False)

    # the learning rate as a Variable: set by attribute, by assign, read through lr
    optimizer = opt.SGD(0.1)
    w = tf.Variable([1.0, -2.0], name="w")
    optimizer.apply_gradients([(tf.constant([0.5, 0.5]), w)])
    optimizer.learning_rate = 0.5
    optimizer.apply_gradients([(tf.constant([0.5, 0.5]), w)])
    optimizer.learning_rate.assign(0.25)
    optimizer.apply_gradients([(tf.constant([0.5, 0.5]), w)])
    out["set_lr/w"] = to_numpy(w)
    out["set_lr/lr"] = to_numpy(optimizer.lr)
    out["set_lr/lr_name"] = optimizer.learning_rate.name
    out["callable_lr"] = to_numpy(opt.Adam(lambda: 0.3).learning_rate)

    # minimize with a callable loss and with a tape; build then names
    v = tf.Variable([1.0, 2.0], name="v")
    optimizer = opt.SGD(0.1)
    optimizer.minimize(lambda: tf.reduce_sum(v * v), [v])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(v * v * v)
    optimizer.minimize(loss, [v], tape=tape)
    out["minimize/v"] = to_numpy(v)
    out["minimize/iterations"] = to_numpy(optimizer.iterations)
    built = opt.Adam()
    built.build([tf.Variable([[1.0]], name="k"), tf.Variable([0.0], name="b")])
    out["build/names"] = [x.name for x in built.variables]
    out["empty_apply"] = to_numpy(opt.SGD().apply_gradients([]))

    # configs
    for name, optimizer in {
        "adam": opt.Adam(0.3, clipnorm=2.0),
        "sgd": opt.SGD(0.1, momentum=0.5, nesterov=True, weight_decay=0.01),
        "rmsprop": opt.RMSprop(),
        "adamw": opt.AdamW(),
        "ftrl": opt.Ftrl(l1_regularization_strength=0.1),
        "adafactor": opt.Adafactor(),
        "lion": opt.Lion(),
        "nadam_ema": opt.Nadam(use_ema=True),
        "schedule": opt.SGD(sched.InverseTimeDecay(0.1, 3, 0.5)),
        "legacy_adam": opt.legacy.Adam(0.01, decay=0.1),
        "legacy_nadam": opt.legacy.Nadam(0.01, schedule_decay=0.01),
        "legacy_ftrl": opt.legacy.Ftrl(0.1, l2_shrinkage_regularization_strength=0.1),
        "legacy_adadelta": opt.legacy.Adadelta(),
    }.items():
        out[f"config/{name}"] = _config_text(optimizer.get_config())
        out[f"serialize/{name}"] = _config_text(opt.serialize(optimizer))
        again = type(optimizer).from_config(optimizer.get_config())
        out[f"from_config/{name}"] = _config_text(again.get_config())
    restored = opt.deserialize(opt.serialize(opt.Adamax(0.02, beta_1=0.8)))
    out["deserialize"] = [type(restored).__name__, _config_text(restored.get_config())]
    return out


def _config_text(config: Any) -> str:
    """A config dict as text with floats rounded to float32 precision (TF keeps np.float32)."""
    if isinstance(config, dict):
        return "{" + ", ".join(f"{k!r}: {_config_text(v)}" for k, v in sorted(config.items())) + "}"
    if isinstance(config, (list, tuple)):
        return "[" + ", ".join(_config_text(v) for v in config) + "]"
    if isinstance(config, (float, np.floating)):
        return f"{float(config):.7g}"
    return repr(config)


def case_optimizers_schedules(tf: Any) -> dict[str, Any]:
    """Every schedule at steps 0..9 (and some beyond), their configs and serialization, a
    custom schedule driving SGD, and the optimizer's current learning rate."""
    sched = tf.keras.optimizers.schedules
    schedules = {
        "exponential": sched.ExponentialDecay(0.1, 3, 0.5),
        "exponential_staircase": sched.ExponentialDecay(0.1, 3, 0.5, staircase=True),
        "piecewise": sched.PiecewiseConstantDecay([3, 6], [0.1, 0.05, 0.01]),
        "polynomial": sched.PolynomialDecay(0.1, 6, 0.01, power=2.0),
        "polynomial_cycle": sched.PolynomialDecay(0.1, 4, 0.01, power=0.5, cycle=True),
        "inverse_time": sched.InverseTimeDecay(0.1, 2, 0.5),
        "inverse_time_staircase": sched.InverseTimeDecay(0.1, 2, 0.5, staircase=True),
        "cosine": sched.CosineDecay(0.1, 8, alpha=0.1),
        "cosine_warmup": sched.CosineDecay(0.0, 6, warmup_target=0.2, warmup_steps=3),
        "restarts": sched.CosineDecayRestarts(0.1, 3),
        "restarts_options": sched.CosineDecayRestarts(0.1, 2, t_mul=1.0, m_mul=0.5, alpha=0.1),
    }
    out: dict[str, Any] = {}
    steps = list(range(10)) + [13, 25]
    for key, schedule in schedules.items():
        out[f"{key}/values"] = np.asarray([to_numpy(schedule(step)) for step in steps])
        out[f"{key}/variable_step"] = to_numpy(schedule(tf.Variable(4, dtype="int64")))
        out[f"{key}/config"] = _config_text(schedule.get_config())
        out[f"{key}/serialized"] = _config_text(sched.serialize(schedule))
        again = sched.deserialize(sched.serialize(schedule))
        out[f"{key}/round_trip"] = [type(again).__name__, to_numpy(again(5))]
        out[f"{key}/from_config"] = to_numpy(type(schedule).from_config(schedule.get_config())(7))

    class HalvingSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self, initial):
            self.initial = initial

        def __call__(self, step):
            return self.initial / tf.cast(step + 1, "float32")

        def get_config(self):
            return {"initial": self.initial}

    optimizer = tf.keras.optimizers.SGD(HalvingSchedule(0.4))
    w = tf.Variable([1.0, -1.0], name="w")
    rates = []
    for _ in range(4):
        optimizer.apply_gradients([(tf.constant([1.0, 2.0]), w)])
        rates.append(to_numpy(optimizer.learning_rate))
    out["custom/w"] = to_numpy(w)
    out["custom/rates"] = np.asarray(rates)
    out["custom/deserialized"] = to_numpy(
        sched.deserialize(
            {"class_name": "HalvingSchedule", "config": {"initial": 0.3}},
            custom_objects={"HalvingSchedule": HalvingSchedule},
        )(2)
    )
    return out


BY_NAME = ("sgd", "adam", "adamw", "adamax", "nadam", "rmsprop", "adagrad", "adadelta", "ftrl", "Adam", "RMSprop")


def case_optimizers_by_name(tf: Any) -> dict[str, Any]:
    """`compile(optimizer=name)` for every name `tf.keras.optimizers.get` knows; 3 epochs of fit
    (History, final weights, the optimizer's class and variables), and `get` of names, dicts
    and instances."""
    out: dict[str, Any] = {}
    x, y = _data(32, seed=5)
    for name in BY_NAME:
        model = _mlp(tf)
        model.compile(optimizer=name, loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False)
        out.update(history_results(history.history, prefix=f"{name}/history/"))
        out[f"{name}/class"] = type(model.optimizer).__name__
        _record_state(out, name, model, model.optimizer)
    for key, optimizer in {
        "ema_fit": tf.keras.optimizers.Adam(0.01, use_ema=True, ema_momentum=0.9),
        "ema_overwrite_fit": tf.keras.optimizers.RMSprop(
            0.01, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=3
        ),
    }.items():  # fit ends by writing the moving averages into the weights
        model = _mlp(tf)
        model.compile(optimizer=optimizer, loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
        out.update(history_results(history.history, prefix=f"{key}/history/"))
        _record_state(out, key, model, model.optimizer)
    get = tf.keras.optimizers.get
    out["get/class_name_dict"] = type(get({"class_name": "Adagrad", "config": {}})).__name__
    legacy = get({"class_name": "SGD", "config": {"learning_rate": 0.5}})
    out["get/legacy_dict"] = [
        str(isinstance(legacy, tf.keras.optimizers.legacy.Optimizer)),
        to_numpy(legacy.learning_rate),
    ]
    new = get({"class_name": "SGD", "config": {"learning_rate": 0.5, "is_legacy_optimizer": False}})
    legacy_nadam = get({"class_name": "Nadam", "config": {"learning_rate": 0.2}})
    out["get/legacy_nadam"] = [type(legacy_nadam).__name__, _config_text(legacy_nadam.get_config())]
    out["get/new_dict"] = [str(isinstance(new, tf.keras.optimizers.legacy.Optimizer)), to_numpy(new.learning_rate)]
    instance = tf.keras.optimizers.Lion()
    out["get/instance"] = str(get(instance) is instance)
    out["get/serialized"] = _config_text(
        get(tf.keras.optimizers.serialize(tf.keras.optimizers.Nadam(0.3))).get_config()
    )
    return out


def case_optimizers_errors(tf: Any) -> dict[str, Any]:
    """Bad arguments to the optimizers, schedules and `get`: TF's error classes and messages,
    and what is left after the error."""
    opt = tf.keras.optimizers
    sched = tf.keras.optimizers.schedules
    out: dict[str, Any] = {}
    add_error_contract(out, tf, "unknown_name", lambda: opt.get("nope"), phrases=("Unknown optimizer", "'nope'"))
    add_error_contract(out, tf, "unknown_lion_name", lambda: opt.get("lion"), phrases=("Unknown optimizer", "'lion'"))
    add_error_contract(
        out, tf, "bad_identifier", lambda: opt.get(3), phrases=("Could not interpret optimizer identifier", ": 3")
    )
    add_error_contract(
        out,
        tf,
        "clipnorm_and_global_clipnorm",
        lambda: opt.Adam(clipnorm=1.0, global_clipnorm=2.0),
        phrases=("At most one of `clipnorm` and `global_clipnorm`", "clipnorm=1.0", "global_clipnorm=2.0"),
    )
    add_error_contract(
        out, tf, "sgd_momentum", lambda: opt.SGD(momentum=1.5), phrases=("`momentum` must be between [0, 1]",)
    )
    add_error_contract(
        out,
        tf,
        "ftrl_learning_rate_power",
        lambda: opt.Ftrl(learning_rate_power=0.5),
        phrases=("`learning_rate_power` needs to be negative or zero", "learning_rate_power=0.5"),
    )
    add_error_contract(
        out,
        tf,
        "ftrl_initial_accumulator",
        lambda: opt.Ftrl(initial_accumulator_value=-1.0),
        phrases=("`initial_accumulator_value` needs to be positive or zero", "initial_accumulator_value=-1.0"),
    )
    add_error_contract(
        out,
        tf,
        "ftrl_l1",
        lambda: opt.Ftrl(l1_regularization_strength=-0.1),
        phrases=("`l1_regularization_strength` needs to be positive or zero", "=-0.1"),
    )
    add_error_contract(
        out, tf, "adamw_no_decay", lambda: opt.AdamW(weight_decay=None), phrases=("`weight_decay`", "required")
    )
    add_error_contract(
        out,
        tf,
        "ema_momentum",
        lambda: opt.Adam(use_ema=True, ema_momentum=1.5),
        phrases=("`ema_momentum` must be in the range [0, 1]", "ema_momentum=1.5"),
    )
    add_error_contract(
        out,
        tf,
        "ema_frequency",
        lambda: opt.SGD(use_ema=True, ema_overwrite_frequency=0.5),
        phrases=("`ema_overwrite_frequency` must be an integer", "ema_overwrite_frequency=0.5"),
    )
    add_error_contract(out, tf, "lion_beta", lambda: opt.Lion(beta_1=0.0), phrases=("`beta_1`=0.0", "]0, 1]"))
    add_error_contract(out, tf, "unknown_kwarg", lambda: opt.Adam(foo=1), phrases=("foo is not a valid argument",))
    add_error_contract(
        out, tf, "decay_kwarg", lambda: opt.Adam(decay=0.1), phrases=("decay is deprecated", "legacy.Adam")
    )
    add_error_contract(
        out,
        tf,
        "legacy_kwarg",
        lambda: opt.legacy.Adam(foo=1),
        phrases=("Unexpected keyword argument passed to optimizer: foo",),
    )
    add_error_contract(
        out,
        tf,
        "legacy_nadam_schedule",
        lambda: opt.legacy.Nadam(sched.ExponentialDecay(0.1, 2, 0.5)),
        phrases=("Nadam optimizer does not support", "LearningRateSchedules"),
    )
    add_error_contract(
        out, tf, "string_learning_rate", lambda: opt.Adam(learning_rate="a"), phrases=("Cannot convert",)
    )

    # a gradient of the wrong shape: InvalidArgumentError; the other variables and iterations unchanged
    a, b, c = tf.Variable([1.0, 2.0], name="a"), tf.Variable([[1.0, 2.0]], name="b"), tf.Variable([3.0], name="c")
    adam = opt.Adam(0.1)
    adam.build([a, b, c])
    add_error_contract(
        out,
        tf,
        "gradient_shape",
        lambda: adam.apply_gradients([(tf.ones([2]), a), (tf.ones([3]), b), (tf.ones([1]), c)]),
        phrases=("Incompatible shapes", "[3]", "[1,2]"),
        state=lambda: [to_numpy(b), to_numpy(c), to_numpy(adam.iterations)] + [to_numpy(v) for v in adam.variables[3:]],
    )
    sgd = opt.SGD(0.1)
    d, e = tf.Variable(1.0, name="d"), tf.Variable(2.0, name="e")
    sgd.apply_gradients([(tf.constant(1.0), d)])
    add_error_contract(
        out,
        tf,
        "unknown_variable",
        lambda: sgd.apply_gradients([(tf.constant(1.0), e)]),
        phrases=("cannot recognize variable", "optimizer.build(variables)", "legacy.SGD"),
        state=lambda: [to_numpy(d), to_numpy(e), to_numpy(sgd.iterations)],
    )
    add_error_contract(
        out,
        tf,
        "no_gradients",
        lambda: opt.SGD().apply_gradients([(None, tf.Variable(1.0, name="f"))]),
        phrases=("No gradients provided for any variable", "'f:0'"),
    )
    add_error_contract(
        out,
        tf,
        "minimize_without_tape",
        lambda: opt.SGD().minimize(tf.constant(1.0), [d]),
        phrases=("`tape` is required when a `Tensor` loss is passed",),
    )
    scheduled = opt.SGD(sched.ExponentialDecay(0.1, 10, 0.5))
    add_error_contract(
        out,
        tf,
        "set_scheduled_learning_rate",
        lambda: setattr(scheduled, "learning_rate", 0.2),
        phrases=("`LearningRateSchedule`", "not settable"),
        state=lambda: to_numpy(scheduled.learning_rate),
    )
    decayed = opt.AdamW()
    decayed.build([tf.Variable(1.0)])
    add_error_contract(
        out,
        tf,
        "exclude_after_build",
        lambda: decayed.exclude_from_weight_decay(var_names=["bias"]),
        phrases=("`exclude_from_weight_decay()` can only be configued before the optimizer is built",),
    )
    add_error_contract(
        out,
        tf,
        "iterations_after_build",
        lambda: setattr(decayed, "iterations", tf.Variable(3, dtype="int64")),
        phrases=("Cannot set `iterations`", "after calling `apply_gradients()`"),
        state=lambda: to_numpy(decayed.iterations),
    )
    add_error_contract(
        out,
        tf,
        "set_weights_unbuilt",
        lambda: opt.SGD().set_weights([np.zeros(())]),
        phrases=("`set_weights()` on an optimizer that has not yet been built",),
    )
    add_error_contract(
        out,
        tf,
        "piecewise_lengths",
        lambda: sched.PiecewiseConstantDecay([1, 2], [0.1]),
        phrases=("length of boundaries should be 1 less than the length of values", "of length 2", "of length 1"),
    )
    return out


REFERENCES: dict[str, Reference] = {
    name: Reference(name)
    for name in (
        "optimizers_trajectories",
        "optimizers_options",
        "optimizers_schedules",
        "optimizers_by_name",
        "optimizers_errors",
    )
}
