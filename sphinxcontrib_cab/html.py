"""Shared HTML pieces: finished-markup nodes, escaping, copy buttons, code as Sphinx writes it.

Feature modules write their own HTML with these (the leaderboard in
:mod:`.directives.leaderboard.html`, data tables in :mod:`.tables`). :class:`CopyButtons` is a
:class:`~sphinx.transforms.post_transforms.SphinxPostTransform` for the HTML builders but EPUB: it
adds a :class:`cab_copy_button` after each key value and each reproduce command of every
``container.cab-cell-provenance`` (the ``cab-provenance`` directive's cell, for example), and
after every ``literal_block.cab-copyable`` (a citation, for example), named by its ``copy_label``.
The buttons after whole blocks follow ``cab_copy_buttons``: with ``auto`` they are left out when
sphinx-copybutton is loaded, whose own button on every code block then copies the command, so a
block never has two copy controls.
"""

from __future__ import annotations

import functools
import re
from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .config import cab_config
from .render import SKIP
from .snapshot.keys import MISSING_MARK

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.highlighting import PygmentsBridge
    from sphinx.writers.html5 import HTML5Translator


class cab_html(nodes.General, nodes.Element):
    """Finished HTML (attribute ``html``), written as is by the HTML translator only."""


class cab_search_text(nodes.General, nodes.TextElement):
    """The plain text of a table written as :class:`cab_html`, for the search index only: no
    writer outputs it. (Sphinx would index ``raw`` HTML too, but with its tags stripped by regular
    expressions, so ``&amp;`` in a command became the search term "amp".)"""


class cab_copy_button(nodes.Inline, nodes.Element):
    """A copy button for ``copy`` (attribute), named ``label`` for assistive technology."""


def attr(value: str) -> str:
    """Escape an attribute value (``html.escape`` with quotes, and carriage returns, which an
    HTML parser would otherwise turn into newlines)."""
    return escape(value, quote=True).replace("\r", "&#13;")


def text(value: str) -> str:
    """Escape element content: ``&``, ``<``, ``>`` and carriage returns. Quotes need no escaping
    there, and commands are full of them."""
    return escape(value, quote=False).replace("\r", "&#13;")


def missing_html(reason: str | None = None) -> str:
    """The markup of :func:`~.render.missing_nodes`: ``span.cab-missing`` holding the em dash,
    then ``span.cab-missing-note`` with ``reason`` when one is given."""
    mark = f'<span class="cab-missing">{MISSING_MARK}</span>'
    if not reason:
        return mark
    return mark + f'<span class="cab-missing-note"> ({text(reason)})</span>'


class Escaper(dict[str, str]):
    """Memoised :func:`text`: table values repeat on many rows."""

    def __missing__(self, key: str) -> str:
        value = self[key] = text(key)
        return value


# -- copy buttons on other provenance containers -------------------------------------------------


def copy_button_html(text: str, label: str) -> str:
    return (
        f'<button type="button" class="cab-copy" data-cab-copy="{attr(text)}" '
        f'aria-label="{attr(label)}">Copy</button>'
    )


COPYBUTTON_SETTING = "copybutton_selector"
"""A configuration value sphinx-copybutton registers: present exactly when it is loaded."""


def block_buttons_wanted(config: Config) -> bool:
    """Whether cab adds its own copy button after command blocks (see ``cab_copy_buttons``)."""
    choice = cab_config(config).copy_buttons
    if choice == "auto":
        return COPYBUTTON_SETTING not in config
    return choice == "always"


def add_copy_buttons(container: nodes.container, blocks: bool = True) -> None:
    """A :class:`cab_copy_button` after each key value literal and, when ``blocks``, after each
    reproduce command."""
    for field_list in container.findall(nodes.field_list):
        if "cab-key-values" not in field_list["classes"]:
            continue
        for field in field_list.children:
            name = field.children[0].astext() if field.children else "value"
            for literal in list(field.findall(nodes.literal)):
                literal.parent.insert(
                    literal.parent.index(literal) + 1,
                    cab_copy_button(copy=literal.astext(), label=f"Copy {name}"),
                )
    for block in list(container.findall(nodes.literal_block)) if blocks else []:
        if "cab-repro" in block["classes"] and block.parent is not None:
            block.parent.insert(
                block.parent.index(block) + 1,
                cab_copy_button(copy=block.astext(), label="Copy the reproduce command"),
            )


# -- data tables ----------------------------------------------------------------------------------

_WORDS_AND_SPACES = re.compile(r"\S+| +")


def code(word: str, escaped: bool) -> str:
    """A literal (see :func:`~sphinxcontrib_cab.render.literal_word`) as Sphinx writes one:
    each word in a ``span.pre`` (no line break inside it), breaks allowed between words;
    ``cab-escaped`` when hidden characters were escaped."""
    classes = "docutils literal notranslate" + (" cab-escaped" if escaped else "")
    parts = []
    for token in _WORDS_AND_SPACES.findall(word):
        if token.strip():
            parts.append(f'<span class="pre">{text(token)}</span>')
        else:  # keep a run of spaces; its last one may break
            parts.append("&#160;" * (len(token) - 1) + " ")
    return f'<code class="{classes}">{"".join(parts)}</code>'


@functools.cache
def html_highlighter() -> PygmentsBridge:
    """Pygments for code blocks in finished HTML. Its markup (CSS classes, not colours) is what
    the HTML builder's own highlighter writes; the builder's stylesheet colours both. One per
    process: building its formatter renders a whole stylesheet, and nothing in it changes."""
    from sphinx.highlighting import PygmentsBridge

    return PygmentsBridge("html")


class CopyButtons(SphinxPostTransform):
    """Copy buttons on every provenance container (see the module doc). Not in EPUB: its
    readers run no script, so a button there could not copy."""

    default_priority = 5
    builders = ("html", "dirhtml", "singlehtml")

    def run(self, **kwargs: Any) -> None:
        blocks = block_buttons_wanted(self.config)
        for node in list(self.document.findall(nodes.container)):
            if "cab-cell-provenance" in node["classes"]:
                add_copy_buttons(node, blocks)
        if not blocks:
            return
        for block in list(self.document.findall(nodes.literal_block)):
            if "cab-copyable" in block["classes"] and block.parent is not None:
                label = block.get("copy_label") or "Copy"
                button = cab_copy_button(copy=block.astext(), label=label)
                block.parent.insert(block.parent.index(block) + 1, button)


# -- visitors ------------------------------------------------------------------------------------


def visit_cab_html(self: HTML5Translator, node: cab_html) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def visit_copy_button(self: HTML5Translator, node: cab_copy_button) -> None:
    self.body.append(copy_button_html(node["copy"], node["label"]))
    raise nodes.SkipNode


def setup_html(app: Sphinx) -> None:
    skip = SKIP
    app.add_node(
        cab_html, html=(visit_cab_html, None), text=skip, latex=skip, man=skip, texinfo=skip
    )
    app.add_node(cab_search_text, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_node(
        cab_copy_button,
        html=(visit_copy_button, None),
        text=skip,
        latex=skip,
        man=skip,
        texinfo=skip,
    )
    app.add_post_transform(CopyButtons)
