"""Placeholder: the ledger directive is being written (see ARCHITECTURE.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    """Registers nothing yet."""
