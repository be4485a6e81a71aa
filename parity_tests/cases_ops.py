"""Parity cases: ops (see parity_tests/cases.py for the case contract)."""

from __future__ import annotations

from parity_tests.cases import Reference

REFERENCES: dict[str, Reference] = {}
