"""Keras 2's recurrent layers: RNN, SimpleRNN, LSTM, GRU, Bidirectional.

A recurrent layer runs its cell over the time axis as ONE recorded op: the inputs of every
timestep are multiplied by the kernel at once, then `lax.scan` carries the states through the
steps (`jax.vjp` of the scan is the gradient, as TF differentiates its while loop). Masks (from
`Embedding(mask_zero=True)` or `Masking`, or passed as `mask=`) follow tf_keras's `backend.rnn`:
at a masked step the states are carried over and the output is the previous output (zeros
with `zero_output_for_mask`, which Bidirectional sets when it returns sequences).

A cell that is not one of Keras's (a user's `Layer` with `state_size` and `call(inputs, states)`)
runs step by step on Tensors instead.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxport.eager import Tensor, convert_to_tensor, dispatch, to_raw
from jaxport.modules.base_layer import Layer, training_flag
from jaxport.modules.layers.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell, _RecurrentCell
from jaxport.modules.naming import name_scope
from jaxport.modules.serialization import serialize_regularizer
from jaxport.ops import array_ops, indexing_ops, math_ops, random_ops

__all__ = ["RNN", "SimpleRNN", "LSTM", "GRU", "Bidirectional"]


def _scan_pure(
    x,
    mask,
    kernel,
    recurrent_kernel,
    bias,
    input_keep,
    recurrent_keep,
    *initial,
    step,
    go_backwards,
    return_sequences,
    zero_output_for_mask,
):
    """The whole recurrence: `(last_output, *final_states)`, with every output after the last
    one when `return_sequences`."""
    if input_keep is not None:
        x = x * input_keep[:, None, :]
    xs = jnp.swapaxes(jnp.matmul(x, kernel), 0, 1)  # (time, batch, gates * units)
    ms = None if mask is None else jnp.swapaxes(mask, 0, 1)
    if go_backwards:
        xs = xs[::-1]
        ms = None if ms is None else ms[::-1]
    states0 = list(initial)
    out0 = jnp.zeros(states0[0].shape[:1] + (recurrent_kernel.shape[0],), xs.dtype)

    def body(carry, step_in):
        states, previous = carry
        xk, m = step_in
        h_in = states if recurrent_keep is None else [states[0] * recurrent_keep] + list(states[1:])
        out, new = step(xk, h_in, recurrent_kernel, bias)
        if m is not None:
            keep = m[:, None]
            new = [jnp.where(keep, n, s) for n, s in zip(new, states)]
            out = jnp.where(keep, out, jnp.zeros_like(out) if zero_output_for_mask else previous)
        return (new, out), (out if return_sequences else None)

    (final_states, last), outs = jax.lax.scan(body, (states0, out0), (xs, ms))
    if return_sequences:
        return (last, *final_states, jnp.swapaxes(outs, 0, 1))
    return (last, *final_states)


_scan_pure.tf_op_name = "While"


class RNN(Layer):
    """`tf.keras.layers.RNN(cell, return_sequences=False, return_state=False, go_backwards=False,
    stateful=False, unroll=False, time_major=False)`.

    Input shape: (batch, time, features) (time-major `(time, batch, features)` with `time_major`).
    Output: the last output (batch, units), or every output (batch, time, units) with
    `return_sequences`; with `return_state`, `[output, *final_states]`.
    """

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        time_major: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ):
        if isinstance(cell, (list, tuple)):
            raise NotImplementedError("tf.keras.layers.RNN of a list of cells (StackedRNNCells) is not supported yet.")
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(
                "Argument `cell` should have a `call` method and a `state_size` attribute. "
                f"The RNN was passed: cell={cell}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)  # accepted: the scan is compiled either way
        self.time_major = bool(time_major)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self._states: list | None = None

    @property
    def states(self) -> list | None:
        """The carried states of a `stateful` layer (Variables), else None."""
        return self._states

    def _check_input_shape(self, inputs: Any) -> None:
        shape = getattr(inputs, "shape", None)
        if shape is not None and len(shape) != 3:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected ndim=3, '
                f"found ndim={len(shape)}. Full shape received: {tuple(shape)}"
            )

    def build(self, input_shape: Any) -> None:
        shape = list(input_shape)
        step_shape = [shape[1]] + shape[2:] if self.time_major else [shape[0]] + shape[2:]
        if not self.cell.built:
            with name_scope(self.cell.name):
                self.cell.build(tuple(step_shape))
                self.cell.built = True
        self.built = True

    def _state_sizes(self) -> list[int]:
        size = self.cell.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    def _initial_states(self, inputs: Tensor, initial_state: Any) -> list:
        batch = inputs.shape[0]
        sizes = self._state_sizes()
        if initial_state is not None:
            states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
            if len(states) != len(sizes):
                raise ValueError(
                    f"An `initial_state` was passed that is not compatible with `cell.state_size`. "
                    f"Received `state_spec`={len(states)} states; however `cell.state_size` is {self.cell.state_size}"
                )
            return [convert_to_tensor(s) for s in states]
        if self.stateful:
            if self._states is None:
                from jaxport.variables import Variable

                self._states = [Variable(jnp.zeros((batch, n), "float32"), trainable=False) for n in sizes]
            return [s.read_value() for s in self._states]
        return [Tensor(jnp.zeros((batch, n), "float32")) for n in sizes]

    def reset_states(self, states: Any = None) -> None:
        """Zero (or set) the states of a `stateful` layer."""
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        if self._states is None:
            return
        values = [None] * len(self._states) if states is None else list(states)
        for var, value in zip(self._states, values):
            var.assign(jnp.zeros(var.shape, "float32") if value is None else value)

    def _dropout_masks(self, inputs: Tensor, training: Any) -> tuple:
        cell = self.cell
        flag = training_flag(training)
        if flag is not True:
            return None, None
        batch, features = inputs.shape[0], inputs.shape[-1]
        keep_in = keep_rec = None
        if getattr(cell, "dropout", 0.0) > 0:
            keep_in = _keep_mask((batch, features), cell.dropout)
        if getattr(cell, "recurrent_dropout", 0.0) > 0:
            keep_rec = _keep_mask((batch, cell.units), cell.recurrent_dropout)
        return keep_in, keep_rec

    def call(self, inputs: Any, mask: Any = None, training: Any = None, initial_state: Any = None) -> Any:
        if self.time_major:
            inputs = array_ops.transpose(inputs, [1, 0, 2])
            if mask is not None:
                mask = array_ops.transpose(mask, [1, 0])
        if mask is None:
            mask = getattr(inputs, "_keras_mask", None)
        states = self._initial_states(inputs, initial_state)
        if isinstance(self.cell, _RecurrentCell):
            keep_in, keep_rec = self._dropout_masks(inputs, training)
            outs = dispatch(
                _scan_pure,
                inputs,
                None if mask is None else math_ops.cast(mask, "bool"),
                self.cell.kernel,
                self.cell.recurrent_kernel,
                self.cell.bias,
                keep_in,
                keep_rec,
                *states,
                step=self.cell.step_function(),
                go_backwards=self.go_backwards,
                return_sequences=self.return_sequences,
                zero_output_for_mask=self.zero_output_for_mask,
            )
            outs = list(outs)
            sequences = outs.pop() if self.return_sequences else None
            last, final = outs[0], outs[1:]
        else:
            last, sequences, final = self._run_custom_cell(inputs, mask, states, training)
        if self.stateful and self._states is not None:
            for var, value in zip(self._states, final):
                var.assign(value)
        output = sequences if self.return_sequences else last
        if self.return_sequences and self.time_major:
            output = array_ops.transpose(output, [1, 0, 2])
        if self.return_state:
            return [output, *final]
        return output

    def _run_custom_cell(self, inputs: Tensor, mask: Any, states: list, training: Any) -> tuple:
        """A user's cell, step by step on Tensors (Keras's `backend.rnn` loop, unrolled)."""
        steps = array_ops.unstack(inputs, axis=1)
        masks = None if mask is None else array_ops.unstack(math_ops.cast(mask, "bool"), axis=1)
        order = list(range(len(steps)))[::-1] if self.go_backwards else list(range(len(steps)))
        previous = None
        outputs = []
        for t in order:
            result = self.cell(steps[t], states)
            out, new = result if isinstance(result, tuple) else (result, [result])
            new = list(new) if isinstance(new, (list, tuple)) else [new]
            if masks is not None:
                keep = array_ops.expand_dims(masks[t], -1)
                prev = previous if previous is not None else out * 0.0
                masked = out * 0.0 if self.zero_output_for_mask else prev
                new = [indexing_ops.where(keep, n, s) for n, s in zip(new, states)]
                out = indexing_ops.where(keep, out, masked)
            states, previous = new, out
            outputs.append(out)
        sequences = array_ops.stack(outputs, axis=1) if self.return_sequences else None
        return previous, sequences, states

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The output mask: the input mask when returning sequences, else None."""
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self._state_sizes())
        return output_mask

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            return_sequences=self.return_sequences,
            return_state=self.return_state,
            go_backwards=self.go_backwards,
            stateful=self.stateful,
            unroll=self.unroll,
            time_major=self.time_major,
        )
        if self.zero_output_for_mask:
            config["zero_output_for_mask"] = True
        return config


