"""One module per directive; this package only registers them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_directives(app: Sphinx) -> None:
    from . import (
        chart,
        cite,
        diff,
        downloads,
        exploits,
        history,
        leaderboard,
        ledger,
        provenance,
        receipt,
        reference,
        task,
    )

    for module in (
        receipt,
        ledger,
        exploits,
        provenance,
        leaderboard,
        task,
        history,
        downloads,
        reference,
        cite,
        diff,
        chart,
    ):
        module.setup(app)
