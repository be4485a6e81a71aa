"""Test session set-up: four simulated CPU devices (set before JAX starts its backend), so
MirroredStrategy tests have replicas to map over, as TF's test rigs use logical CPUs."""

import jax

jax.config.update("jax_num_cpu_devices", 4)
