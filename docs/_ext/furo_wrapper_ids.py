"""Docs-only: drop the ids furo copies from each table onto its scrolling wrapper.

furo wraps every table in ``div.table-wrapper`` and copies all of the table's attributes onto it,
ids included, so each captioned table's id appears twice in the page (invalid HTML, and an
accessibility error). This post-transform runs right after furo's and leaves the ids on the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class DropWrapperIds(SphinxPostTransform):
    formats = ("html",)
    default_priority = 501  # furo's wrapper transform has 500

    def run(self, **kwargs: Any) -> None:
        for wrapper in self.document.findall(nodes.container):
            if "table-wrapper" in wrapper["classes"] or "math-wrapper" in wrapper["classes"]:
                wrapper["ids"] = []


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(DropWrapperIds)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
