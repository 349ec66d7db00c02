"""``cab-leaderboard``: one row per cell (or per TUI x model), sortable, with provenance per cell.

The directive (:mod:`.directive`) returns one pending node holding a :class:`~.board.Board`
(:mod:`.board`); post-transforms write it: :mod:`.html` for HTML builders, :mod:`.generic` for
the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain import add_directive
from ...render import SKIP
from .board import leaderboard
from .directive import LeaderboardDirective
from .generic import ExpandLeaderboards, ExpandLeaderboardsForText
from .html import WriteLeaderboards

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-leaderboard", LeaderboardDirective)
    skip = SKIP
    app.add_node(leaderboard, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(WriteLeaderboards)
    app.add_post_transform(ExpandLeaderboardsForText)
    app.add_post_transform(ExpandLeaderboards)
