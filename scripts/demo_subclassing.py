"""Seed feature 3, subclassing: the seed's ResnetIdentityBlock, verbatim, then trained on digits.

The snippet defines the block, runs it on zeros and prints its variable names. Then two
blocks (kernel 3, filters [16, 16, 32]) sit in a small CNN trained on scikit-learn's 8x8
digits with SparseCategoricalCrossentropy (15 epochs: the moving statistics of
BatchNormalization, momentum 0.99, need a few hundred steps before validation looks good).
"""

import _demo_common as common

import jaxport as tf

namespace = common.run_snippet("subclassing", {"tf": tf})
ResnetIdentityBlock = namespace["ResnetIdentityBlock"]

x_train, y_train, x_valid, y_valid = common.digits()
tf.random.set_seed(0)


class DigitsNet(tf.keras.Model):
    def __init__(self):
        super().__init__(name="digits_net")
        self.stem = tf.keras.layers.Conv2D(32, 3, padding="same")
        self.block1 = ResnetIdentityBlock(3, [16, 16, 32])
        self.block2 = ResnetIdentityBlock(3, [16, 16, 32])
        self.pool = tf.keras.layers.GlobalAveragePooling2D()
        self.head = tf.keras.layers.Dense(10, activation="softmax")

    def call(self, x, training=False):
        x = self.stem(x)
        x = self.block1(x, training=training)
        x = self.block2(x, training=training)
        return self.head(self.pool(x))


model = DigitsNet()
model.compile(
    loss=tf.keras.losses.SparseCategoricalCrossentropy(), optimizer=tf.keras.optimizers.Adam(3e-3), metrics=["accuracy"]
)
model.fit(x_train, y_train, epochs=15, batch_size=32, validation_data=(x_valid, y_valid), verbose=2)
