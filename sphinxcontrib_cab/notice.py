"""The synthetic-data notice: a page showing numbers from a snapshot whose ``meta.json`` says
``synthetic: true`` says so, once, near its top, in every builder.

Every cab directive and role that renders a snapshot gets it from
:func:`~sphinxcontrib_cab.store.snapshot_for`, which records per page the snapshots it used; a
read-time transform looks them up once the page is parsed and inserts one generic admonition
(``admonition.cab-synthetic`` with a title and a paragraph), so the pickled doctree carries it to
HTML, LaTeX, text, man and Texinfo alike. Task pages are built from the same directives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .store import document_digests, loaded_for

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

NOTICE_TITLE = "Synthetic sample data, not benchmark results"


def notice_text(names: list[str]) -> str:
    """The sentence under the title, naming the synthetic snapshots a page used."""
    which = ", ".join(names)
    plural = "s" if len(names) > 1 else ""
    return (
        f"The numbers on this page come from snapshot{plural} {which}, marked synthetic in "
        "meta.json: generated to show what the pages look like, not measured by running any "
        "agent. Do not cite or compare them."
    )


def synthetic_notice(names: list[str]) -> nodes.admonition:
    """The notice node: a generic admonition every builder can write."""
    notice = nodes.admonition("", classes=["cab-synthetic", "caution"])
    notice += nodes.title(NOTICE_TITLE, NOTICE_TITLE)
    notice += nodes.paragraph("", notice_text(names))
    return notice


def synthetic_snapshots_of(env: BuildEnvironment, docname: str) -> list[str]:
    """Names (sorted) of the synthetic snapshots ``docname`` showed."""
    used = document_digests(env).get(docname, {})
    loaded = loaded_for(env)
    if loaded is None:
        return []
    names: list[str] = []
    for name in used:
        snapshot = loaded.get(name) if "#" not in name else None
        if snapshot is not None and snapshot.meta is not None and snapshot.meta.synthetic:
            names.append(name)
    return sorted(names)


class InsertSyntheticNotice(SphinxTransform):
    """Puts the notice after the page's first title (or first on a page without one)."""

    default_priority = 880  # after the content is parsed; before Sphinx's late read transforms

    def apply(self, **kwargs: Any) -> None:
        names = synthetic_snapshots_of(self.env, self.env.docname)
        if not names:
            return
        notice = synthetic_notice(names)
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None and section.children and isinstance(section[0], nodes.title):
            section.insert(1, notice)
        else:
            self.document.insert(0, notice)


def setup_notice(app: Sphinx) -> None:
    app.add_transform(InsertSyntheticNotice)
