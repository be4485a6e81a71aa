"""Bad input gets TF's exception type and a message naming what was given and expected
(each expectation below was checked against TF 2.21 + tf_keras 2.21)."""

import numpy as np
import pytest

import jaxport as tf


@pytest.fixture(autouse=True)
def fresh_names():
    tf.keras.backend.clear_session()


def test_layer_input_shape_checks():
    with pytest.raises(
        ValueError, match=r'layer "conv2d" .* expected min_ndim=4, found ndim=3. Full shape received: \(1, 5, 5\)'
    ):
        tf.keras.layers.Conv2D(2, 3)(tf.zeros([1, 5, 5]))
    dense = tf.keras.layers.Dense(2)
    dense(tf.zeros([2, 3]))
    with pytest.raises(
        ValueError, match=r"expected axis -1 of input shape to have value 3, but received input with shape \(2, 4\)"
    ):
        dense(tf.zeros([2, 4]))
    bn = tf.keras.layers.BatchNormalization()
    bn(tf.zeros([2, 3]))
    with pytest.raises(ValueError, match=r"expected axis 1 of input shape to have value 3"):
        bn(tf.zeros([2, 4]))
    with pytest.raises(ValueError, match=r"expected min_ndim=1, found ndim=0"):
        tf.keras.layers.Flatten()(tf.constant(1.0))


def test_layer_constructor_checks():
    with pytest.raises(ValueError, match="Expected a strictly positive value. Received filters=0"):
        tf.keras.layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="units"):
        tf.keras.layers.Dense("a")
    with pytest.raises(TypeError, match="Keyword argument not understood: 'foo'"):
        tf.keras.layers.Dense(2, foo=1)
    with pytest.raises(TypeError, match="The added layer must be an instance of class Layer. Received: layer=3"):
        tf.keras.Sequential([3])


def test_unbuilt_layer_set_weights():
    with pytest.raises(ValueError, match="with a weight list of length 1, but the layer was expecting 0 weights"):
        tf.keras.layers.Dense(2).set_weights([np.zeros((2, 2))])


def test_variable_update_checks_leave_value_unchanged():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor with dtype int32"):
        v.assign(tf.constant([1, 2]))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Cannot update variable with shape \[2\] using a Tensor with shape \[3\]"
    ):
        v.assign_add([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_op_argument_checks():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Input to reshape is a tensor with 6 values, but the requested shape has 8",
    ):
        tf.reshape(tf.zeros([6]), [4, 2])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Can not squeeze dim\[0\], expected a dimension of 1, got 2"
    ):
        tf.squeeze(tf.zeros([2, 3]), axis=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 is not in the list of allowed values"):
        tf.sigmoid(tf.constant(1))
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 is not in the list of allowed values"):
        tf.nn.softmax(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: 'nope' to a TensorFlow DType"):
        tf.cast(tf.constant(1.0), "nope")
    with pytest.raises(TypeError, match="has 3 elements, but got `shape` \\(2, 2\\) with 4 elements"):
        tf.constant([1, 2, 3], shape=[2, 2])
    with pytest.raises(TypeError, match="`shape` must be a list of non-negative integers; received 'a'"):
        tf.zeros("a")
    with pytest.raises(
        ValueError, match=r"`logits` and `labels` must have the same shape, received \(\(3,\) vs \(2,\)\)"
    ):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3]))


def test_tape_argument_checks():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        _ = x * 2
    with pytest.raises(TypeError, match="Argument `target` should be a list or nested structure .* but received None"):
        tape.gradient(None, x)
    with pytest.raises(ValueError, match="Passed in object 'a' of type 'str', not tf.Tensor or tf.Variable"):
        tf.GradientTape().watch("a")


def test_compile_and_fit_argument_checks():
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(RuntimeError, match="You must compile your model before training/testing"):
        model.evaluate(np.zeros((2, 2)), np.zeros(2))
    model.compile("adam", "mse", metrics="mae")  # a single metric is accepted, as tf.keras
    with pytest.raises(ValueError, match="epochs"):
        model.fit(np.zeros((2, 2)), np.zeros(2), epochs=-1, verbose=0)
    with pytest.raises(ValueError, match=r"expected shape=\(None, 2\), found shape=\(4, 3\)"):
        model.fit(np.zeros((4, 3)), np.zeros(4), verbose=0)
    with pytest.raises(ValueError, match="Invalid Reduction Key: bad"):
        tf.keras.losses.BinaryCrossentropy(reduction="bad")
    with pytest.raises(TypeError, match="foo is not a valid argument"):  # TF's text, unquoted
        tf.keras.optimizers.Adam(foo=1)
    with pytest.raises(ValueError, match="momentum"):
        tf.keras.optimizers.SGD(momentum=2.0)


def test_logical_devices_cannot_change_after_start():
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 4)  # same: fine
    with pytest.raises(RuntimeError, match="Virtual devices cannot be modified after being initialized"):
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
