"""Parity cases: `tf.keras.metrics` (Keras 2) — every metric streamed over several
`update_state` calls with sample weights and a `reset_state`, names and variable names,
`get`/`serialize`/`deserialize`, and the errors of bad arguments (metrics in `compile`/`fit`
and under a MirroredStrategy: `cases_metrics_fit.py`).

Same contract as `parity_tests/cases.py`. Data come from `np.random.RandomState`; every
metric sees the same batch shapes at each step, so jaxport compiles each update once.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy

BATCH = 6
CLASSES = 4


def _batches(kind: str, step: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y_true, y_pred, sample_weight) of one step for inputs of `kind`."""
    rs = np.random.RandomState(100 + step)
    sw = rs.uniform(0.0, 2.0, BATCH).astype("float32")
    sw[step % BATCH] = 0.0
    if kind == "binary":  # (6, 1) labels and probabilities, some exactly 0, 0.5, 1
        y_true = (rs.uniform(size=(BATCH, 1)) > 0.5).astype("float32")
        y_pred = rs.uniform(size=(BATCH, 1)).astype("float32")
        y_pred[0, 0], y_pred[1, 0] = [0.0, 0.5, 1.0][step % 3], 0.5
        return y_true, y_pred, sw
    if kind == "multilabel":  # (6, 4) independent binary labels
        y_true = (rs.uniform(size=(BATCH, CLASSES)) > 0.5).astype("float32")
        y_pred = rs.uniform(size=(BATCH, CLASSES)).astype("float32")
        return y_true, y_pred, sw
    probs = rs.uniform(0.05, 1.0, size=(BATCH, CLASSES)).astype("float32")
    probs /= probs.sum(axis=1, keepdims=True)
    labels = rs.randint(0, CLASSES, BATCH)
    if kind == "onehot":
        return np.eye(CLASSES, dtype="float32")[labels], probs, sw
    if kind == "sparse":  # integer labels (6,) against (6, 4)
        return labels.astype("int32"), probs, sw
    if kind == "sparse_col":  # labels (6, 1)
        return labels.reshape(-1, 1).astype("float32"), probs, sw
    if kind == "classes":  # integer labels and predictions (IoU)
        return labels.astype("int32"), rs.randint(0, CLASSES, BATCH).astype("int32"), sw
    if kind == "regression":  # (6, 3) positive targets
        y_true = rs.uniform(0.1, 3.0, size=(BATCH, 3)).astype("float32")
        y_pred = (y_true + rs.normal(0, 0.5, size=(BATCH, 3))).astype("float32")
        return y_true, y_pred, sw
    if kind == "signed":  # hinge labels in {-1, 1}
        y_true = np.where(rs.uniform(size=(BATCH, 3)) > 0.5, 1.0, -1.0).astype("float32")
        return y_true, rs.normal(0, 1.0, size=(BATCH, 3)).astype("float32"), sw
    if kind == "values":  # Mean / Sum / MeanTensor inputs
        return rs.normal(size=(BATCH, 3)).astype("float32"), None, sw
    raise ValueError(kind)


def _stream(out: dict[str, Any], key: str, metric: Any, kind: str, weighted: Any = "rows") -> None:
    """Three weighted updates (result after each), reset, one unweighted update; names."""
    results = []
    for step in range(3):
        y_true, y_pred, sw = _batches(kind, step)
        if weighted == "none":
            sw = None
        elif weighted == "cols" and sw is not None:
            sw = np.tile(sw[:, None], (1, y_true.shape[-1]))
        if y_pred is None:
            metric.update_state(y_true, sample_weight=sw)
        else:
            metric.update_state(y_true, y_pred, sample_weight=sw)
        results.append(to_numpy(metric.result()).astype(np.float64))
    metric.reset_state()
    out[f"{key}/after_reset"] = to_numpy(metric.result()).astype(np.float64) if kind not in ("values",) else ""
    y_true, y_pred, _ = _batches(kind, 3)
    if y_pred is None:
        metric.update_state(y_true)
    else:
        metric.update_state(y_true, y_pred)
    results.append(to_numpy(metric.result()).astype(np.float64))
    out[f"{key}/results"] = results
    out[f"{key}/name"] = metric.name
    out[f"{key}/variables"] = [f"{v.name}:{v.dtype.name}:{tuple(v.shape)}" for v in metric.variables]
    out[f"{key}/config_keys"] = sorted(metric.get_config())
    out[f"{key}/dtype"] = str(metric.dtype)


