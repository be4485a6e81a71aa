"""`tf.data`: a small, numpy-backed `Dataset` with TF 2's semantics.

A `Dataset` is a lazy, re-iterable pipeline: every transformation returns a new Dataset
and every `for` loop over one starts afresh. Elements are nested structures (tuples,
namedtuples, dicts) of `Tensor`s, like TF's; lists given to `from_tensor_slices` are
tensors, not structures, and a list returned by a `map` function becomes a tuple.

Internally elements stay numpy until they are handed out. Each pipeline stage produces a
stream of *chunks*. A stream either indexes rows of the source arrays of a
`from_tensor_slices` (chunks are `range`s or int arrays), so that `shuffle`, `repeat`,
`take`, `skip`, `cache` and `prefetch` only move indices and `batch` slices (or
fancy-indexes) the arrays once per batch; or it carries materialized elements (chunks are
lists), after `map`, `filter`, `zip`, `unbatch`, `batch` and for `range`/`from_tensors`.

Simplifications against TF: functions given to `map`/`filter`/`reduce` run eagerly once
per element (TF traces them once); `prefetch` is a no-op; the `element_spec` of a mapped
dataset is inferred by running the function on the first element; without an op seed,
`shuffle` uses the global seed of `jaxport.random.set_seed` as is (TF derives a distinct
seed per op), or fresh entropy when no global seed is set.
"""

from jaxport.data.dataset import (
    AUTOTUNE,
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    DatasetIterator,  # noqa: F401  (public name of data.py, not in its __all__)
    experimental,
)
from jaxport.data.structure import TensorSpec

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Dataset",
    "TensorSpec",
    "experimental",
]
