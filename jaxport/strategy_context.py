"""Where code runs under `tf.distribute`: the current strategy, replica contexts, the default strategy.

TF keeps one thread-local stack of strategy scopes. Outside every scope the *default
strategy* is current: one replica, `run` calls the function directly, and code runs in its
*default replica context* (replica 0 of 1, `in_cross_replica_context()` is False). Inside
`strategy.scope()` code runs in the cross-replica context (`get_replica_context()` is None);
inside `strategy.run` each replica sees a `ReplicaContext` whose collectives (`all_reduce`)
are `lax.psum`/`lax.pmean` over the mesh axis `AXIS` of the replicas' `shard_map`.

This module is the one place that state lives; `parallel.py` (the strategies), Keras layers
(BatchNormalization's synchronized moments) and `tf.nn.compute_average_loss` read it.
"""

from __future__ import annotations

import enum
import threading
from typing import Any, Callable

import jax
import jax.numpy as jnp

from jaxport.context import state as _state
from jaxport.eager import Tensor, convert_to_tensor, dispatch

AXIS = "replica"  # the mesh axis the replicas of a strategy map onto


class ReduceOp(enum.Enum):
    """`tf.distribute.ReduceOp`: how per-replica values combine (`ReduceOp('MAX')` raises
    TF's ValueError "'MAX' is not a valid ReduceOp")."""

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation: Any) -> ReduceOp:
        """The reduce op of a Variable aggregation ('sum' -> SUM, 'mean' -> MEAN)."""
        name = str(getattr(aggregation, "value", aggregation)).upper().split(".")[-1]
        if name not in ("SUM", "MEAN"):
            raise ValueError(
                f"Could not convert from `tf.VariableAggregation` {aggregation} to `tf.distribute.ReduceOp` type"
            )
        return ReduceOp(name)


def as_reduce_op(reduce_op: Any) -> ReduceOp:
    """A `ReduceOp` from a ReduceOp or its name ('SUM', 'mean'), as TF reads it (upper-cased)."""
    if isinstance(reduce_op, ReduceOp):
        return reduce_op
    if isinstance(reduce_op, str):
        return ReduceOp(reduce_op.upper())
    return ReduceOp(reduce_op)


# -- collectives -------------------------------------------------------------------------------


def _all_reduce_pure(x, op):
    return jax.lax.psum(x, AXIS) if op == "SUM" else jax.lax.pmean(x, AXIS)


_all_reduce_pure.tf_op_name = "CollectiveReduceV2"


class ReplicaContext:
    """`tf.distribute.ReplicaContext`: what code inside `strategy.run` sees of its replica.

    Args:
      strategy: the strategy running the replicas.
      replica_id: this replica's index (a tracer under `shard_map`, or an int).
      collective: whether the replicas run together under `shard_map` (collectives work);
        False when `fit` runs an uneven split replica by replica.
    """

    def __init__(self, strategy: Any, replica_id: Any, collective: bool = True):
        self._strategy = strategy
        self.replica_id_raw = replica_id
        self.collective = collective

    @property
    def strategy(self) -> Any:
        """The strategy these replicas belong to."""
        return self._strategy

    @property
    def num_replicas_in_sync(self) -> int:
        """How many replicas run the same function at once."""
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self) -> Tensor:
        """This replica's index, an int32 scalar Tensor (0 .. num_replicas_in_sync - 1)."""
        return Tensor(jnp.asarray(self.replica_id_raw, jnp.int32))

    def all_reduce(self, reduce_op: Any, value: Any, options: Any = None) -> Any:
        """SUM or MEAN of `value` (a Tensor or a nest of them) over all replicas; every
        replica gets the result. Recorded on tapes (`lax.psum`'s transpose is a psum)."""
        op = as_reduce_op(reduce_op).value
        if self.num_replicas_in_sync == 1:
            return jax.tree.map(_as_tensor, value, is_leaf=_is_tensor)
        if not self.collective:
            raise NotImplementedError(
                "all_reduce needs the replicas to run together; this step runs an uneven batch split "
                "replica by replica (use batches divisible by the number of replicas)."
            )
        return jax.tree.map(lambda t: dispatch(_all_reduce_pure, _as_tensor(t), op=op), value, is_leaf=_is_tensor)

    def merge_call(self, merge_fn: Callable, args: tuple = (), kwargs: dict | None = None) -> Any:
        """Call `merge_fn(strategy, *args, **kwargs)` in the cross-replica context."""
        return merge_fn(self._strategy, *args, **(kwargs or {}))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} replica {self.replica_id_raw} of {self.num_replicas_in_sync}>"


