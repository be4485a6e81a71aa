"""Parity case `functional_summary`: `model.summary()` text, line by line, for Sequential,
Functional (with a "Connected to" column), subclassed and nested models, with
`expand_nested`, `show_trainable` and `line_length`, and the error for an unbuilt model.
Same contract as `parity_tests/cases.py`."""

from __future__ import annotations

from typing import Any

from parity_tests.cases import Reference, add_error_contract


def _summary_lines(model: Any, **kwargs: Any) -> list[str]:
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line), **kwargs)
    return lines


def case_functional_summary(tf: Any) -> dict[str, Any]:
    """Summaries of several model kinds (printed lines compared exactly)."""
    tf.keras.backend.clear_session()
    layers = tf.keras.layers
    out: dict[str, Any] = {}
    seq = tf.keras.Sequential(
        [layers.Dense(4, input_shape=(3,)), layers.Dropout(0.1), layers.BatchNormalization(), layers.Dense(1)]
    )
    out["sequential"] = _summary_lines(seq)
    out["sequential_trainable_80"] = _summary_lines(seq, show_trainable=True, line_length=80)
    a = tf.keras.Input((3,), name="a")
    b = tf.keras.Input((3,), name="b")
    shared = layers.Dense(4, name="shared")
    joined = tf.concat([shared(a), shared(b)], axis=-1)
    inner = tf.keras.Sequential([layers.Dense(2, name="inner_dense")], name="inner")
    model = tf.keras.Model([a, b], [layers.Dense(1, name="head")(joined), inner(joined)], name="two")
    out["functional"] = _summary_lines(model)
    out["functional_expanded"] = _summary_lines(model, expand_nested=True, show_trainable=True)
    chain_in = tf.keras.Input((5,), name="chain_in")
    chain = tf.keras.Model(chain_in, layers.Dense(2, name="chain_dense")(chain_in * 2.0), name="chain")
    out["functional_chain"] = _summary_lines(chain)

    class Sub(tf.keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.dense = layers.Dense(2, name="sub_dense")
            self.frozen = layers.Dense(3, name="frozen", trainable=False)

        def call(self, inputs):
            return self.frozen(self.dense(inputs))

    sub = Sub()
    sub(tf.ones((1, 3)))
    out["subclassed"] = _summary_lines(sub)
    unbuilt = tf.keras.Sequential([layers.Dense(2)], name="unbuilt")
    add_error_contract(
        out,
        tf,
        "summary_unbuilt",
        lambda: unbuilt.summary(),
        phrases=("This model has not yet been built", "calling `build()`"),
    )
    return out


REFERENCES: dict[str, Reference] = {"functional_summary": Reference("functional_summary")}
