"""design.py: the badge, card and grid builders, and sphinx-design's classes on them in HTML.

The ledger's tiles and cards and the exploit badges in a real build are checked in
tests/directives/test_ledger.py; here, the shared pieces another feature reuses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sphinx_design

from sphinxcontrib_cab.design import TONES, badge, card, card_grid, stat_tile

SPHINX_DESIGN_CSS = "".join(
    p.read_text(encoding="utf-8")
    for p in (Path(sphinx_design.__file__).parent / "static").glob("*.css")
)


@pytest.mark.parametrize("tone", TONES)
def test_every_tone_is_a_sphinx_design_colour(tone: str) -> None:
    assert f".sd-bg-{tone}" in SPHINX_DESIGN_CSS
    assert f".sd-bg-text-{tone}" in SPHINX_DESIGN_CSS


def test_a_badge_is_its_text_for_every_builder() -> None:
    node = badge("critical <b>", "danger")
    assert node.astext() == "critical <b>"
    assert node["classes"] == ["cab-badge", "cab-badge-danger"]


def test_an_unknown_tone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown badge tone 'red'"):
        badge("live", "red")


def test_a_tile_is_a_card_with_its_figure_as_title() -> None:
    grid = card_grid([stat_tile("36", "runs"), card("Run records")], 4, ("cab-extra",))
    assert grid["classes"] == ["cab-cards", "cab-cards-4", "cab-extra"]
    tile, plain = grid.children
    assert "cab-stat" in tile["classes"] and "cab-stat" not in plain["classes"]
    assert [p.astext() for p in tile.findall(lambda n: n.tagname == "paragraph")] == ["36", "runs"]
    assert plain.astext() == "Run records"
