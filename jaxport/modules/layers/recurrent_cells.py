"""Keras 2's recurrent cells: SimpleRNNCell, LSTMCell, GRUCell.

A cell owns the weights of one recurrent step (`kernel`, `recurrent_kernel`, `bias`, with
Keras 2's shapes, gate orders and defaults) and states the step twice: as the Keras cell API
(`cell(inputs, states)` on Tensors, usable in a hand-written loop or in `tf.keras.layers.RNN`),
and as a pure `jnp` step function that `RNN` runs inside one `lax.scan`.

Gate orders (tf_keras): LSTM `i, f, c, o`; GRU `z, r, h`, with `reset_after=True` by default
(bias of shape `(2, 3 * units)`: input bias, recurrent bias).
"""

from __future__ import annotations

from typing import Any, Callable

import jax.numpy as jnp
import numpy as np

from jaxport.eager import Tensor, dispatch, to_raw
from jaxport.modules import activations, initializers, regularizers
from jaxport.modules.base_layer import Layer
from jaxport.modules.serialization import serialize_initializer, serialize_regularizer


def pure_activation(activation: Any) -> Callable:
    """The `jnp` function of a Keras activation (a wrapper running it on Tensors otherwise)."""
    if isinstance(activation, activations.Activation) and activation.name in activations.PURE:
        return activations.PURE[activation.name]
    return lambda z: to_raw(activation(Tensor(z)))


class _ForgetBiasInitializer(initializers.Initializer):
    """LSTM's `unit_forget_bias=True`: the bias initializer for `i` and `c, o`, ones for `f`."""

    def __init__(self, bias_initializer: Any, units: int):
        self.bias_initializer, self.units = bias_initializer, units

    def __call__(self, shape, dtype=None, **kwargs):
        u = self.units
        return np.concatenate(
            [
                self.bias_initializer((u,), dtype=dtype),
                np.ones((u,), dtype=np.dtype(str(getattr(dtype, "name", dtype or "float32")))),
                self.bias_initializer((2 * u,), dtype=dtype),
            ]
        )


