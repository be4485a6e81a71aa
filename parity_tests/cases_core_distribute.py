"""Parity cases (part of the core-API set, `test_parity_core_api.py`): TF's default strategy with
its replica context, `tf.nn.compute_average_loss` / `scale_regularization_loss`, per-replica
results and reductions of a MirroredStrategy on 2 logical CPUs, and the error contract of
tf.distribute (class, builtin bases, tf.errors classes, key phrases, state after).

Same contract as `parity_tests/cases.py`: each `case_*(tf)` runs unchanged under both frameworks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _flag(value: Any) -> str:
    return "yes" if value else "no"


def _locals(strategy: Any, value: Any) -> list:
    return [to_numpy(v) for v in strategy.experimental_local_results(value)]


def _average_losses(tf: Any, out: dict[str, Any], prefix: str) -> None:
    losses = tf.constant([1.0, 2.0, 3.0])
    out[f"{prefix}/plain"] = to_numpy(tf.nn.compute_average_loss(losses))
    out[f"{prefix}/global_batch"] = to_numpy(tf.nn.compute_average_loss(losses, global_batch_size=6))
    out[f"{prefix}/weights"] = to_numpy(tf.nn.compute_average_loss(losses, sample_weight=[1.0, 0.0, 2.0]))
    out[f"{prefix}/scalar_weight"] = to_numpy(
        tf.nn.compute_average_loss(losses, sample_weight=2.0, global_batch_size=4)
    )
    matrix = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out[f"{prefix}/rank2"] = to_numpy(tf.nn.compute_average_loss(matrix))
    out[f"{prefix}/rank2_row_weights"] = to_numpy(tf.nn.compute_average_loss(matrix, sample_weight=[1.0, 0.5]))
    out[f"{prefix}/zero_global_batch"] = to_numpy(tf.nn.compute_average_loss(losses, global_batch_size=0))
    out[f"{prefix}/tensor_global_batch"] = to_numpy(
        tf.nn.compute_average_loss(losses, global_batch_size=tf.constant(5))
    )
    out[f"{prefix}/regularization"] = [
        to_numpy(tf.nn.scale_regularization_loss(3.0)),
        to_numpy(tf.nn.scale_regularization_loss([1.0, 2.0])),
    ]


def case_core_default_strategy(tf: Any) -> dict[str, Any]:
    """Outside every scope: the default strategy's API, its replica context, datasets, and the
    custom-loop loss helpers, in and out of `run`."""
    out: dict[str, Any] = {}
    # without a logical device configuration: one CPU, as TF lists it
    cpu = tf.config.list_physical_devices("CPU")[0]
    out["devices/physical"] = [f"{d.name}|{d.device_type}" for d in tf.config.list_physical_devices("CPU")]
    out["devices/logical"] = [f"{d.name}|{d.device_type}" for d in tf.config.list_logical_devices("CPU")]
    out["devices/no_logical_config"] = _flag(tf.config.get_logical_device_configuration(cpu) is None)
    out["devices/tensor"] = tf.constant(1.0).device
    s = tf.distribute.get_strategy()
    out["num_replicas"] = np.int64(s.num_replicas_in_sync)
    out["has_strategy"] = _flag(tf.distribute.has_strategy())
    out["in_cross_replica"] = _flag(tf.distribute.in_cross_replica_context())
    out["cluster_resolver_none"] = _flag(s.cluster_resolver is None)
    out["same_object"] = _flag(tf.distribute.get_strategy() is s)
    context = tf.distribute.get_replica_context()
    out["replica/num"] = np.int64(context.num_replicas_in_sync)
    out["replica/id"] = np.int64(context.replica_id_in_sync_group)
    out["replica/id_is_int"] = _flag(isinstance(context.replica_id_in_sync_group, int))
    out["replica/all_reduce_sum"] = to_numpy(context.all_reduce("SUM", tf.constant([1.0, 2.0])))
    out["replica/all_reduce_mean"] = to_numpy(context.all_reduce(tf.distribute.ReduceOp.MEAN, tf.constant(3.0)))
    with s.scope():
        out["scope/has_strategy"] = _flag(tf.distribute.has_strategy())
        out["scope/same"] = _flag(tf.distribute.get_strategy() is s)
        out["scope/in_cross_replica"] = _flag(tf.distribute.in_cross_replica_context())
        v = tf.Variable(1.0)
    out["scope/variable"] = to_numpy(v)
    r = s.run(lambda x, y: x * 2.0 + y, args=(tf.constant([1.0, 2.0]), 1.0))
    out["run/value"] = to_numpy(r)
    out["run/kwargs"] = to_numpy(s.run(lambda x, scale=1.0: x * scale, args=(tf.constant(2.0),), kwargs={"scale": 3.0}))
    out["reduce/sum_none"] = to_numpy(s.reduce("SUM", r, axis=None))
    out["reduce/mean_axis0"] = to_numpy(s.reduce("MEAN", r, axis=0))
    out["reduce/sum_axis0"] = to_numpy(s.reduce(tf.distribute.ReduceOp.SUM, r, axis=0))
    out["reduce/python_float"] = str(s.reduce("SUM", 5.0, axis=None))
    out["local_results"] = _locals(s, r)
    out["local_results_count"] = np.int64(len(s.experimental_local_results(r)))
    out["gather"] = to_numpy(s.gather(tf.constant([[1.0], [2.0]]), axis=0))
    ds = tf.data.Dataset.from_tensor_slices(np.arange(6.0, dtype="float32")).batch(4)
    out["distribute_dataset"] = [to_numpy(x) for x in s.experimental_distribute_dataset(ds)]
    seen = {}

    def dataset_fn(input_context):
        seen["fields"] = [
            input_context.num_input_pipelines,
            input_context.input_pipeline_id,
            input_context.num_replicas_in_sync,
            input_context.get_per_replica_batch_size(8),
        ]
        return ds

    out["from_function"] = [to_numpy(x) for x in s.distribute_datasets_from_function(dataset_fn)]
    out["input_context"] = np.asarray(seen["fields"], np.int64)

    def in_run():
        c = tf.distribute.get_replica_context()
        return (
            tf.constant(c.replica_id_in_sync_group),
            tf.constant(1.0 if tf.distribute.in_cross_replica_context() else 0.0),
            c.all_reduce("SUM", tf.constant(2.0)),
            tf.nn.compute_average_loss([1.0, 3.0]),
            tf.nn.scale_regularization_loss(4.0),
        )

    out["in_run"] = [to_numpy(t) for t in s.run(in_run)]
    _average_losses(tf, out, "average")
    out["average/int_losses"] = to_numpy(tf.nn.compute_average_loss([1, 2]))
    out["reduce_op_names"] = [tf.distribute.ReduceOp.SUM.value, tf.distribute.ReduceOp.MEAN.value]
    add_error_contract(
        out,
        tf,
        "average_loss_rank0",
        lambda: tf.nn.compute_average_loss(3.0),
        phrases=("Invalid value passed for `per_example_loss`", "at least rank 1", "rank 0"),
    )
    add_error_contract(
        out,
        tf,
        "average_loss_float_batch",
        lambda: tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=2.5),
        phrases=("global_batch_size must be an integer",),
    )
    add_error_contract(
        out,
        tf,
        "average_loss_negative_batch",
        lambda: tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=-1),
        phrases=("global_batch_size must be non-negative",),
    )
    add_error_contract(
        out,
        tf,
        "average_loss_weight_shape",
        lambda: tf.nn.compute_average_loss([1.0, 2.0], sample_weight=[1.0, 2.0, 3.0]),
        phrases=("Incompatible shapes", "[2] vs. [3]"),
    )
    add_error_contract(
        out,
        tf,
        "default_run_dict_args",
        lambda: s.run(lambda x: x, args={"x": 1.0}),
        phrases=("positional args must be a list or tuple", "dict"),
    )
    add_error_contract(
        out, tf, "default_reduce_max", lambda: s.reduce("MAX", r, axis=None), phrases=("'MAX' is not a valid ReduceOp",)
    )
    add_error_contract(
        out,
        tf,
        "default_worker_devices",
        lambda: s.extended.worker_devices,
        phrases=("worker_devices() method unsupported by default tf.distribute.Strategy",),
    )
    return out


def case_core_distribute_errors(tf: Any) -> dict[str, Any]:
    """MirroredStrategy on 2 logical CPUs: contexts inside and outside run, per-replica shapes,
    reduce/gather rules, custom-loop losses per replica, and tf.distribute's error contract."""
    out: dict[str, Any] = {}
    s = tf.distribute.MirroredStrategy()
    out["num_replicas"] = np.int64(s.num_replicas_in_sync)
    out["worker_devices"] = list(s.extended.worker_devices)
    out["cluster_resolver_none"] = _flag(s.cluster_resolver is None)
    with s.scope():
        out["scope"] = [
            _flag(tf.distribute.has_strategy()),
            _flag(tf.distribute.in_cross_replica_context()),
            _flag(tf.distribute.get_replica_context() is None),
            _flag(tf.distribute.get_strategy() is s),
        ]
    out["outside"] = [_flag(tf.distribute.has_strategy()), _flag(tf.distribute.get_strategy() is s)]

    def replica_scalar():
        ctx = tf.distribute.get_replica_context()
        return tf.constant(2.0) * tf.cast(ctx.replica_id_in_sync_group + 1, tf.float32)

    ids = s.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
    out["ids"] = _locals(s, ids)
    r = s.run(replica_scalar)
    out["scalar/locals"] = _locals(s, r)
    out["scalar/shapes"] = [str(v.shape) for v in s.experimental_local_results(r)]
    out["scalar/sum"] = to_numpy(s.reduce("SUM", r, axis=None))
    out["scalar/mean"] = to_numpy(s.reduce("MEAN", r, axis=None))
    r2 = s.run(
        lambda: tf.ones((3,)) * tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group + 1, tf.float32)
    )
    out["vector/sum_none"] = to_numpy(s.reduce("SUM", r2, axis=None))
    out["vector/sum_axis0"] = to_numpy(s.reduce("SUM", r2, axis=0))
    out["vector/mean_axis0"] = to_numpy(s.reduce("MEAN", r2, axis=0))
    out["vector/gather"] = _locals(s, s.gather(r2, axis=0))
    out["plain/mean_axis0"] = to_numpy(s.reduce("MEAN", tf.constant([1.0, 2.0]), axis=0))
    out["plain/mean_none"] = to_numpy(s.reduce("MEAN", tf.constant([1.0, 2.0]), axis=None))
    out["plain/sum_axis0"] = to_numpy(s.reduce("SUM", tf.constant([1.0, 2.0]), axis=0))
    out["plain/locals"] = _locals(s, tf.constant(1.0))
    nest = s.run(lambda: (tf.constant(1.0), {"a": tf.constant([2.0])}))
    per_replica = s.experimental_local_results(nest)
    out["nest/locals"] = [to_numpy(part[1]["a"]) for part in per_replica] + [to_numpy(per_replica[0][0])]
    reduced = s.reduce("SUM", nest, axis=None)
    out["nest/reduce"] = [to_numpy(reduced[0]), to_numpy(reduced[1]["a"])]
    out["all_reduce"] = _locals(
        s, s.run(lambda: tf.distribute.get_replica_context().all_reduce("SUM", tf.constant(1.0)))
    )
    out["average_loss_in_run"] = _locals(s, s.run(lambda: tf.nn.compute_average_loss([1.0, 3.0])))
    out["regularization_in_run"] = _locals(s, s.run(lambda: tf.nn.scale_regularization_loss(4.0)))
    out["average_loss_outside_scope"] = to_numpy(tf.nn.compute_average_loss([1.0, 3.0]))
    with s.scope():
        loss = tf.keras.losses.MeanSquaredError()
        loss_auto = tf.keras.losses.MeanSquaredError(reduction="auto")
        loss_none = tf.keras.losses.MeanSquaredError(reduction="none")
        loss_sum = tf.keras.losses.MeanSquaredError(reduction="sum")
    out["loss/none_in_run"] = _locals(s, s.run(lambda: loss_none(tf.ones((2, 1)), tf.zeros((2, 1)))))
    out["loss/sum_in_run"] = _locals(s, s.run(lambda: loss_sum(tf.ones((2, 1)), tf.zeros((2, 1)))))
    out["loss/default_outside_run"] = to_numpy(loss(tf.ones((2,)), tf.zeros((2,))))
    ds = tf.data.Dataset.from_tensor_slices(np.arange(8.0, dtype="float32").reshape(4, 2)).batch(4)
    out["dataset_parts"] = [
        to_numpy(v) for batch in s.experimental_distribute_dataset(ds) for v in s.experimental_local_results(batch)
    ]
    out["dataset_run_sum"] = [
        to_numpy(s.reduce("SUM", s.run(lambda b: tf.reduce_sum(b), args=(batch,)), axis=None))
        for batch in s.experimental_distribute_dataset(ds)
    ]

    add_error_contract(
        out,
        tf,
        "loss_sum_over_batch_in_run",
        lambda: s.run(lambda: loss(tf.ones((2,)), tf.zeros((2,)))),
        phrases=(
            "Please use `tf.keras.losses.Reduction.SUM` or `tf.keras.losses.Reduction.NONE`",
            "tf.distribute.Strategy",
        ),
    )
    add_error_contract(
        out,
        tf,
        "loss_auto_in_run",
        lambda: s.run(lambda: loss_auto(tf.ones((2,)), tf.zeros((2,)))),
        phrases=("Reduction.SUM", "Model.fit()"),
    )
    other = tf.distribute.MirroredStrategy()

    def nested():
        with s.scope():
            with other.scope():
                pass

    add_error_contract(
        out,
        tf,
        "nested_strategies",
        nested,
        phrases=("Mixing different tf.distribute.Strategy objects",),
        state=lambda: [_flag(tf.distribute.has_strategy())],
    )
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])

    def compile_in_scope():
        with s.scope():
            model.compile(loss="mse", optimizer="sgd")

    add_error_contract(
        out,
        tf,
        "compile_model_from_outside",
        compile_in_scope,
        phrases=(
            "was not created in the distribution strategy scope",
            "created outside the distribution strategy scope",
        ),
    )
    v = tf.Variable([1.0, 2.0])
    with s.scope():
        opt = tf.keras.optimizers.SGD(0.1)
    add_error_contract(
        out,
        tf,
        "optimizer_from_scope_variable_outside",
        lambda: opt.apply_gradients([(tf.constant([1.0, 1.0]), v)]),
        state=lambda: [to_numpy(v), to_numpy(opt.iterations)],
    )

    def average_loss_cross_replica():
        with s.scope():
            return tf.nn.compute_average_loss([1.0, 3.0])

    def regularization_cross_replica():
        with s.scope():
            return tf.nn.scale_regularization_loss(1.0)

    add_error_contract(
        out,
        tf,
        "average_loss_cross_replica",
        average_loss_cross_replica,
        phrases=(
            "You are calling `compute_average_loss` in cross replica context",
            "expected to be called in replica context",
        ),
    )
    add_error_contract(
        out,
        tf,
        "regularization_cross_replica",
        regularization_cross_replica,
        phrases=("You are calling `scale_regularization_loss` in cross replica context",),
    )
    add_error_contract(
        out,
        tf,
        "run_dict_args",
        lambda: s.run(lambda x: x, args={"x": 1.0}),
        phrases=("positional args must be a list or tuple", "<class 'dict'>"),
    )
    add_error_contract(
        out,
        tf,
        "run_tensor_args",
        lambda: s.run(lambda x: x, args=tf.constant(1.0)),
        phrases=("positional args must be a list or tuple",),
    )
    add_error_contract(out, tf, "run_not_callable", lambda: s.run(3), phrases=("'int' object is not callable",))
    add_error_contract(
        out,
        tf,
        "reduce_sum_non_distributed",
        lambda: s.reduce("SUM", tf.constant(3.0), axis=None),
        phrases=("A non-DistributedValues value", "cannot be reduced with the given reduce op ReduceOp.SUM"),
    )
    add_error_contract(
        out,
        tf,
        "reduce_bad_axis",
        lambda: s.reduce("SUM", r2, axis=3),
        phrases=("Invalid reduction dimension 3 for input with 1 dimensions",),
    )
    add_error_contract(
        out, tf, "reduce_max", lambda: s.reduce("MAX", r, axis=None), phrases=("'MAX' is not a valid ReduceOp",)
    )
    add_error_contract(
        out,
        tf,
        "duplicate_devices",
        lambda: tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:0"]),
        phrases=("No duplicates allowed in `devices` argument", "/job:localhost/replica:0/task:0/device:CPU:0"),
    )
    return out