def _streamed(tf: Any, specs: list[tuple[str, Callable[[Any], Any], str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, make, kind, weighted in specs:
        _stream(out, key, make(tf.keras.metrics), kind, weighted)
    return out


def case_metrics_streaming(tf: Any) -> dict[str, Any]:
    """Reductions, accuracies, every loss as a metric, regression scores and IoUs: results
    after each of three weighted updates, after `reset_state` and one more update."""
    specs = [
        ("mean", lambda m: m.Mean(), "values", "rows"),
        ("mean_cols", lambda m: m.Mean(name="mean_cols"), "values", "cols"),
        ("sum", lambda m: m.Sum(), "values", "rows"),
        ("accuracy", lambda m: m.Accuracy(), "classes", "rows"),
        ("binary_accuracy", lambda m: m.BinaryAccuracy(), "binary", "rows"),
        ("binary_accuracy_t", lambda m: m.BinaryAccuracy(name="ba_t", threshold=0.3), "multilabel", "rows"),
        ("categorical_accuracy", lambda m: m.CategoricalAccuracy(), "onehot", "rows"),
        ("sparse_categorical_accuracy", lambda m: m.SparseCategoricalAccuracy(), "sparse", "rows"),
        (
            "sparse_categorical_accuracy_col",
            lambda m: m.SparseCategoricalAccuracy(name="sca_col"),
            "sparse_col",
            "rows",
        ),
        ("top_k", lambda m: m.TopKCategoricalAccuracy(k=2), "onehot", "rows"),
        ("sparse_top_k", lambda m: m.SparseTopKCategoricalAccuracy(k=2), "sparse", "rows"),
        ("sparse_top_k_col", lambda m: m.SparseTopKCategoricalAccuracy(k=3, name="stk3"), "sparse_col", "rows"),
        ("mse", lambda m: m.MeanSquaredError(), "regression", "rows"),
        ("mae", lambda m: m.MeanAbsoluteError(), "regression", "rows"),
        ("mape", lambda m: m.MeanAbsolutePercentageError(), "regression", "rows"),
        ("msle", lambda m: m.MeanSquaredLogarithmicError(), "regression", "rows"),
        ("rmse", lambda m: m.RootMeanSquaredError(), "regression", "rows"),
        ("logcosh", lambda m: m.LogCoshError(), "regression", "rows"),
        ("cosine", lambda m: m.CosineSimilarity(), "regression", "rows"),
        ("cosine_axis0", lambda m: m.CosineSimilarity(name="cos0", axis=0), "regression", "none"),
        ("poisson", lambda m: m.Poisson(), "regression", "rows"),
        ("kld", lambda m: m.KLDivergence(), "onehot", "rows"),
        ("hinge", lambda m: m.Hinge(), "signed", "rows"),
        ("hinge01", lambda m: m.Hinge(name="hinge01"), "multilabel", "rows"),
        ("squared_hinge", lambda m: m.SquaredHinge(), "signed", "rows"),
        ("categorical_hinge", lambda m: m.CategoricalHinge(), "onehot", "rows"),
        ("bce", lambda m: m.BinaryCrossentropy(), "multilabel", "rows"),
        ("bce_smooth", lambda m: m.BinaryCrossentropy(name="bce_s", label_smoothing=0.1), "binary", "rows"),
        ("bce_logits", lambda m: m.BinaryCrossentropy(name="bce_l", from_logits=True), "signed", "rows"),
        ("cce", lambda m: m.CategoricalCrossentropy(), "onehot", "rows"),
        ("cce_smooth", lambda m: m.CategoricalCrossentropy(name="cce_s", label_smoothing=0.2), "onehot", "rows"),
        ("scce", lambda m: m.SparseCategoricalCrossentropy(), "sparse", "rows"),
        ("scce_logits", lambda m: m.SparseCategoricalCrossentropy(name="scce_l", from_logits=True), "sparse", "rows"),
        ("scce_ignore", lambda m: m.SparseCategoricalCrossentropy(name="scce_i", ignore_class=1), "sparse", "rows"),
        ("relative", lambda m: m.MeanRelativeError(normalizer=[[1.0, 2.0, 4.0]] * BATCH), "regression", "rows"),
        ("r2", lambda m: m.R2Score(), "regression", "rows"),
        ("r2_none", lambda m: m.R2Score(class_aggregation=None, name="r2_none"), "regression", "none"),
        (
            "r2_var",
            lambda m: m.R2Score(class_aggregation="variance_weighted_average", name="r2_v"),
            "regression",
            "rows",
        ),
        ("r2_adjusted", lambda m: m.R2Score(num_regressors=2, name="r2_a"), "regression", "rows"),
        ("f1", lambda m: m.F1Score(), "onehot", "rows"),
        ("f1_micro", lambda m: m.F1Score(average="micro", threshold=0.3, name="f1_micro"), "multilabel", "rows"),
        ("f1_macro", lambda m: m.F1Score(average="macro", name="f1_macro"), "onehot", "rows"),
        ("fbeta_weighted", lambda m: m.FBetaScore(average="weighted", beta=2.0, threshold=0.4), "multilabel", "rows"),
        ("mean_iou", lambda m: m.MeanIoU(num_classes=CLASSES), "classes", "rows"),
        ("mean_iou_ignore", lambda m: m.MeanIoU(num_classes=CLASSES, ignore_class=0, name="miou_i"), "classes", "rows"),
        ("iou", lambda m: m.IoU(num_classes=CLASSES, target_class_ids=[0, 2]), "classes", "rows"),
        ("binary_iou", lambda m: m.BinaryIoU(), "binary", "rows"),
        ("binary_iou_1", lambda m: m.BinaryIoU(target_class_ids=[1], threshold=0.3), "multilabel", "none"),
        ("one_hot_iou", lambda m: m.OneHotIoU(num_classes=CLASSES, target_class_ids=[1, 3]), "onehot", "rows"),
        ("one_hot_mean_iou", lambda m: m.OneHotMeanIoU(num_classes=CLASSES), "onehot", "rows"),
    ]
    out = _streamed(tf, specs)
    m = tf.keras.metrics.MeanTensor()
    for step in range(3):
        values, _, sw = _batches("values", step)
        m.update_state(values, sample_weight=sw)
    out["mean_tensor/result"] = to_numpy(m.result())
    out["mean_tensor/variables"] = [v.name for v in m.variables]
    wrapper = tf.keras.metrics.MeanMetricWrapper(tf.keras.metrics.mean_squared_error, name="wrapped_mse")
    y_true, y_pred, sw = _batches("regression", 0)
    wrapper.update_state(y_true, y_pred, sample_weight=sw)
    out["wrapper/result"] = to_numpy(wrapper.result())
    out["wrapper/config_keys"] = sorted(wrapper.get_config())
    return out


def case_metrics_confusion(tf: Any) -> dict[str, Any]:
    """Confusion-matrix metrics and AUC in all their settings, streamed with sample weights."""
    specs = [
        ("tp", lambda m: m.TruePositives(), "binary", "rows"),
        ("fp", lambda m: m.FalsePositives(thresholds=[0.0, 0.5, 1.0]), "binary", "rows"),
        ("tn", lambda m: m.TrueNegatives(thresholds=[0.2, 0.7]), "multilabel", "rows"),
        ("fn", lambda m: m.FalseNegatives(thresholds=0.25), "multilabel", "cols"),
        ("precision", lambda m: m.Precision(), "binary", "rows"),
        ("precision_thresholds", lambda m: m.Precision(thresholds=[0.1, 0.5, 0.9], name="p_t"), "multilabel", "rows"),
        ("precision_top_k", lambda m: m.Precision(top_k=2, name="p_k"), "multilabel", "rows"),
        ("precision_class", lambda m: m.Precision(class_id=1, name="p_c"), "onehot", "rows"),
        ("precision_top_k_class", lambda m: m.Precision(top_k=1, class_id=2, name="p_kc"), "onehot", "rows"),
        ("recall", lambda m: m.Recall(), "binary", "rows"),
        (
            "recall_thresholds",
            lambda m: m.Recall(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0], name="r_t"),
            "multilabel",
            "rows",
        ),
        ("recall_top_k", lambda m: m.Recall(top_k=3, name="r_k"), "onehot", "rows"),
        ("recall_class", lambda m: m.Recall(class_id=0, name="r_c"), "multilabel", "rows"),
        ("sens_at_spec", lambda m: m.SensitivityAtSpecificity(0.5), "binary", "rows"),
        ("spec_at_sens", lambda m: m.SpecificityAtSensitivity(0.6, num_thresholds=20), "multilabel", "rows"),
        ("prec_at_recall", lambda m: m.PrecisionAtRecall(0.7, num_thresholds=7), "multilabel", "rows"),
        ("recall_at_prec", lambda m: m.RecallAtPrecision(0.4, class_id=1), "onehot", "rows"),
        (
            "sens_one_threshold",
            lambda m: m.SensitivityAtSpecificity(0.3, num_thresholds=1, name="s1"),
            "binary",
            "rows",
        ),
        ("auc", lambda m: m.AUC(), "binary", "rows"),
        ("auc_flat", lambda m: m.AUC(name="auc_flat"), "multilabel", "rows"),
        ("auc_pr", lambda m: m.AUC(curve="PR", name="auc_pr"), "multilabel", "rows"),
        (
            "auc_pr_minoring",
            lambda m: m.AUC(curve="pr", summation_method="minoring", num_thresholds=11),
            "multilabel",
            "rows",
        ),
        ("auc_roc_majoring", lambda m: m.AUC(summation_method="majoring", num_thresholds=5), "multilabel", "rows"),
        ("auc_pr_gain", lambda m: m.AUC(curve="PR_GAIN", num_thresholds=13), "multilabel", "rows"),
        ("auc_thresholds", lambda m: m.AUC(thresholds=[0.7, 0.2, 0.5]), "multilabel", "rows"),
        ("auc_even_thresholds", lambda m: m.AUC(thresholds=[0.25, 0.5, 0.75]), "multilabel", "rows"),
        ("auc_multi", lambda m: m.AUC(multi_label=True), "multilabel", "rows"),
        ("auc_multi_pr", lambda m: m.AUC(multi_label=True, curve="PR", num_labels=CLASSES), "multilabel", "cols"),
        (
            "auc_multi_weights",
            lambda m: m.AUC(multi_label=True, label_weights=[1.0, 0.0, 2.0, 0.5]),
            "multilabel",
            "rows",
        ),
        ("auc_label_weights", lambda m: m.AUC(label_weights=[1.0, 0.0, 2.0, 0.5]), "multilabel", "rows"),
        ("auc_multi_thresholds", lambda m: m.AUC(multi_label=True, thresholds=[0.3, 0.6]), "multilabel", "rows"),
        ("auc_logits", lambda m: m.AUC(from_logits=True), "signed", "rows"),
    ]
    out = _streamed(tf, specs)
    auc = tf.keras.metrics.AUC(num_thresholds=4)
    out["auc_thresholds_list"] = np.asarray(auc.thresholds, np.float64)
    out["auc_config"] = str(sorted(tf.keras.metrics.AUC(name="c", thresholds=[0.5]).get_config().items()))
    return out


def case_metrics_api(tf: Any) -> dict[str, Any]:
    """Names (uniquified per class), `get`/`serialize`/`deserialize`, `from_config`, a custom
    Metric subclass, metrics inside `tf.function`, and the errors of bad arguments."""
    m = tf.keras.metrics
    out: dict[str, Any] = {}
    names = [m.AUC().name, m.AUC().name, m.MeanIoU(3).name, m.MeanIoU(2).name, m.Precision().name]
    names += [m.Precision(name="p").name, m.Mean().name, m.Mean().name, m.TruePositives().name]
    names += [m.OneHotMeanIoU(2).name, m.SensitivityAtSpecificity(0.5).name, m.MeanMetricWrapper(m.mae).name]
    names += [m.BinaryIoU().name, m.MeanRelativeError([1.0]).name, m.FBetaScore().name, m.R2Score().name]
    out["names"] = names

    def describe(obj: Any) -> str:
        if isinstance(obj, str):
            return f"str:{obj}"
        if isinstance(obj, m.Metric):
            return f"{type(obj).__name__}:{obj.name}"
        return f"function:{obj.__name__}"

    lookups = ["mse", "MSE", "mae", "MAE", "mape", "msle", "acc", "ACC", "accuracy", "binary_accuracy"]
    lookups += ["categorical_accuracy", "sparse_categorical_accuracy", "top_k_categorical_accuracy"]
    lookups += ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"]
    lookups += ["hinge", "squared_hinge", "categorical_hinge", "poisson", "logcosh", "log_cosh"]
    lookups += ["cosine_similarity", "cosine_proximity", "AUC", "Precision", "Recall", "Accuracy", "Mean"]
    lookups += ["F1Score", "RootMeanSquaredError", "nope", "auc", "kld", "huber"]
    out["get"] = [describe(m.get(name)) for name in lookups]
    out["get/kullback_leibler_divergence"] = str(
        m.get("kullback_leibler_divergence")(np.array([0.3, 0.7]), np.array([0.5, 0.5])).numpy().round(6)
    )
    out["get/dict_legacy"] = describe(m.get({"class_name": "Mean", "config": {"name": "zz", "dtype": "float32"}}))
    out["get/dict"] = describe(
        m.get({"module": "keras.metrics", "class_name": "Recall", "config": {"name": "rr"}, "registered_name": None})
    )
    out["get/dict_unknown"] = describe(
        m.get({"module": "keras.metrics", "class_name": "Nope", "config": {}, "registered_name": None})
    )
    out["get/callable"] = describe(m.get(m.hinge))
    out["serialize/auc"] = str(sorted(m.serialize(m.AUC(name="s_auc")).items()))
    out["serialize/precision_legacy"] = str(m.serialize(m.Precision(name="s_p"), use_legacy_format=True))
    restored = m.deserialize(m.serialize(m.Precision(thresholds=[0.3, 0.6], name="s_p2")))
    out["deserialize/precision"] = f"{type(restored).__name__}:{restored.name}:{list(restored.thresholds)}"
    out["deserialize/name"] = describe(m.deserialize("mean_squared_error"))
    again = m.SparseTopKCategoricalAccuracy.from_config(m.SparseTopKCategoricalAccuracy(k=3, name="st").get_config())
    out["from_config"] = f"{again.name}:{sorted(again.get_config().items())}"

    class BinaryTruePositives(m.Metric):
        def __init__(self, name: str = "binary_true_positives", **kwargs: Any):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_weight(name="tp", initializer="zeros")

        def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
            y_true = tf.cast(y_true, tf.bool)
            y_pred = tf.cast(y_pred, tf.bool)
            values = tf.cast(tf.logical_and(tf.equal(y_true, True), tf.equal(y_pred, True)), self.dtype)
            if sample_weight is not None:
                values = tf.multiply(values, tf.cast(sample_weight, self.dtype))
            self.true_positives.assign_add(tf.reduce_sum(values))

        def result(self) -> Any:
            return self.true_positives

    custom = BinaryTruePositives()
    custom.update_state([1, 1, 0, 1], [1, 0, 1, 1], sample_weight=[1.0, 2.0, 3.0, 0.5])
    out["custom/result"] = to_numpy(custom.result())
    out["custom/call"] = to_numpy(custom([1, 1], [1, 1]))
    out["custom/variables"] = [v.name for v in custom.variables]
    custom.reset_state()
    out["custom/reset"] = to_numpy(custom.result())

    auc = m.AUC(num_thresholds=9)
    mean = m.Mean()

    @tf.function
    def step(y_true: Any, y_pred: Any) -> Any:
        auc.update_state(y_true, y_pred)
        mean.update_state(y_pred)
        return auc.result()

    traced = []
    for i in range(3):
        y_true, y_pred, _ = _batches("binary", i)
        traced.append(to_numpy(step(y_true, y_pred)))
    out["function/auc_steps"] = traced
    out["function/mean"] = to_numpy(mean.result())
    out["call"] = to_numpy(m.Mean()([1.0, 3.0, 5.0, 7.0]))
    merged = m.Mean()
    merged.update_state([1.0, 2.0])
    other = m.Mean()
    other.update_state([3.0])
    merged.merge_state([other])
    out["merge_state"] = to_numpy(merged.result())

    _details(tf, out)

    yt = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]], "float32")
    yp = np.random.RandomState(0).rand(4, 3).astype("float32")
    precision = m.Precision(class_id=5)
    state = lambda metric: lambda: [to_numpy(v) for v in metric.variables]  # noqa: E731
    add = lambda key, fn, phrases, st=None: add_error_contract(out, tf, key, fn, phrases=phrases, state=st)  # noqa: E731
    add(
        "precision_class_id",
        lambda: precision.update_state(yt, yp),
        ("slice index 5", "out of bounds"),
        state(precision),
    )
    p2 = m.Precision()
    add(
        "precision_shapes",
        lambda: p2.update_state(yt, yp[:, :2]),
        ("Shapes (4, 2) and (4, 3) are incompatible",),
        state(p2),
    )
    a2 = m.AUC()
    add("auc_shapes", lambda: a2.update_state(yt, yp[:, :2]), ("are incompatible",), state(a2))
    p3 = m.Precision(top_k=5)
    add("precision_top_k", lambda: p3.update_state(yt, yp), ("at least k columns", "Had 3, needed 5"), state(p3))
    add(
        "auc_num_thresholds",
        lambda: m.AUC(num_thresholds=1),
        ("`num_thresholds` must be an integer > 1", "num_thresholds=1"),
    )
    add("auc_curve", lambda: m.AUC(curve="XX"), ('Invalid AUC curve value: "XX"', "PR_GAIN"))
    add("auc_summation", lambda: m.AUC(summation_method="XX"), ("Invalid AUC summation method", '"XX"', "minoring"))
    add("auc_num_labels", lambda: m.AUC(num_labels=3), ("`num_labels` is needed only when `multi_label` is True",))
    add(
        "auc_multi_label_rank",
        lambda: m.AUC(multi_label=True).update_state(yt[:, 0], yp[:, 0]),
        ("must have rank 2 when `multi_label=True`", "Found rank 1", "(4,)"),
    )
    add("auc_label_weights", lambda: m.AUC(label_weights=[-1.0, 1.0, 1.0]), ("`label_weights` must be non-negative",))
    add(
        "precision_thresholds",
        lambda: m.Precision(thresholds=[0.5, 1.5]),
        ("Threshold values must be in [0, 1]", "[1.5]"),
    )
    add("true_positives_threshold", lambda: m.TruePositives(thresholds=-0.1), ("must be in [0, 1]", "[-0.1]"))
    add(
        "sensitivity",
        lambda: m.SensitivityAtSpecificity(1.5),
        ("`specificity` must be in the range [0, 1]", "specificity=1.5"),
    )
    add(
        "specificity",
        lambda: m.SpecificityAtSensitivity(-0.5),
        ("`sensitivity` must be in the range", "sensitivity=-0.5"),
    )
    add("precision_at_recall", lambda: m.PrecisionAtRecall(2), ("`recall` must be in the range [0, 1]", "recall=2"))
    add("recall_at_precision", lambda: m.RecallAtPrecision(2), ("`precision` must be in the range", "precision=2"))
    add(
        "sens_num_thresholds",
        lambda: m.SensitivityAtSpecificity(0.5, num_thresholds=0),
        ("must be an integer > 0", "num_thresholds=0"),
    )
    add("iou_target", lambda: m.IoU(3, target_class_ids=[0, 3]), ("Target class id 3 is out of range", "[0, 3)"))
    miou = m.MeanIoU(2)
    add("mean_iou_labels", lambda: miou.update_state([0, 1, 2], [0, 1, 1]), ("`labels` out of bound",), state(miou))
    add("fbeta_average", lambda: m.FBetaScore(average="bad"), ("Invalid `average` argument value", "average=bad"))
    add("fbeta_beta_type", lambda: m.FBetaScore(beta=1), ("should be a Python float", "beta=1"))
    add("fbeta_beta", lambda: m.FBetaScore(beta=0.0), ("It should be > 0", "beta=0.0"))
    add("fbeta_threshold", lambda: m.FBetaScore(threshold=1.5), ("0 < threshold <= 1", "threshold=1.5"))
    add("f1_rank", lambda: m.F1Score().update_state(yt[:, 0], yp[:, 0]), ("expects 2D inputs", "y_pred.shape=(4,)"))
    add("r2_aggregation", lambda: m.R2Score(class_aggregation="x"), ("`class_aggregation`", "class_aggregation=x"))
    add("r2_regressors", lambda: m.R2Score(num_regressors=-1), ("Expected a value >= 0", "num_regressors=-1"))
    add(
        "r2_rank",
        lambda: m.R2Score().update_state(yt[:, 0], yp[:, 0]),
        ("R2Score expects 2D inputs", "y_true.shape=(4,)"),
    )
    tensor_mean = m.MeanTensor()
    tensor_mean.update_state([1.0, 2.0])
    add(
        "mean_tensor_shape",
        lambda: tensor_mean.update_state([1.0, 2.0, 3.0]),
        ("must always have the same shape", "(2,)", "Got: (3,)"),
        state(tensor_mean),
    )
    add("mean_tensor_result", lambda: m.MeanTensor().result(), ("does not have any value yet",))
    add(
        "accuracy_shapes",
        lambda: m.Accuracy().update_state([1, 2], [1, 2, 3]),
        ("Shapes (2,) and (3,) are incompatible",),
    )
    weighted = m.Mean()
    add(
        "mean_sample_weight",
        lambda: weighted.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 2.0]),
        ("Incompatible shapes", "[3] vs. [2]"),
        state(weighted),
    )
    add("merge_state", lambda: m.Mean(name="mm").merge_state([m.AUC(name="ma")]), ("is not compatible with",))
    add("get_bad_type", lambda: m.get(3), ("Could not interpret metric identifier: 3",))
    add("get_unexported", lambda: m.get("bce"), ("Could not locate function 'bce'",))
    add("get_unknown_legacy", lambda: m.get({"class_name": "Nope", "config": {}}), ("Unknown metric function: 'Nope'",))
    add(
        "get_bad_config",
        lambda: m.get({"class_name": "MeanIoU", "config": {}}),
        ("Error when deserializing class 'MeanIoU'", "num_classes"),
    )
    return out