def _is_tensor(x: Any) -> bool:
    from jaxport.variables import Variable

    return isinstance(x, (Tensor, Variable))


def _as_tensor(x: Any) -> Tensor:
    return convert_to_tensor(x)


# -- the strategy stack ------------------------------------------------------------------------


class _StrategyState(threading.local):
    def __init__(self) -> None:
        self.strategy: Any = None  # the strategy whose scope is active (None: the default one)
        self.depth = 0  # nesting of that strategy's scopes


_strategy_state = _StrategyState()
_created_in: dict[int, Any] = {}  # id(Variable) -> the strategy whose scope created it


def current_strategy() -> Any:
    """The strategy whose `scope()` is active, or None (the default strategy is current)."""
    return _strategy_state.strategy


def note_variable_created(variable: Any) -> None:
    """Remember the strategy whose scope a new Variable was created in (for compile's check).

    Keyed by id (Variables take no weak references): every new Variable overwrites or clears
    its id's entry, so an id reused after a Variable died never reports the old strategy."""
    strategy = _strategy_state.strategy
    if strategy is not None:
        _created_in[id(variable)] = strategy
    elif _created_in:
        _created_in.pop(id(variable), None)


def variable_strategy(variable: Any) -> Any:
    """The strategy a Variable was created under (None: outside every strategy scope)."""
    return _created_in.get(id(variable))


class StrategyScope:
    """The context manager `strategy.scope()` returns: makes `strategy` current.

    Raises:
      RuntimeError: entering it inside the scope of a different strategy (TF's "Mixing
        different tf.distribute.Strategy objects").
    """

    def __init__(self, strategy: Any):
        self._strategy = strategy

    def __enter__(self) -> Any:
        state = _strategy_state
        if self._strategy is _DEFAULT:
            return _DEFAULT  # the default strategy's scope changes nothing
        if state.strategy is not None and state.strategy is not self._strategy:
            raise RuntimeError(
                f"Mixing different tf.distribute.Strategy objects: {self._strategy} is not {state.strategy}"
            )
        state.strategy = self._strategy
        state.depth += 1
        return self._strategy

    def __exit__(self, *exc: Any) -> None:
        state = _strategy_state
        if self._strategy is _DEFAULT:
            return
        state.depth -= 1
        if state.depth == 0:
            state.strategy = None


def get_strategy() -> Any:
    """`tf.distribute.get_strategy`: the strategy whose scope is active, else the default strategy."""
    return _strategy_state.strategy or _DEFAULT


def has_strategy() -> bool:
    """`tf.distribute.has_strategy`: whether a (non-default) strategy's scope is active."""
    return _strategy_state.strategy is not None


def get_replica_context() -> ReplicaContext | None:
    """`tf.distribute.get_replica_context`: the replica's context inside `strategy.run`; None in
    a strategy's cross-replica context (its scope, outside `run`); else the default strategy's
    replica context (replica 0 of 1)."""
    if _state.replica is not None:
        return _state.replica
    if _strategy_state.strategy is not None:
        return None
    return _DEFAULT_REPLICA


def in_cross_replica_context() -> bool:
    """`tf.distribute.in_cross_replica_context`: True inside a strategy's scope but outside its
    `run`; False inside `run` and outside every scope (the default replica context)."""
    return _state.replica is None and _strategy_state.strategy is not None


def get_cross_replica_context() -> Any:
    """`tf.distribute.get_cross_replica_context`: the current strategy outside `run`, else None."""
    if _state.replica is not None:
        return None
    return get_strategy()


# -- the default strategy ----------------------------------------------------------------------


class InputContext:
    """`tf.distribute.InputContext`: what a `distribute_datasets_from_function` input function
    is told about its input pipeline."""

    def __init__(self, num_input_pipelines: int = 1, input_pipeline_id: int = 0, num_replicas_in_sync: int = 1):
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """The per-replica batch of a global batch (TF's ValueError when it does not divide)."""
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by `num_replicas_in_sync` "
                f"{self.num_replicas_in_sync}"
            )
        return global_batch_size // self.num_replicas_in_sync