def case_core_distribute_one_device(tf: Any) -> dict[str, Any]:
    """OneDeviceStrategy on the second of 2 logical CPUs: its scope and run, placement of
    Variables and of ops inside run, reduce and datasets, fit in its scope, and its errors."""
    out: dict[str, Any] = {}
    s = tf.distribute.OneDeviceStrategy("/cpu:1")
    out["num_replicas"] = np.int64(s.num_replicas_in_sync)
    out["worker_devices"] = list(s.extended.worker_devices)
    out["cluster_resolver_none"] = _flag(s.cluster_resolver is None)
    with s.scope():
        out["scope"] = [
            _flag(tf.distribute.has_strategy()),
            _flag(tf.distribute.in_cross_replica_context()),
            _flag(tf.distribute.get_replica_context() is None),
            _flag(tf.distribute.get_strategy() is s),
        ]
        v = tf.Variable(1.0)
        out["scope/devices"] = [v.device, tf.constant(1.0).device]

    def fn(x):
        c = tf.distribute.get_replica_context()
        return x * 2.0, c.replica_id_in_sync_group, tf.constant(1.0).device, tf.distribute.get_strategy() is s

    doubled, replica_id, device, same = s.run(fn, args=(tf.constant([1.0, 2.0]),))
    out["run"] = [to_numpy(doubled), to_numpy(replica_id)]
    out["run/device_and_strategy"] = [device, _flag(same)]
    out["reduce"] = [
        to_numpy(s.reduce("SUM", doubled, axis=None)),
        to_numpy(s.reduce("MEAN", doubled, axis=0)),
    ]
    out["reduce/python_float"] = str(s.reduce("SUM", 3.0, axis=None))
    out["local_results"] = _locals(s, doubled)
    ds = tf.data.Dataset.from_tensor_slices(np.arange(6.0, dtype="float32")).batch(4)
    out["dataset"] = [to_numpy(x) for x in s.experimental_distribute_dataset(ds)]
    out["gather"] = to_numpy(s.gather(tf.constant([1.0]), axis=0))
    with s.scope():
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer="ones")])
        model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(0.1))
    history = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=2, verbose=0)
    out["fit/loss"] = np.asarray(history.history["loss"])
    out["fit/weights"] = model.get_weights()
    add_error_contract(
        out, tf, "one_device_not_a_string", lambda: tf.distribute.OneDeviceStrategy(3), phrases=("'int' object",)
    )
    add_error_contract(
        out,
        tf,
        "one_device_run_dict_args",
        lambda: s.run(lambda x: x, args={"x": 1}),
        phrases=("positional args must be a list or tuple",),
    )
    mirrored = tf.distribute.MirroredStrategy()

    def nested():
        with mirrored.scope():
            with s.scope():
                pass

    add_error_contract(
        out, tf, "one_device_inside_mirrored", nested, phrases=("Mixing different tf.distribute.Strategy objects",)
    )
    return out


REFERENCES: dict[str, Reference] = {
    "core_default_strategy": Reference("core_default_strategy"),
    "core_distribute_errors": Reference("core_distribute_errors", devices=2),
    "core_distribute_one_device": Reference("core_distribute_one_device", devices=2),
}
