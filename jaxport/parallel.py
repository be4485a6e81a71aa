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
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, PartitionSpec

from jaxport.context import TraceContext
from jaxport.context import state as _state
from jaxport.eager import Tensor
from jaxport.variables import Variable

AXIS = "replica"


class ReduceOp:
    """`tf.distribute.ReduceOp`."""

    SUM = "SUM"
    MEAN = "MEAN"


class _ReplicaContext:
    """What code inside a replica sees: its id (a tracer under shard_map) and the count."""

    def __init__(self, replica_id: Any, num_replicas: int, collective: bool):
        self.replica_id_raw = replica_id
        self.num_replicas_in_sync = num_replicas
        self.collective = collective  # True under shard_map (psum available)

    @property
    def replica_id_in_sync_group(self) -> Tensor:
        return Tensor(jnp.asarray(self.replica_id_raw, jnp.int32))

    def all_reduce(self, reduce_op: str, value: Any) -> Any:
        raw = value._value if isinstance(value, Tensor) else jnp.asarray(value)
        if not self.collective:
            raise NotImplementedError("all_reduce inside an uneven replica split is not supported.")
        out = jax.lax.psum(raw, AXIS) if reduce_op == ReduceOp.SUM else jax.lax.pmean(raw, AXIS)
        return Tensor(out)


_strategy_state = threading.local()


def current_strategy() -> Any:
    """The strategy whose `scope()` is active, or None."""
    return getattr(_strategy_state, "strategy", None)


def get_replica_context() -> Any:
    """`tf.distribute.get_replica_context`: the replica context inside `run`, else None."""
    return _state.replica


class _DefaultStrategy:
    num_replicas_in_sync = 1


_DEFAULT = _DefaultStrategy()


def default_strategy() -> Any:
    return _DEFAULT


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


def aggregate_gradients(grads: list) -> list:
    """All-reduce gradients with SUM inside a collective replica context (Keras's default)."""
    replica = _state.replica
    if replica is None or replica.num_replicas_in_sync == 1:
        return grads
    if not replica.collective:
        raise NotImplementedError(
            "apply_gradients inside an uneven replica split is not supported; "
            "use batches divisible by the number of replicas."
        )
    return [jax.lax.psum(g, AXIS) for g in grads]


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
            if len(set(n.lower() for n in names)) != len(names):
                raise AssertionError(f"No duplicates allowed in `devices` argument: {tuple(names)}.")
            chosen = []
            for name in names:
                chosen.append(_parse_device(name, local))
        self._devices = chosen
        self._mesh = Mesh(np.array(chosen), (AXIS,))
        self.extended = self

    @property
    def num_replicas_in_sync(self) -> int:
        return len(self._devices)

    @property
    def worker_devices(self) -> tuple[str, ...]:
        return tuple(f"/job:localhost/replica:0/task:0/device:{d.platform.upper()}:{d.id}" for d in self._devices)

    @property
    def mesh(self) -> Mesh:
        """The JAX device mesh the replicas map onto (axis name 'replica')."""
        return self._mesh

    def scope(self):
        """Models, optimizers and Variables created inside belong to this strategy."""
        strategy = self

        class _Scope:
            def __enter__(self_inner):
                self_inner.previous = current_strategy()
                _strategy_state.strategy = strategy
                return strategy

            def __exit__(self_inner, *exc):
                _strategy_state.strategy = self_inner.previous

        return _Scope()

    # -- running replicas -------------------------------------------------------------------------
    def run(self, fn: Callable, args: tuple = (), kwargs: dict | None = None) -> Any:
        """Run `fn` once per replica (SPMD): PerReplica arguments are split, others replicated.

        Returns PerReplica values (use `reduce` or `experimental_local_results`).
        """
        kwargs = kwargs or {}
        n = self.num_replicas_in_sync
        is_leaf = lambda x: isinstance(x, (Tensor, Variable, PerReplica))  # noqa: E731
        leaves, tree = jax.tree.flatten((args, kwargs), is_leaf=is_leaf)
        split_pos = [i for i, leaf in enumerate(leaves) if isinstance(leaf, PerReplica)]
        split_vals = [leaves[i]._stacked for i in split_pos]
        for i in split_pos:
            if leaves[i]._stacked.shape[0] % n:
                raise ValueError(
                    "strategy.run needs per-replica values that split evenly over "
                    f"{n} replicas; received a batch of {leaves[i]._stacked.shape[0]}."
                )
        outer = _state.trace
        box: dict[str, Any] = {}

        def body(*local_values):
            rebuilt = list(leaves)
            for pos, value in zip(split_pos, local_values):
                rebuilt[pos] = Tensor(value)
            call_args, call_kwargs = jax.tree.unflatten(tree, rebuilt)
            child = TraceContext(parent=outer)
            saved = (_state.trace, _state.replica)
            _state.trace = child
            _state.replica = _ReplicaContext(jax.lax.axis_index(AXIS), n, True)
            try:
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
        return jax.tree.map(lambda a: PerReplica(a, n), out)

    def reduce(self, reduce_op: str, value: Any, axis: int | None = None) -> Tensor:
        """Combine PerReplica values with SUM or MEAN (and over `axis` of each value, if given)."""
        op = str(reduce_op).upper().split(".")[-1]
        if op not in (ReduceOp.SUM, ReduceOp.MEAN):
            raise ValueError(f"`reduce_op` must be ReduceOp.SUM or ReduceOp.MEAN; received {reduce_op!r}.")
        if isinstance(value, PerReplica):
            per = value._stacked.reshape((value._n, -1) + value._stacked.shape[1:])
            per = per.reshape((value._n,) + value._stacked.shape[1:]) if value._stacked.shape[0] == value._n else per
            if axis is not None:
                total = jnp.sum(per, axis=(0, axis + 1))
                count = per.shape[0] * per.shape[axis + 1]
            else:
                total = jnp.sum(per, axis=0)
                count = per.shape[0]
            return Tensor(total if op == ReduceOp.SUM else total / count)
        raw = _raw(value)
        if axis is not None:
            return Tensor(jnp.sum(raw, axis) if op == ReduceOp.SUM else jnp.mean(raw, axis))
        return Tensor(raw * self.num_replicas_in_sync if op == ReduceOp.SUM else raw)

    def experimental_local_results(self, value: Any) -> tuple:
        """The per-replica parts of a PerReplica value (or the value itself, once per replica)."""
        if isinstance(value, PerReplica):
            return tuple(Tensor(p) for p in jnp.split(value._stacked, value._n))
        return (value,)

    def experimental_distribute_dataset(self, dataset: Any, options: Any = None) -> Any:
        """Iterate a batched dataset as PerReplica batches split over the replicas."""
        return _DistributedDataset(dataset, self.num_replicas_in_sync)

    def distribute_datasets_from_function(self, dataset_fn: Callable, options: Any = None) -> Any:
        return _DistributedDataset(dataset_fn(None), self.num_replicas_in_sync)


