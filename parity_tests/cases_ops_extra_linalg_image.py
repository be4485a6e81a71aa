"""Parity cases: `tf.linalg` decompositions and solvers, and `tf.image` (references `opsx_*`;
helpers and conventions in `cases_ops_extra.py`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from parity_tests.cases import Reference, add_error_contract, to_numpy
from parity_tests.cases_ops import _Checker
from parity_tests.cases_ops_extra import _in_function, _rand

# --------------------------------------------------------------------------- linear algebra


def _column_signs_fixed(tf: Any, m: Any) -> np.ndarray:
    """`m` with each column's sign chosen so that its largest-magnitude entry is positive:
    singular / eigen vectors are unique only up to that sign (TF: Eigen, jaxport: LAPACK)."""
    m = to_numpy(m)
    pick = np.take_along_axis(m, np.abs(m).argmax(axis=-2)[..., None, :], axis=-2)
    return m * np.sign(pick)


def case_opsx_linalg(tf: Any) -> dict[str, Any]:
    """tf.linalg: inv, det, slogdet, logdet, cholesky, solve, triangular_solve, cholesky_solve,
    svd (s, u, v; compute_uv, full_matrices), qr, eigh / eigvalsh (lower triangle read),
    band_part, diag (k), diag_part, set_diag, trace, matrix_transpose, adjoint, norm, lstsq,
    pinv, einsum, tensordot, with gradients; vectors compared up to their column signs."""
    c = _Checker(tf)
    a = tf.constant(_rand((3, 2), 11))
    spd = tf.constant([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    asym = tf.constant([[4.0, 9.0, -3.0], [1.0, 3.0, 7.0], [0.5, 0.2, 2.0]])  # eigh reads the lower triangle
    batch = tf.constant(_rand((2, 3, 3), 12) + 2.0 * np.eye(3, dtype=np.float32))
    rhs = tf.constant(_rand((3, 2), 13))
    c.grad("inv", lambda m: tf.linalg.inv(m), batch)
    c.grad("inv_adjoint", lambda m: tf.linalg.inv(m, adjoint=True), spd)
    c.grad("det", lambda m: tf.linalg.det(m), batch)
    c.grad("slogdet", lambda m: list(tf.linalg.slogdet(m)), -spd)
    c.grad("logdet", lambda m: tf.linalg.logdet(m), spd)
    c.grad("cholesky", lambda m: tf.linalg.cholesky(m), spd)
    c.grad("solve", lambda m, b: tf.linalg.solve(m, b), batch[0], rhs)
    c.grad("solve_adjoint", lambda m, b: tf.linalg.solve(m, b, adjoint=True), spd, rhs)
    c.grad("triangular_lower", lambda m, b: tf.linalg.triangular_solve(m, b), spd, rhs)
    c.grad("triangular_upper_adj", lambda m, b: tf.linalg.triangular_solve(m, b, lower=False, adjoint=True), asym, rhs)
    c.value("triangular_batch_rhs", tf.linalg.triangular_solve(batch, tf.ones([2, 3, 1])))
    c.grad("cholesky_solve", lambda m, b: tf.linalg.cholesky_solve(tf.linalg.cholesky(m), b), spd, rhs)

    s, u, v = tf.linalg.svd(a)
    c.value("svd_s", s)
    c.out["svd_u"] = _column_signs_fixed(tf, u)
    c.out["svd_v"] = _column_signs_fixed(tf, v)
    c.out["svd_reconstructs"] = to_numpy(tf.matmul(u * s, v, transpose_b=True))
    s_full, u_full, v_full = tf.linalg.svd(a, full_matrices=True)
    c.value("svd_full_shapes", [tf.shape(s_full), tf.shape(u_full), tf.shape(v_full)])
    c.out["svd_full_u"] = _column_signs_fixed(tf, u_full)
    c.grad("svd_s_only", lambda m: tf.linalg.svd(m, compute_uv=False), tf.constant(_rand((2, 4, 3), 14)))
    c.grad("svd_invariants", lambda m: [tf.linalg.svd(m)[0], tf.linalg.svd(m)[1] ** 2, tf.linalg.svd(m)[2] ** 2], a)
    q, r = tf.linalg.qr(a)
    c.value("qr", [q, r])
    c.value("qr_full", list(tf.linalg.qr(a, full_matrices=True)))
    c.grad("qr_grad", lambda m: list(tf.linalg.qr(m)), a)
    e, w = tf.linalg.eigh(asym)
    c.value("eigh_e", e)
    c.out["eigh_v"] = _column_signs_fixed(tf, w)
    c.grad("eigh_values", lambda m: tf.linalg.eigh(m)[0], asym)
    c.grad("eigh_invariants", lambda m: tf.linalg.eigh(m)[1] ** 2, spd)
    c.grad("eigvalsh", lambda m: tf.linalg.eigvalsh(m), batch)
    c.grad("lstsq", lambda m, b: tf.linalg.lstsq(m, b), a, rhs)
    c.grad("lstsq_l2", lambda m, b: tf.linalg.lstsq(m, b, l2_regularizer=0.5), a, rhs)
    c.grad("lstsq_under", lambda m, b: tf.linalg.lstsq(m, b), tf.transpose(a), tf.ones([2, 1]))
    c.grad("pinv", lambda m: tf.linalg.pinv(m), a)
    c.value("pinv_rank_deficient", tf.linalg.pinv(tf.constant([[1.0, 2.0], [2.0, 4.0]])))

    square = tf.reshape(tf.range(16.0), [4, 4])
    c.grad("band_part", lambda m: tf.linalg.band_part(m, 1, -1), square)
    c.value("band_part_lower", tf.linalg.band_part(square, -1, 0))
    c.value("band_part_diag", tf.linalg.band_part(tf.constant(_rand((2, 3, 4), 15)), 0, 0))
    c.grad("diag", lambda d: tf.linalg.diag(d), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    c.value("diag_k", [tf.linalg.diag([1.0, 2.0], k=1), tf.linalg.diag([1, 2], k=-2)])
    c.grad("diag_part", lambda m: tf.linalg.diag_part(m), tf.constant(_rand((2, 3), 16)))
    c.grad("set_diag", lambda m, d: tf.linalg.set_diag(m, d), batch, tf.constant(_rand((2, 3), 17)))
    c.value("set_diag_rect", tf.linalg.set_diag(tf.zeros([2, 3]), [5.0, 6.0]))
    c.grad("trace", lambda m: tf.linalg.trace(m), batch)
    c.value("matrix_transpose", [tf.linalg.matrix_transpose(tf.ones([2, 3, 1])), tf.linalg.adjoint(a)])
    for ord_ in ("euclidean", 1, 2, np.inf):
        c.grad(f"norm_vec_{ord_}", lambda m, o=ord_: tf.norm(m, ord=o, axis=1), a)
    for ord_ in ("fro", 1, 2, np.inf):
        c.grad(f"norm_mat_{ord_}", lambda m, o=ord_: tf.linalg.norm(m, ord=o, axis=[-2, -1]), batch)
    c.grad("einsum_matmul", lambda x, y: tf.einsum("ij,jk->ik", x, y), a, tf.constant(_rand((2, 4), 18)))
    c.grad("einsum_batch_trace", lambda x: tf.einsum("bii->b", x), batch)
    c.grad("einsum_ellipsis", lambda x, y: tf.einsum("...ij,...jk->...ik", x, y), batch, batch)
    c.grad(
        "einsum_outer", lambda x, y: tf.einsum("i,j->ij", x, y), tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0, 5.0])
    )
    c.value("einsum_int", tf.einsum("ij->j", tf.constant([[1, 2], [3, 4]])))
    c.grad("tensordot", lambda x, y: tf.tensordot(x, y, axes=[[1], [0]]), a, tf.constant(_rand((2, 4), 19)))

    _in_function(
        c,
        "linalg",
        lambda m, b, g: [
            tf.linalg.inv(m),
            tf.linalg.logdet(m),
            tf.linalg.triangular_solve(m, b),
            tf.linalg.lstsq(g, b[:, :1]),
            tf.linalg.svd(g, compute_uv=False),
            tf.linalg.eigh(m)[0],
            tf.linalg.qr(g)[1],
            tf.linalg.band_part(m, 0, 1),
            tf.linalg.pinv(g),
        ],
        spd.numpy(),
        rhs.numpy(),
        a.numpy(),
    )
    return c.results()


# --------------------------------------------------------------------------- image


def case_opsx_image(tf: Any) -> dict[str, Any]:
    """tf.image: resize (bilinear / nearest / bicubic / area, up and down, antialias, lanczos3,
    preserve_aspect_ratio, dtypes) with gradients, flips, rot90, crops and pads,
    convert_image_dtype (saturate), grayscale, brightness, contrast, standardisation."""
    c = _Checker(tf)
    batch = tf.constant(_rand((2, 5, 7, 2), 21, 0.0, 1.0))
    one = tf.constant(_rand((6, 4, 3), 22, 0.0, 1.0))
    pixels = tf.constant(np.random.RandomState(23).randint(0, 256, size=(5, 7, 3)).astype(np.uint8))
    for method in ("bilinear", "nearest", "bicubic", "area"):
        if method == "area":  # TF registers no gradient for ResizeArea
            c.value("resize_area_down", tf.image.resize(batch, [3, 4], method="area"))
            c.value("resize_area_up", tf.image.resize(batch, [8, 11], method="area"))
        else:
            c.grad(f"resize_{method}_down", lambda x, m=method: tf.image.resize(x, [3, 4], method=m), batch)
            c.grad(f"resize_{method}_up", lambda x, m=method: tf.image.resize(x, [8, 11], method=m), batch)
        c.value(f"resize_{method}_uint8", tf.image.resize(pixels, [4, 9], method=method))
        c.value(f"resize_{method}_odd", tf.image.resize(one, (13, 3), method=method))
    c.grad("resize_bilinear_antialias", lambda x: tf.image.resize(x, [3, 4], antialias=True), batch)
    c.grad("resize_bicubic_antialias", lambda x: tf.image.resize(x, [2, 3], method="bicubic", antialias=True), batch)
    c.value("resize_lanczos3", tf.image.resize(batch, [3, 5], method="lanczos3"))
    c.value("resize_same_size", tf.image.resize(pixels, [5, 7]))
    c.value("resize_aspect", tf.image.resize(batch, [4, 4], preserve_aspect_ratio=True))
    c.value("resize_aspect_up", tf.image.resize(one, [20, 9], preserve_aspect_ratio=True, method="nearest"))
    c.value("resize_method_enum", tf.image.resize(one, [3, 3], method=tf.image.ResizeMethod.AREA))
    c.value("resize_float64", tf.image.resize(tf.cast(one, tf.float64), [3, 2]))
    c.value("resize_size_tensor", tf.image.resize(one, tf.constant([2, 5])))

    c.grad("flip_left_right", lambda x: tf.image.flip_left_right(x), batch)
    c.value("flip_up_down", [tf.image.flip_up_down(one), tf.image.flip_up_down(batch)])
    c.value("rot90", [tf.image.rot90(one, k) for k in (1, 2, 3, 4)] + [tf.image.rot90(batch, 1)])
    c.grad("crop", lambda x: tf.image.crop_to_bounding_box(x, 1, 2, 3, 4), batch)
    c.grad("pad", lambda x: tf.image.pad_to_bounding_box(x, 1, 0, 8, 5), one)
    c.value(
        "central_crop",
        [tf.image.central_crop(one, 0.5), tf.image.central_crop(batch, 0.33), tf.image.central_crop(pixels, 1.0)],
    )
    c.value(
        "crop_or_pad",
        [
            tf.image.resize_with_crop_or_pad(one, 3, 7),
            tf.image.resize_with_crop_or_pad(batch, 6, 4),
            tf.image.resize_with_crop_or_pad(pixels, 4, 10),
        ],
    )

    floats = tf.constant([[[0.0, 0.25, 0.5], [0.75, 0.999, 1.0]]])
    c.value("convert_uint8_float", tf.image.convert_image_dtype(pixels, tf.float32))
    c.value("convert_uint8_float64", tf.image.convert_image_dtype(pixels[:1], tf.float64))
    c.value("convert_float_uint8", tf.image.convert_image_dtype(floats, tf.uint8))
    c.value("convert_float_uint8_saturate", tf.image.convert_image_dtype(floats * 1.5 - 0.2, tf.uint8, saturate=True))
    c.value("convert_float_int16", tf.image.convert_image_dtype(floats, tf.int16))
    c.value("convert_uint8_int32", tf.image.convert_image_dtype(pixels[:1], tf.int32))
    c.value("convert_int32_uint8", tf.image.convert_image_dtype(tf.constant([[[0, 2**24, 2**31 - 1]]]), tf.uint8))
    c.value("convert_same", tf.image.convert_image_dtype(floats, tf.float32))
    c.value("convert_float_float64", tf.image.convert_image_dtype(floats, tf.float64))
    c.grad("grayscale", lambda x: tf.image.rgb_to_grayscale(x), one)
    c.value("grayscale_uint8", tf.image.rgb_to_grayscale(pixels))
    c.value("grayscale_to_rgb", tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(pixels)))
    c.grad("brightness", lambda x: tf.image.adjust_brightness(x, 0.3), one)
    c.value("brightness_uint8", tf.image.adjust_brightness(pixels, 0.2))
    c.value("brightness_uint8_negative", tf.image.adjust_brightness(pixels, -0.5))
    c.value("contrast", tf.image.adjust_contrast(batch, 1.7))  # TF: no gradient for AdjustContrastv2
    c.value("contrast_uint8", tf.image.adjust_contrast(pixels, 2.5))
    c.grad("standardize", lambda x: tf.image.per_image_standardization(x), batch)
    c.value("standardize_uint8", tf.image.per_image_standardization(pixels))
    c.value("standardize_constant", tf.image.per_image_standardization(tf.ones([2, 2, 1])))

    add_error_contract(
        c.out,
        tf,
        "resize_size_len",
        lambda: tf.image.resize(one, [2]),
        phrases=("'size' must be a 1-D Tensor of 2 elements", "new_height, new_width"),
    )
    add_error_contract(
        c.out, tf, "resize_zero", lambda: tf.image.resize(one, [0, 2]), phrases=("output dimensions must be positive",)
    )
    add_error_contract(
        c.out,
        tf,
        "resize_rank",
        lambda: tf.image.resize(tf.ones([4, 4]), [2, 2]),
        phrases=("'images' must have either 3 or 4 dimensions",),
    )
    add_error_contract(
        c.out,
        tf,
        "resize_method",
        lambda: tf.image.resize(one, [2, 2], method="foo"),
        phrases=("Resize method is not implemented", "foo"),
    )
    add_error_contract(
        c.out,
        tf,
        "crop_outside",
        lambda: tf.image.crop_to_bounding_box(one, 4, 0, 3, 4),
        phrases=("height must be >= target + offset",),
    )
    add_error_contract(
        c.out,
        tf,
        "crop_negative",
        lambda: tf.image.crop_to_bounding_box(one, 0, -1, 3, 2),
        phrases=("offset_width must be >= 0",),
    )
    add_error_contract(
        c.out,
        tf,
        "pad_too_small",
        lambda: tf.image.pad_to_bounding_box(one, 0, 0, 5, 4),
        phrases=("height must be <= target - offset",),
    )
    add_error_contract(
        c.out,
        tf,
        "central_fraction",
        lambda: tf.image.central_crop(one, 1.5),
        phrases=("central_fraction must be within (0, 1]",),
    )
    add_error_contract(
        c.out,
        tf,
        "convert_bool",
        lambda: tf.image.convert_image_dtype(one, tf.bool),
        phrases=("dtype must be either floating point or integer",),
    )
    add_error_contract(
        c.out,
        tf,
        "flip_rank",
        lambda: tf.image.flip_left_right(tf.ones([2, 2])),
        phrases=("must be at least three-dimensional", "(2, 2)"),
    )
    add_error_contract(
        c.out,
        tf,
        "grayscale_channels",
        lambda: tf.image.grayscale_to_rgb(one),
        phrases=("Last dimension of a grayscale image should be size 1",),
    )

    with tf.GradientTape(persistent=True) as tape:
        tape.watch(batch)
        area = tf.image.resize(batch, [3, 4], method="area")
        contrast = tf.image.adjust_contrast(batch, 1.7)
    add_error_contract(
        c.out,
        tf,
        "area_gradient",
        lambda: tape.gradient(area, batch),
        phrases=("gradient registry has no entry for", "ResizeArea"),
    )
    add_error_contract(
        c.out,
        tf,
        "contrast_gradient",
        lambda: tape.gradient(contrast, batch),
        phrases=("gradient registry has no entry for", "AdjustContrastv2"),
    )

    _in_function(
        c,
        "image",
        lambda x: [
            tf.image.resize(x, [3, 4]),
            tf.image.resize(x, [8, 3], method="bicubic"),
            tf.image.resize(x, [4, 9], method="nearest"),
            tf.image.per_image_standardization(x),
            tf.image.flip_left_right(x),
            tf.image.crop_to_bounding_box(x, 1, 1, 2, 3),
        ],
        batch.numpy(),
    )
    return c.results()


REFERENCES: dict[str, Reference] = {
    "opsx_linalg": Reference("opsx_linalg"),
    "opsx_image": Reference("opsx_image"),
}