class _DefaultExtended:
    """`strategy.extended` of the default strategy."""

    def __init__(self, strategy: Any):
        self._container_strategy = strategy

    def variable_created_in_scope(self, v: Any) -> bool:
        """The default strategy owns the Variables created outside every strategy scope."""
        return variable_strategy(v) is None

    @property
    def worker_devices(self) -> tuple:
        """Refused, as TF refuses it for the default strategy (RuntimeError)."""
        raise RuntimeError("worker_devices() method unsupported by default tf.distribute.Strategy.")

    @property
    def parameter_devices(self) -> tuple:
        """Refused, as TF refuses it for the default strategy (RuntimeError)."""
        raise RuntimeError("parameter_devices() method unsupported by default tf.distribute.Strategy.")


def _reduce_local(op: ReduceOp, value: Any, axis: int | None) -> Any:
    """SUM/MEAN of one replica's value over `axis` (None: the value unchanged)."""
    if axis is None:
        return value
    from jaxport.ops import reduction_ops

    t = _as_tensor(value)
    if op is ReduceOp.SUM:
        return reduction_ops.reduce_sum(t, axis=axis)
    return reduction_ops.reduce_mean(t, axis=axis)


class DefaultStrategy:
    """TF's default strategy: what `tf.distribute.get_strategy()` returns outside every scope.

    One replica on the default device: `run(fn)` calls `fn` directly, `reduce` reduces only
    over `axis`, datasets are iterated as they are.
    """

    def __init__(self) -> None:
        self.extended = _DefaultExtended(self)

    @property
    def num_replicas_in_sync(self) -> int:
        """1: the default strategy runs one replica."""
        return 1

    @property
    def cluster_resolver(self) -> None:
        """None: no cluster."""
        return None

    def scope(self) -> StrategyScope:
        """A scope that changes nothing (the default strategy stays current)."""
        return StrategyScope(self)

    def run(self, fn: Callable, args: Any = (), kwargs: dict | None = None, options: Any = None) -> Any:
        """`fn(*args, **kwargs)`, called directly (in the default replica context)."""
        args, kwargs = check_run_arguments(args, kwargs)
        return fn(*args, **kwargs)

    def reduce(self, reduce_op: Any, value: Any, axis: int | None) -> Any:
        """The one replica's value, reduced over `axis` when given (`value` itself for None)."""
        op = as_reduce_op(reduce_op)
        return jax.tree.map(lambda v: _reduce_local(op, v, axis), value, is_leaf=_is_tensor)

    def gather(self, value: Any, axis: int) -> Any:
        """The one replica's value (gathering one replica concatenates nothing)."""
        return jax.tree.map(_as_tensor, value, is_leaf=_is_tensor)

    def experimental_local_results(self, value: Any) -> tuple:
        """`(value,)`: the one replica's result."""
        return (value,)

    def experimental_distribute_dataset(self, dataset: Any, options: Any = None) -> Any:
        """The dataset itself: its batches go to the one replica."""
        return dataset

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None) -> Any:
        """`dataset_fn(InputContext())`: one input pipeline for one replica."""
        return dataset_fn(InputContext())

    def experimental_distribute_values_from_function(self, value_fn: Callable) -> Any:
        """`value_fn` called with the (only) replica's context."""
        return value_fn(_ValueContext())

    def __repr__(self) -> str:
        return "<_DefaultDistributionStrategy>"


class _ValueContext:
    replica_id_in_sync_group = 0
    num_replicas_in_sync = 1


def check_run_arguments(args: Any, kwargs: Any) -> tuple[tuple, dict]:
    """`strategy.run`'s argument check: positional `args` a list or tuple (TF's ValueError)."""
    if args is None:
        args = ()
    if not isinstance(args, (list, tuple)):
        raise ValueError(f"positional args must be a list or tuple, got {type(args)}")
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, dict):
        raise ValueError(f"keyword args must be a dict, got {type(kwargs)}")
    return tuple(args), kwargs


class _DefaultReplicaContext(ReplicaContext):
    """The default strategy's replica context: replica 0 of 1 (its id is a Python int, as TF's)."""

    @property
    def replica_id_in_sync_group(self) -> int:
        return 0


_DEFAULT = DefaultStrategy()
_DEFAULT_REPLICA = _DefaultReplicaContext(_DEFAULT, 0, collective=True)


def default_strategy() -> DefaultStrategy:
    """The default strategy (one per process, as TF's)."""
    return _DEFAULT
