"""`tf.distribute.MirroredStrategy`: synchronous data parallelism as SPMD over a device mesh.

A per-replica function runs under `jax.shard_map` over a 1-D mesh ('replica') of the local
devices: each replica gets its slice of the batch, Variables are replicated, and gradients
are all-reduced with `lax.psum` (Keras scales each replica's loss by 1/replicas, so the sum is
the global mean). Variables a replica writes are merged as TF aggregates them: moving
statistics (aggregation 'mean') by `lax.pmean`, metric totals ('sum') by summing the
replicas' increments, the rest (identical on every replica) kept as they are.

TF splits a global batch into ceil(batch/replicas) rows per replica in order (the last
non-empty replica takes the rest, later ones get none). When that is uneven, `fit` runs the
replicas one after another inside the same compiled step, with the same arithmetic.

The strategy stack, replica contexts and the default strategy live in `strategy_context.py`.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, PartitionSpec

from jaxport.context import TraceContext
from jaxport.context import state as _state
from jaxport.device import DeviceSpec, platform_devices, tf_device_name
from jaxport.eager import Tensor
from jaxport.strategy_context import (  # noqa: F401 - re-exported: parallel.py is the strategies' home
    AXIS,
    InputContext,
    ReduceOp,
    ReplicaContext,
    StrategyScope,
    as_reduce_op,
    check_run_arguments,
    current_strategy,
    default_strategy,
    get_replica_context,
    variable_strategy,
)
from jaxport.variables import Variable


def split_sizes(batch: int, replicas: int) -> list[int]:
    """TF's split of a global batch: ceil(batch/replicas) each, in order, the rest to the last."""
    per = -(-batch // replicas)
    sizes = []
    left = batch
    for _ in range(replicas):
        take = min(per, left)
        sizes.append(take)
        left -= take
    return sizes


def _merge_written(var: Variable, old: Any, new: Any, collective: bool, replica_values: list | None = None) -> Any:
    aggregation = var.aggregation
    if collective:
        if aggregation == "mean":
            return jax.lax.pmean(new, AXIS)
        if aggregation == "sum":
            return old + jax.lax.psum(new - old, AXIS)
        return new
    if aggregation == "mean":
        return sum(replica_values) / len(replica_values)
    if aggregation == "sum":
        return old + sum(v - old for v in replica_values)
    return replica_values[0]


def aggregate_gradients(grads: list, variables: list | None = None, step_counter: Any = None) -> list:
    """All-reduce gradients with SUM inside a collective replica context (Keras's default).

    Args:
      variables: the Variables the gradients update, and `step_counter` the optimizer's
        `iterations`: an optimizer created in a strategy's scope updates only that strategy's
        (mirrored) Variables.

    Raises:
      AssertionError: a Variable created outside the scope of the optimizer's strategy (TF's
        MirroredStrategy asserts it is a DistributedVariable).
    """
    owner = variable_strategy(step_counter) if step_counter is not None else None
    if owner is not None:
        for v in variables or ():
            if variable_strategy(v) is not owner:
                raise AssertionError(
                    f"The optimizer was created in the scope of {owner}, which updates only Variables created "
                    f"in that scope; Variable {v.name} was created outside it."
                )
    replica = _state.replica
    if replica is None or replica.num_replicas_in_sync == 1:
        return grads
    if not replica.collective:
        raise NotImplementedError(
            "apply_gradients inside an uneven replica split is not supported; "
            "use batches divisible by the number of replicas."
        )
    return [jax.lax.psum(g, AXIS) for g in grads]


class _MirroredExtended:
    """`strategy.extended` of a MirroredStrategy: devices and Variable ownership."""

    def __init__(self, strategy: MirroredStrategy):
        self._container_strategy = strategy

    @property
    def worker_devices(self) -> tuple[str, ...]:
        """The replicas' devices as TF's full names."""
        return self._container_strategy.worker_devices

    @property
    def parameter_devices(self) -> tuple[str, ...]:
        """Where mirrored Variables live: every replica's device."""
        return self._container_strategy.worker_devices

    def variable_created_in_scope(self, v: Any) -> bool:
        """Whether `v` was created inside this strategy's `scope()`."""
        return variable_strategy(v) is self._container_strategy


class MirroredStrategy:
    """`tf.distribute.MirroredStrategy`: one replica per local device, synchronous updates.

    Args:
      devices: device names ('/cpu:0', '/gpu:1', ...); default all local devices.
      cross_device_ops: accepted for TF compatibility (XLA chooses the all-reduce).
    """

    def __init__(self, devices: Any = None, cross_device_ops: Any = None):
        local = jax.local_devices()
        if devices is None:
            chosen = list(local)
        else:
            if isinstance(devices, str):
                devices = [devices]
            names = [str(d) for d in devices]
            full = tuple(_full_name(n) for n in names)
            if len(set(full)) != len(full):
                raise AssertionError(f"No duplicates allowed in `devices` argument: {full}")
            chosen = [_parse_device(name) for name in names]
        self._devices = chosen
        self._mesh = Mesh(np.array(chosen), (AXIS,))
        self.extended = _MirroredExtended(self)

    @property
    def num_replicas_in_sync(self) -> int:
        """The number of replicas: one per device."""
        return len(self._devices)

    @property
    def cluster_resolver(self) -> None:
        """None: a MirroredStrategy runs on one worker."""
        return None

    @property
    def worker_devices(self) -> tuple[str, ...]:
        """The replicas' devices as TF's full names."""
        return tuple(tf_device_name(d) for d in self._devices)

    @property
    def mesh(self) -> Mesh:
        """The JAX device mesh the replicas map onto (axis name 'replica')."""
        return self._mesh

    def scope(self) -> StrategyScope:
        """Models, optimizers and Variables created inside belong to this strategy.

        Raises:
          RuntimeError: entered inside another strategy's scope ("Mixing different
            tf.distribute.Strategy objects").
        """
        return StrategyScope(self)

    # -- running replicas -------------------------------------------------------------------------
    def run(self, fn: Callable, args: Any = (), kwargs: dict | None = None, options: Any = None) -> Any:
        """Run `fn` once per replica (SPMD): PerReplica arguments are split, others replicated.

        Returns PerReplica values (use `reduce` or `experimental_local_results`); each replica's
        part has the shape `fn` returned (a scalar stays a scalar).

        Raises:
          ValueError: `args` is not a list or tuple, or PerReplica parts of unequal shapes.
        """
        args, kwargs = check_run_arguments(args, kwargs)
        n = self.num_replicas_in_sync
        is_leaf = lambda x: isinstance(x, (Tensor, Variable, PerReplica))  # noqa: E731
        leaves, tree = jax.tree.flatten((args, kwargs), is_leaf=is_leaf)
        split_pos = [i for i, leaf in enumerate(leaves) if isinstance(leaf, PerReplica)]
        split_vals = [leaves[i]._stacked_for_run(n) for i in split_pos]
        outer = _state.trace
        box: dict[str, Any] = {}
        strategy = self

        def body(*local_values):
            rebuilt = list(leaves)
            for pos, value in zip(split_pos, local_values):
                rebuilt[pos] = Tensor(value[0])
            call_args, call_kwargs = jax.tree.unflatten(tree, rebuilt)
            child = TraceContext(parent=outer)
            saved = (_state.trace, _state.replica)
            _state.trace = child
            _state.replica = ReplicaContext(strategy, jax.lax.axis_index(AXIS), True)
            try:
                with StrategyScope(strategy):
                    out = fn(*call_args, **call_kwargs)
            finally:
                _state.trace, _state.replica = saved
            written = list(child.written.values())
            box["written"] = written
            merged = [_merge_written(v, _parent_value(outer, v), child.value_of(v), True) for v in written]
            out_raw = jax.tree.map(lambda t: _raw(t)[None], out, is_leaf=is_leaf)
            return out_raw, merged

        mapped = jax.shard_map(
            body,
            mesh=self._mesh,
            in_specs=tuple(PartitionSpec(AXIS) for _ in split_vals),
            out_specs=(PartitionSpec(AXIS), PartitionSpec()),
            check_vma=False,
        )
        out, merged = mapped(*split_vals)
        for var, value in zip(box["written"], merged):
            var._set_current_value(value)
        return jax.tree.map(PerReplica._from_stacked, out)

    def reduce(self, reduce_op: Any, value: Any, axis: int | None) -> Any:
        """Combine PerReplica values with SUM or MEAN (and over `axis` of each value, if given).

        A value that is not PerReplica counts as the same on every replica: MEAN returns it,
        SUM over an axis sums it on every replica (so replicas times its sum).

        Raises:
          ValueError: an unknown reduce op ("'MAX' is not a valid ReduceOp"), an axis out of
            range, or SUM over axis None of a non-distributed value (TF's message).
        """
        op = as_reduce_op(reduce_op)
        is_leaf = lambda x: isinstance(x, (Tensor, Variable, PerReplica))  # noqa: E731
        return jax.tree.map(lambda v: self._reduce_one(op, v, axis), value, is_leaf=is_leaf)

    def _reduce_one(self, op: ReduceOp, value: Any, axis: int | None) -> Tensor:
        n = self.num_replicas_in_sync
        if isinstance(value, PerReplica):
            per = value._stacked_for_run(n)
        else:
            if axis is None and op is ReduceOp.SUM:
                raise ValueError(
                    f"A non-DistributedValues value {value} cannot be reduced with the given reduce op {op}."
                )
            per = jnp.broadcast_to(_raw(value), (n,) + tuple(jnp.shape(_raw(value))))
        if axis is None:
            total, count = jnp.sum(per, axis=0), n
        else:
            rank = per.ndim - 1
            if not -rank <= axis < rank:
                raise ValueError(f"Invalid reduction dimension {axis} for input with {rank} dimensions.")
            axis = axis % rank
            total, count = jnp.sum(per, axis=(0, axis + 1)), n * per.shape[axis + 1]
        return Tensor(total if op is ReduceOp.SUM else total / jnp.asarray(count, total.dtype))

    def gather(self, value: Any, axis: int) -> Any:
        """The replicas' parts of `value` concatenated along `axis`."""
        is_leaf = lambda x: isinstance(x, (Tensor, Variable, PerReplica))  # noqa: E731

        def one(v):
            parts = [p._value for p in v.values] if isinstance(v, PerReplica) else [_raw(v)] * self.num_replicas_in_sync
            return Tensor(jnp.concatenate(parts, axis=axis))

        return jax.tree.map(one, value, is_leaf=is_leaf)

    def experimental_local_results(self, value: Any) -> tuple:
        """One entry per replica: its part of a PerReplica value, or of every PerReplica in a
        nest (each entry then has the nest's structure); a value without any, once."""
        if isinstance(value, PerReplica):
            return value.values
        is_leaf = lambda x: isinstance(x, (Tensor, Variable, PerReplica))  # noqa: E731
        leaves, tree = jax.tree.flatten(value, is_leaf=is_leaf)
        if not any(isinstance(leaf, PerReplica) for leaf in leaves):
            return (value,)
        return tuple(
            jax.tree.unflatten(tree, [leaf.values[i] if isinstance(leaf, PerReplica) else leaf for leaf in leaves])
            for i in range(self.num_replicas_in_sync)
        )

    def experimental_distribute_dataset(self, dataset: Any, options: Any = None) -> Any:
        """Iterate a batched dataset as PerReplica batches, each split over the replicas as TF
        splits a global batch (ceil(batch/replicas) rows per replica, in order)."""
        return _DistributedDataset(dataset, self.num_replicas_in_sync)

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None) -> Any:
        """`dataset_fn(InputContext)` gives per-replica batches; each step takes one per replica."""
        n = self.num_replicas_in_sync
        return _GroupedDataset(dataset_fn(InputContext(1, 0, n)), n)

    def __repr__(self) -> str:
        return f"<MirroredStrategy {self.num_replicas_in_sync} replicas>"


