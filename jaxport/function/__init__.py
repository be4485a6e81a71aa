"""`tf.function` on `jax.jit`: one traced program per call type, Variables lifted in and out.

The package is the tf.function machinery, one concept a module:

- `polymorphic_function.py`: `Function` — when to trace (TF's call types and retracing rules)
  and how a call runs its compiled program;
- `trace.py`: one trace of the Python function into a program (Variables lifted into
  explicit inputs and outputs, first-call initialisers);
- `trace_types.py`: TF's trace types — call binding, retracing, `reduce_retracing`;
- `symbolic_trace.py`: `None` dims traced once with JAX's symbolic shapes (`jax.export`);
- `concrete_function.py`: `ConcreteFunction` (jaxpr, StableHLO, structured signature);
- `structure.py`: dict insertion order kept through the compiled program.
"""

from jaxport.function.polymorphic_function import (  # noqa: F401
    Function,
    function,
    functions_run_eagerly,
    run_functions_eagerly,
)

__all__ = ["function", "Function", "run_functions_eagerly", "functions_run_eagerly"]
