"""Tensors, Variables, dtype rules, TF-style printing and op errors."""

import numpy as np
import pytest

import jaxport as tf


def test_constant_dtypes_follow_tf_defaults():
    assert tf.constant(1.0).dtype == tf.float32
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant([True, False]).dtype == tf.bool
    assert tf.constant(np.array([1.0])).dtype == tf.float64
    assert tf.constant(np.array([1], np.int64)).dtype == tf.int64
    assert tf.constant(1, dtype=tf.float32).dtype == tf.float32


def test_tensor_str_and_repr_match_tf():
    t = tf.constant([1.0, 2.0])
    assert str(t) == "tf.Tensor([1. 2.], shape=(2,), dtype=float32)"
    assert repr(t) == "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>"
    assert str(tf.constant(3)) == "tf.Tensor(3, shape=(), dtype=int32)"
    assert str(tf.zeros([1, 2])) == "tf.Tensor([[0. 0.]], shape=(1, 2), dtype=float32)"
    assert str(tf.zeros([2, 2])).startswith("tf.Tensor(\n[[0. 0.]\n [0. 0.]], shape=(2, 2)")


def test_operators_and_python_scalars():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose((x + 1).numpy(), [[2, 3], [4, 5]])
    np.testing.assert_allclose((2 * x - x / 2).numpy(), 1.5 * x.numpy())
    np.testing.assert_allclose((x @ x).numpy(), x.numpy() @ x.numpy())
    np.testing.assert_allclose((-x).numpy(), -x.numpy())
    assert (x > 2).dtype == tf.bool
    assert float(tf.reduce_sum(x)) == 10.0
    assert f"{tf.reduce_mean(x):.2f}" == "2.50"
    assert x.shape == (2, 2) and x.shape.as_list() == [2, 2]
    np.testing.assert_allclose(x[1].numpy(), [3.0, 4.0])
    np.testing.assert_allclose(x[:, 1:].numpy(), [[2.0], [4.0]])


def test_int_division_gives_float64_as_tf():
    out = tf.constant([3]) / tf.constant([2])
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), [1.5])


def test_mixed_dtypes_raise_invalid_argument_not_value_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2") as info:
        tf.constant(1) + tf.constant(1.0)
    assert not isinstance(info.value, ValueError)
    assert "int32" in str(info.value) and "float32" in str(info.value)


def test_matmul_shape_mismatch_names_shapes():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Matrix size-incompatible: In\[0\]: \[2, 3\], In\[1\]: \[4, 5\]"
    ):
        tf.matmul(tf.ones([2, 3]), tf.ones([4, 5]))


def test_broadcast_failure_and_bad_axis_raise_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="2, 3"):
        tf.ones([2, 3]) + tf.ones([4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid reduction dimension"):
        tf.reduce_sum(tf.ones([2, 3]), axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        tf.ones([2, 3])[5]


def test_python_float_with_int_tensor_is_refused_as_tf():
    # TF 2.21 converts 1.5 to a float32 tensor, then AddV2 refuses the mixed dtypes
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
        tf.constant([1, 2]) + 1.5


def test_tensor_is_unhashable_like_tf():
    with pytest.raises(TypeError, match="unhashable"):
        hash(tf.constant(1.0))
    assert tf.constant(1.0).ref() is not None


def test_variable_api():
    v = tf.Variable([1.0, 2.0], name="w")
    assert v.name == "w:0" and v.trainable and v.dtype == tf.float32 and v.shape == (2,)
    assert tf.Variable(1.0).name == "Variable:0"
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    np.testing.assert_allclose((v * 2).numpy(), [7.0, 9.0])
    assert not tf.Variable(0, trainable=False).trainable
    assert "tf.Variable 'w:0' shape=(2,) dtype=float32" in repr(v)


def test_variable_assign_rejects_wrong_shape_and_keeps_value():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match=r"Shape mismatch.*\(2,\).*\(3,\)"):
        v.assign([1.0, 2.0, 3.0])
    np.testing.assert_allclose(v.numpy(), [1.0, 2.0])


def test_variable_initial_value_callable_and_dtype():
    v = tf.Variable(lambda: np.ones(3), dtype=tf.float32)
    assert v.dtype == tf.float32 and v.shape == (3,)
    with pytest.raises(ValueError, match="initial_value"):
        tf.Variable(None)


def test_variable_is_an_nnx_variable_and_param_when_trainable():
    from flax import nnx

    assert isinstance(tf.Variable(1.0), nnx.Param)
    frozen = tf.Variable(1.0, trainable=False)
    assert isinstance(frozen, nnx.Variable) and not isinstance(frozen, nnx.Param)


def test_executing_eagerly_and_devices():
    assert tf.executing_eagerly()
    assert tf.config.list_physical_devices("CPU")[0].device_type == "CPU"
    assert len(tf.config.list_logical_devices("CPU")) == 4  # conftest's simulated devices


def test_config_experimental_tf32_switch_maps_to_matmul_precision():
    import jax

    assert tf.config.experimental.tensor_float_32_execution_enabled()
    try:
        tf.config.experimental.enable_tensor_float_32_execution(False)
        assert jax.config.jax_default_matmul_precision == "highest"
        assert not tf.config.experimental.tensor_float_32_execution_enabled()
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(True)
    assert jax.config.jax_default_matmul_precision is None
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU"):
        tf.config.experimental.set_memory_growth(tf.config.list_physical_devices("CPU")[0], True)
