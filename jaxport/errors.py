"""`tf.errors`: TensorFlow's runtime error classes.

TF raises these from failing ops (shape mismatch in `matmul`, `int32 + float32`, a bad
axis, an index out of range). Like TF's, `OpError` derives from `Exception` only, so
`except ValueError` does not catch an `InvalidArgumentError`.
"""

from __future__ import annotations

__all__ = [
    "OpError",
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "DeadlineExceededError",
    "NotFoundError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "UnimplementedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
    "UnauthenticatedError",
]


class OpError(Exception):
    """The base class of TF runtime errors: an op failed to execute.

    Args:
      node_def: unused (kept for TF's signature).
      op: unused (kept for TF's signature).
      message: what went wrong.
      *args: TF passes the error code last; ignored.
    """

    error_code = 2

    def __init__(self, node_def=None, op=None, message: str = "", *args):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self) -> str:
        return self.message


def _subclass(name: str, code: int, doc: str) -> type[OpError]:
    cls = type(name, (OpError,), {"__doc__": doc, "error_code": code})
    cls.__module__ = __name__
    return cls


CancelledError = _subclass("CancelledError", 1, "An operation was cancelled.")
UnknownError = _subclass("UnknownError", 2, "An unknown error.")
InvalidArgumentError = _subclass(
    "InvalidArgumentError", 3, "An op received an argument it cannot use (shape, dtype, value)."
)
DeadlineExceededError = _subclass("DeadlineExceededError", 4, "A deadline expired.")
NotFoundError = _subclass("NotFoundError", 5, "A requested entity was not found.")
AlreadyExistsError = _subclass("AlreadyExistsError", 6, "An entity already exists.")
PermissionDeniedError = _subclass("PermissionDeniedError", 7, "Permission denied.")
ResourceExhaustedError = _subclass("ResourceExhaustedError", 8, "A resource was exhausted.")
FailedPreconditionError = _subclass("FailedPreconditionError", 9, "The system is not in a state to run the op.")
AbortedError = _subclass("AbortedError", 10, "An operation was aborted.")
OutOfRangeError = _subclass("OutOfRangeError", 11, "An op iterated past the valid range.")
UnimplementedError = _subclass("UnimplementedError", 12, "The op is not implemented.")
InternalError = _subclass("InternalError", 13, "An internal invariant was broken.")
UnavailableError = _subclass("UnavailableError", 14, "The runtime is unavailable.")
DataLossError = _subclass("DataLossError", 15, "Unrecoverable data loss.")
UnauthenticatedError = _subclass("UnauthenticatedError", 16, "Not authenticated.")


class OperatorNotAllowedInGraphError(TypeError):
    """A Python operation on a symbolic Tensor inside `tf.function` that only eager Tensors
    allow (`bool(t)`, iterating it) where AutoGraph cannot stage it."""


_RUN_TIME_MESSAGES = ("is not in [0,", "does not index into", "Received a label value", "expected bool while building")


def as_graph_construction_error(exc: OpError) -> Exception:
    """The error TF raises for an op failure while it builds a `tf.function`'s graph: its
    static checks raise TypeError (a dtype not accepted) or ValueError (shapes), where the
    same op raises InvalidArgumentError eagerly. Failures TF only finds when the graph runs
    (an index out of range, a label outside the classes) stay InvalidArgumentError."""
    message = exc.message if hasattr(exc, "message") else str(exc)
    if not isinstance(exc, InvalidArgumentError) or any(m in message for m in _RUN_TIME_MESSAGES):
        return exc
    wrong_dtype = "expected to be a" in message and "tensor but is a" in message
    if wrong_dtype or "not in the list of allowed values" in message:
        return TypeError(message)
    return ValueError(_shape_function_message(message))


def _dims_of(text: str) -> list[int]:
    return [int(d) for d in text.replace(" ", "").split(",") if d]


def _shape_function_message(message: str) -> str:
    """TF's graph-construction text for the shape mismatches its shape functions catch
    ("Dimensions must be equal, but are 2 and 3 for '{{node AddV2}} = AddV2(...)' with input
    shapes: [2], [3]."), from the eager op's message; other messages are kept."""
    import re

    op = re.search(r"\[Op:(\w+)\]", message)
    name = op.group(1) if op else "op"
    pair = re.match(r"Incompatible shapes: \[([\d, ]*)\] vs\. \[([\d, ]*)\]", message)
    if pair:
        a, b = _dims_of(pair.group(1)), _dims_of(pair.group(2))
        for x, y in zip(reversed(a), reversed(b)):
            if x != y and x != 1 and y != 1:
                shapes = f"[{','.join(map(str, a))}], [{','.join(map(str, b))}]"
                return (
                    f"Dimensions must be equal, but are {x} and {y} for '{{{{node {name}}}}} = {name}(x, y)' "
                    f"with input shapes: {shapes}."
                )
    pair = re.match(r"Matrix size-incompatible: In\[0\]: \[([\d, ]*)\], In\[1\]: \[([\d, ]*)\]", message)
    if pair:
        a, b = _dims_of(pair.group(1)), _dims_of(pair.group(2))
        if len(a) >= 2 and len(b) >= 2:
            shapes = f"[{','.join(map(str, a))}], [{','.join(map(str, b))}]"
            return (
                f"Dimensions must be equal, but are {a[-1]} and {b[-2]} for '{{{{node {name}}}}} = {name}(a, b)' "
                f"with input shapes: {shapes}."
            )
    return message
