"""Parity cases: Keras 2's convolution, pooling and reshaping layers — outputs, weight names and
shapes, and gradients with respect to the inputs and the weights, from fixed weights; and their
bad arguments."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy


def _run(tf: Any, out: dict, key: str, layer: Any, x: np.ndarray, seed: int) -> None:
    t = tf.constant(x)
    layer(t)
    values = [
        np.random.RandomState(seed + i).uniform(-0.3, 0.3, v.shape).astype("float32")
        for i, v in enumerate(layer.get_weights())
    ]
    layer.set_weights(values)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = layer(t)
        loss = tf.reduce_sum(tf.sin(y) * y)
    grads = tape.gradient(loss, [t] + layer.trainable_weights)
    out[f"{key}/out"] = to_numpy(y)
    out[f"{key}/names"] = [w.name for w in layer.weights]
    out[f"{key}/shapes"] = [str(tuple(w.shape)) for w in layer.weights]
    for i, g in enumerate(grads):
        out[f"{key}/grad{i}"] = to_numpy(g)


def case_conv_layers(tf: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rs = np.random.RandomState(0)
    seq = rs.randn(2, 9, 4).astype("float32")
    img = rs.randn(2, 7, 6, 4).astype("float32")
    vol = rs.randn(1, 5, 4, 4, 2).astype("float32")
    L = tf.keras.layers
    cases = [
        ("conv1d", L.Conv1D(3, 3), seq),
        ("conv1d_causal_dilated", L.Conv1D(2, 2, padding="causal", dilation_rate=2), seq),
        ("conv1d_same_stride", L.Conv1D(3, 4, strides=2, padding="same", activation="relu"), seq),
        ("conv2d_groups", L.Conv2D(4, 3, groups=2, padding="same"), img),
        ("conv2d_strides_sigmoid", L.Conv2D(2, (3, 2), strides=(2, 1), activation="sigmoid"), img),
        ("conv3d", L.Conv3D(2, 2, padding="same"), vol),
        ("conv2d_transpose", L.Conv2DTranspose(3, 3), img),
        ("conv2d_transpose_same_s2", L.Conv2DTranspose(2, 3, strides=2, padding="same"), img),
        ("conv2d_transpose_valid_s2", L.Conv2DTranspose(2, (3, 2), strides=(2, 3)), img),
        ("conv2d_transpose_outpad", L.Conv2DTranspose(2, 3, strides=2, output_padding=1), img),
        ("conv2d_transpose_outpad0", L.Conv2DTranspose(2, 2, strides=3, output_padding=0), img),
        ("conv2d_transpose_outpad1_same", L.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1), img),
        ("conv1d_transpose", L.Conv1DTranspose(2, 3, strides=2), seq),
        ("depthwise", L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"), img),
        ("depthwise_strides", L.DepthwiseConv2D((2, 3), strides=2), img),
        ("separable2d", L.SeparableConv2D(5, 3, depth_multiplier=2), img),
        ("separable1d", L.SeparableConv1D(3, 2, padding="same"), seq),
        ("maxpool1d", L.MaxPooling1D(3, strides=2), seq),
        ("avgpool1d_same", L.AveragePooling1D(2, padding="same"), seq),
        ("maxpool2d_same", L.MaxPooling2D((3, 2), strides=2, padding="same"), img),
        ("avgpool2d_same", L.AveragePooling2D(3, strides=2, padding="same"), img),
        ("avgpool3d", L.AveragePooling3D(2), vol),
        ("maxpool3d", L.MaxPooling3D(2, padding="same"), vol),
        ("gap1d", L.GlobalAveragePooling1D(), seq),
        ("gmp1d", L.GlobalMaxPooling1D(keepdims=True), seq),
        ("gap2d", L.GlobalAveragePooling2D(), img),
        ("gmp2d", L.GlobalMaxPooling2D(), img),
        ("gap3d", L.GlobalAveragePooling3D(keepdims=True), vol),
        ("reshape", L.Reshape((3, -1)), seq),
        ("permute", L.Permute((2, 1)), seq),
        ("repeat", L.RepeatVector(3), seq[:, 0]),
        ("zeropad1d", L.ZeroPadding1D((1, 2)), seq),
        ("zeropad2d", L.ZeroPadding2D(((1, 0), (2, 1))), img),
        ("crop1d", L.Cropping1D((2, 1)), seq),
        ("crop2d", L.Cropping2D(((1, 2), (0, 1))), img),
        ("upsample1d", L.UpSampling1D(3), seq),
        ("upsample2d", L.UpSampling2D((2, 3)), img),
        ("upsample2d_bilinear", L.UpSampling2D(2, interpolation="bilinear"), img),
    ]
    for i, (key, layer, x) in enumerate(cases):
        _run(tf, out, key, layer, x, 10 * i)
    add_error_contract(out, tf, "conv_groups_filters", lambda: L.Conv2D(3, 3, groups=2), phrases=("groups=2",))
    add_error_contract(
        out,
        tf,
        "conv_groups_channels",
        lambda: L.Conv2D(4, 3, groups=3)(tf.constant(img)),
        phrases=("evenly divisible", "groups=3"),
    )
    add_error_contract(out, tf, "conv2d_causal", lambda: L.Conv2D(2, 3, padding="causal"), phrases=("causal",))
    add_error_contract(
        out, tf, "conv_strides_dilation", lambda: L.Conv1D(2, 3, strides=2, dilation_rate=2), phrases=("dilation_rate",)
    )
    add_error_contract(out, tf, "conv_bad_padding", lambda: L.Conv2D(2, 3, padding="full"), phrases=("padding",))
    add_error_contract(out, tf, "conv_zero_filters", lambda: L.Conv2D(0, 3), phrases=("filters=0",))
    add_error_contract(out, tf, "conv_rank", lambda: L.Conv2D(2, 3)(tf.constant(seq)), phrases=("ndim=4", "ndim=3"))
    add_error_contract(out, tf, "reshape_size", lambda: L.Reshape((5, 5))(tf.constant(seq)))
    add_error_contract(out, tf, "permute_dims", lambda: L.Permute((0, 1)), phrases=("dims",))
    add_error_contract(out, tf, "pool_padding", lambda: L.MaxPooling2D(padding="full"), phrases=("padding",))
    return out


REFERENCES: dict[str, Reference] = {"conv_layers": Reference("conv_layers")}
