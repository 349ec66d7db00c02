"""One module per directive; this package only registers them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_directives(app: Sphinx) -> None:
    from . import leaderboard, ledger, provenance, receipt

    for module in (receipt, ledger, provenance, leaderboard):
        module.setup(app)
    from .. import reference
    from . import downloads, history, task

    for docs_module in (task, history, downloads, reference):
        docs_module.setup(app)
