"""Badges, cards and stat tiles: generic nodes every builder writes, shown as sphinx-design
components in HTML when ``sphinx_design`` is loaded, so they follow the theme's design system.

Generic trees (what features build with :func:`badge`, :func:`card`, :func:`stat_tile` and
:func:`card_grid`)::

    inline.cab-badge.cab-badge-<tone>          the text (a severity, a status, a failure kind)
    container.cab-cards.cab-cards-<columns>     a grid of cards or tiles
      container.cab-card[.cab-stat]             one card
        container.cab-card-body
          paragraph.cab-card-title              the card's title (a tile: its value)
          ...                                   the card's body (a tile: paragraph.cab-stat-label)

Without sphinx-design, or for LaTeX, text, man and texinfo, these stay as they are: a badge is
its text, a card its paragraphs. :class:`DesignComponents` (HTML formats only) adds, when
sphinx-design is loaded, the class names sphinx-design documents for its own badges
(``sd-badge sd-bg-<tone> sd-bg-text-<tone>``), grids (``sd-container-fluid`` > ``sd-row
sd-row-cols-*`` > ``sd-col``) and cards (``sd-card`` > ``sd-card-body`` > ``sd-card-title``), and
marks each container as a plain ``div`` the way sphinx-design's own containers are marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

TONES: tuple[str, ...] = (
    "primary",
    "secondary",
    "success",
    "info",
    "warning",
    "danger",
    "light",
    "muted",
    "dark",
)
"""sphinx-design's colour names, the tones a badge may take."""

DESIGN_SETTING = "sd_fontawesome_latex"
"""A configuration value sphinx-design registers: present exactly when it is loaded."""


def badge(text: str, tone: str) -> nodes.inline:
    """A badge: ``text`` (from the data, kept as text) in colour ``tone`` (one of :data:`TONES`)."""
    if tone not in TONES:
        raise ValueError(f"unknown badge tone {tone!r}; known: {', '.join(TONES)}")
    return nodes.inline(text, text, classes=["cab-badge", f"cab-badge-{tone}"])


def card(
    title: nodes.Node | str, *body: nodes.Node, classes: tuple[str, ...] = ()
) -> nodes.container:
    """A card: ``title`` (text or an inline node) in bold, then ``body``."""
    heading = nodes.paragraph("", "", classes=["cab-card-title"])
    heading += nodes.strong(title, title) if isinstance(title, str) else title
    inner = nodes.container("", heading, *body, classes=["cab-card-body"])
    return nodes.container("", inner, classes=["cab-card", *classes])


def stat_tile(value: str, label: str) -> nodes.container:
    """A stat tile: a figure (``value``) over what it counts (``label``)."""
    caption = nodes.paragraph(label, label, classes=["cab-stat-label"])
    return card(value, caption, classes=("cab-stat",))


def card_grid(
    cards: list[nodes.container], columns: int, classes: tuple[str, ...] = ()
) -> nodes.container:
    """Cards side by side, up to ``columns`` in a row on a wide screen."""
    return nodes.container("", *cards, classes=["cab-cards", f"cab-cards-{columns}", *classes])


def design_loaded(config: Config) -> bool:
    return DESIGN_SETTING in config


def _component(node: nodes.Element, name: str, *classes: str) -> None:
    node["classes"] = [*classes, *node["classes"]]
    node["is_div"] = True
    node["design_component"] = name


def _columns(node: nodes.Element) -> int:
    for name in node["classes"]:
        if name.startswith("cab-cards-") and name.removeprefix("cab-cards-").isdigit():
            return int(name.removeprefix("cab-cards-"))
    return 2


def _as_grid(grid: nodes.container) -> None:
    columns = _columns(grid)
    row = nodes.container(classes=[])
    _component(
        row,
        "grid-row",
        "sd-row",
        "sd-row-cols-1",
        f"sd-row-cols-sm-{min(columns, 2)}",
        f"sd-row-cols-lg-{columns}",
        "sd-g-3",
    )
    for child in list(grid.children):
        grid.remove(child)
        column = nodes.container("", child, classes=[])
        _component(column, "grid-item", "sd-col", "sd-d-flex-row")
        row += column
    grid += row
    _component(grid, "grid-container", "sd-container-fluid", "sd-sphinx-override", "sd-mb-4")


def _as_card(node: nodes.container) -> None:
    stat = "cab-stat" in node["classes"]
    _component(node, "card", "sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm")
    if stat:
        node["classes"].append("sd-text-center")
    for body in node.findall(nodes.container):
        if "cab-card-body" in body["classes"]:
            _component(body, "card-body", "sd-card-body")
    for paragraph in node.findall(nodes.paragraph):
        if "cab-card-title" in paragraph["classes"]:
            extra = ["sd-fs-3"] if stat else []
            paragraph["classes"] = [
                "sd-card-title",
                "sd-font-weight-bold",
                *extra,
                *paragraph["classes"],
            ]
        else:
            paragraph["classes"] = ["sd-card-text", *paragraph["classes"]]


def design_badge_classes(classes: list[str]) -> list[str]:
    """A badge's classes (``cab-badge cab-badge-<tone>`` among them) with sphinx-design's in
    front; used on badge nodes and by writers that emit finished HTML."""
    tone = next(
        (c.removeprefix("cab-badge-") for c in classes if c.startswith("cab-badge-")),
        "secondary",
    )
    return ["sd-sphinx-override", "sd-badge", f"sd-bg-{tone}", f"sd-bg-text-{tone}", *classes]


def _as_badge(node: nodes.inline) -> None:
    node["classes"] = design_badge_classes(node["classes"])


class DesignComponents(SphinxPostTransform):
    """sphinx-design's class names on cab's badges, cards and grids (see the module doc)."""

    default_priority = 7  # after the features' HTML steps (5, 6), before references (10)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if not design_loaded(self.config):
            return
        for node in list(self.document.findall(nodes.Element)):
            classes: list[str] = node.get("classes", [])
            if isinstance(node, nodes.inline) and "cab-badge" in classes:
                _as_badge(node)
            elif isinstance(node, nodes.container) and "cab-card" in classes:
                _as_card(node)
            elif isinstance(node, nodes.container) and "cab-cards" in classes:
                _as_grid(node)


def setup_design(app: Sphinx) -> None:
    app.add_post_transform(DesignComponents)
