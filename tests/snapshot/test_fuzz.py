"""A fixed run of the mutation fuzzer (``fuzz.py``): every mutated source gives problems, never
an exception. ``nox -s fuzz`` runs it for ten minutes with a fresh seed."""

from __future__ import annotations

from snapshot.fuzz import run


def test_a_thousand_mutated_sources_load_without_an_exception() -> None:
    count, failures = run(seconds=600, seed=20260620, limit=1_000)
    assert count == 1_000
    assert failures == [], failures[0]
