"""Parity cases: control flow and tf.function tracing (see parity_tests/cases.py for the contract)."""

from __future__ import annotations

from parity_tests.cases import Reference

REFERENCES: dict[str, Reference] = {}
