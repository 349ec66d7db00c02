"""Docs-only: give toctree captions the ``aria-level`` their ``role="heading"`` requires.

Sphinx writes sidebar toctree captions as ``<p class="caption" role="heading">`` without a level
(sphinx-doc/sphinx#14030), which axe reports as a critical violation on every page. furo builds
its sidebar from that markup in its own ``html-page-context`` handler; this one runs after it
and adds ``aria-level="2"`` there, in the page body (a toctree written in a page) and to the
``toctree()`` helper other themes call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

CAPTION = 'class="caption" role="heading"'
LEVELLED = 'class="caption" role="heading" aria-level="2"'


def _levelled(markup: str) -> str:
    return markup.replace(CAPTION, LEVELLED)


def add_caption_levels(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    for key in ("body", "furo_navigation_tree"):
        markup = context.get(key)
        if isinstance(markup, str):
            context[key] = _levelled(markup)
    toctree = context.get("toctree")
    if callable(toctree):
        original: Callable[..., str] = toctree
        context["toctree"] = lambda **kwargs: _levelled(original(**kwargs))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("html-page-context", add_caption_levels, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
