"""`tf.keras.optimizers.Optimizer`: the stateful Keras 2.11+ optimizer around an optax transform.

A subclass names its optax transform (Keras numerics, `transforms_*.py`) and its slots; the
base class keeps the transform's state in Variables (Keras's slot names and order), and runs
one `apply_gradients` as one pure function of raw arrays (one compiled call eagerly; inlined
under `tf.function`), in Keras's order:

  learning rate of this step (a schedule is called with `iterations`)
  -> gradient clipping (clipnorm per variable, else global_clipnorm, else clipvalue)
  -> decoupled weight decay `w -= w * weight_decay * lr` (variables not excluded)
  -> the transform's update -> EMA of the variables (optionally written back) -> constraints
  -> `iterations += 1`.

Every argument is checked before anything changes, so a bad gradient leaves the variables,
the slots and `iterations` as they were.
"""

from __future__ import annotations

import re
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from jaxport import errors
from jaxport.eager import Tensor, raw_op
from jaxport.modules.optimizers.pure_update import apply_pure, clip_pure
from jaxport.modules.optimizers.schedules import LearningRateSchedule
from jaxport.variables import Variable


class CallableList(list):
    """A list that can also be called (Keras 2's `optimizer.variables` and `variables()`)."""

    def __call__(self) -> list:
        return list(self)