def _parse_device(name: str, local: list) -> Any:
    spec = name.lower().strip()
    kind, _, index = spec.rpartition(":")
    kind = kind.split("device:")[-1].lstrip("/")
    if kind not in ("cpu", "gpu", "tpu") or not index.isdigit():
        raise ValueError(f"Unknown attribute '{name}' is encountered while parsing the device spec: '{name}'.")
    idx = int(index)
    matching = [d for d in local if d.id == idx or (d.platform == kind and local.index(d) == idx)]
    if not matching:
        # TF places on an existing device (soft placement); jaxport refuses instead of silently sharing.
        raise ValueError(
            f"`devices` names {name!r}, but the local devices are "
            f"{[str(d) for d in local]} (set more with tf.config.set_logical_device_configuration)."
        )
    return matching[0]


def _parent_value(outer: TraceContext | None, var: Variable) -> Any:
    return outer.read(var) if outer is not None else var._raw_value


def _raw(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, Variable):
        return x._current_value()
    return jnp.asarray(x)


class PerReplica:
    """Values of all replicas, stacked along the first axis (`tf.distribute.DistributedValues`)."""

    def __init__(self, stacked: Any, num_replicas: int):
        self._stacked = stacked
        self._n = num_replicas

    @property
    def values(self) -> tuple:
        return tuple(Tensor(p) for p in jnp.split(self._stacked, self._n))

    def __repr__(self) -> str:
        return f"PerReplica({self.values})"


class _DistributedDataset:
    def __init__(self, dataset: Any, num_replicas: int):
        self._dataset = dataset
        self._n = num_replicas

    def __iter__(self):
        for element in self._dataset:
            yield jax.tree.map(lambda t: PerReplica(_raw(t), self._n), element, is_leaf=lambda x: isinstance(x, Tensor))


def replicated_grads(model: Any, x: Any, y: Any, sample_weight: Any) -> list:
    """The summed gradients of Keras's per-replica losses for one global batch (used by `fit`)."""
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
        _state.replica = _ReplicaContext(jax.lax.axis_index(AXIS), n, True)
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
        _state.replica = _ReplicaContext(replica, n, False)
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


def synchronize_moments(layer: Any, inputs: Any, gamma: Any, beta: Any, axes: tuple, correction: float):
    """Global batch statistics for `BatchNormalization(synchronized=True)` under shard_map."""
    from jaxport.eager import dispatch
    from jaxport.modules.layers.normalization import _bn_infer_pure

    replica = _state.replica
    x = inputs._value if isinstance(inputs, Tensor) else inputs._current_value()
    mean = jnp.mean(x, axis=axes)
    if replica is None or not replica.collective:
        var = jnp.mean(jnp.square(x - mean), axis=axes)
    else:
        mean = jax.lax.pmean(mean, AXIS)
        var = jax.lax.pmean(jnp.mean(jnp.square(x - mean), axis=axes), AXIS)
    out = dispatch(_bn_infer_pure, inputs, gamma, beta, Tensor(mean), Tensor(var), epsilon=layer.epsilon, axes=axes)
    return out, Tensor(mean), Tensor(var * correction)
