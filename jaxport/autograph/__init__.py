"""AutoGraph and staged control flow: Python `if`/`while`/`for` on Tensors become `lax` programs.

This package is the `tf.autograph` namespace (`to_code`, `experimental.do_not_convert`,
`experimental.set_loop_options`) and the machinery behind it, one concept a module:

- `conversion.py`: the source-to-source conversion (TF's converter in its TF-free fork
  `diastatic-malt`) and `converted_call`;
- `operators.py`: the `ag__` operators the converted code calls (staged when a condition or
  iterable is traced, plain Python otherwise);
- `staging.py`: `lax.switch` / `lax.while_loop` / `lax.scan` with Variables carried;
- `control_flow.py`: `tf.cond`, `tf.case`, `tf.switch_case`, `tf.while_loop`;
- `tensor_array.py`: `tf.TensorArray`.
"""

from jaxport.autograph.conversion import (  # noqa: F401
    convert,
    converted_call,
    do_not_convert,
    experimental,
    set_loop_options,
    to_code,
)

__all__ = ["convert", "converted_call", "do_not_convert", "to_code", "experimental"]
