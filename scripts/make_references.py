"""Generate the TensorFlow reference files ``parity_tests/references/NAME.json``.

Every entry of ``parity_tests.cases.REFERENCES`` is run in a fresh subprocess under real
TensorFlow 2 + tf_keras (Keras 2) through ``parity_tests/run_case.py``; its results and
metadata (versions, code path, params, devices, date) are written to the reference file,
together with the command that produced it. Reference files are never edited by hand.

Usage (the interpreter must have ``tensorflow`` and ``tf_keras`` installed)::

    TF_USE_LEGACY_KERAS=1 /work/tfvenv/bin/python scripts/make_references.py \
        [--only NAME ...] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from parity_tests.cases import REFERENCES, Reference  # noqa: E402
from parity_tests.run_case import REFERENCE_DIR, TENSORFLOW_ENV, write_payload  # noqa: E402


def reference_command(spec: Reference, python_exe: str, out: Path) -> list[str]:
    """The ``run_case`` command line that produces one reference."""
    command = [
        python_exe,
        "-m",
        "parity_tests.run_case",
        spec.case,
        "--framework",
        "tensorflow",
        "--out",
        str(out),
    ]
    if spec.devices is not None:
        command += ["--devices", str(spec.devices)]
    for key, value in spec.params.items():
        command += ["--param", f"{key}={value!r}"]
    return command


def make_reference(name: str, python_exe: str) -> tuple[str, float, str | None]:
    """Make reference ``name`` in a subprocess; return ``(name, seconds, error)``."""
    spec = REFERENCES[name]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.json"
        command = reference_command(spec, python_exe, out)
        env = {**os.environ, **TENSORFLOW_ENV}
        proc = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out.exists():
            return name, time.perf_counter() - start, proc.stderr[-3000:]
        payload: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    shown = ["python" if part == python_exe else part for part in command]
    shown[shown.index("--out") + 1] = f"parity_tests/references/{name}.json"
    payload["metadata"].update(
        reference=name,
        generated_by="scripts/make_references.py",
        command=" ".join(shown),
    )
    write_payload(
        REFERENCE_DIR / f"{name}.json",
        {"metadata": payload["metadata"], "results": payload["results"]},
    )
    return name, time.perf_counter() - start, None


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="only this reference",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter with TensorFlow (default: this one)",
    )
    parser.add_argument("--jobs", type=int, default=1, help="references generated in parallel")
    parser.add_argument("--list", action="store_true", help="list the references and exit")
    args = parser.parse_args(argv)

    if args.list:
        for name, spec in REFERENCES.items():
            print(f"{name}: case={spec.case} params={spec.params} devices={spec.devices}")
        return 0
    unknown = sorted(set(args.only) - set(REFERENCES))
    if unknown:
        parser.error(f"unknown reference(s) {unknown}; known: {sorted(REFERENCES)}")
    names = args.only or list(REFERENCES)

    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name, seconds, error in pool.map(lambda n: make_reference(n, args.python), names):
            print(f"{'FAILED' if error else 'wrote '} {name} ({seconds:.1f}s)", flush=True)
            if error:
                failed.append(name)
                print(error, file=sys.stderr)
    stale = sorted(p.stem for p in REFERENCE_DIR.glob("*.json") if p.stem not in REFERENCES)
    if stale:
        print(f"note: reference files with no REFERENCES entry: {stale}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