class _OneDeviceExtended:
    """`strategy.extended` of a OneDeviceStrategy."""

    def __init__(self, strategy: OneDeviceStrategy):
        self._container_strategy = strategy

    @property
    def worker_devices(self) -> tuple[str, ...]:
        """The one device, as TF's full name."""
        return (tf_device_name(self._container_strategy._device),)

    parameter_devices = worker_devices

    def variable_created_in_scope(self, v: Any) -> bool:
        """Whether `v` was created inside this strategy's `scope()`."""
        return variable_strategy(v) is self._container_strategy


class OneDeviceStrategy:
    """`tf.distribute.OneDeviceStrategy`: one replica on one device. Variables created in its
    scope and ops inside `run` are placed there; `run` returns `fn`'s results themselves.

    Args:
      device: the device name ('/cpu:1', '/gpu:0').

    Raises:
      AttributeError: `device` is not a string (as TF, which splits the name).
      ValueError: a device that does not exist here.
    """

    def __init__(self, device: str):
        if not isinstance(device, str):
            raise AttributeError(
                f"'{type(device).__name__}' object has no attribute 'split': `device` must be a device name "
                f"string; received {device!r}"
            )
        self._device = _parse_device(device)
        self._variable_device = self._device  # where Variables created in the scope live
        self.extended = _OneDeviceExtended(self)

    @property
    def num_replicas_in_sync(self) -> int:
        """1: one replica."""
        return 1

    @property
    def cluster_resolver(self) -> None:
        """None: one worker."""
        return None

    def scope(self) -> StrategyScope:
        """Variables created inside belong to this strategy and live on its device."""
        return StrategyScope(self)

    def run(self, fn: Callable, args: Any = (), kwargs: dict | None = None, options: Any = None) -> Any:
        """`fn(*args, **kwargs)` in the replica context (replica 0 of 1), its ops on the device."""
        args, kwargs = check_run_arguments(args, kwargs)
        saved = _state.replica
        _state.replica = ReplicaContext(self, 0, True)
        try:
            with StrategyScope(self), jax.default_device(self._device):
                return fn(*args, **kwargs)
        finally:
            _state.replica = saved

    def reduce(self, reduce_op: Any, value: Any, axis: int | None) -> Any:
        """The one replica's value, reduced over `axis` when given (`value` itself for None)."""
        return default_strategy().reduce(reduce_op, value, axis)

    def gather(self, value: Any, axis: int) -> Any:
        """The one replica's value."""
        return default_strategy().gather(value, axis)

    def experimental_local_results(self, value: Any) -> tuple:
        """`(value,)`: the one replica's result."""
        return (value,)

    def experimental_distribute_dataset(self, dataset: Any, options: Any = None) -> Any:
        """The dataset itself: each batch goes to the one replica."""
        return dataset

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None) -> Any:
        """`dataset_fn(InputContext())`: one input pipeline for one replica."""
        return dataset_fn(InputContext())

    def __repr__(self) -> str:
        return f"<OneDeviceStrategy {self.extended.worker_devices[0]}>"


