"""The `tf.keras` namespace (Keras 2 semantics, as `tf_keras`).

The submodules are registered under `jaxport.keras.*` too, so `from jaxport.keras.layers
import Dense` works like `from tensorflow.keras.layers import Dense`.
"""

import sys as _sys

from jaxport.keras import backend, models, preprocessing, utils  # noqa: F401
from jaxport.modules import activations, callbacks, initializers, layers, losses, metrics, optimizers, regularizers
from jaxport.modules.input_layer import Input, InputLayer  # noqa: F401
from jaxport.modules.model import Model, Sequential  # noqa: F401

for _name, _module in {
    "activations": activations,
    "callbacks": callbacks,
    "initializers": initializers,
    "layers": layers,
    "losses": losses,
    "metrics": metrics,
    "optimizers": optimizers,
    "regularizers": regularizers,
}.items():
    _sys.modules[f"{__name__}.{_name}"] = _module
# packages' own submodules too, or `import jaxport.keras.optimizers.legacy` would load a second copy
for _name in ("experimental", "legacy", "schedules"):
    _sys.modules[f"{__name__}.optimizers.{_name}"] = getattr(optimizers, _name)
del _name, _module, _sys
