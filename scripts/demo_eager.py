"""Seed feature 1, eager execution: `model.fit` with no Session, on the breast-cancer data.

Runs the seed's "After" line verbatim (`model.fit(X_train, y_train, validation_data=...,
epochs=10, batch_size=64)`) with the seed MLP, then shows eager ops returning values at once.
"""

import _demo_common as common

import jaxport as tf

X_train, y_train, X_valid, y_valid = common.breast_cancer()
tf.random.set_seed(0)
model = tf.keras.Sequential(
    [
        tf.keras.layers.Dropout(rate=0.2, input_shape=X_train.shape[1:]),
        tf.keras.layers.Dense(units=64, activation="relu"),
        tf.keras.layers.Dropout(rate=0.2),
        tf.keras.layers.Dense(units=1, activation="sigmoid"),
    ]
)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

print("Eager ops run at once:", tf.reduce_mean(tf.constant(X_train[:4])), tf.executing_eagerly())
namespace = common.run_snippet(
    "eager_fit", {"model": model, "X_train": X_train, "y_train": y_train, "X_valid": X_valid, "y_valid": y_valid}
)
loss, accuracy = model.evaluate(X_valid, y_valid, verbose=0)
print(f"validation loss {loss:.4f}, accuracy {accuracy:.4f}")
