"""The `tf.distribute` namespace."""

from jaxport.parallel import (  # noqa: F401
    MirroredStrategy,
    OneDeviceStrategy,
    PerReplica,
)
from jaxport.parallel import PerReplica as DistributedValues  # noqa: F401
from jaxport.strategy_context import (  # noqa: F401
    InputContext,
    ReduceOp,
    ReplicaContext,
    get_cross_replica_context,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
)
