"""Write the HDF5 weight fixtures ``parity_tests/fixtures/NAME.h5`` with real TF + tf_keras.

For each model of ``parity_tests/fixtures/weight_models.py``: build it under TF, train it a
few steps (so the weights, BatchNormalization's moving statistics included, are not initial
values), ``save_weights('NAME.h5')``, and record in ``NAME.json`` (the references' format,
with TF's versions) the predictions on ``INPUTS[NAME]`` and the weights. jaxport's tests load
the ``.h5`` into the same architecture and must predict the same; files are never hand-made.

Usage::

    TF_USE_LEGACY_KERAS=1 /work/tfvenv/bin/python scripts/make_weight_fixtures.py [--only NAME ...]

The other direction (jaxport's files loaded by real TF) is checked by hand with::

    .venv/bin/python -c "import jaxport as tf; from parity_tests.fixtures.weight_models import \
        write_model_files; write_model_files(tf, '/tmp/jx')"
    TF_USE_LEGACY_KERAS=1 /work/tfvenv/bin/python scripts/make_weight_fixtures.py --verify-jaxport-files /tmp/jx
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from parity_tests.fixtures import weight_models  # noqa: E402
from parity_tests.run_case import encode, framework_metadata, write_payload  # noqa: E402

FIXTURE_DIR = REPO_ROOT / "parity_tests" / "fixtures"


def make_fixture(tf, name: str) -> None:
    """Train model ``name`` under TF and write ``NAME.h5`` and ``NAME.json``."""
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(0)
    model = weight_models.BUILDERS[name](tf)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss=weight_models.LOSSES[name])
    model.fit(weight_models.INPUTS[name], weight_models.TARGETS[name], batch_size=2, epochs=3, shuffle=False, verbose=0)
    h5_path = FIXTURE_DIR / f"{name}.h5"
    tmp_path = FIXTURE_DIR / f".{name}.tmp.h5"  # renamed when complete: a fixture is never half-written
    model.save_weights(str(tmp_path))
    os.replace(tmp_path, h5_path)
    results = {
        "predictions": model(weight_models.INPUTS[name], training=False),
        "weight_names": [w.name for w in model.weights],
        "weights": [w.numpy() for w in model.weights],
    }
    metadata = framework_metadata(tf, "tensorflow")
    metadata.update(
        {
            "fixture": f"parity_tests/fixtures/{name}.h5",
            "model": f"parity_tests/fixtures/weight_models.py:{weight_models.BUILDERS[name].__name__}",
            "generator": "scripts/make_weight_fixtures.py",
            "command": shlex.join([sys.executable, *sys.argv]),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
    )
    write_payload(
        FIXTURE_DIR / f"{name}.json", {"metadata": metadata, "results": {k: encode(v) for k, v in results.items()}}
    )
    print(f"wrote {h5_path.relative_to(REPO_ROOT)} and {name}.json")


def verify_jaxport_files(tf, folder: str) -> bool:
    """Load each jaxport-written ``folder/NAME.h5`` into the TF model; compare with jaxport's predictions."""
    import numpy as np

    ok = True
    for name, build in sorted(weight_models.BUILDERS.items()):
        tf.keras.backend.clear_session()
        model = build(tf)
        model.load_weights(os.path.join(folder, f"{name}.h5"))
        got = model(weight_models.INPUTS[name], training=False).numpy()
        want = np.load(os.path.join(folder, f"{name}.npy"))
        close = np.allclose(got, want, rtol=1e-5, atol=1e-6)
        ok &= close
        print(
            f"{name}: TF predictions from jaxport's file, max |diff| {np.abs(got - want).max():.3g}",
            "ok" if close else "MISMATCH",
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(weight_models.BUILDERS), help="fixtures to make")
    parser.add_argument("--verify-jaxport-files", metavar="DIR", help="check jaxport-written files in DIR instead")
    args = parser.parse_args(argv)
    if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
        parser.error("run with TF_USE_LEGACY_KERAS=1 (the fixtures are tf_keras 2 files)")
    import tensorflow as tf

    if args.verify_jaxport_files:
        return 0 if verify_jaxport_files(tf, args.verify_jaxport_files) else 1
    for name in args.only or sorted(weight_models.BUILDERS):
        make_fixture(tf, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
