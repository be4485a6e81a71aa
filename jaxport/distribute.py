"""The `tf.distribute` namespace."""

from jaxport.parallel import (  # noqa: F401
    MirroredStrategy,
    PerReplica,
    ReduceOp,
    get_replica_context,
)


def get_strategy():
    """The strategy whose scope is active, or the default (single-replica) strategy."""
    from jaxport.parallel import current_strategy, default_strategy

    return current_strategy() or default_strategy()


def has_strategy() -> bool:
    """Whether a strategy scope is active."""
    from jaxport.parallel import current_strategy

    return current_strategy() is not None
