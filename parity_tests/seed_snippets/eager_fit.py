# Seed snippet 1 of 4, the "# After" part of section "1. Eager execution" of
# seed/000_2878952763c3caac.txt, copied VERBATIM below the marker line (only the
# document's 8-space code-block indentation removed). The snippet has no import line:
# the executing namespace provides `model`, `X_train`, `y_train`, `X_valid` and `y_valid`
# (parity_tests/cases.py::case_seed_eager_fit). Do not edit or reformat this file.
# ruff: noqa
# fmt: off
# ---- verbatim seed snippet below ----
model.fit(X_train, y_train, validation_data=(X_valid, y_valid),
	epochs=10, batch_size=64)
