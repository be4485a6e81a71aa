"""Parity cases: Keras 2's activation, masking, wrapper, noise and preprocessing layers —
outputs in inference and training, gradients with respect to inputs and weights, weight names
and shapes, get_config keys, masks; noise layers by their statistics (their draws cannot
match TF's); and bad arguments."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _yes(flag: Any) -> str:
    return "yes" if bool(flag) else "no"


def _run(tf: Any, out: dict, key: str, layer: Any, x: np.ndarray, seed: int, **call_kwargs: Any) -> None:
    """Output, names, shapes, config keys and gradients of `layer` on `x` with fixed weights."""
    t = tf.constant(x)
    layer(t, **call_kwargs)
    values = [
        np.random.RandomState(seed + i).uniform(-0.3, 0.3, v.shape).astype("float32")
        for i, v in enumerate(layer.get_weights())
    ]
    layer.set_weights(values)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = layer(t, **call_kwargs)
        loss = tf.reduce_sum(tf.sin(y) * y)
    grads = tape.gradient(loss, [t] + layer.trainable_weights)
    out[f"{key}/out"] = to_numpy(y)
    out[f"{key}/dtype"] = y.dtype.name
    out[f"{key}/names"] = [w.name for w in layer.weights]
    out[f"{key}/shapes"] = [str(tuple(w.shape)) for w in layer.weights]
    out[f"{key}/config"] = sorted(layer.get_config())
    for i, g in enumerate(grads):
        out[f"{key}/grad{i}"] = to_numpy(g)


def case_layersx_forward(tf: Any) -> dict[str, Any]:
    """Deterministic layers: forward, gradients, weights and config keys."""
    out: dict[str, Any] = {}
    rs = np.random.RandomState(0)
    vec = (rs.randn(3, 5) * 2).astype("float32")
    seq = rs.randn(2, 4, 3).astype("float32")
    img = rs.uniform(0, 4, (2, 6, 5, 2)).astype("float32")
    L = tf.keras.layers
    cases = [
        ("leaky_relu", L.LeakyReLU(), vec, {}),
        ("leaky_relu_01", L.LeakyReLU(alpha=0.1), vec, {}),
        ("prelu", L.PReLU(), seq, {}),
        ("prelu_shared", L.PReLU(shared_axes=[1]), seq, {}),
        ("elu", L.ELU(), vec, {}),
        ("elu_05", L.ELU(alpha=0.5), vec, {}),
        ("thresholded_relu", L.ThresholdedReLU(theta=0.5), vec, {}),
        ("relu", L.ReLU(), vec, {}),
        ("relu_all", L.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2), vec, {}),
        ("relu_max6", L.ReLU(max_value=6.0), vec * 4, {}),
        ("relu_slope", L.ReLU(negative_slope=0.25), vec, {}),
        ("softmax_axis1", L.Softmax(axis=1), seq, {}),
        ("softmax_axes", L.Softmax(axis=[1, 2]), seq, {}),
        ("softmax_mask", L.Softmax(), vec, {"mask": np.array(rs.rand(3, 5) > 0.4)}),
        ("identity", L.Identity(), vec, {}),
        ("activity_reg", L.ActivityRegularization(l1=0.01, l2=0.1), vec, {}),
        ("lambda_args", L.Lambda(lambda x, k: x * k + 1.0, arguments={"k": 3.0}), vec, {}),
        ("masking", L.Masking(mask_value=0.0), np.where(rs.rand(2, 4, 1) > 0.5, seq, 0).astype("float32"), {}),
        ("time_distributed_dense", L.TimeDistributed(L.Dense(2)), seq, {}),
        ("time_distributed_conv", L.TimeDistributed(L.Conv2D(2, 2)), img[:, None].repeat(2, 1)[:, :, :4], {}),
        ("rescaling", L.Rescaling(1 / 255.0, offset=-0.5), img * 60, {}),
        ("normalization_given", L.Normalization(mean=[1.0, 2.0], variance=[4.0, 0.25]), img, {}),
        ("normalization_invert", L.Normalization(axis=None, mean=0.5, variance=9.0, invert=True), img, {}),
        ("resizing_bilinear", L.Resizing(4, 7), img, {}),
        ("resizing_nearest", L.Resizing(3, 3, interpolation="nearest"), img, {}),
        ("resizing_bicubic_crop", L.Resizing(4, 4, interpolation="bicubic", crop_to_aspect_ratio=True), img, {}),
        ("resizing_crop_wide", L.Resizing(2, 5, crop_to_aspect_ratio=True), img, {}),
        ("center_crop", L.CenterCrop(3, 2), img, {}),
        ("center_crop_upsize", L.CenterCrop(8, 4), img, {}),
        ("center_crop_3d", L.CenterCrop(4, 4), img[0], {}),
    ]
    for i, (key, layer, x, kwargs) in enumerate(cases):
        _run(tf, out, key, layer, x, 10 * i, **kwargs)
    reg = L.ActivityRegularization(l1=0.01, l2=0.1)
    reg(tf.constant(vec))
    out["activity_reg/losses"] = [to_numpy(v) for v in reg.losses]
    return out


def case_layersx_masks(tf: Any) -> dict[str, Any]:
    """Masks made by Masking and carried by the layers that support masking."""
    out: dict[str, Any] = {}
    L = tf.keras.layers
    rs = np.random.RandomState(1)
    seq = rs.randn(3, 5, 2).astype("float32")
    seq[0, 3:] = 0.0
    seq[1, 1] = 0.0
    seq[2, 4] = -1.0
    x = tf.constant(seq)
    masked = L.Masking()(x)
    out["masking/mask"] = to_numpy(masked._keras_mask)
    masked_neg = L.Masking(mask_value=-1.0)(x)
    out["masking_neg/mask"] = to_numpy(masked_neg._keras_mask)
    out["masking_neg/out"] = to_numpy(masked_neg)
    for key, layer in [
        ("leaky_relu", L.LeakyReLU()),
        ("prelu", L.PReLU()),
        ("elu", L.ELU()),
        ("identity", L.Identity()),
        ("activity_reg", L.ActivityRegularization()),
        ("gaussian_noise", L.GaussianNoise(0.1)),
        ("alpha_dropout", L.AlphaDropout(0.1)),
        ("spatial_dropout", L.SpatialDropout1D(0.3)),
    ]:
        y = layer(masked)
        out[f"{key}/has_mask"] = _yes(getattr(y, "_keras_mask", None) is not None)
    td = L.TimeDistributed(L.Dense(2, kernel_initializer="ones"))
    y = td(masked)
    out["time_distributed/mask"] = to_numpy(y._keras_mask)
    out["time_distributed/out"] = to_numpy(y)
    pooled = L.GlobalAveragePooling1D()(td(masked))
    out["pooled_after_td"] = to_numpy(pooled)
    lam = L.Lambda(lambda t: t * 2.0, mask=lambda t, m: m)
    out["lambda_mask_fn"] = to_numpy(lam(masked)._keras_mask)
    out["lambda_no_mask"] = _yes(getattr(L.Lambda(lambda t: t)(masked), "_keras_mask", None) is not None)
    sm = L.Softmax()
    logits = tf.constant([[1.0, 2.0, 1.0], [3.0, -1.0, 0.5]])
    out["softmax_mask_bool"] = to_numpy(sm(logits, mask=tf.constant([[True, False, True], [False, True, True]])))
    out["softmax_mask_float"] = to_numpy(sm(logits, mask=tf.constant([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])))
    out["softmax_robust"] = to_numpy(
        L.Softmax(robust_masking=True)(logits, mask=tf.constant([[True, False, True], [False, True, True]]))
    )
    out["softmax_robust/config"] = sorted(L.Softmax(robust_masking=True).get_config())
    model = tf.keras.Sequential([L.Masking(input_shape=(5, 2)), L.TimeDistributed(L.Dense(3)), L.LeakyReLU()])
    model.set_weights([np.full((2, 3), 0.5, "float32"), np.zeros(3, "float32")])
    out["sequential/out"] = to_numpy(model(x))
    out["sequential/names"] = [w.name for w in model.weights]
    return out


def case_layersx_noise(tf: Any) -> dict[str, Any]:
    """Noise layers: the identity in inference; in training, statistics, scaling and the
    sharing of spatial dropout masks (values drawn by a framework RNG are never compared)."""
    out: dict[str, Any] = {}
    L = tf.keras.layers
    ones = tf.ones((200, 50))
    x = tf.constant(np.random.RandomState(2).randn(4, 6).astype("float32"))
    layers = {
        "gaussian_noise": L.GaussianNoise(0.5),
        "gaussian_dropout": L.GaussianDropout(0.2),
        "alpha_dropout": L.AlphaDropout(0.2),
        "spatial_dropout1d": L.SpatialDropout1D(0.5),
        "spatial_dropout2d": L.SpatialDropout2D(0.5),
        "spatial_dropout3d": L.SpatialDropout3D(0.5),
    }
    shapes = {"spatial_dropout1d": (4, 6, 1), "spatial_dropout2d": (2, 3, 4, 1), "spatial_dropout3d": (1, 2, 3, 4, 1)}
    for key, layer in layers.items():
        xi = tf.reshape(x, shapes.get(key, (4, 6)))
        out[f"{key}/inference_none"] = to_numpy(layer(xi))
        out[f"{key}/inference_false"] = to_numpy(layer(xi, training=False))
        out[f"{key}/config"] = sorted(layer.get_config())
    y = to_numpy(L.GaussianNoise(0.5)(ones, training=True)) - 1.0
    out["gaussian_noise/stats_ok"] = _yes(abs(y.mean()) < 0.02 and abs(y.std() - 0.5) < 0.02)
    y = to_numpy(L.GaussianDropout(0.2)(ones * 2.0, training=True))
    out["gaussian_dropout/stats_ok"] = _yes(abs(y.mean() - 2.0) < 0.03 and abs(y.std() - 2.0 * 0.5) < 0.03)
    out["gaussian_dropout/rate0_identity"] = _yes(
        np.array_equal(to_numpy(L.GaussianDropout(0.0)(x, training=True)), to_numpy(x))
    )
    y = to_numpy(L.AlphaDropout(0.2)(ones, training=True))
    out["alpha_dropout/values"] = np.unique(np.round(y, 4))
    out["alpha_dropout/drop_fraction_ok"] = _yes(abs(np.mean(y < 0) - 0.2) < 0.02)
    out["alpha_dropout/rate1_identity"] = _yes(
        np.array_equal(to_numpy(L.AlphaDropout(1.0)(x, training=True)), to_numpy(x))
    )
    y = to_numpy(L.SpatialDropout2D(0.5)(tf.ones((40, 3, 4, 16)), training=True))
    out["spatial_dropout2d/values"] = np.unique(y)
    out["spatial_dropout2d/shared"] = _yes(np.all(y == y[:, :1, :1, :]))
    out["spatial_dropout2d/fraction_ok"] = _yes(abs(np.mean(y == 0) - 0.5) < 0.08)
    y = to_numpy(L.SpatialDropout2D(0.5, data_format="channels_first")(tf.ones((40, 16, 3, 4)), training=True))
    out["spatial_dropout2d_cf/shared"] = _yes(np.all(y == y[:, :, :1, :1]))
    y = to_numpy(L.SpatialDropout1D(0.25)(tf.ones((40, 5, 16)), training=True))
    out["spatial_dropout1d/values"] = np.unique(y)
    out["spatial_dropout1d/shared"] = _yes(np.all(y == y[:, :1, :]))
    y = to_numpy(L.SpatialDropout3D(0.5)(tf.ones((20, 2, 2, 3, 8)), training=True))
    out["spatial_dropout3d/shared"] = _yes(np.all(y == y[:, :1, :1, :1, :]))
    t = tf.constant(np.random.RandomState(3).randn(3, 4).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(t)
        loss = tf.reduce_sum(L.GaussianNoise(0.3)(t, training=True) * 2.0)
    out["gaussian_noise/grad"] = to_numpy(tape.gradient(loss, t))
    return out


def case_layersx_preprocessing(tf: Any) -> dict[str, Any]:
    """Normalization.adapt (arrays, datasets, axes), CategoryEncoding modes, integer images."""
    out: dict[str, Any] = {}
    L = tf.keras.layers
    rs = np.random.RandomState(4)
    data = (rs.randn(70, 3) * [1.0, 5.0, 0.1] + [0.0, 10.0, -3.0]).astype("float32")
    norm = L.Normalization()
    norm.adapt(data)
    out["adapt/names"] = [w.name for w in norm.weights]
    out["adapt/weights"] = [to_numpy(w) for w in norm.get_weights()]
    out["adapt/trainable"] = [w.name for w in norm.trainable_weights]
    out["adapt/out"] = to_numpy(norm(tf.constant(data[:4])))
    out["adapt/config"] = sorted(norm.get_config())
    out["adapt/config_axis"] = str(norm.get_config()["axis"])
    norm.adapt(data[:10] * 2.0)  # adapting again starts over
    out["adapt/again"] = [to_numpy(w) for w in norm.get_weights()]
    scalar = L.Normalization(axis=None)
    scalar.adapt(data, batch_size=16)
    out["adapt_none/weights"] = [to_numpy(w) for w in scalar.get_weights()]
    images = rs.uniform(0, 255, (9, 3, 2, 2)).astype("float32")
    per_pixel = L.Normalization(axis=(1, 2))
    per_pixel.adapt(tf.data.Dataset.from_tensor_slices(images).batch(4))
    out["adapt_axes/weights"] = [to_numpy(w) for w in per_pixel.get_weights()]
    out["adapt_axes/out"] = to_numpy(per_pixel(tf.constant(images[:2])))
    forward, inverse = L.Normalization(), L.Normalization(invert=True)
    forward.adapt(data)
    inverse.adapt(data)
    out["adapt_invert/roundtrip"] = to_numpy(inverse(forward(tf.constant(data[:3]))))
    ids = tf.constant([[0, 1, 1], [3, 3, 3]])
    for mode in ("multi_hot", "count", "one_hot", "binary"):
        layer = L.CategoryEncoding(num_tokens=5, output_mode=mode)
        src = tf.constant([[1], [4], [0]]) if mode == "one_hot" else ids
        y = layer(src)
        out[f"category/{mode}"] = to_numpy(y)
        out[f"category/{mode}/dtype"] = y.dtype.name
        out[f"category/{mode}/config"] = layer.get_config()["output_mode"]
    out["category/one_hot_vector"] = to_numpy(L.CategoryEncoding(4, output_mode="one_hot")(tf.constant([2, 0, 3])))
    out["category/multi_hot_vector"] = to_numpy(L.CategoryEncoding(4)(tf.constant([2, 0, 2])))
    out["category/scalar"] = to_numpy(L.CategoryEncoding(3, output_mode="one_hot")(tf.constant(1)))
    out["category/count_weights"] = to_numpy(
        L.CategoryEncoding(4, output_mode="count")(ids[:, :2] % 4, count_weights=tf.constant([[0.5, 2.0], [1.0, 3.0]]))
    )
    out["category/float64"] = to_numpy(L.CategoryEncoding(3, dtype="float64")(tf.constant([[0, 2]])))
    values = tf.constant([[-1.0, 0.0, 0.5], [1.0, 2.5, 7.0]])
    for mode in ("int", "one_hot", "multi_hot", "count"):
        layer = L.Discretization(bin_boundaries=[0.0, 1.0, 2.5], output_mode=mode)
        src = tf.constant([-1.0, 1.0, 3.0]) if mode == "one_hot" else values
        y = layer(src)
        out[f"discretization/{mode}"] = to_numpy(y)
        out[f"discretization/{mode}/dtype"] = y.dtype.name
    out["discretization/ints"] = to_numpy(L.Discretization([1.0, 3.0])(tf.constant([[0, 1, 2, 3, 4]])))
    out["discretization/config"] = sorted(L.Discretization([1.0]).get_config())
    samples = rs.gamma(2.0, size=(150, 2)).astype("float32")
    quantiles = L.Discretization(num_bins=4)
    quantiles.adapt(samples)
    out["discretization_adapt/boundaries"] = np.array(quantiles.bin_boundaries, "float32")
    out["discretization_adapt/out"] = to_numpy(quantiles(tf.constant(samples[:5])))
    coarse = L.Discretization(num_bins=3, epsilon=0.1, output_mode="one_hot")
    coarse.adapt(tf.data.Dataset.from_tensor_slices(samples[:, 0]).batch(40))
    out["discretization_adapt_eps/boundaries"] = np.array(coarse.bin_boundaries, "float32")
    out["discretization_adapt_eps/out"] = to_numpy(coarse(tf.constant(samples[:4, 0])))
    experimental = L.experimental.preprocessing
    out["experimental_aliases"] = [
        _yes(getattr(experimental, name) is getattr(L, name))
        for name in ("CategoryEncoding", "CenterCrop", "Discretization", "Normalization", "Rescaling", "Resizing")
    ]
    uint8 = tf.constant(rs.randint(0, 255, (1, 4, 6, 1)).astype("uint8"))
    out["rescaling_uint8"] = to_numpy(L.Rescaling(1 / 127.5, offset=-1)(uint8))
    out["resizing_uint8_nearest"] = to_numpy(L.Resizing(2, 3, interpolation="nearest")(uint8))
    out["resizing_uint8_bilinear"] = to_numpy(L.Resizing(2, 3)(uint8))
    out["center_crop_uint8"] = to_numpy(L.CenterCrop(2, 3)(uint8))
    out["center_crop_uint8/dtype"] = L.CenterCrop(2, 3)(uint8).dtype.name
    model = tf.keras.Sequential(
        [L.Rescaling(0.1, input_shape=(4, 6, 1)), L.CenterCrop(2, 4), L.Resizing(4, 8), L.Flatten(), L.Dense(2)]
    )
    model.set_weights([np.full((32, 2), 0.05, "float32"), np.array([0.1, -0.1], "float32")])
    out["sequential/out"] = to_numpy(model(uint8))
    return out


def case_layersx_errors(tf: Any) -> dict[str, Any]:
    """Bad arguments and inputs of these layers: TF's error classes and message phrases."""
    out: dict[str, Any] = {}
    L = tf.keras.layers
    add_error_contract(
        out, tf, "relu_negative_slope", lambda: L.ReLU(negative_slope=-1.0), phrases=("negative_slope", "-1.0")
    )
    add_error_contract(out, tf, "relu_threshold", lambda: L.ReLU(threshold=-0.5), phrases=("threshold", "-0.5"))
    add_error_contract(out, tf, "relu_max_value", lambda: L.ReLU(max_value=-2.0), phrases=("max_value", "-2.0"))
    add_error_contract(out, tf, "leaky_relu_none", lambda: L.LeakyReLU(alpha=None), phrases=("alpha", "None"))
    add_error_contract(out, tf, "elu_none", lambda: L.ELU(alpha=None), phrases=("alpha", "None"))
    add_error_contract(out, tf, "thresholded_relu_theta", lambda: L.ThresholdedReLU(-1.0), phrases=("theta", "-1.0"))
    add_error_contract(
        out,
        tf,
        "category_output_mode",
        lambda: L.CategoryEncoding(3, output_mode="tf_idf"),
        phrases=("output_mode", "multi_hot", "tf_idf"),
    )
    add_error_contract(out, tf, "category_num_tokens", lambda: L.CategoryEncoding(0), phrases=("num_tokens=0",))
    add_error_contract(out, tf, "category_no_num_tokens", lambda: L.CategoryEncoding(), phrases=("num_tokens",))
    add_error_contract(
        out,
        tf,
        "category_out_of_range",
        lambda: L.CategoryEncoding(3)(tf.constant([[0, 5]])),
        phrases=("0 <= values < num_tokens", "num_tokens=3"),
    )
    add_error_contract(
        out,
        tf,
        "category_negative",
        lambda: L.CategoryEncoding(3)(tf.constant([[-1, 2]])),
        phrases=("0 <= values < num_tokens",),
    )
    add_error_contract(
        out,
        tf,
        "category_rank",
        lambda: L.CategoryEncoding(3, output_mode="one_hot")(tf.zeros((2, 2, 2), "int32")),
        phrases=("maximum supported output rank is 2", "(2, 2, 2)", "one_hot"),
    )
    add_error_contract(
        out,
        tf,
        "category_count_weights",
        lambda: L.CategoryEncoding(3)(tf.constant([[0, 1]]), count_weights=tf.constant([[1.0, 1.0]])),
        phrases=("count_weights",),
    )
    add_error_contract(
        out, tf, "time_distributed_not_layer", lambda: L.TimeDistributed(3), phrases=("TimeDistributed", "Received: 3")
    )
    td = L.TimeDistributed(L.Dense(2))
    add_error_contract(
        out,
        tf,
        "time_distributed_rank",
        lambda: td(tf.zeros((2, 3))),
        phrases=("at least 3 dimensions", "(2, 3)"),
        state=lambda: [str(td.built), str(len(td.weights))],
    )
    add_error_contract(
        out,
        tf,
        "resizing_interpolation",
        lambda: L.Resizing(2, 2, interpolation="cubic"),
        phrases=("interpolation", "cubic", "bilinear"),
    )
    add_error_contract(
        out, tf, "normalization_mean_only", lambda: L.Normalization(mean=1.0), phrases=("variance", "mean: 1.0")
    )
    add_error_contract(
        out,
        tf,
        "normalization_axis",
        lambda: L.Normalization(axis=3)(tf.zeros((2, 2))),
        phrases=("[-ndim, ndim)", "ndim: `2`", "(3,)"),
    )
    add_error_contract(
        out,
        tf,
        "normalization_adapt_static",
        lambda: L.Normalization(mean=1.0, variance=2.0).adapt(np.zeros((4, 2), "float32")),
        phrases=("Cannot `adapt`", "static `mean` and `variance`"),
    )
    add_error_contract(
        out,
        tf,
        "normalization_variable_mean",
        lambda: L.Normalization(mean=tf.Variable(1.0), variance=1.0),
        phrases=("Variable", "`mean`"),
    )
    add_error_contract(
        out,
        tf,
        "spatial_dropout1d_ndim",
        lambda: L.SpatialDropout1D(0.2)(tf.zeros((2, 3))),
        phrases=("expected ndim=3", "found ndim=2", "(2, 3)"),
    )
    add_error_contract(
        out,
        tf,
        "spatial_dropout2d_format",
        lambda: L.SpatialDropout2D(0.2, data_format="channels_middle"),
        phrases=("data_format", "channels_middle"),
    )
    add_error_contract(out, tf, "spatial_dropout_rate", lambda: L.SpatialDropout2D(1.5), phrases=("rate", "1.5"))
    add_error_contract(
        out,
        tf,
        "discretization_both",
        lambda: L.Discretization(bin_boundaries=[0.0], num_bins=3),
        phrases=("num_bins=3", "bin_boundaries=[0.0]"),
    )
    add_error_contract(
        out, tf, "discretization_num_bins", lambda: L.Discretization(num_bins=-2), phrases=("num_bins=-2",)
    )
    add_error_contract(
        out,
        tf,
        "discretization_adapt_boundaries",
        lambda: L.Discretization([0.0, 1.0]).adapt(np.zeros((4, 1), "float32")),
        phrases=("Cannot adapt", "use `num_bins` instead", "[0.0, 1.0]"),
    )
    add_error_contract(
        out,
        tf,
        "discretization_output_mode",
        lambda: L.Discretization([0.0], output_mode="tf_idf"),
        phrases=("output_mode", "tf_idf"),
    )
    add_error_contract(
        out,
        tf,
        "discretization_sparse_int",
        lambda: L.Discretization([0.0], sparse=True),
        phrases=("sparse=True", "output_mode=int"),
    )
    return out


