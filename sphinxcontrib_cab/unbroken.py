"""Text and man only: digests are written whole, so a reader can copy them.

The text writer wraps paragraphs at 70 columns and cuts any longer word, so a ``sha256:``
digest (71 characters) in an indented field list came out in two pieces. groff may hyphenate a
long word in a narrow terminal. :class:`KeepDigestsWhole` (``formats = ("text", "man")``) puts
each digest into an :class:`unbroken` node: the text writer sets it on a line of its own, never
cut (it may run past the 70th column); the man writer prefixes ``\\%``, which forbids
hyphenation. LaTeX keeps tokens this short whole already (see :mod:`.latex`); HTML wraps only
where the reader's browser must and copying gives the value back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.text import MAXWIDTH, my_wrap

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.manpage import ManualPageTranslator
    from sphinx.writers.text import TextTranslator

DIGEST = re.compile(r"(?:sha256:)?[0-9a-f]{64}(?![0-9a-f])")
"""A sha256 digest as cab shows it, with or without its ``sha256:`` prefix."""


class unbroken(nodes.Inline, nodes.TextElement):
    """A value written whole. Attributes: ``literal`` (it stood for an inline literal, which
    the text writer quotes) and ``tail`` (what followed it up to the next space, such as the
    full stop after it, kept on its line)."""


def _pieces(text: str) -> list[nodes.Node]:
    pieces: list[nodes.Node] = []
    position = 0
    for match in DIGEST.finditer(text):
        if match.start() > position:
            pieces.append(nodes.Text(text[position : match.start()]))
        pieces.append(unbroken(match.group(), match.group(), literal=False))
        position = match.end()
    if position < len(text):
        pieces.append(nodes.Text(text[position:]))
    return pieces


class KeepDigestsWhole(SphinxPostTransform):
    """Replaces each digest in running text, and each inline literal that is one digest, by an
    :class:`unbroken` node. Code blocks are never wrapped, so they are left alone."""

    default_priority = 900
    formats = ("text", "man")

    def run(self, **kwargs: Any) -> None:
        for literal in list(self.document.findall(nodes.literal)):
            if DIGEST.fullmatch(literal.astext()):
                literal.replace_self(unbroken(literal.astext(), literal.astext(), literal=True))
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if (
                parent is None
                or isinstance(parent, nodes.FixedTextElement | nodes.raw | unbroken)
                or not DIGEST.search(text.astext())
            ):
                continue
            parent.replace(text, _pieces(text.astext()))
        for node in list(self.document.findall(unbroken)):
            node["tail"] = _take_tail(node)


def _block(node: nodes.Node) -> nodes.Node | None:
    """The paragraph-like element (a text element that is not inline) holding ``node``."""
    parent = node.parent
    while parent is not None and (
        not isinstance(parent, nodes.TextElement) or isinstance(parent, nodes.Inline)
    ):
        parent = parent.parent
    return parent


def _take_tail(node: unbroken) -> str:
    """Removes from the text after ``node`` in the same paragraph what comes before its first
    space, and that space, and returns it."""
    after = node.findall(nodes.Text, include_self=False, siblings=True, ascend=True)
    following = next((text for text in after if text.parent is not node), None)
    if following is None or following.parent is None or _block(following) is not _block(node):
        return ""
    # the spaces after it too: text continuing on the next line must not start with one
    match = re.match(r"\S*\s*", following.astext())
    if match is None or not match.group():
        return ""
    rest = following.astext()[match.end() :]
    if rest:
        following.parent.replace(following, nodes.Text(rest))
    else:
        following.parent.remove(following)
    return match.group()


def _visit_text(self: TextTranslator, node: unbroken) -> None:
    value = f'"{node.astext()}"' if node["literal"] else node.astext()
    value += node.get("tail", "").rstrip()
    # The text before the digest is wrapped here, as the paragraph would have wrapped it; the
    # digest joins its last line when it fits and takes a line of its own otherwise.
    pending: list[str] = []
    while self.states[-1] and self.states[-1][-1][0] == -1:
        pending.insert(0, self.states[-1].pop()[1])  # type: ignore[arg-type]
    before = "".join(pending)
    width = MAXWIDTH - sum(self.stateindent)
    lines = my_wrap(before, width=width) if before.strip() else []
    joiner = " " if before[-1:].isspace() else ""
    if lines and len(lines[-1]) + len(joiner) + len(value) <= width:
        lines[-1] += joiner + value
    elif lines and not joiner:
        # glued to what comes before it (a quote, a bracket): it stays on that line
        lines[-1] += value
    else:
        lines.append(value)
    if isinstance(node.parent, nodes.paragraph) and node.parent[-1] is node:
        lines.append("")  # the blank line the paragraph would have ended with
    self.states[-1].append((0, lines))
    raise nodes.SkipNode


def _visit_man(self: ManualPageTranslator, node: unbroken) -> None:
    value = self.deunicode(node.astext())
    tail = self.deunicode(node.get("tail", ""))
    tail = tail.replace("\\", "\\e").replace("-", "\\-").replace("'", "\\(aq")
    if node["literal"]:
        self.body.append(rf"\fB\%{value}\fP{tail}")
    else:
        self.body.append(rf"\%{value}{tail}")
    raise nodes.SkipNode


def _skip(self: Any, node: unbroken) -> None:
    raise nodes.SkipNode


def setup_unbroken(app: Sphinx) -> None:
    app.add_node(
        unbroken,
        text=(_visit_text, _skip),
        man=(_visit_man, _skip),
    )
    app.add_post_transform(KeepDigestsWhole)
