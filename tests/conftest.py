"""Shared fixtures: Sphinx's own testing fixtures, test roots and the sample snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

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
    """The committed sample snapshot in data/."""
    return REPO / "data"


@pytest.fixture(scope="session", autouse=True)
def _one_chromium_per_session() -> Iterator[None]:
    """All browser tests share one Playwright driver (tests/browser/kit.py); stop it at the end."""
    yield
    from browser import kit

    kit.stop_chromium()
