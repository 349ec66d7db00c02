"""``cab-chart``: a heatmap, Pareto frontier or strip chart drawn from the snapshot at build time.

The directive (:mod:`.directive`) returns one pending :class:`~.directive.chart` node holding a
:class:`~.directive.Chart`, then a data table of the same numbers. Post-transforms write the
chart: inline SVG for the HTML formats (:mod:`.svg`), a TikZ picture for LaTeX (:mod:`.tikz`),
and for every other builder (text, man, texinfo) a paragraph with the title and description,
the table carrying the numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ...domain import add_directive
from ...html import cab_html
from ...render import SKIP, text_node
from . import svg, tikz
from .directive import ChartDirective, chart

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class WriteChartsAsSVG(SphinxPostTransform):
    """Replaces each pending chart by its inline SVG figure (HTML formats)."""

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(chart)):
            data = node["chart"]
            node.replace_self(cab_html(html=svg.WRITERS[data.kind](data)))


class WriteChartsAsTikZ(SphinxPostTransform):
    """Replaces each pending chart by its TikZ picture (LaTeX)."""

    default_priority = 5
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(chart)):
            data = node["chart"]
            node.replace_self(nodes.raw("", tikz.WRITERS[data.kind](data), format="latex"))


class ExpandCharts(SphinxPostTransform):
    """Replaces each pending chart left after the steps above by ``paragraph.cab-chart``: its
    title and description (the table that follows has the numbers)."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(chart)):
            data = node["chart"]
            paragraph = nodes.paragraph("", "", classes=["cab-chart"], ids=[data.anchor])
            paragraph += nodes.strong(data.title, data.title)
            paragraph += text_node(" " + data.description)
            node.replace_self(paragraph)


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-chart", ChartDirective)
    skip = SKIP
    app.add_node(chart, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(WriteChartsAsSVG)
    app.add_post_transform(WriteChartsAsTikZ)
    app.add_post_transform(ExpandCharts)
    app.add_latex_package("tikz")
