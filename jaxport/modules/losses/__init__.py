"""`tf.keras.losses` with Keras 2 (tf_keras 2.21) numerics.

- `functions`: the per-sample functions (`mean_squared_error`, `binary_crossentropy`, ...) on
  Tensors, each one dispatched op;
- `pure`: the same losses as pure jnp functions, for `jax.grad` / `jax.jit`;
- `classes`: `Loss`, `LossFunctionWrapper` and the loss classes (reduction, sample weights);
- `reduction`: `Reduction`, rank alignment and the weighted reduction;
- `serialization`: `get`, `serialize`, `deserialize` and the loss `compile` builds;
- `backend`: `tf.keras.backend`'s element-wise cross-entropies.

`loss_for_compile` (compile's loss) and `squeeze_or_expand` (metrics' rank alignment) are
importable from here for jaxport's own Keras modules; they are not part of `tf.keras.losses`.

Cross-entropies given a Keras sigmoid/softmax output use its logits, as tf.keras does; other
probabilities are clipped to [1e-7, 1 - 1e-7]. The default reduction, SUM_OVER_BATCH_SIZE,
divides the weighted sum by the number of elements.
"""

from jaxport.modules.losses import pure
from jaxport.modules.losses.classes import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    Loss,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from jaxport.modules.losses.functions import (
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    huber,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from jaxport.modules.losses.reduction import Reduction, compute_weighted_loss, squeeze_or_expand  # noqa: F401
from jaxport.modules.losses.serialization import deserialize, get, loss_for_compile, serialize  # noqa: F401

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "Huber",
    "KLD",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "Reduction",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "compute_weighted_loss",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "pure",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
]
