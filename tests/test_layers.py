"""Keras layers and models: building, names, weight order, set_weights, input checks."""

import numpy as np
import pytest

import jaxport as tf


@pytest.fixture(autouse=True)
def fresh_names():
    tf.keras.backend.clear_session()


def seed_mlp(rate=0.2):
    return tf.keras.Sequential(
        [
            tf.keras.layers.Dropout(rate=rate, input_shape=(30,)),
            tf.keras.layers.Dense(units=64, activation="relu"),
            tf.keras.layers.Dropout(rate=rate),
            tf.keras.layers.Dense(units=1, activation="sigmoid"),
        ]
    )


def test_sequential_names_and_order():
    model = seed_mlp()
    assert [v.name for v in model.trainable_variables] == [
        "dense/kernel:0",
        "dense/bias:0",
        "dense_1/kernel:0",
        "dense_1/bias:0",
    ]
    assert [w.shape for w in model.get_weights()] == [(30, 64), (64,), (64, 1), (1,)]
    assert [layer.name for layer in model.layers] == ["dropout", "dense", "dropout_1", "dense_1"]


def test_subclassed_model_prefixes_its_name_and_follows_assignment_order():
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.second = tf.keras.layers.Dense(2)
            self.first = tf.keras.layers.Dense(3)

        def call(self, x):
            return self.second(self.first(x))

    net = Net()
    net(tf.ones([1, 4]))
    assert [v.name for v in net.trainable_variables] == [
        "net/dense/kernel:0",
        "net/dense/bias:0",
        "net/dense_1/kernel:0",
        "net/dense_1/bias:0",
    ]
    assert net.trainable_variables[0].shape == (3, 2)  # `second` was assigned first


def test_batchnorm_weights_order_and_modes():
    bn = tf.keras.layers.BatchNormalization()
    x = tf.constant(np.random.RandomState(0).randn(8, 3).astype("float32") * 2 + 1)
    out_infer = bn(x)  # training=None: inference with moving stats (mean 0, var 1)
    np.testing.assert_allclose(out_infer.numpy(), x.numpy() / np.sqrt(1 + 1e-3), rtol=1e-5)
    assert [w.name for w in bn.weights] == [
        "batch_normalization/gamma:0",
        "batch_normalization/beta:0",
        "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0",
    ]
    out_train = bn(x, training=True).numpy()
    np.testing.assert_allclose(out_train.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * x.numpy().mean(0), rtol=1e-5)


def test_set_weights_rejects_wrong_count_and_shape_without_changes():
    model = seed_mlp()
    before = model.get_weights()
    with pytest.raises(ValueError, match="with a weight list of length 3, but the layer was expecting 4 weights"):
        model.set_weights(before[:3])
    bad = [np.zeros((30, 65), np.float32)] + before[1:]
    with pytest.raises(
        ValueError, match=r"weight shape \(30, 64\) is not compatible with provided weight shape \(30, 65\)"
    ):
        model.set_weights(bad)
    changed = [w + 1 for w in before[:3]] + [np.zeros((2,), np.float32)]
    with pytest.raises(ValueError):
        model.set_weights(changed)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_dense_rejects_rank_0_and_1_inputs():
    dense = tf.keras.layers.Dense(2)
    with pytest.raises(ValueError, match=r"expected min_ndim=2, found ndim=0. Full shape received: \(\)"):
        dense(tf.constant(1.0))
    with pytest.raises(ValueError, match=r"found ndim=1. Full shape received: \(2,\)"):
        dense(tf.constant([1.0, 2.0]))
    assert not dense.built


def test_dense_argument_checks():
    with pytest.raises(ValueError, match="units"):
        tf.keras.layers.Dense(-1)  # Keras 2 accepts units=0 (an empty output)
    with pytest.raises(ValueError, match="Unknown activation function 'nope' cannot be deserialized"):
        tf.keras.layers.Dense(2, activation="nope")
    with pytest.raises(ValueError, match="rate"):
        tf.keras.layers.Dropout(1.5)
    with pytest.raises(ValueError, match="padding"):
        tf.keras.layers.Conv2D(2, 3, padding="full")


def test_sequential_checks_feature_size():
    model = seed_mlp()
    with pytest.raises(ValueError, match=r"expected shape=\(None, 30\), found shape=\(2, 29\)"):
        model(np.zeros((2, 29), np.float32))