def _keep_mask(shape: tuple, rate: float) -> Tensor:
    """Keras's dropout mask for recurrent layers: kept entries scaled by 1/(1-rate), one mask
    for every timestep."""
    keep = random_ops.uniform(shape) >= rate
    return Tensor(jnp.where(to_raw(keep), 1.0 / (1.0 - rate), 0.0).astype("float32"))


_RNN_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "time_major")
_LAYER_ARGS = ("name", "dtype", "trainable", "input_shape", "batch_input_shape", "batch_size", "input_dim")


def _split_kwargs(kwargs: dict) -> tuple[dict, dict, dict]:
    rnn = {k: kwargs.pop(k) for k in list(kwargs) if k in _RNN_ARGS or k == "zero_output_for_mask"}
    layer = {k: kwargs.pop(k) for k in list(kwargs) if k in _LAYER_ARGS or k == "activity_regularizer"}
    return rnn, layer, kwargs


class _CellLayer(RNN):
    """A Keras recurrent layer made of one built-in cell (`cell_class`, named `cell_name`)."""

    cell_class: type = SimpleRNNCell
    cell_name = "simple_rnn_cell"

    def __init__(self, units: int, **kwargs: Any):
        implementation = kwargs.pop("implementation", 2)  # 1 or 2: the same numbers
        arguments = dict(kwargs)
        rnn, layer, cell_args = _split_kwargs(kwargs)
        cell = self.cell_class(units, name=self.cell_name, **cell_args)
        super().__init__(cell, **rnn, **layer)
        self._arguments = (int(units), arguments)
        self._implementation = implementation

    def __getattr__(self, name: str) -> Any:
        return _cell_attribute(self, name)

    def _clone(self, name: str, go_backwards: bool) -> RNN:
        units, arguments = self._arguments
        return type(self)(units, **{**arguments, "name": name, "go_backwards": go_backwards})

    def get_config(self) -> dict:
        config = super().get_config()
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        config["activity_regularizer"] = serialize_regularizer(self.activity_regularizer)
        if self.cell_name in ("lstm_cell", "gru_cell"):  # tf_keras's LSTM and GRU keep `implementation`
            config["implementation"] = self._implementation
        return config