def _full_name(name: str) -> str:
    return DeviceSpec.from_string(name).full_name()


def _parse_device(name: str) -> Any:
    spec = DeviceSpec.from_string(name)
    kind = (spec.device_type or "CPU").lower()
    idx = spec.device_index or 0
    matching = platform_devices(kind)  # also the CPUs when the default backend is a GPU
    if idx >= len(matching):
        # TF places on an existing device (soft placement); jaxport refuses instead of silently sharing.
        raise ValueError(
            f"`devices` names {name!r}, but the local {kind.upper()} devices are "
            f"{[str(d) for d in matching]} (set more with tf.config.set_logical_device_configuration)."
        )
    return matching[idx]


def _parent_value(outer: TraceContext | None, var: Variable) -> Any:
    return outer.read(var) if outer is not None else var._raw_value


def _raw(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, Variable):
        return x._current_value()
    return jnp.asarray(x)


class PerReplica:
    """`tf.distribute.DistributedValues`: one value per replica (`values`), as `run` returns them
    and as distributed datasets hand them to `run`.

    Args:
      values: the replicas' values, in replica order.
    """

    def __init__(self, values: Any):
        self._values = tuple(v if isinstance(v, Tensor) else Tensor(_raw(v)) for v in values)
        self._stacked = None

    @classmethod
    def _from_stacked(cls, stacked: Any) -> PerReplica:
        """The PerReplica whose replica i holds `stacked[i]`."""
        obj = cls.__new__(cls)
        obj._values = None
        obj._stacked = stacked
        return obj

    @property
    def values(self) -> tuple:
        """The replicas' values as Tensors."""
        if self._values is None:
            self._values = tuple(Tensor(self._stacked[i]) for i in range(self._stacked.shape[0]))
        return self._values

    def _stacked_for_run(self, num_replicas: int) -> Any:
        """The values stacked along a new leading replica axis (for `shard_map`)."""
        if self._stacked is None:
            shapes = {tuple(v.shape) for v in self._values}
            if len(self._values) != num_replicas or len(shapes) != 1:
                raise ValueError(
                    f"strategy.run needs one value per replica ({num_replicas}) of equal shapes; received "
                    f"values of shapes {[tuple(v.shape) for v in self._values]} (a global batch that does "
                    "not split evenly over the replicas)."
                )
            self._stacked = jnp.stack([v._value for v in self._values])
        return self._stacked

    def __repr__(self) -> str:
        body = ",\n".join(f"  {i}: {v!r}" for i, v in enumerate(self.values))
        return "PerReplica:{\n" + body + "\n}"


