"""TF op namespaces as dispatch wrappers: math, arrays, nn, random."""

from jaxport.ops import array_ops, math_ops, nn_ops, operators, random_ops  # noqa: F401