class SimpleRNN(_CellLayer):
    """`tf.keras.layers.SimpleRNN(units, activation='tanh', ...)`: a SimpleRNNCell over time
    (weights `simple_rnn/simple_rnn_cell/kernel:0`, ...)."""

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"


class LSTM(_CellLayer):
    """`tf.keras.layers.LSTM(units, activation='tanh', recurrent_activation='sigmoid',
    unit_forget_bias=True, ...)`: an LSTMCell over time (weights `lstm/lstm_cell/kernel:0`,
    `recurrent_kernel:0` (units, 4 * units), `bias:0`; gates i, f, c, o). With `return_state`,
    returns `[output, h, c]`."""

    cell_class = LSTMCell
    cell_name = "lstm_cell"


class GRU(_CellLayer):
    """`tf.keras.layers.GRU(units, reset_after=True, ...)`: a GRUCell over time (weights
    `gru/gru_cell/kernel:0`, `recurrent_kernel:0` (units, 3 * units), `bias:0` (2, 3 * units))."""

    cell_class = GRUCell
    cell_name = "gru_cell"


_CELL_ATTRIBUTES = frozenset(
    {
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        "dropout",
        "recurrent_dropout",
        "unit_forget_bias",
        "reset_after",
        "kernel_initializer",
        "recurrent_initializer",
        "bias_initializer",
    }
)


