"""`tf.strings`: string ops on host-side string Tensors (numpy object arrays of bytes).

XLA has no string type: see jaxport/strings/host.py and docs/differences.md.
"""

from jaxport.strings.format_ops import as_string, format  # noqa: F401, A004
from jaxport.strings.ngram_ops import ngrams  # noqa: F401
from jaxport.strings.string_ops import (  # noqa: F401
    bytes_split,
    join,
    length,
    lower,
    reduce_join,
    regex_full_match,
    regex_replace,
    split,
    strip,
    substr,
    to_hash_bucket_fast,
    to_hash_bucket_strong,
    to_number,
    upper,
)
from jaxport.strings.unicode_ops import unicode_decode, unicode_encode, unicode_split  # noqa: F401
