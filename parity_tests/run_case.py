"""Run one parity case under TensorFlow or jaxport and write its results as JSON.

Command line, from the repository root (``python parity_tests/run_case.py`` works too)::

    python -m parity_tests.run_case CASE --framework {tensorflow,jaxport} \
        [--devices N] [--param k=v ...] --out FILE.json

``--framework tensorflow`` sets ``TF_USE_LEGACY_KERAS=1`` (Keras 2) before
``import tensorflow as tf``; ``--framework jaxport`` does ``import jaxport as tf``. With
``--devices N`` the very first call after that import splits the CPU into ``N`` logical
devices (jaxport maps this to JAX's CPU device count). Then
``tf.keras.backend.clear_session()`` runs and the case function is called.

Helpers for tests: ``load_reference(name)``, ``run_case_subprocess(...)``,
``run_reference_subprocess(...)`` and ``assert_results_close(...)``.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = REPO_ROOT / "parity_tests" / "references"
FRAMEWORKS = ("tensorflow", "jaxport")

if __package__ in (None, ""):
    # Run as a script: make `parity_tests` (and `jaxport`) importable.
    sys.path.insert(0, str(REPO_ROOT))

# Environment for running real TensorFlow: Keras 2, CPU only, quiet C++ logging.
TENSORFLOW_ENV = {
    "TF_USE_LEGACY_KERAS": "1",
    "CUDA_VISIBLE_DEVICES": "",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


# --------------------------------------------------------------------------- framework


def import_framework(framework: str, devices: int | None = None) -> Any:
    """Import ``tensorflow`` (Keras 2) or ``jaxport`` as ``tf``; set ``devices`` CPUs.

    The logical-device call is the first thing done with the module, before anything
    can initialise the devices (TF refuses it afterwards; JAX fixes its CPU count at
    start-up).
    """
    if framework == "tensorflow":
        for key, value in TENSORFLOW_ENV.items():
            if key == "TF_USE_LEGACY_KERAS":
                os.environ[key] = value
            else:
                os.environ.setdefault(key, value)
        import tensorflow as tf
    elif framework == "jaxport":
        import jaxport as tf
    else:
        raise ValueError(f"framework must be one of {FRAMEWORKS}, got {framework!r}")
    if devices is not None:
        tf.config.set_logical_device_configuration(
            tf.config.list_physical_devices("CPU")[0],
            [tf.config.LogicalDeviceConfiguration()] * devices,
        )
    return tf


def framework_metadata(tf: Any, framework: str) -> dict[str, Any]:
    """Versions of everything that can change the numbers."""
    meta: dict[str, Any] = {
        "framework": framework,
        "framework_version": getattr(tf, "__version__", None),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "platform": platform.platform(),
    }
    if framework == "tensorflow":
        import tf_keras

        meta["tensorflow_version"] = tf.__version__
        meta["tf_keras_version"] = tf_keras.__version__
        meta["keras_module"] = tf.keras.Sequential.__module__
        meta["environment"] = {
            key: os.environ.get(key)
            for key in (
                "TF_USE_LEGACY_KERAS",
                "TF_ENABLE_ONEDNN_OPTS",
                "CUDA_VISIBLE_DEVICES",
            )
        }
    else:
        try:
            import jax

            meta["jax_version"] = jax.__version__
        except ImportError:  # pragma: no cover - jaxport always has jax
            pass
    meta["logical_cpu_devices"] = len(tf.config.list_logical_devices("CPU"))
    return meta


def run_case(tf: Any, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run case ``name`` here: ``clear_session()``, then ``case_NAME(tf, **params)``."""
    from parity_tests import cases

    if name not in cases.CASES:
        raise KeyError(f"unknown case {name!r}; known: {sorted(cases.CASES)}")
    tf.keras.backend.clear_session()
    return cases.CASES[name](tf, **(params or {}))


# --------------------------------------------------------------------------- encoding


