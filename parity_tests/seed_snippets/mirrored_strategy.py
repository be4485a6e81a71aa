# Seed snippet 4 of 4, section "4. MirroredStraegy" of
# seed/000_2878952763c3caac.txt, copied VERBATIM below the marker line (only the
# document's 8-space code-block indentation removed). The snippet has no import line:
# the executing namespace provides `tf`, `X` and `y`
# (parity_tests/cases.py::case_seed_mirrored_verbatim). Do not edit or reformat this file.
# ruff: noqa
# fmt: off
# ---- verbatim seed snippet below ----
strategy = tf.distribute.MirroredStrategy()

with strategy.scope():
    model = tf.keras.Sequential([
        tf.keras.layers.Dropout(rate=0.2, input_shape=X.shape[1:]),
        tf.keras.layers.Dense(units=64, activation='relu'),
        tf.keras.layers.Dropout(rate=0.2),
        tf.keras.layers.Dense(units=1, activation='sigmoid')
    ])
    
    model.compile(loss='binary_crossentropy',
                optimizer='adam',
                metrics=['accuracy'])

model.fit(X, y, epochs=5)