def _flatten_per_replica(value: PerReplica) -> tuple:
    # A pytree, so that `tf.function` takes a PerReplica argument's arrays as program inputs
    # (one trace for every batch of a distributed dataset, as TF's DistributedValues spec).
    if value._stacked is not None:
        return (Tensor(value._stacked),), "stacked"
    return tuple(value._values), "values"


def _unflatten_per_replica(kind: str, children: tuple) -> PerReplica:
    if kind == "stacked":
        child = children[0]
        return PerReplica._from_stacked(child._value if isinstance(child, Tensor) else child)
    obj = PerReplica.__new__(PerReplica)
    obj._values = tuple(children)
    obj._stacked = None
    return obj


jax.tree_util.register_pytree_node(PerReplica, _flatten_per_replica, _unflatten_per_replica)


class _DistributedDataset:
    """A dataset whose every element is split over the replicas (TF's global-batch split)."""

    def __init__(self, dataset: Any, num_replicas: int):
        self._dataset = dataset
        self._n = num_replicas

    def __iter__(self):
        def split(t):
            raw = _raw(t)
            sizes = split_sizes(raw.shape[0], self._n)
            starts = np.cumsum([0] + sizes)
            return PerReplica(Tensor(raw[a:b]) for a, b in zip(starts[:-1], starts[1:]))

        for element in self._dataset:
            yield jax.tree.map(split, element, is_leaf=lambda x: isinstance(x, Tensor))