def case_layersx_functional(tf: Any) -> dict[str, Any]:
    """The layers inside Functional and Sequential models trained by fit: a masked sequence model
    (Masking -> TimeDistributed -> PReLU -> LSTM) and an image model with preprocessing layers."""
    out: dict[str, Any] = {}
    L = tf.keras.layers
    rs = np.random.RandomState(5)
    x = rs.randn(8, 5, 2).astype("float32")
    x[:3, 3:] = 0.0
    y = rs.randn(8, 1).astype("float32")
    inputs = tf.keras.Input((5, 2))
    h = L.Masking()(inputs)
    h = L.TimeDistributed(L.Dense(3))(h)
    h = L.PReLU()(h)
    h = L.LSTM(4)(h)
    outputs = L.Dense(1)(L.ELU(0.5)(h))
    model = tf.keras.Model(inputs, outputs)
    model.set_weights([rs.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    out["seq/names"] = [w.name for w in model.weights]
    out["seq/layers"] = [type(layer).__name__ for layer in model.layers]
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    out["seq/loss"] = np.array(history.history["loss"])
    out["seq/weights"] = model.get_weights()
    out["seq/predict"] = model.predict(x, verbose=0)
    images = rs.uniform(0, 255, (6, 6, 8, 1)).astype("float32")
    labels = np.array([0, 1, 2, 1, 0, 2])
    model = tf.keras.Sequential(
        [
            L.Rescaling(1 / 255.0, input_shape=(6, 8, 1)),
            L.Normalization(mean=0.5, variance=0.1),
            L.CenterCrop(4, 6),
            L.Resizing(2, 3),
            L.Flatten(),
            L.Dense(3),
            L.LeakyReLU(),
            L.Softmax(),
        ]
    )
    model.set_weights([rs.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    history = model.fit(images, labels, epochs=3, batch_size=3, shuffle=False, verbose=0)
    out["img/loss"] = np.array(history.history["loss"])
    out["img/weights"] = model.get_weights()
    return out


REFERENCES: dict[str, Reference] = {
    name: Reference(name)
    for name in (
        "layersx_forward",
        "layersx_masks",
        "layersx_noise",
        "layersx_preprocessing",
        "layersx_errors",
        "layersx_functional",
    )
}
