"""The ``cab`` domain: linkable tasks, cells, exploits and snapshots, and cab's per-page state.

Object types and their roles (each also in ``objects.inv``, so another site links here through
intersphinx, e.g. ``{external+cab:cab:task}`polyglot/python-two-sum```):

* ``{cab:task}`<category>/<slug>``` -> the ``cab-task`` spec (anchor ``cab-task-<id>``);
* ``{cab:cell}`tui/behavior_mode/model/task/plugin_stack``` -> the cell (the name
  ``{cab-score}`` accepts in full). When two cells of the snapshot share these five values
  (they differ in a provenance field) each is named ``<five values>#<12 hex digits>``, the
  digits of its anchor (:meth:`CellKey.anchor`), and the bare five-value name names neither;
* ``{cab:exploit}`<exploit id>``` -> the entry of ``cab-exploits`` (anchor ``cab-exploit-<id>``);
* ``{cab:snapshot}`<snapshot date>``` -> the ``cab-receipt`` of that snapshot.

Objects are noted while pages are read by the directives that render them; several pages may
render one object, and a reference goes to the candidate with the lowest rank, then the first
docname (a ``cab-provenance`` cell, anchor the cell's id, before a leaderboard row, which links
to the leaderboard's page: HTML rows carry no ids). Cells of older snapshots are not noted.
Cells have search priority -1, which keeps the many cells out of the search index.

References are resolved when pages are written, so pages added or removed by an incremental
build never leave a stale link: after reading, ``env-get-updated`` asks Sphinx to write again
every page holding a reference whose target moved, appeared or vanished. A reference with a
``cab_page`` hint (the task catalogue, the snapshot history) links to that page when it exists
and otherwise shows its text, silently.

The domain data also replaces hand-kept ``env`` attributes: per page the combined digests of
the snapshots it used (``digests``, read by :mod:`.store`) and the downloads it links
(``downloads``); :meth:`CabDomain.clear_doc` and :meth:`CabDomain.merge_domaindata` purge and
merge them. :data:`DIRECTIVES` and :data:`ROLES` list what cab registered, for ``cab-reference``.

A project that only links to a cab site (through intersphinx) can load this module alone as an
extension: ``extensions = ["sphinx.ext.intersphinx", "sphinxcontrib_cab.domain"]``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .render import OPTIONAL, visible_inline
from .snapshot.index import cell_names

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from docutils.parsers.rst import Directive
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata, RoleFunction

    from .snapshot.model import CellKey, Snapshot

OBJECT_TYPES: dict[str, str] = {
    "task": "task",
    "cell": "cell",
    "exploit": "exploit",
    "snapshot": "snapshot",
}
"""Object type -> its label (also the name of its role)."""

PAGE_HINT = "cab_page"
"""``pending_xref`` attribute: the docname a hinted reference links to when that page exists."""


Key = tuple[str, str]
"""(object type, name)."""
Candidate = tuple[str, int]
"""(anchor, rank) of one page rendering an object."""

DIRECTIVES: dict[str, type[Directive]] = {}
"""Name -> class of every directive cab registered (see :func:`add_directive`)."""
ROLES: dict[str, Any] = {}
"""Name -> role of every role cab registered (see :func:`add_role`)."""


def add_directive(app: Sphinx, name: str, cls: type[Directive]) -> None:
    """Registers a directive with Sphinx and records it in :data:`DIRECTIVES`."""
    app.add_directive(name, cls)
    DIRECTIVES[name] = cls


def add_role(app: Sphinx, name: str, role: Any) -> None:
    """Registers a role with Sphinx and records it in :data:`ROLES`."""
    app.add_role(name, role)
    ROLES[name] = role


def task_anchor(task_id: str) -> str:
    """The id of a task's spec table: ``cab-task-<task id as an id>``."""
    return nodes.make_id(f"cab-task-{task_id}")


def exploit_anchor(exploit_id: str) -> str:
    """The id of an exploit's entry: ``cab-exploit-<exploit id as an id>``."""
    return nodes.make_id(f"cab-exploit-{exploit_id}")


