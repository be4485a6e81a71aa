"""`tf.TensorShape`: a static shape whose rank or dimensions may be unknown (None).

TF2's behaviour: dimensions read back as Python ints or None (`shape[0]`, `as_list()`),
`==` compares with lists and tuples, and a fully defined shape converts to an int32
Tensor (`tf.reduce_prod(kernel.shape)`, `tf.zeros(x.shape)`; see `eager.to_raw`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from jax.export import is_symbolic_dim as _is_symbolic_dim

__all__ = ["TensorShape", "static_dim"]


def static_dim(dim: Any) -> int | None:
    """One dimension as TF reads it: an int, or None when unknown (None, or a symbolic size
    of a `function` traced for an `input_signature` with None dims).

    Raises:
      TypeError: a value that is neither an integer, None, nor has `__index__` (e.g. 1.5).
      ValueError: a negative size.
    """
    if dim is None or _is_symbolic_dim(dim):
        return None
    if type(dim) is int:
        value = dim
    elif isinstance(dim, (bool, float, np.floating, str, bytes)) or not hasattr(dim, "__index__"):
        value = getattr(dim, "value", dim)  # a TF-style Dimension object
        if value is None:
            return None
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(
                "Dimension value must be integer or None or have an __index__ method, got value "
                f"'{dim!r}' with type '{type(dim)}'"
            )
        value = int(value)
    else:
        value = int(dim.__index__())
    if value < 0:
        raise ValueError(f"Dimension {value} must be >= 0")
    return value


def _dims_of(dims: Any) -> tuple | None:
    if dims is None:
        return None
    if isinstance(dims, TensorShape):
        return dims._dims
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        return (static_dim(dims),)
    try:
        items = list(dims)
    except TypeError:
        raise TypeError(
            f"Failed to convert '{dims!r}' to a shape: A shape should either be single dimension (e.g. 10), "
            "or an iterable of dimensions (e.g. [1, 10, None])."
        ) from None
    out = []
    for d in items:
        try:
            out.append(static_dim(d))
        except TypeError:
            if isinstance(dims, str):
                raise TypeError(
                    f"Failed to convert '{dims!r}' to a shape: '{d!r}'could not be converted to a dimension. A shape "
                    "should either be single dimension (e.g. 10), or an iterable of dimensions (e.g. [1, 10, None])."
                ) from None
            raise
    return tuple(out)


class TensorShape:
    """`tf.TensorShape`: a static shape; dims are ints or None, the rank may be unknown.

    Args:
      dims: an iterable of ints / None (numpy ints, objects with `__index__`), a single int,
        another TensorShape, or None for an unknown rank.

    Raises:
      TypeError: a dimension that is not an integer or None (`TensorShape([1.5])`).
      ValueError: a negative dimension.
    """

    __slots__ = ("_dims",)

    def __init__(self, dims: Any):
        self._dims = _dims_of(dims)

    # -- reading ------------------------------------------------------------------------
    @property
    def rank(self) -> int | None:
        """The number of dimensions, or None when unknown."""
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self) -> list | None:
        """The dimensions as a list of ints / None (TF gives `Dimension` objects that compare equal)."""
        return None if self._dims is None else list(self._dims)

    def as_list(self) -> list:
        """The dimensions as a list of ints / None.

        Raises:
          ValueError: the rank is unknown.
        """
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self) -> bool:
        """Whether the rank and every dimension are known."""
        return self._dims is not None and None not in self._dims

    def num_elements(self) -> int | None:
        """The product of the dimensions, or None unless fully defined."""
        if not self.is_fully_defined():
            return None
        return int(np.prod(self._dims, dtype=np.int64))

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key: Any) -> Any:
        if self._dims is not None:
            if isinstance(key, slice):
                return TensorShape(self._dims[key])
            return self._dims[key]
        if isinstance(key, slice):  # an unknown shape: TF's rules for slicing it
            start = 0 if key.start is None else key.start
            if key.step is not None:
                raise ValueError("Steps are not yet handled")
            if key.stop is None or start < 0 or key.stop < 0:
                return TensorShape(None)
            return TensorShape([None] * (key.stop - start))
        return None

    # -- comparing and combining --------------------------------------------------------
    def __eq__(self, other: Any) -> bool:
        try:
            other = TensorShape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other: Any) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._dims)

    def is_compatible_with(self, other: Any) -> bool:
        """Whether some fully defined shape matches both (unknown dims match any size)."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ValueError unless `is_compatible_with(other)`."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def merge_with(self, other: Any) -> TensorShape:
        """The shape with every dimension known in either (TF's `merge_with`).

        Raises:
          ValueError: the shapes are not compatible.
        """
        other = TensorShape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def most_specific_compatible_shape(self, other: Any) -> TensorShape:
        """The most specific shape compatible with both: dims that differ become None."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape([a if a == b else None for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other: Any) -> TensorShape:
        """The dims of `self` then `other`; unknown when either rank is unknown."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def __add__(self, other: Any) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other: Any) -> TensorShape:
        return TensorShape(other).concatenate(self)

    # -- rank checks --------------------------------------------------------------------
    def assert_same_rank(self, other: Any) -> None:
        """Raises ValueError when both ranks are known and differ."""
        other = TensorShape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def assert_has_rank(self, rank: int) -> None:
        """Raises ValueError when the rank is known and is not `rank`."""
        if self.rank not in (None, rank):
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_is_fully_defined(self) -> None:
        """Raises ValueError unless every dimension is known."""
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def with_rank(self, rank: int) -> TensorShape:
        """This shape with rank `rank` (an unknown shape gets `rank` unknown dims).

        Raises:
          ValueError: a known rank other than `rank`.
        """
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        """This shape; ValueError when its known rank is below `rank`."""
        if self.rank is not None and self.rank < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        """This shape; ValueError when its known rank is above `rank`."""
        if self.rank is not None and self.rank > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    # -- text ---------------------------------------------------------------------------
    def __repr__(self) -> str:
        return "TensorShape(None)" if self._dims is None else f"TensorShape({list(self._dims)})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __reduce__(self):
        return TensorShape, (self.dims,)