class _GroupedDataset:
    """A dataset of per-replica batches: each step gives consecutive elements to the replicas."""

    def __init__(self, dataset: Any, num_replicas: int):
        self._dataset = dataset
        self._n = num_replicas

    def __iter__(self):
        group = []
        for element in self._dataset:
            group.append(element)
            if len(group) == self._n:
                yield jax.tree.map(lambda *parts: PerReplica(parts), *group, is_leaf=lambda x: isinstance(x, Tensor))
                group = []


def replicated_grads(model: Any, x: Any, y: Any, sample_weight: Any) -> list:
    """The summed gradients of Keras's per-replica losses for one global batch (used by `fit`).

    Runs in the scope of the model's strategy, as Keras's `fit` does, so that Variables built
    lazily by the first step (weights, metric totals) belong to it."""
    with StrategyScope(model.distribute_strategy):
        return _replicated_grads(model, x, y, sample_weight)


def _replicated_grads(model: Any, x: Any, y: Any, sample_weight: Any) -> list:
    strategy = model.distribute_strategy
    n = strategy.num_replicas_in_sync
    if n == 1:
        return _dense_grads(model._replica_forward(x, y, sample_weight, 1), model.trainable_variables)
    batch = x.shape[0]
    sizes = split_sizes(batch, n)
    outer = _state.trace
    parts = [v for v in (x, y, sample_weight) if v is not None]
    if all(s == sizes[0] for s in sizes) and outer is not None:
        return _shard_mapped_grads(model, strategy, parts, x, y, sample_weight, n)
    return _unrolled_grads(model, parts, x, y, sample_weight, sizes, outer)


