"""Seed feature 4, MirroredStrategy: the seed's snippet, verbatim, on 4 simulated CPU devices.

As in TF's own test rigs, the CPU is split into logical devices before first use; JAX maps
them to its CPU device count, and fit runs one SPMD replica per device with all-reduced
gradients. The data is the breast-cancer table.
"""

import _demo_common as common

import jaxport as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 4)

X, y, X_valid, y_valid = common.breast_cancer()
tf.random.set_seed(0)
namespace = common.run_snippet("mirrored_strategy", {"tf": tf, "X": X, "y": y})
strategy, model = namespace["strategy"], namespace["model"]
print(f"replicas in sync: {strategy.num_replicas_in_sync} ({', '.join(strategy.worker_devices)})")
loss, accuracy = model.evaluate(X_valid, y_valid, verbose=0)
print(f"validation loss {loss:.4f}, accuracy {accuracy:.4f}")
