"""How a batch reaches `train_step`/`test_step`/`predict_step` (Keras's data_adapter):
`data` is `x`, `(x, y)` or `(x, y, sample_weight)`; `tf.keras.utils` re-exports these."""

from __future__ import annotations

from typing import Any

__all__ = ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"]


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The `data` a `train_step` receives: `x` alone (a tuple `(x,)` if `x` is nested),
    `(x, y)`, or `(x, y, sample_weight)`."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple, dict)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data: Any) -> tuple:
    """`(x, y, sample_weight)` from a `train_step`'s `data`, None for what is absent.

    Raises:
      ValueError: a tuple of more than 3 elements.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return data
    raise ValueError(
        f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, found: {data}"
    )
