"""The main demo: the seed document's four TF2 features, each run under `import jaxport as tf`
on bundled real data (one process each, since the device count is fixed per process)."""

import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
DEMOS = ["demo_eager.py", "demo_gradient_tape.py", "demo_subclassing.py", "demo_mirrored.py"]

for demo in DEMOS:
    print(f"\n===== {demo} =====", flush=True)
    start = time.time()
    subprocess.run([sys.executable, str(HERE / demo)], check=True, timeout=300)
    print(f"===== {demo} finished in {time.time() - start:.1f} s =====", flush=True)
