"""Keras 2's training loop: `compile`, `fit`, `evaluate`, `predict`.

The train step (forward with `training=True`, loss, GradientTape, `apply_gradients`, metric
updates) is compiled by the same `function` users get, so `fit` is one XLA program per batch
shape. Metric state lives in Variables and is read once per epoch. Under a
MirroredStrategy the step's gradient part runs once per replica (`parallel.replicated_grads`),
with the loss scaled by 1/replicas and gradients summed, as tf.keras does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxport.eager import Tensor
from jaxport.modules import metrics as metrics_mod
from jaxport.modules import optimizers as optimizers_mod
from jaxport.modules.callbacks import History
from jaxport.modules.callbacks.callback_list import configure_callbacks, loop_verbosity
from jaxport.modules.compile_utils import (
    LossesContainer,
    MetricsContainer,
    check_duplicated_metrics,
    class_sample_weights,
    compiled_loss_object,
)
from jaxport.modules.data_adapter import (
    ArrayBatches,
    DatasetBatches,
    as_arrays,
    check_cardinality,
    float_inputs,
    pack_x_y_sample_weight,
    to_tensors,
    train_validation_split,
    unpack_validation,
    unpack_x_y_sample_weight,
)


class _CompileState:
    """What `compile` configured (kept off the layer graph, as Keras keeps metrics off `weights`)."""

    def __init__(self, optimizer, loss, metric_ids, run_eagerly):
        self.optimizer = optimizer
        self.loss = loss
        self.metric_ids = list(metric_ids or [])
        self.weighted_metric_ids: list = []  # `weighted_metrics`: the only ones sample weights weight
        self.metrics: list | None = None
        self.weighted: list[bool] = []  # per entry of `metrics`
        self.loss_tracker = metrics_mod.Mean(name="loss")
        self.loss_built = False  # the compiled loss has run: `metrics` lists its tracker from then on
        self.run_eagerly = run_eagerly
        self.train_function = None
        self.test_function = None
        self.predict_function = None


class TrainingMixin:
    """compile / fit / evaluate / predict for `Model`."""

    def __init__(self) -> None:
        self._compile_state: _CompileState | None = None
        self.stop_training = False
        self.history: History | None = None
        from jaxport.parallel import current_strategy

        self._distribute_strategy = current_strategy()

    @property
    def distribute_strategy(self) -> Any:
        from jaxport.parallel import default_strategy

        return self._distribute_strategy or default_strategy()

    # -- compile ---------------------------------------------------------------------------
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool | None = None,
        steps_per_execution: Any = None,
        jit_compile: Any = None,
        **kwargs: Any,
    ) -> None:
        """Configure training: optimizer, loss (a name, Loss or function) and metrics."""
        if kwargs:
            raise TypeError(
                f"Invalid keyword argument(s) in `compile()`: {tuple(kwargs)}. Valid keyword arguments "
                'include "cloning", "experimental_run_tf_function", "distribute", '
                '"target_tensors", or "sample_weight_mode".'
            )
        opt = optimizers_mod.get(optimizer)
        loss_obj = compiled_loss_object(loss)  # an unknown name fails at fit, as in TF
        if isinstance(metrics, str) or callable(metrics):
            metrics = [metrics]  # tf.keras accepts a single metric
        elif metrics is not None and not isinstance(metrics, (list, tuple, dict)):
            raise TypeError(
                f"Type of `metrics` argument not understood. Expected a list or dictionary, found: {metrics}"
            )
        self._check_variables_in_scope()
        if self._distribute_strategy is None:
            from jaxport.parallel import current_strategy

            self._distribute_strategy = current_strategy()
        if isinstance(weighted_metrics, str) or callable(weighted_metrics):
            weighted_metrics = [weighted_metrics]
        check_duplicated_metrics(metrics, weighted_metrics)
        self._compile_state = _CompileState(opt, loss_obj, list(metrics or []), run_eagerly)
        self._compile_state.weighted_metric_ids = list(weighted_metrics or [])
        self._compile_state.loss_identifier = loss  # as Keras's `model.loss` names it in errors
        self._compile_state.loss_weights = loss_weights  # per output (list / dict) or one weight
        if isinstance(metrics, dict):  # by output name (compile_outputs maps them at the first step)
            self._compile_state.metric_ids = dict(metrics)
        if isinstance(weighted_metrics, dict):
            self._compile_state.weighted_metric_ids = dict(weighted_metrics)

    def _check_variables_in_scope(self) -> None:
        """Keras's rule: a built model compiled under a strategy's scope must have been created
        in that scope (its Variables mirrored).

        Raises:
          ValueError: a Variable created outside the active strategy's scope (TF's message).
        """
        from jaxport.strategy_context import get_strategy, has_strategy

        if not (self.built and has_strategy()):
            return
        strategy = get_strategy()
        for v in self.variables:
            if not strategy.extended.variable_created_in_scope(v):
                raise ValueError(
                    f"Variable ({v}) was not created in the distribution strategy scope of ({strategy}). It is "
                    "most likely because some layers, model, or optimizer was being created outside the "
                    "distribution strategy scope. Try to make sure your code looks similar to the following.\n"
                    "with strategy.scope():\n  model=_create_model()\n  model.compile(...)"
                )

    @property
    def optimizer(self) -> Any:
        return None if self._compile_state is None else self._compile_state.optimizer

    @property
    def loss(self) -> Any:
        """The `loss` given to `compile`, as given (a name stays a string, as Keras's `model.loss`)."""
        return None if self._compile_state is None else self._compile_state.loss_identifier

    @property
    def metrics(self) -> list:
        """The compiled metrics (the loss tracker first), then the Metric objects set as
        attributes of the model (a custom `train_step`'s trackers), as Keras lists them."""
        state = self._compile_state
        # as Keras 2: the trackers of the compiled loss and metrics once they have run (not after compile)
        compiled = [] if state is None else [state.loss_tracker] * state.loss_built
        if state is not None:  # then each output's loss tracker (several outputs), then the metrics
            compiled += [t for t in getattr(state, "output_loss_trackers", None) or () if t is not None]
            compiled += list(state.metrics or [])
        tracked = []
        for value in self.__dict__.values():
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, metrics_mod.Metric) and all(item is not m for m in compiled + tracked):
                    tracked.append(item)
        return compiled + tracked

    @property
    def compiled_loss(self) -> LossesContainer:
        """Keras 2's `compiled_loss(y, y_pred, sample_weight, regularization_losses)`: the
        compiled loss, which also updates the loss tracker."""
        return LossesContainer(self)

    @property
    def compiled_metrics(self) -> MetricsContainer:
        """Keras 2's `compiled_metrics.update_state(y, y_pred, sample_weight)`."""
        return MetricsContainer(self)

    def get_metrics_result(self) -> dict:
        """`{name: result}` of `self.metrics` (what Keras's default `train_step` returns)."""
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def _require_compiled(self) -> _CompileState:
        if self._compile_state is None:
            raise RuntimeError(
                "You must compile your model before training/testing. Use `model.compile(optimizer, loss)`."
            )
        return self._compile_state

    def _ensure_metrics(self, y: Any, y_pred: Any) -> None:
        state = self._compile_state
        if state.metrics is None:
            y_shape = () if y is None else tuple(y.shape)
            plain = [metrics_mod.resolve(m, y_shape, tuple(y_pred.shape)) for m in state.metric_ids]
            weighted = [metrics_mod.resolve(m, y_shape, tuple(y_pred.shape)) for m in state.weighted_metric_ids]
            names = {m.name for m in plain}
            for metric in weighted:
                if metric.name in names:  # Keras names the weighted twin of a metric `weighted_<name>`
                    metric._name = f"weighted_{metric.name}"
            state.metrics = plain + weighted
            state.weighted = [False] * len(plain) + [True] * len(weighted)

    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None) -> Tensor:
        """The compiled loss of (y, y_pred) (plus any layer losses)."""
        return self.compiled_loss.value(y, y_pred, sample_weight, self.losses)

    # -- steps -----------------------------------------------------------------------------------
    def _update_metrics(self, y: Any, y_pred: Any, sample_weight: Any, loss: Tensor) -> None:
        self.compiled_loss.track(loss, y_pred)
        self.compiled_metrics.update_state(y, y_pred, sample_weight)

    def train_step(self, data: Any) -> None:
        """One optimisation step on a batch (x, y[, sample_weight]); overridable as in Keras."""
        from jaxport.parallel import replicated_grads

        x, y, sample_weight = unpack_x_y_sample_weight(data)
        state = self._compile_state
        if y is None and state.loss is not None:
            raise ValueError(
                f"Target data is missing. Your model was compiled with loss={getattr(state, 'loss_identifier', None)}, "
                "and therefore expects target data to be provided in `fit()`."
            )
        grads = replicated_grads(self, x, y, sample_weight)  # builds the model on the first call
        self._compile_state.optimizer.apply_gradients(
            zip(grads, self.trainable_variables), skip_gradients_aggregation=True
        )

    def _replica_forward(self, x: Any, y: Any, sample_weight: Any, num_replicas: int):
        """Forward, loss and gradients on one replica's batch; updates loss and metrics."""
        from jaxport.grad import GradientTape
        from jaxport.ops import math_ops

        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
            scaled = math_ops.divide(loss, float(num_replicas)) if num_replicas > 1 else loss
        grads = tape.gradient(scaled, self.trainable_variables)
        self._update_metrics(y, y_pred, sample_weight, loss)
        return grads

    def test_step(self, data: Any) -> None:
        """One evaluation step: forward with training=False and metric updates."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x, y, y_pred, sample_weight)
        self._update_metrics(y, y_pred, sample_weight, loss)

    def predict_step(self, data: Any) -> Any:
        """One prediction step: the model's output with training=False."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _make_function(self, step):
        """The step compiled with `function`, called as fn(x, y, sample_weight)."""
        from jaxport.function.polymorphic_function import function

        def batch_step(x, y=None, sample_weight=None):
            return step(pack_x_y_sample_weight(x, y, sample_weight))  # `data` as Keras hands it over

        if self._compile_state is not None and self._compile_state.run_eagerly:
            return batch_step
        return function(batch_step, reduce_retracing=True)  # as tf_keras makes its train/test/predict functions

    # -- data -------------------------------------------------------------------------------
    def _batches(self, x: Any, y: Any, sample_weight: Any, batch_size: int | None, shuffle: bool, what: str):
        from jaxport import data as data_mod

        if isinstance(x, getattr(data_mod, "Dataset", ())):
            if y is not None:
                raise ValueError("`y` argument is not supported when using dataset as input.")
            if batch_size is not None and what != "predict":
                raise ValueError(
                    "The `batch_size` argument must not be specified for the given input type. "
                    f"Received input: {x}, batch_size: {batch_size}"
                )
            return DatasetBatches(x)
        if x is None:  # Keras fails when the model is called on it
            raise TypeError(
                f"Inputs to a layer should be tensors. Got 'None' (of type {type(None)}) as input for layer "
                f"'{self.name}'."
            )
        if batch_size is not None and not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"`batch_size` must be an integer; received batch_size={batch_size!r}.")
        if batch_size is not None and batch_size <= 0:
            raise ValueError(f"Expected batch_size to be positive. Received is {batch_size}.")
        x = float_inputs(as_arrays(x))
        y = as_arrays(y)
        sample_weight = as_arrays(sample_weight)
        check_cardinality(x, y, sample_weight)
        from jaxport.ops.random_ops import get_global_seed

        seed = get_global_seed()
        rng = self.__dict__.setdefault("_jaxport_shuffle_rng", np.random.default_rng(seed))
        return ArrayBatches(x, y, sample_weight, batch_size or 32, shuffle, rng)

    # -- fit / evaluate / predict ---------------------------------------------------------------
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: Any = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: Any = None,
        validation_steps: Any = None,
        validation_batch_size: Any = None,
        validation_freq: int = 1,
        **kwargs: Any,
    ) -> History:
        """Train for `epochs` epochs; returns a History whose `.history` maps metric names to
        per-epoch values (`loss`, metrics, and `val_*` with validation data)."""
        if kwargs:
            raise TypeError(f"Invalid keyword arguments: {sorted(kwargs)}")
        state = self._require_compiled()
        if state.loss is None and not self._overrides("train_step"):
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        if not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"`epochs` must be a non-negative integer; received epochs={epochs!r}.")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = train_validation_split(x, y, sample_weight, validation_split)
        if class_weight is not None:
            sample_weight = class_sample_weights(class_weight, as_arrays(y), sample_weight)
        batches = self._batches(x, y, sample_weight, batch_size, shuffle, "fit")
        verbose = loop_verbosity(verbose)
        if state.train_function is None:
            state.train_function = self._make_function(self.train_step)
        steps = (len(batches) or None) if steps_per_epoch is None else steps_per_epoch  # None: unknown cardinality
        cbs = configure_callbacks(callbacks, self, verbose, epochs, steps, add_history=True)
        self.stop_training = False
        cbs.on_train_begin()
        logs: dict = {}
        for epoch in range(initial_epoch, epochs):
            self._reset_metrics()
            cbs.on_epoch_begin(epoch)
            batch_hooks = cbs.needs_batch_hooks("train")  # else no per-batch read of the metrics
            seen = 0
            for step, (bx, by, bsw) in enumerate(batches.epoch()):
                if steps_per_epoch is not None and step >= steps_per_epoch:
                    break
                if batch_hooks:
                    cbs.on_train_batch_begin(step)
                returned = state.train_function(to_tensors(bx), to_tensors(by), to_tensors(bsw))
                seen += 1
                if batch_hooks:
                    cbs.on_train_batch_end(step, lambda r=returned: self._step_logs(r))
                if self.stop_training:
                    break
            logs = self._step_logs(returned if seen else None)
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                vx, vy, vsw = unpack_validation(validation_data)
                val = self.evaluate(
                    vx,
                    vy,
                    batch_size=validation_batch_size or batch_size,
                    sample_weight=vsw,
                    verbose=0,
                    callbacks=cbs,
                    return_dict=True,
                    _reset_after=False,
                )
                logs.update({f"val_{k}": v for k, v in val.items()})
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        if epochs > 0 and hasattr(state.optimizer, "finalize_variable_values"):
            state.optimizer.finalize_variable_values(self.trainable_variables)  # use_ema: averages, as Keras
        cbs.on_train_end(logs)
        self.history = cbs.history
        return cbs.history

    def _reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def _metric_logs(self) -> dict[str, float]:
        return {m.name: _log_value(m.result()) for m in self.metrics}

    def _step_logs(self, returned: Any) -> dict[str, float]:
        """The logs of the last step: the dict a (custom) `train_step`/`test_step` returned,
        else the metrics' results."""
        if isinstance(returned, dict):
            return {k: _log_value(v) for k, v in returned.items()}
        return self._metric_logs()

    def _overrides(self, method: str) -> bool:
        return getattr(type(self), method) is not getattr(TrainingMixin, method, None)

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: Any = None,
        callbacks: Any = None,
        return_dict: bool = False,
        _reset_after: bool = True,
        **kwargs: Any,
    ) -> Any:
        """The loss (and metrics) over the data, in inference mode: a scalar, list or dict."""
        state = self._require_compiled()
        batches = self._batches(x, y, sample_weight, batch_size, False, "evaluate")
        if state.test_function is None:
            state.test_function = self._make_function(self.test_step)
        verbose = loop_verbosity(verbose)
        cbs = configure_callbacks(callbacks, self, verbose, 1, (len(batches) or None) if steps is None else steps)
        self._reset_metrics()
        cbs.on_test_begin()
        batch_hooks = cbs.needs_batch_hooks("test")
        returned = None
        for step, (bx, by, bsw) in enumerate(batches.epoch()):
            if steps is not None and step >= steps:
                break
            if batch_hooks:
                cbs.on_test_batch_begin(step)
            returned = state.test_function(to_tensors(bx), to_tensors(by), to_tensors(bsw))
            if batch_hooks:
                cbs.on_test_batch_end(step, lambda r=returned: self._step_logs(r))
        logs = self._step_logs(returned)
        cbs.on_test_end(logs)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: Any = None,
        callbacks: Any = None,
        **kwargs: Any,
    ) -> np.ndarray:
        """The model's outputs on `x` (training=False), batch by batch, as numpy."""
        batches = self._batches(x, None, None, batch_size, False, "predict")
        state = self._compile_state
        if state is not None:
            if state.predict_function is None:
                state.predict_function = self._make_function(self.predict_step)
            fn = state.predict_function
        else:
            fn = self.__dict__.setdefault("_jaxport_predict_fn", self._make_function(self.predict_step))
        cbs = configure_callbacks(
            callbacks, self, loop_verbosity(verbose), 1, (len(batches) or None) if steps is None else steps
        )
        cbs.on_predict_begin()
        batch_hooks = cbs.needs_batch_hooks("predict")
        outputs = []
        for step, (bx, _, _) in enumerate(batches.epoch()):
            if steps is not None and step >= steps:
                break
            if batch_hooks:
                cbs.on_predict_batch_begin(step)
            outputs.append(fn(to_tensors(bx)))
            if batch_hooks:
                cbs.on_predict_batch_end(step, lambda o=outputs[-1]: {"outputs": _numpy_outputs(o)})
        cbs.on_predict_end()
        if not outputs:
            raise ValueError(
                "Unexpected result of `predict_function` (Empty batch_outputs). Please use "
                "`Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly(True)` "
                "for more information of where went wrong, or file a issue/bug to `tf.keras`."
            )
        if isinstance(outputs[0], Tensor):
            return np.concatenate([np.asarray(o._value) for o in outputs], axis=0)
        return outputs

    def train_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, reset_metrics: bool = True, return_dict: bool = False
    ) -> Any:
        """One training step on one batch; returns the loss (and metrics)."""
        state = self._require_compiled()
        if state.train_function is None:
            state.train_function = self._make_function(self.train_step)
        if reset_metrics:
            self._reset_metrics()
        x = float_inputs(as_arrays(x))
        returned = state.train_function(to_tensors(x), to_tensors(as_arrays(y)), to_tensors(as_arrays(sample_weight)))
        logs = self._step_logs(returned)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values


def _log_value(value: Any) -> Any:
    """A logged metric value: a float, or a NumPy array for a vector result (as tf_keras logs
    e.g. Precision with several thresholds)."""
    array = np.asarray(getattr(value, "_value", value))
    return float(array) if array.ndim == 0 else array


def _numpy_outputs(outputs: Any) -> Any:
    """A predict step's outputs as numpy (Tensors anywhere in a list / tuple / dict)."""
    if isinstance(outputs, Tensor):
        return np.asarray(outputs._value)
    if isinstance(outputs, dict):
        return {k: _numpy_outputs(v) for k, v in outputs.items()}
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(_numpy_outputs(v) for v in outputs)
    return outputs
