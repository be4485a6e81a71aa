"""`tf.device` and `tf.DeviceSpec`: placing eager values as JAX places them.

`with tf.device('/GPU:0'):` makes that device JAX's default device (`jax.default_device`), so
arrays created and ops run inside go there, and values from elsewhere that are not committed
to a device are copied there, as TF copies an op's inputs to the op's device. A device that
does not exist here (a GPU on a CPU-only machine, `/CPU:5` with one CPU) falls back to the
default device, as TF's soft placement does. `Tensor.device` reports where a value lives as
TF's full name, `/job:localhost/replica:0/task:0/device:CPU:0`. Inside a `tf.function` trace
XLA places the program; the scope changes nothing there.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, NamedTuple

import jax
import jax.numpy as jnp

from jaxport import errors

_DEVICE_TYPES = ("CPU", "GPU", "TPU")
_JOB = "localhost"


class DeviceSpec(NamedTuple):
    """`tf.DeviceSpec`: the parts of a device name (None where the name leaves them open)."""

    job: str | None = None
    replica: int | None = None
    task: int | None = None
    device_type: str | None = None
    device_index: int | None = None

    @classmethod
    def from_string(cls, spec: str | None) -> DeviceSpec:
        """Parse a name such as '/job:localhost/replica:0/task:0/device:CPU:0', '/GPU:1', 'cpu:0'.

        Raises:
          ValueError: an unknown part ("Unknown attribute 'foo' is encountered while parsing the
            device spec"), two device types, or an index that is not an integer.
        """
        job = replica = task = device_type = device_index = None
        for part in (spec or "").split("/"):
            fields = part.split(":")
            head = fields[0]
            if len(fields) == 2 and head == "job":
                job = fields[1]
            elif len(fields) == 2 and head == "replica":
                replica = int(fields[1])
            elif len(fields) == 2 and head == "task":
                task = int(fields[1])
            elif len(fields) in (1, 2) and head.upper() in _DEVICE_TYPES:
                if device_type is not None:
                    raise ValueError(f"Multiple device types are not allowed while parsing the device spec: {spec}.")
                device_type = head.upper()
                if len(fields) == 2 and fields[1] != "*":
                    device_index = int(fields[1])
            elif len(fields) == 3 and head == "device":
                if device_type is not None:
                    raise ValueError(f"Multiple device types are not allowed while parsing the device spec: {spec}.")
                device_type = fields[1].upper()
                if fields[2] != "*":
                    device_index = int(fields[2])
            elif head != "":
                raise ValueError(f"Unknown attribute '{head}' is encountered while parsing the device spec: '{spec}'.")
        return cls(job, replica, task, device_type, device_index)

    def to_string(self) -> str:
        """The name with the parts given: '/job:localhost/device:CPU:0', '/device:GPU:1'."""
        out = ""
        if self.job is not None:
            out += f"/job:{self.job}"
        if self.replica is not None:
            out += f"/replica:{self.replica}"
        if self.task is not None:
            out += f"/task:{self.task}"
        if self.device_type is not None:
            out += f"/device:{self.device_type}:{'*' if self.device_index is None else self.device_index}"
        return out

    def full_name(self) -> str:
        """The local device's full TF name: job localhost, replica 0, task 0, CPU:0 by default."""
        kind = self.device_type or "CPU"
        index = self.device_index or 0
        return f"/job:{self.job or _JOB}/replica:{self.replica or 0}/task:{self.task or 0}/device:{kind}:{index}"


def tf_device_name(device: Any) -> str:
    """TF's full name of a JAX device: '/job:localhost/replica:0/task:0/device:CPU:1'."""
    kind = device.platform.upper()
    index = platform_devices(device.platform).index(device)
    return f"/job:{_JOB}/replica:0/task:0/device:{kind}:{index}"


def platform_devices(platform: str) -> list:
    """The local JAX devices of one platform ('cpu', 'gpu', 'tpu'), in TF's index order."""
    try:
        return list(jax.local_devices(backend=platform))
    except RuntimeError:
        return []


def device_of(value: Any) -> str:
    """The TF name of the device a jax array lives on ('' for a tracer, as a graph tensor's)."""
    if isinstance(value, jax.core.Tracer):
        return ""
    devices = value.devices()
    if len(devices) != 1:
        return ""  # sharded over several devices (a strategy's mesh): no single device
    return tf_device_name(next(iter(devices)))


def place_in_scope(raw: Any) -> Any:
    """`raw` on the device of the enclosing `tf.device` scope (JAX's default device), or else of
    the active OneDeviceStrategy, copied there uncommitted if it lives elsewhere, as TF creates
    a Variable on its scope's device."""
    target = jax.config.jax_default_device
    if not isinstance(target, jax.Device):  # no tf.device scope: a OneDeviceStrategy's device, if any
        from jaxport.strategy_context import current_strategy

        target = getattr(current_strategy(), "_variable_device", None)
    if not isinstance(target, jax.Device) or not isinstance(raw, jax.Array) or isinstance(raw, jax.core.Tracer):
        return raw
    if raw.devices() == {target}:
        return raw
    with jax.default_device(target):
        return jnp.array(raw, copy=True)  # lands on `target`, uncommitted


def resolve(spec: DeviceSpec) -> Any:
    """The JAX device a spec names; the default device where it names none that exists here
    (TF's soft placement).

    Raises:
      InvalidArgumentError: a job other than 'localhost' (TF: "... unknown device.").
    """
    if spec.job is not None and spec.job != _JOB:
        raise errors.InvalidArgumentError(None, None, f"{spec.full_name()} unknown device.")
    if spec.device_type is None:
        return jax.local_devices()[0]
    devices = platform_devices(spec.device_type.lower())
    index = spec.device_index or 0
    if index < len(devices):
        return devices[index]
    return jax.local_devices()[0]


@contextlib.contextmanager
def device(device_name: str | DeviceSpec | None) -> Iterator[None]:
    """`tf.device`: ops and values created inside run on (and live on) the named device.

    Args:
      device_name: a device name ('/CPU:0', '/device:GPU:0', '/job:localhost/replica:0/task:0/
        device:CPU:0', 'cpu:1'), a `DeviceSpec`, or None (the default device again).

    Raises:
      ValueError: not a string ("Expecting a string device name. Got ..."), or a name TF cannot
        parse.
      InvalidArgumentError: a device of another job.
    """
    if device_name is None or device_name == "":
        target = jax.local_devices()[0]
    else:
        if isinstance(device_name, DeviceSpec):
            spec = device_name
        elif isinstance(device_name, str):
            spec = DeviceSpec.from_string(device_name)
        else:
            raise ValueError(f"Expecting a string device name. Got {type(device_name)}({device_name})")
        target = resolve(spec)
    with jax.default_device(target):
        yield