def test_dropout_is_identity_outside_training():
    model = seed_mlp(rate=0.9)
    x = np.random.RandomState(0).randn(16, 30).astype("float32")
    a = model(x).numpy()
    np.testing.assert_array_equal(a, model(x, training=False).numpy())
    np.testing.assert_array_equal(a, model.predict(x, verbose=0))
    assert not np.allclose(a, model(x, training=True).numpy())


def test_conv2d_same_padding_shapes_and_flatten():
    conv = tf.keras.layers.Conv2D(4, 3, padding="same")
    out = conv(tf.zeros([2, 5, 6, 3]))
    assert out.shape == (2, 5, 6, 4)
    assert tf.keras.layers.Conv2D(4, (3, 3))(tf.zeros([1, 5, 5, 2])).shape == (1, 3, 3, 4)
    assert tf.keras.layers.Flatten()(out).shape == (2, 120)
    assert tf.keras.layers.GlobalAveragePooling2D()(out).shape == (2, 4)


def test_sigmoid_output_carries_logits():
    dense = tf.keras.layers.Dense(1, activation="sigmoid")
    out = dense(tf.ones([1, 2]))
    assert hasattr(out, "_keras_logits")
    assert not hasattr(tf.sigmoid(tf.ones([1])), "_keras_logits")


def test_trainable_false_moves_weights_to_non_trainable():
    model = seed_mlp()
    model.layers[1].trainable = False
    assert [v.name for v in model.trainable_variables] == ["dense_1/kernel:0", "dense_1/bias:0"]
    assert len(model.non_trainable_variables) == 2


def test_model_build_creates_weights_without_prefix():
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = tf.keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net.build((None, 3))
    assert [v.name for v in net.weights] == ["dense/kernel:0", "dense/bias:0"]
    assert net(tf.ones([4, 3])).shape == (4, 2)


def test_block_named_empty_string_has_no_prefix_even_inside_a_named_model():
    class Block(tf.keras.Model):
        def __init__(self):
            super().__init__(name="")
            self.conv = tf.keras.layers.Conv2D(2, 1)

        def call(self, x):
            return self.conv(x)

    class Outer(tf.keras.Model):
        def __init__(self):
            super().__init__(name="outer")
            self.block = Block()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(self.block(x))

    outer = Outer()
    outer(tf.zeros([1, 2, 2, 3]))
    assert outer.block.name == ""
    assert [v.name for v in outer.weights] == [
        "conv2d/kernel:0",
        "conv2d/bias:0",
        "outer/dense/kernel:0",
        "outer/dense/bias:0",
    ]


def test_layer_call_with_tensor_if_is_converted_inside_functions_and_fit():
    class Gate(tf.keras.layers.Layer):
        def call(self, x):
            if tf.reduce_sum(x) > 0:
                return x * 2.0
            return -x

    gate = Gate()

    @tf.function
    def f(x):
        return gate(x)

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(f(tf.constant([-1.0, -2.0])).numpy(), [1.0, 2.0])


def test_quickstart_namespace_softmax_and_relu_layers():
    model = tf.keras.models.Sequential([tf.keras.layers.Flatten(input_shape=(2, 2)), tf.keras.layers.Dense(3)])
    probabilities = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
    out = probabilities(np.ones((4, 2, 2), np.float32)).numpy()
    np.testing.assert_allclose(out.sum(axis=1), np.ones(4), rtol=1e-6)
    np.testing.assert_allclose(tf.keras.layers.ReLU(max_value=1.0)(tf.constant([-1.0, 0.5, 3.0])).numpy(), [0, 0.5, 1])


def test_variables_set_as_layer_attributes_are_weights_in_assignment_order():
    class Linear(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(tf.ones((3, 2)))
            self.b = self.add_weight(shape=(2,), initializer="zeros", trainable=True)
            self.total = tf.Variable(tf.zeros((2,)), trainable=False)

        def call(self, inputs):
            self.total.assign_add(tf.reduce_sum(inputs, axis=0)[:2])
            return tf.matmul(inputs, self.w) + self.b

    layer = Linear()
    layer(tf.ones((1, 3)))
    assert [w.shape.as_list() for w in layer.trainable_weights] == [[3, 2], [2]]
    assert layer.non_trainable_weights == [layer.total] and len(layer.weights) == 3
