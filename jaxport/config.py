"""`tf.config`: devices, TF32 math, and the switch that runs `function`s eagerly.

`set_logical_device_configuration(cpu, [LogicalDeviceConfiguration()] * N)` maps to JAX's
CPU device count (`jax_num_cpu_devices`), which must be set before JAX starts its backend,
just as TF requires logical devices to be configured before the runtime initialises.
"""

from __future__ import annotations

import os
import types
from typing import Any, NamedTuple

import jax

from jaxport.function.polymorphic_function import functions_run_eagerly, run_functions_eagerly  # noqa: F401


class PhysicalDevice(NamedTuple):
    """`tf.config.PhysicalDevice`."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """`tf.config.LogicalDevice`."""

    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """`tf.config.LogicalDeviceConfiguration` (memory_limit is accepted and ignored on CPU)."""

    memory_limit: Any = None
    experimental_priority: Any = None
    experimental_device_ordinal: Any = None


_logical_config: dict[str, list | None] = {}  # physical device name -> its logical configurations
_visible: dict[str, bool] = {}  # device type -> visible (all devices of a type, default True)


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """`tf.config.list_physical_devices`: one CPU, plus any accelerators JAX sees."""
    out = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if device_type is not None and device_type.upper() not in ("CPU", "GPU", "TPU"):
        return []
    from jax._src import xla_bridge

    for kind in ("gpu", "tpu"):
        # Counting accelerators starts JAX's backends; only do it once they are started, so
        # that `set_logical_device_configuration` can still follow this call (as in TF).
        if not xla_bridge.backends_are_initialized():
            continue
        try:
            devs = jax.devices(kind)
        except RuntimeError:
            devs = []
        out += [PhysicalDevice(f"/physical_device:{kind.upper()}:{i}", kind.upper()) for i, _ in enumerate(devs)]
    if device_type is None:
        return out
    return [d for d in out if d.device_type == device_type.upper()]


def list_logical_devices(device_type: str | None = None) -> list[LogicalDevice]:
    """`tf.config.list_logical_devices`: JAX's local devices as TF names ('/device:CPU:1'), of
    one type when `device_type` is given (starts the runtime, as TF's does)."""
    from jaxport.device import platform_devices

    devs = []
    for kind in ("cpu", "gpu", "tpu"):
        if kind != "cpu" and not _visible.get(kind.upper(), True):
            continue
        for i, _ in enumerate(platform_devices(kind)):
            devs.append(LogicalDevice(f"/device:{kind.upper()}:{i}", kind.upper()))
    if device_type is None:
        return devs
    return [d for d in devs if d.device_type == device_type.upper()]


def get_logical_device_configuration(device: PhysicalDevice) -> list | None:
    """`tf.config.get_logical_device_configuration`: the configurations set for `device`, or None."""
    return _logical_config.get(getattr(device, "name", None))


def get_visible_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """`tf.config.get_visible_devices`: the physical devices the runtime may use."""
    return [d for d in list_physical_devices(device_type) if _visible.get(d.device_type, True)]


def set_visible_devices(devices: Any, device_type: str | None = None) -> None:
    """`tf.config.set_visible_devices`: hide the accelerators of a type (before the runtime starts).

    jaxport keeps or hides all devices of a type: the CPU stays visible; GPUs/TPUs not listed are
    hidden from `list_logical_devices` and `get_visible_devices` (JAX keeps them).

    Raises:
      RuntimeError: the visible set changes after the runtime started (TF's message).
    """
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    devices = list(devices or [])
    kinds = [device_type.upper()] if device_type else ["CPU", "GPU", "TPU"]
    wanted = {kind: any(d.device_type == kind for d in devices) for kind in kinds}
    present = {d.device_type for d in list_physical_devices()}
    changed = {k: v for k, v in wanted.items() if v != _visible.get(k, True) and (k in present or v)}
    if not changed:
        return
    from jax._src import xla_bridge

    if xla_bridge.backends_are_initialized() or changed.get("CPU") is False:
        raise RuntimeError("Visible devices cannot be modified after being initialized")
    _visible.update(changed)


def set_logical_device_configuration(device: PhysicalDevice, logical_devices: list | None) -> None:
    """Split the CPU into N logical devices (JAX's `jax_num_cpu_devices`), before first use.

    Raises:
      RuntimeError: the backend already started (TF: "Virtual devices cannot be modified
        after being initialized").
      ValueError: `device` is not a CPU PhysicalDevice.
    """
    if not isinstance(device, PhysicalDevice):
        raise ValueError(f"`device` must be a tf.config.PhysicalDevice; received {device!r}.")
    if device.device_type != "CPU":
        raise ValueError(f"jaxport can only split the CPU into logical devices; received {device.name}.")
    n = 1 if not logical_devices else len(logical_devices)
    from jax._src import xla_bridge

    if xla_bridge.backends_are_initialized():
        if len(jax.devices("cpu")) == n:
            return
        raise RuntimeError("Virtual devices cannot be modified after being initialized")
    jax.config.update("jax_num_cpu_devices", n)
    _logical_config[device.name] = list(logical_devices) if logical_devices else None


set_virtual_device_configuration = set_logical_device_configuration
experimental_run_functions_eagerly = run_functions_eagerly


# -- tf.config.experimental ---------------------------------------------------------------------

_memory_growth: dict[str, bool] = {}


def enable_tensor_float_32_execution(enabled: bool) -> None:
    """`tf.config.experimental.enable_tensor_float_32_execution`: whether float32 matmuls and
    convolutions may use TensorFloat-32 on GPUs that have it (TF's default: on). Maps to JAX's
    `jax_default_matmul_precision`: the XLA default when enabled, `'highest'` (full float32)
    when disabled. CPUs compute in float32 either way."""
    jax.config.update("jax_default_matmul_precision", None if enabled else "highest")


def tensor_float_32_execution_enabled() -> bool:
    """`tf.config.experimental.tensor_float_32_execution_enabled`."""
    return jax.config.jax_default_matmul_precision in (None, "default", "bfloat16", "tensorfloat32", "fastest")


def set_memory_growth(device: PhysicalDevice, enable: bool) -> None:
    """`tf.config.experimental.set_memory_growth`: allocate GPU memory as needed instead of
    up front, i.e. XLA's `XLA_PYTHON_CLIENT_PREALLOCATE=false`, which must be set before JAX
    starts its GPU backend (as TF requires before GPUs are initialised).

    Raises:
      ValueError: `device` is not a GPU PhysicalDevice (TF's message).
      RuntimeError: the backend already started with another setting.
    """
    if not isinstance(device, PhysicalDevice) or device.device_type != "GPU":
        raise ValueError(
            f"Cannot set memory growth on non-GPU and non-Pluggable devices: `device` must be a GPU "
            f"tf.config.PhysicalDevice; received {device!r}."
        )
    from jax._src import xla_bridge

    wanted = "false" if enable else "true"
    if xla_bridge.backends_are_initialized() and os.environ.get("XLA_PYTHON_CLIENT_PREALLOCATE", "true") != wanted:
        raise RuntimeError("Physical devices cannot be modified after being initialized")
    os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = wanted
    _memory_growth[device.name] = bool(enable)


def get_memory_growth(device: PhysicalDevice) -> bool:
    """`tf.config.experimental.get_memory_growth`."""
    return _memory_growth.get(getattr(device, "name", None), False)


experimental = types.SimpleNamespace(
    enable_tensor_float_32_execution=enable_tensor_float_32_execution,
    tensor_float_32_execution_enabled=tensor_float_32_execution_enabled,
    set_memory_growth=set_memory_growth,
    get_memory_growth=get_memory_growth,
    list_physical_devices=list_physical_devices,
    list_logical_devices=list_logical_devices,
    set_virtual_device_configuration=set_logical_device_configuration,
    get_visible_devices=get_visible_devices,
    set_visible_devices=set_visible_devices,
)
