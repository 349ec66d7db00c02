"""``cab-cite``: how to cite the pinned snapshot (or ``:snapshot:``), in four formats, and its
``CITATION.cff`` to download.

Node tree::

    container.cab-cite
      container.cab-citation.cab-citation-<format>       for bibtex, apa, chicago, ieee
        paragraph.cab-citation-label                     "BibTeX", "APA", "Chicago", "IEEE"
        literal_block.cab-citation-text.cab-copyable     the citation (a copy button follows it
                                                         in HTML, from :class:`~..html.CopyButtons`)
      container.cab-citation.cab-citation-cff
        paragraph.cab-citation-label                     "CITATION.cff (Citation File Format)"
        literal_block.cab-citation-text.cab-copyable     the file
        cab_html (HTML only)                             p.cab-citation-file > a[download]

The texts come from :mod:`..snapshot.citation`, the description of the work from ``cab_citation``
(:func:`~..config.citation_work`). The download link carries ``CITATION.cff`` in a ``data:`` URL
with the ``download`` attribute: no file is written, so the output does not depend on the build
folder (a Sphinx download's folder name hashes its source path) and the page alone is the whole
citation. Other builders show the file's text.

Options: ``:snapshot:`` (an older snapshot's date), ``:formats:`` (a subset of
``bibtex apa chicago ieee``, in the order given).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

from docutils import nodes

from ..config import citation_work
from ..directive_base import SnapshotDirective, checked_words
from ..domain import add_directive
from ..html import cab_html
from ..options import Option
from ..snapshot.citation import FORMATS, citation_cff, cited

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot.citation import Cited


class CiteDirective(SnapshotDirective):
    """The citations of one snapshot (the pinned one, or ``:snapshot:``) in BibTeX, APA,
    Chicago and IEEE, each with a copy button, and its ``CITATION.cff``: what a reader pastes
    into a paper, naming the snapshot date, the methodology version and the digest."""

    example: ClassVar[str] = ":::{cab-cite}\n:formats: bibtex apa\n:::"

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "formats": Option(
            "the citation formats to show, in that order (spaces or commas between them)",
            tuple(FORMATS),
            "all of them",
        ),
    }

    def formats(self) -> list[str]:
        asked = (self.options.get("formats") or " ".join(FORMATS)).replace(",", " ")
        return list(checked_words(asked, "formats", tuple(FORMATS), self.get_location())) or list(
            FORMATS
        )

    def run(self) -> list[nodes.Node]:
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        entry = cited(citation_work(self.config), snapshot)
        container = nodes.container(classes=["cab-cite"])
        self.set_source_info(container)
        for name in self.formats():
            label, write = FORMATS[name]
            text = write(entry)
            block = nodes.literal_block(
                text,
                text,
                classes=["cab-citation-text", "cab-copyable"],
                language="bibtex" if name == "bibtex" else "none",
                copy_label=f"Copy the {label} citation",
            )
            container += nodes.container(
                "",
                nodes.paragraph(label, label, classes=["cab-citation-label"]),
                block,
                classes=["cab-citation", f"cab-citation-{name}"],
            )
        container += self.cff_nodes(entry)
        return [container]

    def cff_nodes(self, entry: Cited) -> nodes.container:
        """``CITATION.cff`` as a copyable block, and in HTML a link that downloads it."""
        text = citation_cff(entry)
        link = (
            f'<p class="cab-citation-file"><a class="reference download" download="CITATION.cff" '
            f'href="data:application/x-yaml;charset=utf-8,{quote(text)}">Download '
            '<code class="docutils literal notranslate"><span class="pre">CITATION.cff</span>'
            "</code></a></p>"
        )
        block = nodes.literal_block(
            text,
            text,
            classes=["cab-citation-text", "cab-copyable"],
            language="yaml",
            copy_label="Copy CITATION.cff",
        )
        label = "CITATION.cff (Citation File Format)"
        return nodes.container(
            "",
            nodes.paragraph(label, label, classes=["cab-citation-label"]),
            block,
            cab_html(html=link),
            classes=["cab-citation", "cab-citation-cff"],
        )


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-cite", CiteDirective)
