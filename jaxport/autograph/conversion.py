"""AutoGraph: Python `if`/`while`/`for` on Tensors inside `tf.function`, as TF converts them.

The source-to-source conversion is TF's own AutoGraph converter in its TF-free fork
`diastatic-malt` (import name `malt`): it rewrites a function's statements into calls of
`ag__.if_stmt`, `ag__.while_stmt`, `ag__.for_stmt`, ... with the branch/loop bodies as
closures and explicit `get_state`/`set_state` for the variables they modify, and every call
into `ag__.converted_call` (so called user functions are converted too). malt ships those
operators as plain-Python stubs; `jaxport.autograph.operators` supplies jaxport's: when the
condition or the iterable is a traced Tensor they stage `jaxport.autograph.staging` (lax.switch /
lax.while_loop / lax.scan, with Variables carried), otherwise they run plain Python, with
TF's checks and error messages.

`convert(fn)` is what `tf.function` stores: it runs `fn` itself when nothing is being traced
(TF eager semantics) and its converted form (converted once, cached by malt) while traced.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import logging
import types
from typing import Any, Callable

from malt.core import ag_ctx, converter
from malt.impl import api as _malt_api
from malt.impl import conversion as _malt_conversion
from malt.pyct import inspect_utils

from jaxport.autograph.operators import BUILTINS, OPERATORS, is_tf_range, tf_range_in_converted_code
from jaxport.context import state as _state

__all__ = ["convert", "converted_call", "do_not_convert", "to_code", "experimental"]

_log = logging.getLogger("jaxport.autograph")

# Modules whose functions run as they are (jaxport's own ops do their own staging).
_DO_NOT_CONVERT = ("jaxport", "jax", "jaxlib", "numpy", "flax", "optax", "chex", "malt", "builtins", "functools")


# -- conversion ---------------------------------------------------------------------------------


class _Transpiler(_malt_api.PyToPy):
    """malt's AutoGraph transpiler with jaxport's operators in the generated code's `ag__`."""

    def get_extra_locals(self) -> dict:
        if self._extra_locals is None:
            base = super().get_extra_locals()["ag__"]
            module = types.ModuleType("jaxport_ag__")
            module.__dict__.update(base.__dict__)
            module.__dict__.update({**OPERATORS, "converted_call": converted_call})
            self._extra_locals = {"ag__": module}
        return self._extra_locals


_TRANSPILER = _Transpiler()


def _module_name(f: Any) -> str:
    module = inspect.getmodule(f)
    return getattr(module, "__name__", "") or ""


def _skipped(f: Any) -> bool:
    if isinstance(f, AutographFunction):
        return False
    target = f.__func__ if inspect.ismethod(f) else f
    if not (inspect.isfunction(target) or inspect.ismethod(f)):
        target = type(f).__call__ if callable(f) and not inspect.isclass(f) else f
    name = _module_name(target)
    if name.split(".")[0] in _DO_NOT_CONVERT:
        return True
    if _malt_conversion.is_unsupported(f) or _malt_conversion.is_allowlisted(f):
        return True
    code = getattr(target, "__code__", None)
    return code is None or inspect.isgeneratorfunction(target) or code.co_filename == "<string>"


def converted_call(f: Any, args: tuple, kwargs: dict | None, caller_fn_scope: Any = None, options: Any = None) -> Any:
    """Call `f` from converted code: user functions are converted first, TF builtins that
    AutoGraph overloads (`range`, `len`, `int`, ...) get their Tensor versions."""
    kwargs = kwargs or {}
    if options is None:
        options = caller_fn_scope.callopts if caller_fn_scope is not None else _OPTIONS
    if isinstance(f, functools.partial):
        return converted_call(f.func, f.args + tuple(args), {**(f.keywords or {}), **kwargs}, caller_fn_scope, options)
    if isinstance(f, AutographFunction):
        f = f.__wrapped__
    if is_tf_range(f):
        return tf_range_in_converted_code(f, *args, **kwargs)
    overload = BUILTINS.get(getattr(f, "__name__", None))
    if overload is not None and f is getattr(builtins, f.__name__, None):
        return overload(*args, **kwargs)
    if inspect_utils.isbuiltin(f):
        return _malt_api.converted_call(f, args, kwargs or None, caller_fn_scope, options)
    if ag_ctx.control_status_ctx().status == ag_ctx.Status.DISABLED or _malt_api.is_autograph_artifact(f):
        return f(*args, **kwargs)
    if _skipped(f) or not options.internal_convert_user_code or _unconvertible(f):
        return f(*args, **kwargs)
    if inspect.ismethod(f):
        target, call_args = f.__func__, (f.__self__,) + tuple(args)
    elif inspect.isfunction(f):
        target, call_args = f, tuple(args)
    else:
        target, call_args = type(f).__call__, (f,) + tuple(args)
    try:
        converted = _TRANSPILER.transform(target, converter.ProgramContext(options=options))[0]
    except Exception as exc:  # noqa: BLE001 - TF falls back to the unconverted function too
        _log.warning("AutoGraph could not transform %s and will run it as-is. Cause: %s", f, exc)
        _NOT_CONVERTIBLE.add(target)
        return f(*args, **kwargs)
    return converted(*call_args, **kwargs)


_NOT_CONVERTIBLE: set = set()


def _unconvertible(f: Any) -> bool:
    target = getattr(f, "__func__", f)
    try:
        return target in _NOT_CONVERTIBLE
    except TypeError:  # unhashable callable
        return False


_OPTIONS = converter.ConversionOptions(recursive=True, user_requested=True, optional_features=None)


class AutographFunction:
    """What `tf.function(autograph=True)` runs: `fn` itself when nothing is traced, its
    AutoGraph-converted form while a trace is in progress."""

    def __init__(self, fn: Callable):
        self.__wrapped__ = fn
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        fn = self.__wrapped__
        if _state.trace is None:
            return fn(*args, **kwargs)
        with ag_ctx.ControlStatusCtx(status=ag_ctx.Status.ENABLED, options=_OPTIONS):
            return converted_call(fn, args, kwargs, options=_OPTIONS)


def call_converted(fn: Callable, args: tuple, kwargs: dict) -> Any:
    """Call `fn` in its AutoGraph-converted form (used for a Keras layer's own `call` while a
    `function` is traced, as TF converts it too)."""
    with ag_ctx.ControlStatusCtx(status=ag_ctx.Status.ENABLED, options=_OPTIONS):
        return converted_call(fn, args, kwargs, options=_OPTIONS)


def convert(fn: Callable) -> Callable:
    """The callable `tf.function` traces: AutoGraph-converted on its first trace (see module doc)."""
    if isinstance(fn, AutographFunction):
        return fn
    return AutographFunction(fn)


def do_not_convert(func: Callable | None = None) -> Callable:
    """`tf.autograph.experimental.do_not_convert`: run `func` as written inside `tf.function`."""
    return _malt_api.do_not_convert(func)


def to_code(fn: Callable) -> str:
    """`tf.autograph.to_code`: the source AutoGraph generates for `fn`."""
    converted = _TRANSPILER.transform(fn, converter.ProgramContext(options=_OPTIONS))[0]
    return inspect.getsource(converted)


def set_loop_options(
    parallel_iterations: Any = None,
    swap_memory: Any = None,
    maximum_iterations: Any = None,
    shape_invariants: Any = None,
) -> None:
    """`tf.autograph.experimental.set_loop_options`: hints for the enclosing staged loop.
    Accepted and ignored: XLA loops have static shapes and no parallel-iteration setting."""


experimental = types.SimpleNamespace(do_not_convert=do_not_convert, set_loop_options=set_loop_options)
