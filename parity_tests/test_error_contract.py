"""The error contract across jaxport, counted over the committed TF references.

Every bad-input case a parity case records with `parity_tests.cases.add_error_contract` stores,
under `errors/KEY/...`, the exception's class, its builtin bases, its `tf.errors` classes, one
flag per key phrase of the message and, where given, the state after the error. Each topic's
own parity test runs its case under jaxport and compares all of that with TF's reference; this
module checks the contract itself: how many cases each area has, that every record is whole,
and that the key phrases chosen are really in TF's messages (so that a phrase check can fail).
"""

from __future__ import annotations

import collections
import json

import pytest

from parity_tests.run_case import REFERENCE_DIR

# Which area a reference's error cases belong to, by the reference's name.
AREAS: dict[str, tuple[str, ...]] = {
    "ops": ("ops_", "opsx_", "host_"),
    "tape": ("tape_", "autodiff_"),
    "function": ("function_", "tracing_", "autograph_", "control_"),
    "keras": (
        "core_keras",
        "core_activations",
        "core_dropout",
        "functional_",
        "losses_",
        "metrics_",
        "optimizers_",
        "recurrent_",
    ),
    "distribute": ("core_distribute", "core_default_strategy", "core_devices", "mirrored_", "distribute_"),
}
MINIMUM_TOTAL = 60
MINIMUM_PER_AREA = 5


def _error_records() -> dict[str, dict[str, dict]]:
    """reference name -> error key -> {field: stored value}."""
    records: dict[str, dict[str, dict]] = {}
    for path in sorted(REFERENCE_DIR.glob("*.json")):
        results = json.loads(path.read_text(encoding="utf-8"))["results"]
        for key, value in results.items():
            if not key.startswith("errors/"):
                continue
            case, _, field = key[len("errors/") :].rpartition("/")
            if field.isdigit():  # errors/KEY/phrase/N
                case, _, phrase = case.rpartition("/")
                field = f"{phrase}/{field}"
            records.setdefault(path.stem, {}).setdefault(case, {})[field] = value.get("value")
    return records


RECORDS = _error_records()


def _area(reference: str) -> str | None:
    for area, prefixes in AREAS.items():
        if reference.startswith(prefixes):
            return area
    return None


def test_enough_bad_input_cases_in_every_area():
    counts = collections.Counter()
    for reference, cases in RECORDS.items():
        counts[_area(reference) or "other"] += len(cases)
    assert sum(counts.values()) >= MINIMUM_TOTAL, counts
    for area in AREAS:
        assert counts[area] >= MINIMUM_PER_AREA, f"area {area!r} has {counts[area]} error cases: {counts}"


@pytest.mark.parametrize("reference", sorted(RECORDS))
def test_error_records_are_whole(reference):
    for case, fields in RECORDS[reference].items():
        assert {"class", "bases", "tf_errors"} <= set(fields), f"{reference}: errors/{case} lacks fields: {fields}"
        if fields["class"] != "no error":
            assert fields["bases"], f"{reference}: errors/{case}: an exception with no builtin base"


@pytest.mark.parametrize("reference", sorted(RECORDS))
def test_key_phrases_are_in_tf_messages(reference):
    """A phrase TF's own message lacks would make its check meaningless."""
    missing = [
        f"errors/{case}/{field}"
        for case, fields in RECORDS[reference].items()
        if fields["class"] != "no error"
        for field, value in fields.items()
        if field.startswith("phrase/") and value != "yes"
    ]
    assert not missing, f"{reference}: key phrases not in TF's message: {missing}"