def _shape_text(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


class Optimizer:
    """`tf.keras.optimizers.Optimizer` (Keras 2.11+): a stateful wrapper of an optax transform.

    Args:
      name: the optimizer's name (slot variables built by `apply_gradients` are named
        `<name>/<slot>/<variable>`).
      weight_decay: decoupled weight decay, `w -= w * weight_decay * lr` before each update.
      clipnorm / global_clipnorm / clipvalue: gradient clipping (at most one of the norms; if
        several are set, Keras applies only the first of clipnorm, global_clipnorm, clipvalue).
      use_ema / ema_momentum / ema_overwrite_frequency: keep an exponential moving average of
        the variables (`average = m * average + (1 - m) * w`), written into them every
        `ema_overwrite_frequency` steps and by `finalize_variable_values` (fit calls it).
      jit_compile: accepted; reported True only on a GPU, as Keras (jaxport always compiles).
    """

    _state_type: Any = None  # the transform's state NamedTuple
    _extra_fields: tuple[str, ...] = ()  # state fields that are not per-variable slots

    def __init__(
        self,
        name: str,
        weight_decay: float | None = 0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        jit_compile: bool = True,
        **kwargs: Any,
    ):
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm, self.global_clipnorm, self.clipvalue = clipnorm, global_clipnorm, clipvalue
        self.use_ema = use_ema
        self.jit_compile = bool(jit_compile) and jax.default_backend() == "gpu"
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer > 1 or None. Received: "
                    f"ema_overwrite_frequency={ema_overwrite_frequency}"
                )
        self.ema_momentum, self.ema_overwrite_frequency = ema_momentum, ema_overwrite_frequency
        if clipnorm is not None and global_clipnorm is not None:
            raise ValueError(
                "At most one of `clipnorm` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, global_clipnorm={global_clipnorm}."
            )
        self._iterations = Variable(np.int64(0), trainable=False, name=self._iterations_variable_name(name))
        self._variables: list[Variable] = [self._iterations]
        self._process_kwargs(kwargs)
        self._slots: dict[int, dict[str, Variable]] = {}
        self._averages: dict[int, Variable] = {}
        self._extras: dict[str, Variable] = {}
        self._index_dict: dict[int, int] = {}
        self._built = False
        self._name_prefix = ""  # `<name>/` while apply_gradients builds, as Keras's name scope
        self._exclude_ids: list[int] = []
        self._exclude_names: list[str] = []

    def _iterations_variable_name(self, name: str) -> str:
        return "iteration"

    def _slot_variable_name(self, prefix: str, slot: str, base: str) -> str:
        """Keras 2.11+: `<prefix><slot>/<variable>` (the prefix is `<name>/` inside `apply_gradients`)."""
        return f"{prefix}{slot}/{base}"

    def _process_kwargs(self, kwargs: dict) -> None:
        kwargs.pop("is_legacy_optimizer", None)
        kwargs.pop("lr", None)  # deprecated alias; Keras warns and ignores it
        for key in kwargs:
            if key in ("decay", "gradient_aggregator", "gradient_transformers"):
                raise ValueError(
                    f"{key} is deprecated in the new TF-Keras optimizer, please check the docstring for valid "
                    "arguments, or use the legacy optimizer, e.g., "
                    f"tf.keras.optimizers.legacy.{type(self).__name__}."
                )
            raise TypeError(
                f"{key} is not a valid argument, kwargs should be empty  for `optimizer_experimental.Optimizer`."
            )

    # -- learning rate ------------------------------------------------------------------------
    def _build_learning_rate(self, learning_rate: Any) -> Any:
        """A Variable `learning_rate` (float32) for a number, or the schedule itself (then the
        Variable `current_learning_rate` holds its value at `iterations`)."""
        if isinstance(learning_rate, LearningRateSchedule):
            value = jnp.asarray(_raw(learning_rate(self._iterations)))
            self._current_learning_rate = Variable(value, trainable=False, name="current_learning_rate")
            return learning_rate
        return Variable(_float32(learning_rate), trainable=False, name="learning_rate")

    @property
    def learning_rate(self) -> Variable:
        """The learning rate Variable (with a schedule: its value at the current step)."""
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._current_learning_rate
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        if isinstance(learning_rate, LearningRateSchedule):
            self._learning_rate = learning_rate
            if not hasattr(self, "_current_learning_rate"):
                value = jnp.asarray(_raw(learning_rate(self._iterations)))
                self._current_learning_rate = Variable(value, trainable=False, name="current_learning_rate")
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                "constructor argument, hence its learning rate is not settable. If you need the learning rate "
                "to be settable, you should instantiate the optimizer with a float `learning_rate` argument."
            )
        self._learning_rate.assign(_float32(learning_rate))

    @property
    def lr(self) -> Variable:
        """Alias of `learning_rate`."""
        return self.learning_rate

    @lr.setter
    def lr(self, learning_rate: Any) -> None:
        self.learning_rate = learning_rate

    def _compute_current_learning_rate(self) -> Any:
        if isinstance(self._learning_rate, LearningRateSchedule):
            value = jnp.asarray(_raw(self._learning_rate(self._iterations)))
            self._current_learning_rate.assign(value.astype(self._current_learning_rate.dtype.as_numpy_dtype))
        return self.learning_rate._current_value()

    # -- public state ---------------------------------------------------------------------------
    @property
    def iterations(self) -> Variable:
        """The number of steps this optimizer has applied (int64 Variable `iteration:0`)."""
        return self._iterations

    @iterations.setter
    def iterations(self, variable: Variable) -> None:
        if self._built:
            raise RuntimeError(
                "Cannot set `iterations` to a new Variable after the Optimizer weights have been created. Here "
                f"it is attempting to set `iterations` to {variable}.Usually this means you are trying to set "
                "`iterations` after calling `apply_gradients()`. Please set `iterations` before calling "
                "`apply_gradients()`."
            )
        self._variables[self._variables.index(self._iterations)] = variable
        self._iterations = variable

    @property
    def variables(self) -> CallableList:
        """The optimizer's Variables in Keras's order: `iterations`, then the slots."""
        return CallableList(self._variables)

    def set_weights(self, weights: list) -> None:
        """Assign `weights` (arrays, in `variables` order) to the optimizer's Variables.

        Raises:
          ValueError: the optimizer is not built, or a shape differs (nothing is assigned).
        """
        if not self._built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. Please call "
                "`optimizer.build(trainable_variables)` to create the optimizer weights before calling "
                "`set_weights()`."
            )
        pairs = list(zip(self._variables, weights))
        for variable, weight in pairs:
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(
                    f"Optimizer variable {variable.name} has shape {variable.shape} not compatible with provided "
                    f"weight shape {tuple(np.shape(weight))}."
                )
        for variable, weight in pairs:
            variable.assign(weight)

    def _serialize_hyperparameter(self, hyperparameter: Any) -> Any:
        """A hyper-parameter for `get_config`: a schedule serialized, a Variable's value, a
        callable called (Keras's helper, also for custom optimizers)."""
        from jaxport.modules.optimizers.schedules import serialize as serialize_schedule

        if isinstance(hyperparameter, LearningRateSchedule):
            return serialize_schedule(hyperparameter)
        if isinstance(hyperparameter, Variable):
            return hyperparameter.numpy()
        if callable(hyperparameter):
            return hyperparameter()
        return hyperparameter

    def get_config(self) -> dict:
        """The constructor arguments (Keras's keys; `learning_rate` a float or a serialized
        schedule). A custom subclass adds its own, `learning_rate` included, as in Keras."""
        config = {
            "name": self.name,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "jit_compile": self.jit_compile,
            "is_legacy_optimizer": False,
        }
        if self._state_type is not None:  # the built-in optimizers
            config["learning_rate"] = self._serialize_hyperparameter(self._learning_rate)
            config.update(self._hyper_config())
        return config

    def _hyper_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Optimizer:
        """An optimizer from `get_config()`'s dict (a serialized schedule is deserialized)."""
        from jaxport.modules.optimizers.schedules import deserialize as deserialize_schedule

        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_schedule(config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    # -- slots ------------------------------------------------------------------------------------
    def _slot_groups(self) -> tuple[tuple[str, ...], ...]:
        """Slot names in Keras's creation order: each group loops over the variables, each
        variable taking the group's slots in turn."""
        return ()

    def _slot_initial(self, slot: str, var: Variable) -> tuple[np.ndarray, bool]:
        """The initial value of `slot` for `var`, and whether Keras lists it in `variables`."""
        return np.zeros(var.shape.as_list(), var.dtype.as_numpy_dtype), True

    def _build_extras(self, var_list: list) -> None:
        """Create the state that is not per variable (hidden Variables in `self._extras`)."""

    def build(self, var_list: list) -> None:
        """Create the optimizer's variables for `var_list` (once: later calls do nothing).

        A custom optimizer (Keras's protocol) overrides `build`, calls `super().build(var_list)`
        first, creates its slots with `add_variable_from_reference` and sets `self._built`.
        """
        if self._built:
            return
        self._build_in(list(var_list), prefix=self._name_prefix)

    def _build_in(self, var_list: list, prefix: str) -> None:
        self._built = self._state_type is not None  # a custom subclass's build marks itself built
        self._index_dict = {self._var_key(v): i for i, v in enumerate(var_list)}

        def add(var, slot, value, listed):
            base = var.name[:-2] if var.name.endswith(":0") else var.name
            slot_var = Variable(value, trainable=False, name=self._slot_variable_name(prefix, slot, base))
            if listed:
                self._variables.append(slot_var)
            return slot_var

        self._build_extras(var_list)
        if self.use_ema:
            for var in var_list:
                # a copy: the average must not share the variable's buffer (compiled steps donate both)
                self._averages[id(var)] = add(var, "average", jnp.array(var._current_value(), copy=True), True)
        for var in var_list:
            self._slots[id(var)] = {}
        for group in self._slot_groups():
            for var in var_list:
                for slot in group:
                    value, listed = self._slot_initial(slot, var)
                    self._slots[id(var)][slot] = add(var, slot, value, listed)

    def exclude_from_weight_decay(self, var_list: list | None = None, var_names: list | None = None) -> None:
        """Exclude variables (by identity, or by a regex of their name) from weight decay.

        Raises:
          ValueError: the optimizer is already built.
        """
        if self._built:
            raise ValueError("`exclude_from_weight_decay()` can only be configued before the optimizer is built.")
        self._exclude_ids = [id(v) for v in var_list] if var_list else []
        self._exclude_names = list(var_names or [])

    def _use_weight_decay(self, variable: Variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        return not any(re.search(name, variable.name) is not None for name in self._exclude_names)

    # -- the update -------------------------------------------------------------------------------
    def _hyper(self) -> tuple:
        """The transform's hyper-parameters (static: part of the compiled update's key)."""
        return ()

    @classmethod
    def _make_transform(cls, hyper: tuple, learning_rate: Any) -> optax.GradientTransformation:
        raise NotImplementedError(f"{cls.__name__} must define its optax transform (`_make_transform`).")

    @classmethod
    def _pure_update(cls, hyper, lr, grads, state, params, aux):
        return cls._make_transform(hyper, lr).update(grads, state, params)

    def _aux_inputs(self, variables: list) -> Any:
        """Extra dynamic inputs of the pure update (None unless a subclass needs some)."""
        return None

    def apply_gradients(
        self, grads_and_vars: Any, name: str | None = None, skip_gradients_aggregation: bool = False, **kwargs: Any
    ) -> Variable:
        """Apply one update step to each variable with a gradient; returns `iterations`.

        Raises:
          ValueError: no variable has a gradient.
          KeyError: a variable the optimizer was not built for.
          InvalidArgumentError: a gradient's shape differs from its variable's (nothing is updated).
        """
        lr = self._compute_current_learning_rate()
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        for pair in pairs:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"`grads_and_vars` must be (gradient, variable) pairs; received {pair!r}.")
        if not self._built:  # Keras builds for every variable given, with or without a gradient
            self._name_prefix = f"{name or self.name or 'optimizer'}/"
            try:
                self.build([v for _, v in pairs])
            finally:
                self._name_prefix = ""
        present = [(g, v) for g, v in pairs if g is not None]
        if not present:
            names = [getattr(v, "name", repr(v)) for _, v in pairs]
            raise ValueError(
                f"No gradients provided for any variable: ({names},). Provided `grads_and_vars` is {tuple(pairs)}."
            )
        grads, variables = self._checked(present)
        from jaxport.parallel import aggregate_gradients

        grads = aggregate_gradients(grads, variables, self._iterations)
        if self._state_type is None:
            return self._apply_update_steps(lr, grads, variables)
        slot_names = [s for group in self._slot_groups() for s in group]
        slots = {s: [self._slots[id(v)][s]._current_value() for v in variables] for s in slot_names}
        extras = {name: var._current_value() for name, var in self._extras.items()}
        averages = [self._averages[id(v)]._current_value() for v in variables] if self.use_ema else None
        config = (
            self.clipnorm,
            self.global_clipnorm,
            self.clipvalue,
            self.weight_decay,
            tuple(self._use_weight_decay(v) for v in variables),
            self.ema_momentum if self.use_ema else None,
            self.ema_overwrite_frequency if self.use_ema else None,
        )
        new_params, new_slots, new_extras, new_averages, new_count = raw_op(
            apply_pure,
            self._iterations._current_value(),
            lr,
            grads,
            [v._current_value() for v in variables],
            slots,
            extras,
            averages,
            self._aux_inputs(variables),
            optimizer=(type(self), self._hyper(), config),
        )
        for var, value in zip(variables, new_params):
            var._set_current_value(value)
        for slot in slot_names:
            for var, value in zip(variables, new_slots[slot]):
                self._slots[id(var)][slot]._set_current_value(value)
        for extra, value in new_extras.items():
            self._extras[extra]._set_current_value(value)
        if new_averages is not None:
            for var, value in zip(variables, new_averages):
                self._averages[id(var)]._set_current_value(value)
        self._iterations._set_current_value(new_count)
        for var in variables:
            if var.constraint is not None:
                var.assign(var.constraint(var))
        return self._iterations

    def _checked(self, present: list) -> tuple[list, list]:
        """Raw gradients (in each variable's dtype) and their variables, all validated first."""
        grads, variables = [], []
        for g, v in present:
            if not isinstance(v, Variable):
                raise TypeError(f"Expected a tf.Variable in `grads_and_vars`; received {v!r}.")
            if id(v) not in self._index_dict:
                raise KeyError(
                    f"The optimizer cannot recognize variable {v.name}. This usually means you are trying to call "
                    "the optimizer to update different parts of the model separately. Please call "
                    "`optimizer.build(variables)` with the full list of trainable variables before the training "
                    f"loop or use legacy optimizer `tf.keras.optimizers.legacy.{type(self).__name__}."
                )
            graw = _raw(g)
            graw = jnp.asarray(graw)
            if tuple(graw.shape) != tuple(v.shape):
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"Incompatible shapes: {_shape_text(graw.shape)} vs. {_shape_text(tuple(v.shape))}: the gradient "
                    f"for variable {v.name} has shape {_shape_text(graw.shape)}, the variable "
                    f"{_shape_text(tuple(v.shape))}; no variable, slot or `iterations` was updated.",
                )
            grads.append(graw.astype(v.dtype.as_numpy_dtype))
            variables.append(v)
        return grads, variables

    # -- Keras's protocol for custom optimizers ------------------------------------------------------
    def _var_key(self, variable: Variable) -> int:
        """The key of `variable` in `self._index_dict` (Keras's `_var_key`)."""
        return id(variable)

    def add_variable(
        self, shape: Any, dtype: Any = None, initializer: Any = "zeros", name: str | None = None
    ) -> Variable:
        """A new optimizer Variable (listed in `variables`), for a custom optimizer's `build`."""
        from jaxport.modules import initializers

        init = initializers.get(initializer) if isinstance(initializer, str) else initializer
        shape = [] if shape is None else list(shape)
        value = init(shape, dtype or "float32")
        variable = Variable(value, trainable=False, name=name)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(
        self, model_variable: Variable, variable_name: str, shape: Any = None, initial_value: Any = None
    ) -> Variable:
        """A slot for `model_variable` named `<variable_name>/<variable>` (zeros of its shape
        and dtype unless `shape` / `initial_value` say otherwise), listed in `variables`."""
        dtype = model_variable.dtype.as_numpy_dtype
        if initial_value is None:
            initial_value = np.zeros(model_variable.shape.as_list() if shape is None else list(shape), dtype)
        base = model_variable.name[:-2] if model_variable.name.endswith(":0") else model_variable.name
        variable = Variable(
            _raw(initial_value), trainable=False, name=self._slot_variable_name(self._name_prefix, variable_name, base)
        )
        self._variables.append(variable)
        return variable

    def update_step(self, gradient: Tensor, variable: Variable) -> None:
        """One variable's update with TF ops and Variable assignments (a custom optimizer
        defines it; the built-in ones run an optax transform instead)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step(gradient, variable)`.")

    def _apply_update_steps(self, lr: Any, grads: list, variables: list) -> Variable:
        """A custom optimizer's step in Keras's order: clipping, weight decay, `update_step`
        per variable, EMA, `iterations += 1`, constraints."""
        grads = clip_pure(grads, self.clipnorm, self.global_clipnorm, self.clipvalue)
        if self.weight_decay is not None:
            for var in variables:
                if self._use_weight_decay(var):
                    value = var._current_value()
                    decay = jnp.asarray(self.weight_decay, value.dtype) * jnp.asarray(lr).astype(value.dtype)
                    var._set_current_value(value - value * decay)
        for g, var in zip(grads, variables):
            self.update_step(Tensor(g), var)
        if self.use_ema:
            m = self.ema_momentum
            count = self._iterations._current_value()
            for var in variables:
                average = self._averages[id(var)]
                new_average = m * average._current_value() + (1 - m) * var._current_value()
                average._set_current_value(new_average)
                if self.ema_overwrite_frequency:
                    overwrite = (count + 1) % self.ema_overwrite_frequency == 0
                    var._set_current_value(jnp.where(overwrite, new_average, var._current_value()))
        self._iterations._set_current_value(self._iterations._current_value() + 1)
        for var in variables:
            if var.constraint is not None:
                var.assign(var.constraint(var))
        return self._iterations

    def minimize(self, loss: Any, var_list: Any, tape: Any = None) -> None:
        """Compute the gradients of `loss` (a callable, or a Tensor with the `tape` that
        recorded it) with respect to `var_list` and apply them.

        Raises:
          ValueError: `loss` is a Tensor and `tape` is None.
        """
        from jaxport.grad import GradientTape

        if not callable(loss) and tape is None:
            raise ValueError(f"`tape` is required when a `Tensor` loss is passed. Received: loss={loss}, tape={tape}.")
        if tape is None:
            tape = GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        grads = tape.gradient(loss, var_list)
        self.apply_gradients(zip(grads, var_list))

    def compute_gradients(self, loss: Any, var_list: Any, tape: Any = None) -> list:
        """`(gradient, variable)` pairs of `loss` (as `minimize`, without applying them)."""
        from jaxport.grad import GradientTape

        if not callable(loss) and tape is None:
            raise ValueError(f"`tape` is required when a `Tensor` loss is passed. Received: loss={loss}, tape={tape}.")
        tape = tape or GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        return list(zip(tape.gradient(loss, var_list), var_list))

    def finalize_variable_values(self, var_list: list) -> None:
        """With `use_ema`, overwrite the variables with their moving averages (fit calls this at its end)."""
        if self.use_ema:
            for var in var_list:
                if id(var) in self._averages:
                    var.assign(self._averages[id(var)])


def _raw(value: Any) -> Any:
    """The raw array of a Tensor / Variable (anything else unchanged)."""
    if isinstance(value, Variable):
        return value._current_value()
    if isinstance(value, Tensor):
        return value._value
    return value


def _float32(value: Any) -> np.ndarray | Any:
    """A learning rate as a float32 value; a callable is called once (as a Variable initializer)."""
    if callable(value) and not isinstance(value, (Tensor, Variable)):
        value = value()
    value = _raw(value)
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype float")
    return jnp.asarray(value, jnp.float32) if isinstance(value, jax.Array) else np.float32(value)