def cell_reference_name(snapshot: Snapshot, key: CellKey) -> str:
    """The name ``{cab:cell}`` resolves for a cell of ``snapshot`` (see the module doc)."""
    name = f"{key.tui}/{key.behavior_mode}/{key.model}/{key.task}/{key.plugin_stack}"
    if len(cell_names(snapshot).get(name, ())) > 1:
        return f"{name}#{key.anchor().removeprefix('cab-cell-')}"
    return name


_INDEXABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
"""Names the general index can hold as they are. Index entries have a syntax of their own
(``;`` starts a subentry; ``!``, ``@`` and ``|`` mean something to the LaTeX index tools), so an
object whose name has other characters stays out of the index (its role still links to it)."""


def index_entry(objtype: str, name: str, anchor: str) -> list[nodes.Node]:
    """The general index's entry for an object (``name (task)``), for the page that renders it
    (the index page is written by every build anyway, so entries cost no extra page); none for
    a name the index cannot hold as it is."""
    if not _INDEXABLE.fullmatch(name):
        return []
    return [addnodes.index(entries=[("single", f"{name} ({objtype})", anchor, "", None)])]


class CabDomain(Domain):
    """CodingAgentBench objects (see the module doc for names, anchors and data)."""

    name = "cab"
    label = "CodingAgentBench"
    object_types: ClassVar[dict[str, ObjType]] = {
        objtype: ObjType(label, objtype) for objtype, label in OBJECT_TYPES.items()
    }
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {
        objtype: XRefRole() for objtype in OBJECT_TYPES
    }
    initial_data: ClassVar[dict[str, Any]] = {
        "objects": {},  # (objtype, name) -> docname -> (anchor, rank)
        "references": {},  # docname -> sorted [(objtype, name)], and ("page", docname) hints
        "digests": {},  # docname -> snapshot name -> combined digest
        "downloads": {},  # docname -> [(snapshot, basename, mode, CSV sha256, JSON sha256)]
    }
    data_version = 2  # 2: downloads record their :failures: mode

    # what changed in this build (main process only): see _on_get_outdated / _on_get_updated
    before: dict[Key, tuple[str, str]] | None = None
    pages_changed: frozenset[str] = frozenset()
    # every reference, objects.inv and the search index ask for the same answer, and a no-op
    # rebuild asks four times: it is kept until an object is noted or a page's objects cleared
    resolved: dict[Key, tuple[str, str]] | None = None

    @property
    def objects(self) -> dict[Key, dict[str, Candidate]]:
        return cast("dict[Key, dict[str, Candidate]]", self.data["objects"])

    @property
    def references(self) -> dict[str, list[Key]]:
        return cast("dict[str, list[Key]]", self.data["references"])

    @property
    def digests(self) -> dict[str, dict[str, str]]:
        """docname -> {snapshot name: combined digest} of the snapshots the page used."""
        return cast("dict[str, dict[str, str]]", self.data["digests"])

    @property
    def downloads(self) -> dict[str, list[tuple[str, str, str, str, str]]]:
        """docname -> (snapshot name, basename, failures mode, CSV sha256, JSON sha256) per
        download."""
        return cast("dict[str, list[tuple[str, str, str, str, str]]]", self.data["downloads"])

    def note_object(self, objtype: str, name: str, anchor: str, rank: int = 0) -> None:
        """Notes that the page being read renders ``name`` at ``anchor`` ("" = the page)."""
        docname = self.env.current_document.docname
        self.resolved = None
        candidates = self.objects.setdefault((objtype, name), {})
        known = candidates.get(docname)
        if known is None or (rank, anchor) < (known[1], known[0]):
            candidates[docname] = (anchor, rank)

    def note_reference(self, objtype: str, name: str, page: str = "") -> None:
        """Notes that the page being read refers to ``name`` (or, hinted, to ``page``)."""
        docname = self.env.current_document.docname
        found = self.references.setdefault(docname, [])
        key = ("page", page) if page else (objtype, name)
        if key not in found:
            found.append(key)
            found.sort()

    def resolutions(self) -> dict[Key, tuple[str, str]]:
        """(objtype, name) -> (docname, anchor) of the candidate every reference goes to: the
        lowest rank, then the first page by name (kept: the caller must not change it)."""
        if self.resolved is None:
            result = {}
            for key, candidates in self.objects.items():
                if len(candidates) == 1:
                    ((docname, (anchor, _rank)),) = candidates.items()
                else:
                    _rank, docname, anchor = min(
                        (rank, page, anchor) for page, (anchor, rank) in candidates.items()
                    )
                result[key] = (docname, anchor)
            self.resolved = result
        return self.resolved

    def clear_doc(self, docname: str) -> None:
        self.resolved = None
        for key in list(self.objects):
            candidates = self.objects[key]
            candidates.pop(docname, None)
            if not candidates:
                del self.objects[key]
        for kind in ("references", "digests", "downloads"):
            self.data[kind].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self.resolved = None
        for key, candidates in otherdata["objects"].items():
            for docname, candidate in candidates.items():
                if docname in docnames:
                    self.objects.setdefault(key, {})[docname] = candidate
        for kind in ("references", "digests", "downloads"):
            for docname, value in otherdata[kind].items():
                if docname in docnames:
                    self.data[kind][docname] = value

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        from sphinx.addnodes import pending_xref

        for node in document.findall(pending_xref):
            if node.get("refdomain") == self.name:
                self.note_reference(node["reftype"], node["reftarget"], node.get(PAGE_HINT, ""))

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        """(name, name, type, docname, anchor, priority) of every object: cells -1, others 1."""
        for (objtype, name), (docname, anchor) in sorted(self.resolutions().items()):
            yield name, name, objtype, docname, anchor, -1 if objtype == "cell" else 1

    def _link(
        self,
        builder: Builder,
        fromdocname: str,
        objtype: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        page = node.get(PAGE_HINT)
        if page:
            # written as a page link always was (std:doc), so the output is the same as before
            if page not in self.env.all_docs:
                return None
            caption = node.astext()
            inner = nodes.inline(caption, caption, classes=["doc"])
            return make_refnode(builder, fromdocname, page, "", inner)
        found = self.resolutions().get((objtype, target))
        if found is None:
            return None
        docname, anchor = found
        # the title is an attribute: a hidden character of a data id there is shown as an escape
        # (raw control characters make an XHTML page of an EPUB invalid)
        title = f"{objtype} {visible_inline(target)}"
        return make_refnode(builder, fromdocname, docname, anchor, contnode, title)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        return self._link(builder, fromdocname, typ, target, node, contnode)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        found = []
        for objtype in OBJECT_TYPES:
            if (objtype, target) in self.objects:
                link = self._link(builder, fromdocname, objtype, target, node, contnode)
                if link is not None:
                    found.append((f"{self.name}:{objtype}", link))
        return found


def cab_domain(env: BuildEnvironment) -> CabDomain:
    """The ``cab`` domain of ``env``."""
    return cast("CabDomain", env.get_domain(CabDomain.name))


def _on_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    domain = cab_domain(env)
    domain.before = domain.resolutions()
    domain.pages_changed = frozenset(added | removed)
    return []


def _on_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages to write again though not read: those whose references now resolve otherwise."""
    domain = cab_domain(env)
    if domain.before is None:
        return []
    after = domain.resolutions()
    moved = {
        key
        for key in domain.before.keys() | after.keys()
        if domain.before.get(key) != after.get(key)
    }
    moved |= {("page", docname) for docname in domain.pages_changed}
    domain.before = None
    return sorted(
        docname
        for docname, keys in domain.references.items()
        if docname in env.found_docs and not moved.isdisjoint(keys)
    )


def _on_warn_missing_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    # a hinted reference to a page that does not exist is plain text, as it always was
    if node.get("refdomain") == CabDomain.name and (node.get(PAGE_HINT) or node.get(OPTIONAL)):
        return True
    return None


def setup_domain(app: Sphinx) -> None:
    """Registers the ``cab`` domain and the events that rewrite pages whose links changed."""
    app.add_domain(CabDomain)
    app.connect("env-get-outdated", _on_get_outdated)
    app.connect("env-get-updated", _on_get_updated)
    app.connect("warn-missing-reference", _on_warn_missing_reference)


def setup(app: Sphinx) -> ExtensionMetadata:
    """The domain alone, for projects that link to a cab site without rendering data."""
    setup_domain(app)
    return {
        "env_version": CabDomain.data_version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
