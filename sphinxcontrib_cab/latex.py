"""LaTeX only: long unbroken values get break points, so any snapshot compiles to a PDF.

TeX breaks lines at spaces and hyphens; a value with neither (a long hash-like token, a pasted
blob) becomes one overfull box, and xelatex crashes on a large enough one (letting Sphinx's
verbatim blocks force-wrap such a line exhausts TeX's memory instead). :class:`BreakLongTokens`
(``formats = ("latex",)``) lets cab's text break inside tokens longer than :data:`UNBROKEN`
characters, every :data:`CHUNK` characters, and continues such a token of cab's command and
digest blocks on the next line. A token up to :data:`UNBROKEN` characters (a sha256 digest, with
or without its ``sha256:`` prefix) is never broken, so a digest stays whole on the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

UNBROKEN = 80
"""The longest token left as it is: longer than ``sha256:`` and 64 hex digits."""
CHUNK = 40
_LONG = re.compile(rf"\S{{{UNBROKEN + 1},}}")


def _cab_element(node: nodes.Node) -> bool:
    classes: list[str] = node.get("classes", []) if isinstance(node, nodes.Element) else []
    return any(name.startswith("cab-") for name in classes)


def _ours(node: nodes.Node) -> bool:
    """Whether ``node`` sits inside output of cab (an element with a ``cab-`` class)."""
    parent = node.parent
    while parent is not None:
        if _cab_element(parent):
            return True
        parent = parent.parent
    return False


def _break_points(text: str) -> list[nodes.Node]:
    """``text`` as Text pieces with a LaTeX ``\\allowbreak`` every :data:`CHUNK` characters
    inside each long token."""
    pieces: list[nodes.Node] = []
    position = 0
    for match in _LONG.finditer(text):
        pieces.append(nodes.Text(text[position : match.start()]))
        token = match.group()
        for start in range(0, len(token), CHUNK):
            if start:
                pieces.append(nodes.raw("", r"\allowbreak{}", format="latex"))
            pieces.append(nodes.Text(token[start : start + CHUNK]))
        position = match.end()
    pieces.append(nodes.Text(text[position:]))
    return [piece for piece in pieces if not isinstance(piece, nodes.Text) or piece.astext()]


def _wrapped(token: re.Match[str]) -> str:
    text = token.group()
    return "\n".join(text[start : start + CHUNK] for start in range(0, len(text), CHUNK))


class BreakLongTokens(SphinxPostTransform):
    """Break points in long tokens of cab's text; wrapping for cab's long code lines."""

    default_priority = 900  # after cab's own tables are expanded and references resolved
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            if _cab_element(block) and _LONG.search(block.astext()):
                wrapped = _LONG.sub(_wrapped, block.astext())
                block.rawsource = wrapped  # equal to the text, so Sphinx still highlights it
                block[:] = [nodes.Text(wrapped)]
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if (
                parent is None
                or isinstance(parent, nodes.literal_block | nodes.raw | nodes.title)
                or not _LONG.search(text.astext())
                or not _ours(text)
            ):
                continue
            parent.replace(text, _break_points(text.astext()))


def setup_latex(app: Sphinx) -> None:
    app.add_post_transform(BreakLongTokens)