def encode(value: Any) -> dict[str, Any]:
    """A JSON-able form of a result: arrays keep dtype, shape and full-precision values.

    float32 values are written as the Python float (float64) they convert to exactly, so
    decoding gives back the same bits.
    """
    if isinstance(value, str):
        return {"type": "str", "value": value}
    if isinstance(value, dict):
        return {"type": "dict", "items": {str(k): encode(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, str) for v in value):
            return {"type": "str_list", "value": list(value)}
        return {"type": "list", "items": [encode(v) for v in value]}
    if hasattr(value, "numpy"):
        value = value.numpy()
    array = np.asarray(value)
    return {
        "type": "array",
        "dtype": str(array.dtype),
        "shape": list(array.shape),
        "value": array.tolist(),
    }


def decode(entry: dict[str, Any]) -> Any:
    """Inverse of ``encode``: numpy arrays, strings, lists of strings, lists, dicts."""
    kind = entry["type"]
    if kind in ("str", "str_list"):
        return entry["value"]
    if kind == "list":
        return [decode(item) for item in entry["items"]]
    if kind == "dict":
        return {key: decode(item) for key, item in entry["items"].items()}
    if kind == "array":
        return np.asarray(entry["value"], dtype=entry["dtype"]).reshape(entry["shape"])
    raise ValueError(f"unknown result type {kind!r}")


def dumps_payload(payload: dict[str, Any]) -> str:
    """JSON text with indented metadata and one line per result (readable diffs)."""
    lines = ["{"]
    for index, (key, value) in enumerate(payload.items()):
        comma = "," if index < len(payload) - 1 else ""
        if key == "results":
            lines.append('  "results": {')
            items = list(value.items())
            for j, (name, entry) in enumerate(items):
                inner_comma = "," if j < len(items) - 1 else ""
                lines.append(f"    {json.dumps(name)}: {json.dumps(entry)}{inner_comma}")
            lines.append("  }" + comma)
        else:
            text = json.dumps(value, indent=2, sort_keys=True).replace("\n", "\n  ")
            lines.append(f"  {json.dumps(key)}: {text}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_payload(path: str | os.PathLike[str], payload: dict[str, Any]) -> None:
    """Write ``payload`` atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8") as f:
        f.write(dumps_payload(payload))
    os.chmod(f.name, 0o644)  # NamedTemporaryFile creates 0600
    os.replace(f.name, path)


def decode_payload(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(results, metadata)`` of a JSON payload written by this module."""
    results = {name: decode(entry) for name, entry in payload["results"].items()}
    return results, payload["metadata"]


# ------------------------------------------------------------------- test helpers


def load_reference(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The TF reference ``parity_tests/references/NAME.json``: ``(results, metadata)``.

    Results are numpy arrays (original dtype and shape), strings, lists of strings or
    lists of arrays; metadata has ``case``, ``params``, ``devices``, versions, date.
    """
    path = REFERENCE_DIR / f"{name}.json"
    return decode_payload(json.loads(path.read_text(encoding="utf-8")))


def run_case_subprocess(
    name: str,
    framework: str,
    python_exe: str = sys.executable,
    devices: int | None = None,
    params: dict[str, Any] | None = None,
    timeout: float = 600.0,
    env: dict[str, str] | None = None,
    with_metadata: bool = False,
) -> Any:
    """Run case ``name`` in a fresh ``python_exe`` process; return its decoded results.

    Args:
        name: case name (``CASES`` key), e.g. ``"seed_mirrored_fit"``.
        framework: ``"tensorflow"`` or ``"jaxport"``.
        python_exe: the interpreter (for TensorFlow: ``/work/tfvenv/bin/python``).
        devices: logical CPU devices (``--devices``); ``None`` leaves the default.
        params: keyword parameters of the case (passed as ``--param k=repr(v)``).
        timeout: seconds before the child is killed.
        env: extra environment variables for the child.
        with_metadata: return ``(results, metadata)`` instead of ``results``.

    Raises:
        RuntimeError: the child failed; the message holds the end of its stderr.
    """
    child_env = dict(os.environ)
    if framework == "tensorflow":
        child_env.update(TENSORFLOW_ENV)
    child_env.update(env or {})
    if framework == "jaxport" and os.environ.get("PARITY_CASE_SERVER") == "1":  # opt-in: parity_tests/case_server.py
        from parity_tests.case_server import run_in_server

        results, metadata = run_in_server(name, python_exe, devices, params or {}, timeout, env or {})
        return (results, metadata) if with_metadata else results
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.json"
        command = [
            python_exe,
            "-m",
            "parity_tests.run_case",
            name,
            "--framework",
            framework,
            "--out",
            str(out),
        ]
        if devices is not None:
            command += ["--devices", str(devices)]
        for key, value in (params or {}).items():
            command += ["--param", f"{key}={value!r}"]
        proc = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(
                f"case {name!r} under {framework} failed (exit {proc.returncode}):\n" + proc.stderr[-4000:]
            )
        results, metadata = decode_payload(json.loads(out.read_text(encoding="utf-8")))
    return (results, metadata) if with_metadata else results


def run_reference_subprocess(reference: str, framework: str, python_exe: str = sys.executable, **kwargs: Any) -> Any:
    """``run_case_subprocess`` of a ``REFERENCES`` entry (case, params, devices)."""
    from parity_tests import cases

    spec = cases.REFERENCES[reference]
    return run_case_subprocess(
        spec.case,
        framework,
        python_exe,
        devices=spec.devices,
        params=dict(spec.params),
        **kwargs,
    )


def assert_results_close(
    actual: dict[str, Any],
    expected: dict[str, Any],
    rtol: float = 1e-5,
    atol: float = 1e-6,
    keys: list[str] | None = None,
) -> None:
    """Assert each result in ``expected`` (or ``keys``) matches ``actual``.

    Arrays: same shape and within tolerance; strings and lists of strings: exactly.
    All mismatches are reported at once.
    """
    failures = []
    for key in keys if keys is not None else list(expected):
        if key not in actual:
            failures.append(f"{key}: missing")
            continue
        failures += _mismatches(key, actual[key], expected[key], rtol, atol)
    if failures:
        raise AssertionError("results differ:\n" + "\n".join(failures))


def _mismatches(key: str, got: Any, want: Any, rtol: float, atol: float) -> list[str]:
    if isinstance(want, str) or (isinstance(want, list) and want and isinstance(want[0], str)):
        return [] if got == want else [f"{key}: {got!r} != {want!r}"]
    if isinstance(want, list):
        if not isinstance(got, (list, tuple)) or len(got) != len(want):
            return [f"{key}: expected a list of {len(want)} items, got {type(got).__name__}"]
        return [
            m
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for m in _mismatches(f"{key}[{i}]", g, w, rtol, atol)
        ]
    got = np.asarray(got)
    if got.shape != want.shape:
        return [f"{key}: shape {got.shape} != {want.shape}"]
    if not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        return [f"{key}: max abs diff {np.nanmax(diff):.3g} (rtol={rtol}, atol={atol})"]
    return []


# --------------------------------------------------------------------------- CLI


def _parse_param(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"--param must be k=v, got {text!r}")
    try:
        return key, ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return key, raw


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case")
    parser.add_argument("--framework", choices=FRAMEWORKS, required=True)
    parser.add_argument("--devices", type=int, default=None, help="logical CPU devices")
    parser.add_argument("--param", type=_parse_param, action="append", default=[], metavar="K=V")
    parser.add_argument("--out", required=True, help="output JSON file")
    args = parser.parse_args(argv)

    tf = import_framework(args.framework, args.devices)
    run_and_write(tf, args.framework, args.case, dict(args.param), args.devices, args.out)
    return 0


def run_and_write(tf: Any, framework: str, case: str, params: dict[str, Any], devices: int | None, out: Any) -> None:
    """Run ``case`` here and write its results and metadata (versions, timing) to ``out``."""
    start = time.perf_counter()
    results = run_case(tf, case, params)
    elapsed = time.perf_counter() - start
    metadata = {
        "case": case,
        "code_path": f"parity_tests/cases.py::case_{case}",
        "params": params,
        "devices": devices,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "case_seconds": round(elapsed, 3),
        **framework_metadata(tf, framework),
    }
    write_payload(out, {"metadata": metadata, "results": {k: encode(v) for k, v in results.items()}})


if __name__ == "__main__":
    sys.exit(main())
