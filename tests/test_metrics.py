"""jaxport's own behaviour of `tf.keras.metrics`: state as NNX Variables, metrics inside
`tf.function` (one program, the same numbers as eager), config round trips, and compile's name
resolution. Agreement with TF is in parity_tests/test_parity_metrics.py."""

from __future__ import annotations

import numpy as np
import pytest
from flax import nnx

import jaxport as tf

M = tf.keras.metrics
Y_TRUE = np.array([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 0]], "float32")
Y_PRED = np.array([[0.9, 0.2, 0.6, 0.4], [0.1, 0.7, 0.3, 0.5], [0.8, 0.4, 0.2, 0.0]], "float32")
WEIGHTS = np.array([1.0, 0.5, 2.0], "float32")


def test_metric_state_is_nnx_variables():
    auc = M.AUC(num_thresholds=5)
    auc.update_state(Y_TRUE, Y_PRED, sample_weight=WEIGHTS)
    leaves = nnx.state(auc, nnx.Variable)
    values = [np.asarray(value.get_value()) for _, value in nnx.to_flat_state(leaves)]
    assert len(values) == 4  # the four confusion counts, in creation order (Layer._own_weights)
    for got, var in zip(values, auc.variables):
        np.testing.assert_array_equal(got, var.numpy())
    assert auc.true_positives.numpy().sum() > 0
    assert not nnx.state(auc, nnx.Param)  # metric state is never trainable
    assert all(not v.trainable and v.aggregation == "sum" for v in auc.variables)


def test_nnx_split_merge_keeps_the_state():
    precision = M.Precision(thresholds=[0.3, 0.7])
    precision.update_state(Y_TRUE, Y_PRED)
    graphdef, state = nnx.split(precision)
    copy = nnx.merge(graphdef, state)
    np.testing.assert_allclose(copy.result().numpy(), precision.result().numpy())


METRICS = [
    lambda: M.Mean(),
    lambda: M.BinaryAccuracy(threshold=0.4),
    lambda: M.AUC(num_thresholds=7, curve="PR"),
    lambda: M.AUC(multi_label=True, num_labels=4),
    lambda: M.Precision(top_k=2),
    lambda: M.Recall(class_id=2),
    lambda: M.SensitivityAtSpecificity(0.5, num_thresholds=9),
    lambda: M.MeanIoU(num_classes=2, sparse_y_true=True, sparse_y_pred=True),
    lambda: M.F1Score(average="macro"),
    lambda: M.R2Score(),
    lambda: M.RootMeanSquaredError(),
    lambda: M.MeanTensor(),
]


def _update(metric, y_true, y_pred, sample_weight):
    if isinstance(metric, (M.Mean, M.MeanTensor)) and not isinstance(metric, M.MeanMetricWrapper):
        if isinstance(metric, M.RootMeanSquaredError):
            return metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        return metric.update_state(y_pred, sample_weight=sample_weight)
    if isinstance(metric, M.MeanIoU):
        labels, predictions = tf.cast(y_true > 0.5, "int32"), tf.cast(y_pred > 0.5, "int32")
        return metric.update_state(labels, predictions, tf.ones_like(y_pred) * sample_weight[:, None])
    return metric.update_state(y_true, y_pred, sample_weight=sample_weight)


@pytest.mark.parametrize("make", METRICS)
def test_metric_inside_function_matches_eager(make):
    eager, traced = make(), make()

    @tf.function
    def step(y_true, y_pred, sample_weight):
        _update(traced, y_true, y_pred, sample_weight)
        return traced.result()

    for scale in (1.0, 0.5):
        _update(eager, Y_TRUE, Y_PRED * scale, WEIGHTS)
        got = step(tf.constant(Y_TRUE), tf.constant(Y_PRED * scale), tf.constant(WEIGHTS))
        np.testing.assert_allclose(got.numpy(), eager.result().numpy(), rtol=1e-6, atol=1e-7)
    assert [v.name for v in traced.variables] == [v.name for v in eager.variables]
    traced.reset_state()
    assert all(not np.any(v.numpy()) for v in traced.variables)


def test_function_traces_update_once_per_signature():
    mean = M.Mean()
    calls = []

    @tf.function
    def step(x):
        calls.append(1)
        mean.update_state(x)
        return mean.result()

    for value in (1.0, 2.0, 6.0):
        result = step(tf.constant([value, value]))
    np.testing.assert_allclose(result.numpy(), 3.0)
    assert len(calls) <= 2  # traced (TF traces a first call twice at most), not run per call


@pytest.mark.parametrize(
    "metric",
    [
        M.AUC(thresholds=[0.2, 0.8], curve="PR_GAIN", summation_method="minoring"),
        M.Precision(thresholds=[0.4], class_id=1),
        M.SpecificityAtSensitivity(0.3, num_thresholds=11),
        M.IoU(num_classes=3, target_class_ids=[1, 2]),
        M.BinaryIoU(threshold=0.3),
        M.FBetaScore(average="weighted", beta=0.5, threshold=0.4),
        M.SparseTopKCategoricalAccuracy(k=2),
        M.CategoricalCrossentropy(label_smoothing=0.1, from_logits=True),
    ],
)
def test_config_round_trip(metric):
    again = type(metric).from_config(metric.get_config())
    assert again.get_config() == metric.get_config()
    restored = M.deserialize(M.serialize(metric))
    assert type(restored) is type(metric) and restored.get_config() == metric.get_config()


