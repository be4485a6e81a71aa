# Seed snippet 2 of 4, section "2. Automatic differentiation - GradientTape" of
# seed/000_2878952763c3caac.txt, copied VERBATIM below the marker line (only the
# document's 8-space code-block indentation removed). The snippet has no import line:
# the executing namespace provides `tf`, `X`, `time` and `dataset`
# (parity_tests/cases.py::case_seed_tape_loop and case_seed_tape_train_model). Do not edit or reformat this file.
# ruff: noqa
# fmt: off
# ---- verbatim seed snippet below ----
model = tf.keras.Sequential([
    tf.keras.layers.Dropout(rate=0.2, input_shape=X.shape[1:]),
    tf.keras.layers.Dense(units=64, activation='relu'),
    tf.keras.layers.Dropout(rate=0.2),
    tf.keras.layers.Dense(units=1, activation='sigmoid')
])

loss_func = tf.keras.losses.BinaryCrossentropy()
optimizer = tf.keras.optimizers.Adam()

def train_loop(features, labels):
    with tf.GradientTape() as tape:
        predictions = model(features)
        loss = loss_func(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss

def train_model():
    start = time.time()
    for epoch in range(10):
        for step, (x, y) in enumerate(dataset):
            loss = train_loop(x, y)
            print('Epoch %d: last batch loss = %.4f' % (epoch, float(loss)))
    print("It took {} seconds".format(time.time() - start))

train_model()