def _details(tf: Any, out: dict[str, Any]) -> None:
    """Dtypes, scalar and broadcast sample weights, ties, empty results, a custom metric with
    non-scalar state, `str()`, the stateless functions, and which names the namespace has."""
    m = tf.keras.metrics
    mean64 = m.Mean(dtype="float64")
    mean64.update_state([1, 2, 4])
    out["details/mean64"] = [mean64.result().dtype.name] + [v.dtype.name for v in mean64.variables]
    out["details/mean64_value"] = to_numpy(mean64.result())
    total = m.Sum()
    total.update_state(np.array([1, 2, 4], "int32"))
    out["details/sum_int"] = f"{total.result().dtype.name}:{to_numpy(total.result())}"
    scalar = m.Mean()
    scalar.update_state(3.0)
    scalar.update_state(5.0, sample_weight=3)
    out["details/scalar_weight"] = to_numpy(scalar.result())
    for key, values, weights in [
        ("w21", np.ones((2, 3)), [[1.0], [2.0]]),
        ("w2", np.arange(6.0).reshape(2, 3), [1.0, 2.0]),
        ("w2_3d", np.arange(24.0).reshape(2, 3, 4), [1.0, 2.0]),
    ]:
        metric = m.Mean()
        metric.update_state(values, sample_weight=weights)
        out[f"details/mean_{key}"] = [to_numpy(metric.result()), to_numpy(metric.count)]
    summed = m.Sum()
    summed.update_state(np.arange(24.0).reshape(2, 3, 4), sample_weight=[1.0, 2.0])
    out["details/sum_3d"] = to_numpy(summed.result())
    binary = m.BinaryAccuracy()
    binary.update_state([1, 0, 1], [0.7, 0.2, 0.4], sample_weight=[[1], [2], [3]])
    out["details/binary_column_weights"] = to_numpy(binary.result())
    squeezed = m.MeanSquaredError()
    squeezed.update_state([1.0, 2.0, 3.0], [[1.0], [2.0], [5.0]])
    out["details/mse_squeezed"] = to_numpy(squeezed.result())
    tie = m.CategoricalAccuracy()
    tie.update_state(np.eye(3)[[0, 1, 2]], np.array([[0.5, 0.5, 0], [0, 1, 0], [0.2, 0.3, 0.5]]))
    out["details/argmax_tie"] = to_numpy(tie.result())
    top_tie = m.SparseTopKCategoricalAccuracy(k=1)
    top_tie.update_state([0, 1], [[0.5, 0.5, 0], [0.5, 0.5, 0]])
    out["details/top_k_tie"] = to_numpy(top_tie.result())
    out["details/empty"] = [to_numpy(m.AUC().result()), to_numpy(m.Precision().result()), to_numpy(m.Mean().result())]
    shaped = m.MeanTensor(shape=(2,))
    out["details/mean_tensor_shape"] = [to_numpy(shaped.result())]

    class Custom(m.Metric):
        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self.s = self.add_weight("s", shape=(2,), initializer="ones")

        def update_state(self, x: Any) -> None:
            self.s.assign_add(x)

        def result(self) -> Any:
            return self.s

    custom, custom_1 = Custom(), Custom()
    out["details/custom_names"] = [custom.name, custom_1.name] + [v.name for v in custom.variables]
    custom.update_state([1.0, 2.0])
    add_error_contract(
        out,
        tf,
        "custom_reset_non_scalar",
        custom.reset_state,
        phrases=("Cannot assign value to variable", "Shape mismatch", "(2,)"),
        state=lambda: to_numpy(custom.s),
    )
    out["details/str"] = str(m.Precision(name="pp", thresholds=0.3))
    out["details/functions"] = [
        to_numpy(m.hinge([[0.0, 1.0]], [[0.3, -0.4]])),
        to_numpy(m.sparse_categorical_accuracy([[1], [0]], [[0.1, 0.9], [0.2, 0.8]])),
        to_numpy(m.binary_accuracy([[1, 0]], [[0.6, 0.7]])),
        to_numpy(m.top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], k=2)),
        to_numpy(m.kld([[0.2, 0.8]], [[0.5, 0.5]])),
        to_numpy(m.mape([[1.0, 2.0]], [[1.5, 1.0]])),
    ]
    add_error_contract(out, tf, "r2_result_before_update", lambda: m.R2Score().result(), phrases=("attribute 'sum'",))
    add_error_contract(out, tf, "f1_result_before_update", lambda: m.F1Score().result(), phrases=("true_positives",))
    auc = m.AUC(num_thresholds=3)
    auc.update_state([0, 1], [0.2, 0.8])
    twin = copy.deepcopy(auc)
    auc.update_state([1], [0.1])
    out["details/deepcopy_name"] = twin.name
    out["details/deepcopy"] = [to_numpy(twin.result()), to_numpy(twin.true_positives), to_numpy(auc.true_positives)]
    out["details/weights"] = np.asarray([len(auc.weights), len(auc.trainable_weights), len(auc.non_trainable_weights)])
    out["details/get_weights"] = auc.get_weights()
    boolean = m.Precision()
    boolean.update_state([True, False, True], [True, True, False])
    integer = m.AUC(num_thresholds=5)
    integer.update_state(np.array([0, 2, 1]), [0.2, 0.9, 0.6])
    out["details/bool_and_int_labels"] = [to_numpy(boolean.result()), to_numpy(integer.result())]
    names = ["acc", "ACC", "accuracy", "cosine_similarity", "cosine_proximity", "categorical_hinge", "kld", "KLD"]
    names += ["kl_divergence", "kullback_leibler_divergence", "logcosh", "log_cosh", "mse", "MSE", "msle", "MAPE"]
    names += ["Reduce", "SumOverBatchSize", "SensitivitySpecificityBase", "MeanRelativeError", "MeanTensor"]
    out["details/namespace"] = [f"{name}:{hasattr(m, name)}" for name in names]


REFERENCES: dict[str, Reference] = {
    "metrics_streaming": Reference("metrics_streaming"),
    "metrics_confusion": Reference("metrics_confusion"),
    "metrics_api": Reference("metrics_api"),
}