class _RecurrentCell(Layer):
    """What the three cells share: argument validation, weights, dropout arguments, config."""

    gates = 1  # how many blocks of `units` the kernels hold

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not isinstance(units, (int, np.integer)) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Received an invalid value for argument `units`, expected a positive integer, got {units}."
            )
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.recurrent_constraint = recurrent_constraint
        self.bias_constraint = bias_constraint
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))

    @property
    def state_size(self) -> Any:
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def _bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def _bias_initializer(self) -> Any:
        return self.bias_initializer

    def build(self, input_shape: Any) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"The last dimension of the inputs to `{type(self).__name__}` should be defined.")
        width = self.gates * self.units
        self.kernel = self.add_weight(
            "kernel",
            (input_dim, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel",
            (self.units, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = (
            self.add_weight(
                "bias",
                self._bias_shape(),
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )
        self.built = True

    # -- the step, twice ----------------------------------------------------------------------
    def step_function(self) -> Callable:
        """`step(x_kernel, states, recurrent_kernel, bias) -> (output, new_states)` on arrays,
        where `x_kernel` is the step's input already multiplied by `kernel` (RNN does that for
        every timestep at once)."""
        raise NotImplementedError

    def call(self, inputs: Any, states: Any, training: Any = None) -> tuple:
        """One step on Tensors: `(output, new_states)` (states as a list, as Keras)."""
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        step = self.step_function()

        def pure(x, kernel, recurrent_kernel, bias, *state_values):
            out, new = step(jnp.matmul(x, kernel), list(state_values), recurrent_kernel, bias)
            return (out, *new)

        pure.tf_op_name = type(self).__name__
        outs = dispatch(pure, inputs, self.kernel, self.recurrent_kernel, self.bias, *states)
        return outs[0], list(outs[1:])

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None, dtype: Any = None) -> list:
        """Zero states for `batch_size` rows (or the rows of `inputs`)."""
        if batch_size is None:
            batch_size = inputs.shape[0]
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [Tensor(jnp.zeros((int(batch_size), n), "float32")) for n in sizes]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            units=self.units,
            activation=activations.serialize(self.activation),
            recurrent_activation=activations.serialize(self.recurrent_activation),
            use_bias=self.use_bias,
            dropout=self.dropout,
            recurrent_dropout=self.recurrent_dropout,
            kernel_initializer=serialize_initializer(self.kernel_initializer),
            recurrent_initializer=serialize_initializer(self.recurrent_initializer),
            bias_initializer=serialize_initializer(self.bias_initializer),
            kernel_regularizer=serialize_regularizer(self.kernel_regularizer),
            recurrent_regularizer=serialize_regularizer(self.recurrent_regularizer),
            bias_regularizer=serialize_regularizer(self.bias_regularizer),
            kernel_constraint=self.kernel_constraint,
            recurrent_constraint=self.recurrent_constraint,
            bias_constraint=self.bias_constraint,
        )
        return config


class SimpleRNNCell(_RecurrentCell):
    """`tf.keras.layers.SimpleRNNCell`: `h = activation(x @ kernel + h @ recurrent_kernel + bias)`."""

    def __init__(self, units: int, activation: Any = "tanh", **kwargs: Any):
        super().__init__(units, activation=activation, recurrent_activation="sigmoid", **kwargs)

    def step_function(self) -> Callable:
        act = pure_activation(self.activation)

        def step(xk, states, recurrent_kernel, bias):
            z = xk if bias is None else xk + bias
            h = act(z + jnp.matmul(states[0], recurrent_kernel))
            return h, [h]

        return step

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("recurrent_activation")
        return config


class LSTMCell(_RecurrentCell):
    """`tf.keras.layers.LSTMCell`: gates `i, f, c, o` from `x @ kernel + h @ recurrent_kernel + bias`;
    `c = f * c + i * activation(c_gate)`, `h = o * activation(c)`. States `[h, c]`."""

    gates = 4

    def __init__(self, units: int, unit_forget_bias: bool = True, **kwargs: Any):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self) -> list:
        return [self.units, self.units]

    def _bias_initializer(self) -> Any:
        if self.unit_forget_bias:
            return _ForgetBiasInitializer(self.bias_initializer, self.units)
        return self.bias_initializer

    def step_function(self) -> Callable:
        act = pure_activation(self.activation)
        gate = pure_activation(self.recurrent_activation)

        def step(xk, states, recurrent_kernel, bias):
            h, c = states
            z = xk + jnp.matmul(h, recurrent_kernel)  # TF's order: dot, dot, then the bias
            if bias is not None:
                z = z + bias
            zi, zf, zc, zo = jnp.split(z, 4, axis=-1)
            i, f, o = gate(zi), gate(zf), gate(zo)
            c = f * c + i * act(zc)
            h = o * act(c)
            return h, [h, c]

        return step

    def get_config(self) -> dict:
        config = super().get_config()
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


class GRUCell(_RecurrentCell):
    """`tf.keras.layers.GRUCell`: gates `z, r, h`; `h = z * h + (1 - z) * activation(h_gate)`.

    With `reset_after=True` (Keras 2's default) the reset gate multiplies `h @ recurrent_kernel`
    and the bias has shape `(2, 3 * units)` (input and recurrent biases); otherwise it multiplies
    `h` before the product and the bias is `(3 * units,)`.
    """

    gates = 3

    def __init__(self, units: int, reset_after: bool = True, **kwargs: Any):
        super().__init__(units, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def step_function(self) -> Callable:
        act = pure_activation(self.activation)
        gate = pure_activation(self.recurrent_activation)
        units = self.units
        reset_after = self.reset_after

        def step(xk, states, recurrent_kernel, bias):
            h = states[0]
            if bias is not None:
                xk = xk + (bias[0] if reset_after else bias)
            x_z, x_r, x_h = jnp.split(xk, 3, axis=-1)
            if reset_after:
                inner = jnp.matmul(h, recurrent_kernel)
                if bias is not None:
                    inner = inner + bias[1]
                r_z, r_r, r_h = jnp.split(inner, 3, axis=-1)
                z = gate(x_z + r_z)
                r = gate(x_r + r_r)
                hh = act(x_h + r * r_h)
            else:
                inner = jnp.matmul(h, recurrent_kernel[:, : 2 * units])
                r_z, r_r = jnp.split(inner, 2, axis=-1)
                z = gate(x_z + r_z)
                r = gate(x_r + r_r)
                hh = act(x_h + jnp.matmul(r * h, recurrent_kernel[:, 2 * units :]))
            new = z * h + (1 - z) * hh
            return new, [new]

        return step

    def get_config(self) -> dict:
        config = super().get_config()
        config["reset_after"] = self.reset_after
        return config
