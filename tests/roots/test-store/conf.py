"""A tiny project that reads the mini snapshot through the store, without any cab directive."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

extensions = ["sphinxcontrib_cab"]
cab_snapshot_root = "data"
exclude_patterns = ["_build", "data"]


class RowCount(SphinxDirective):
    """Emits one paragraph ``rows: <n>, cells: <m>, snapshot: <name>`` for a snapshot."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        from sphinxcontrib_cab.store import snapshot_for

        name = self.arguments[0] if self.arguments else None
        snap = snapshot_for(self.env, name=name, location=self.get_location())
        if snap is None:
            return []
        text = f"rows: {snap.rows_read}, cells: {len(snap.cells)}, snapshot: {snap.name}"
        return [nodes.paragraph(text, text)]


def setup(app):  # type: ignore[no-untyped-def]
    app.add_directive("test-row-count", RowCount)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