def _cell_attribute(layer: RNN, name: str) -> Any:
    """`lstm.units`, `gru.reset_after`, ...: the cell's arguments, as Keras exposes them."""
    if name in _CELL_ATTRIBUTES:
        cell = layer.__dict__.get("cell")
        if cell is not None:
            return getattr(cell, name)
    raise AttributeError(f"{type(layer).__name__!r} object has no attribute {name!r}")


_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


class Bidirectional(Layer):
    """`tf.keras.layers.Bidirectional(layer, merge_mode='concat', backward_layer=None)`.

    Runs a copy of `layer` with `go_backwards` flipped, named `forward_<name>` and
    `backward_<name>` (weights `bidirectional/forward_lstm/lstm_cell/kernel:0`); the backward
    sequence is reversed back before merging. `merge_mode` None returns `[forward, backward]`.
    """

    def __init__(
        self, layer: Any, merge_mode: Any = "concat", weights: Any = None, backward_layer: Any = None, **kwargs
    ):
        if not isinstance(layer, RNN):
            raise ValueError(
                f"Please initialize `Bidirectional` layer with a `tf.keras.layers.Layer` instance. Received: {layer}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        self.forward_layer = _clone_rnn(layer, f"forward_{layer.name}", layer.go_backwards)
        if backward_layer is None:
            self.backward_layer = _clone_rnn(layer, f"backward_{layer.name}", not layer.go_backwards)
        else:
            self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        for sub in (self.forward_layer, self.backward_layer):
            sub.zero_output_for_mask = sub.return_sequences  # as tf_keras forces it
        self.supports_masking = True

    def call(self, inputs: Any, mask: Any = None, training: Any = None, initial_state: Any = None) -> Any:
        if mask is None:
            mask = getattr(inputs, "_keras_mask", None)
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(inputs, mask=mask, training=training, initial_state=forward_state)
        y_rev = self.backward_layer(inputs, mask=mask, training=training, initial_state=backward_state)
        states: list = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = array_ops.reverse(y_rev, [1])
        if self.merge_mode == "concat":
            output = array_ops.concat([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = [y, y_rev]
        if self.return_state:
            return ([output] if not isinstance(output, list) else output) + states
        return output

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The input mask when returning sequences, else None."""
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        return mask if self.return_sequences else None

    def get_config(self) -> dict:
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        return config


def _clone_rnn(layer: RNN, name: str, go_backwards: bool) -> RNN:
    """A fresh copy of `layer` (same arguments, new weights) named `name`."""
    if isinstance(layer, _CellLayer):
        return layer._clone(name, go_backwards)
    return RNN(
        layer.cell,
        return_sequences=layer.return_sequences,
        return_state=layer.return_state,
        go_backwards=go_backwards,
        stateful=layer.stateful,
        time_major=layer.time_major,
        name=name,
    )
