"""Shared fixtures: Sphinx's own testing fixtures, test roots and the sample snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


@pytest.fixture(scope="session")
def mini_snapshot() -> Path:
    """The tiny hand-checked snapshot used by regression tests."""
    return TESTS / "snapshots" / "mini"


@pytest.fixture(scope="session")
def sample_snapshot() -> Path:
    """The committed sample snapshot in data/ (3,465 rows)."""
    return REPO / "data"
