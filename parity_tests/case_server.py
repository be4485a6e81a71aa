"""Run many jaxport parity cases in one long-lived child process per device setup.

Starting a fresh interpreter and importing JAX and jaxport costs seconds per case, and every
case compiles the same common ops again. With `PARITY_CASE_SERVER=1` the parity tests send
their jaxport cases to a case server instead: a child started once per (interpreter, logical
devices, environment) in each test process, which imports the framework once and runs the
cases one after another, each after `clear_session()` (as `run_case` does) with
`run_functions_eagerly(False)`. That saves about a fifth of the suite's CPU time when iterating
locally; CI keeps the default, one fresh process per case, so that no case can see global
state another one left behind. TensorFlow references are always made one fresh process each
(`scripts/make_references.py`).

Protocol: one JSON request per line on the child's stdin (`case`, `params`, `out`); the child
writes the results file as `run_case.py` does and answers one JSON line on its original stdout
(its file descriptor 1 is pointed at stderr first, so whatever a case prints cannot mix with
the answers). A case that raises is reported and the child goes on; a child that dies or
exceeds the timeout is killed and the next case starts a new one.

Command line (what the client starts)::

    python -m parity_tests.case_server --framework jaxport [--devices N]
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import select
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parity_tests.run_case import REPO_ROOT, decode_payload, import_framework, run_and_write  # noqa: E402

# --------------------------------------------------------------------------- the child


def serve(framework: str, devices: int | None) -> int:
    """Answer requests from stdin until it closes."""
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything a case prints goes to stderr, never into the answers
    tf = import_framework(framework, devices)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if hasattr(tf.config, "run_functions_eagerly"):
                tf.config.run_functions_eagerly(False)
            run_and_write(tf, framework, request["case"], request["params"], devices, request["out"])
            answer = {"ok": True}
        except BaseException:  # noqa: BLE001 - reported to the client, the server goes on
            answer = {"ok": False, "error": traceback.format_exc()[-4000:]}
        answers.write(json.dumps(answer) + "\n")
    return 0


# --------------------------------------------------------------------------- the client


class _Server:
    """One running child and the file its stderr goes to."""

    def __init__(self, python_exe: str, devices: int | None, env: dict[str, str]):
        self.log = tempfile.TemporaryFile(mode="w+b")
        command = [python_exe, "-m", "parity_tests.case_server", "--framework", "jaxport"]
        if devices is not None:
            command += ["--devices", str(devices)]
        self.proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """Send one request; its answer, or None if the child died or timed out."""
        try:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 1.0))
            if ready:
                line = self.proc.stdout.readline()
                return json.loads(line) if line else None
            if self.proc.poll() is not None:
                return None

    def stderr_tail(self, size: int = 4000) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-size:]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
        self.log.close()


_SERVERS: dict[tuple, _Server] = {}


def _close_all() -> None:
    for server in _SERVERS.values():
        server.close()
    _SERVERS.clear()


atexit.register(_close_all)


def run_in_server(
    case: str, python_exe: str, devices: int | None, params: dict[str, Any], timeout: float, env: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run `case` in the case server for this setup (started on first use); `(results, metadata)`.

    Raises:
        RuntimeError: the case raised, or the child died or ran past `timeout` (it is then
            killed, and the next case starts a new one).
    """
    key = (python_exe, devices, tuple(sorted(env.items())))
    server = _SERVERS.get(key)
    if server is None or server.proc.poll() is not None:
        server = _SERVERS[key] = _Server(python_exe, devices, env)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{case}.json"
        answer = server.ask({"case": case, "params": params, "out": str(out)}, timeout)
        if answer is None:
            tail = server.stderr_tail()
            server.proc.kill()
            server.close()
            del _SERVERS[key]
            raise RuntimeError(f"case {case!r} under jaxport: the case server died or timed out:\n{tail}")
        if not answer["ok"]:
            raise RuntimeError(f"case {case!r} under jaxport failed:\n{answer['error']}")
        return decode_payload(json.loads(out.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    """CLI entry point of the child; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", default="jaxport")
    parser.add_argument("--devices", type=int, default=None)
    args = parser.parse_args(argv)
    return serve(args.framework, args.devices)


if __name__ == "__main__":
    sys.exit(main())