def _dense_grads(grads: list, variables: list) -> list:
    return [
        Tensor(jnp.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype)) if g is None else g
        for g, v in zip(grads, variables)
    ]


def _unpack(parts: list, x: Any, y: Any, sw: Any) -> tuple:
    it = iter(parts)
    return (
        next(it) if x is not None else None,
        next(it) if y is not None else None,
        next(it) if sw is not None else None,
    )


def _shard_mapped_grads(model, strategy, parts, x, y, sw, n) -> list:
    outer = _state.trace
    box: dict[str, Any] = {}

    def body(*local):
        lx, ly, lsw = _unpack([Tensor(v) for v in local], x, y, sw)
        child = TraceContext(parent=outer)
        saved = (_state.trace, _state.replica)
        _state.trace = child
        _state.replica = ReplicaContext(strategy, jax.lax.axis_index(AXIS), True)
        try:
            grads = _dense_grads(model._replica_forward(lx, ly, lsw, n), model.trainable_variables)
        finally:
            _state.trace, _state.replica = saved
        written = list(child.written.values())
        box["written"] = written
        merged = [_merge_written(v, outer.read(v), child.value_of(v), True) for v in written]
        return [jax.lax.psum(g._value, AXIS) for g in grads], merged

    mapped = jax.shard_map(
        body,
        mesh=strategy.mesh,
        in_specs=tuple(PartitionSpec(AXIS) for _ in parts),
        out_specs=(PartitionSpec(), PartitionSpec()),
        check_vma=False,
    )
    grads, merged = mapped(*[p._value for p in parts])
    for var, value in zip(box["written"], merged):
        outer.write(var, value)
    return [Tensor(g) for g in grads]


def _unrolled_grads(model, parts, x, y, sw, sizes, outer) -> list:
    n = len(sizes)
    total = None
    written_values: dict[int, list] = {}
    written_vars: dict[int, Variable] = {}
    start = 0
    for replica, size in enumerate(sizes):
        if size == 0:
            continue
        local = [Tensor(p._value[start : start + size]) for p in parts]
        start += size
        lx, ly, lsw = _unpack(local, x, y, sw)
        child = TraceContext(parent=outer)
        saved = (_state.trace, _state.replica)
        _state.trace = child
        _state.replica = ReplicaContext(model.distribute_strategy, replica, False)
        try:
            grads = _dense_grads(model._replica_forward(lx, ly, lsw, n), model.trainable_variables)
        finally:
            _state.trace, _state.replica = saved
        raw = [g._value for g in grads]
        total = raw if total is None else [a + b for a, b in zip(total, raw)]
        for key, var in child.written.items():
            written_vars[key] = var
            written_values.setdefault(key, []).append(child.value_of(var))
    for key, var in written_vars.items():
        old = outer.read(var) if outer is not None else var._raw_value
        value = _merge_written(var, old, None, False, written_values[key])
        var._set_current_value(value)
    return [Tensor(g) for g in total]