def test_get_rules():
    assert M.get("mse") is M.mean_squared_error
    assert isinstance(M.get("AUC"), M.AUC)
    assert M.get("not_a_metric") == "not_a_metric"  # tf_keras returns unknown names unchanged
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 3"):
        M.get(3)


@pytest.mark.parametrize(
    "name, y_true_shape, y_pred_shape, function",
    [
        ("accuracy", (4, 1), (4, 1), M.binary_accuracy),
        ("acc", (4,), (4, 3), M.sparse_categorical_accuracy),
        ("Accuracy", (4, 1), (4, 3), M.sparse_categorical_accuracy),
        ("accuracy", (4, 3), (4, 3), M.categorical_accuracy),
        ("crossentropy", (4, 1), (4, 1), M.binary_crossentropy),
        ("ce", (4, 1), (4, 5), M.sparse_categorical_crossentropy),
        ("CE", (4, 5), (4, 5), M.categorical_crossentropy),
    ],
)
def test_compile_names_pick_the_function_by_shapes(name, y_true_shape, y_pred_shape, function):
    from jaxport.modules.compile_utils import get_metric_object

    metric = get_metric_object(name, y_true_shape, y_pred_shape)
    assert isinstance(metric, M.MeanMetricWrapper) and metric._fn is function and metric.name == name


def test_unknown_metric_name_fails_at_first_update():
    from jaxport.modules.compile_utils import get_metric_object

    metric = get_metric_object("nope", (4, 1), (4, 1))
    with pytest.raises(TypeError, match="'str' object is not callable"):
        metric.update_state(Y_TRUE, Y_PRED)
    assert all(not np.any(v.numpy()) for v in metric.variables)


def test_bad_arguments_change_nothing():
    mean = M.Mean()
    mean.update_state([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[3\] vs. \[2\]"):
        mean.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 2.0])
    np.testing.assert_allclose([v.numpy() for v in mean.variables], [3.0, 2.0])
    precision = M.Precision(class_id=7)
    with pytest.raises(tf.errors.InvalidArgumentError, match="slice index 7"):
        precision.update_state(Y_TRUE, Y_PRED)
    assert not np.any(precision.true_positives.numpy())


def test_metrics_in_strategy_run_sum_the_replicas():
    """Under MirroredStrategy (4 simulated CPUs) each replica updates its share of the batch;
    the state read afterwards is the replicas' sum: the metric over the global batch."""
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 4
    rs = np.random.RandomState(3)
    y_true = (rs.uniform(size=(16, 1)) > 0.5).astype("float32")
    y_pred = rs.uniform(size=(16, 1)).astype("float32")
    with strategy.scope():
        replicated = [M.AUC(num_thresholds=13), M.Mean(), M.Precision(thresholds=[0.3, 0.6])]
    single = [M.AUC(num_thresholds=13), M.Mean(), M.Precision(thresholds=[0.3, 0.6])]
    dataset = tf.data.Dataset.from_tensor_slices((y_true, y_pred)).batch(8)

    @tf.function
    def step(batch):
        def replica_fn(labels, predictions):
            for metric in replicated:
                metric.update_state(predictions) if isinstance(metric, M.Mean) else metric.update_state(
                    labels, predictions
                )

        strategy.run(replica_fn, args=batch)

    for batch in strategy.experimental_distribute_dataset(dataset):
        step(batch)
    for metric in single:
        metric.update_state(y_pred) if isinstance(metric, M.Mean) else metric.update_state(y_true, y_pred)
    for got, want in zip(replicated, single):
        np.testing.assert_allclose(got.result().numpy(), want.result().numpy(), rtol=1e-6, atol=1e-7)
        for a, b in zip(got.variables, want.variables):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_lazily_built_metric_in_traced_strategy_run():
    """A metric first built inside a replica of a traced function (its state made from the first
    batch's shapes) aggregates over the replicas as one global metric, as in TF."""
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        f1 = M.F1Score()
    dataset = tf.data.Dataset.from_tensor_slices((Y_TRUE[:, :2].repeat(4, 0), Y_PRED[:, :2].repeat(4, 0))).batch(4)

    @tf.function
    def step(batch):
        strategy.run(lambda labels, predictions: f1.update_state(labels, predictions), args=batch)

    for batch in strategy.experimental_distribute_dataset(dataset):
        step(batch)
    single = M.F1Score()
    single.update_state(Y_TRUE[:, :2].repeat(4, 0), Y_PRED[:, :2].repeat(4, 0))
    np.testing.assert_allclose(f1.result().numpy(), single.result().numpy(), rtol=1e-6)
