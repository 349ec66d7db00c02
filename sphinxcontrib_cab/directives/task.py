"""``cab-task`` (one task's whole spec) and ``cab-task-index`` (the catalogue by category).

Both read the task catalogue of the pinned snapshot (or the one named by ``:snapshot:``).
``cab-task-index`` builds plain docutils nodes. ``cab-task`` returns a pending :class:`task_spec`
node holding a :class:`Spec` (the caption and each field's value as plain, immutable parts), the
way ``cab-leaderboard`` does, and a post-transform writes it:

* HTML formats: :mod:`sphinxcontrib_cab.html` writes the table as one ``raw`` HTML node (so the
  search index still reads its words);
* every other builder: :class:`ExpandTaskSpecs` replaces it with the generic tree::

      table.cab-table.cab-prose.cab-task-spec
        title                                   ("Spec of task <id>")
        tgroup > thead > row > entry*           (Field, Value)
               > tbody > row*                   (one per field)
                   entry > paragraph > literal  (the field name)
                   entry > paragraph | literal_block.cab-task-setup | bullet_list

Why pending: 25 task pages of about 110 nodes each made the task specs the largest single cost
of the docs site's build (measured in ``bench/``); every Sphinx transform, the pickled doctree
and each copy of it walk every node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..keys import MISSING_MARK
from ..render import (
    SnapshotDirective,
    format_count,
    table_frame,
    text_node,
    value_literal,
    visible_text,
    without_smartquotes,
)
from ..vocabulary import CATEGORIES
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..models import Task


# -- the spec as builder-neutral parts ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Words:
    """Prose from the data (hidden characters are escaped when written)."""

    text: str


@dataclass(frozen=True, slots=True)
class Value:
    """One data value, written as a literal (see :func:`~sphinxcontrib_cab.render.literal_word`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Missing:
    """The missing mark and why nothing is shown."""

    reason: str


Inline: TypeAlias = "Words | Value | Missing"


@dataclass(frozen=True, slots=True)
class Paragraph:
    parts: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Script:
    """A code block (the setup script), tab and newline kept, other hidden characters escaped."""

    text: str
    language: str


@dataclass(frozen=True, slots=True)
class Items:
    """A bullet list of one-paragraph items."""

    items: tuple[Paragraph, ...]
    classes: tuple[str, ...] = ()


Block: TypeAlias = "Paragraph | Script | Items"


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything one spec table shows, for any builder: the caption and (field, value) rows."""

    caption: str
    rows: tuple[tuple[str, Block], ...]


def _one(*parts: Inline) -> Paragraph:
    return Paragraph(parts)


def _ground_truth(task: Task) -> Block:
    if not task.ground_truth:
        return _one(Missing("the spec lists no ground-truth files"))
    return Items(tuple(_one(Value(path)) for path in task.ground_truth))


def _constraints(task: Task) -> Block:
    if not task.constraints:
        return _one(Missing("the spec sets no rule constraints"))
    items = []
    for constraint in task.constraints:
        parts: list[Inline] = [Value(constraint.rule)]
        if constraint.target is not None:
            parts += [Words(" on "), Value(constraint.target)]
        parts.append(Words(f", scored as {constraint.scoring}"))
        items.append(Paragraph(tuple(parts)))
    return Items(tuple(items), ("cab-constraints",))


def spec_of(task: Task) -> Spec:
    """The :class:`Spec` of ``task``: every field, in the catalogue's order."""
    refusal = (
        "yes: the right answer is to refuse"
        if task.expected_refusal
        else "no: the task expects a solution"
    )
    rows: tuple[tuple[str, Block], ...] = (
        ("id", _one(Value(task.id))),
        ("category", _one(Value(task.category))),
        ("language", _one(Words(task.language))),
        ("version", _one(Value(task.version))),
        ("task_added_date", _one(Value(task.task_added_date.isoformat()))),
        ("summary", _one(Words(task.summary))),
        (
            "source",
            _one(Value(task.source))
            if task.source is not None
            else _one(Missing("the spec names no upstream source")),
        ),
        ("setup", Script(task.setup, "shell")),
        (
            "grader",
            _one(
                Words("kind "),
                Value(task.grader.kind),
                Words(", command "),
                Value(task.grader.command),
            ),
        ),
        (
            "budget",
            _one(
                Words(
                    f"{format_count(task.budget.max_turns)} turns at most, "
                    f"timeout {format_count(task.budget.timeout_s)} s"
                )
            ),
        ),
        ("ground_truth", _ground_truth(task)),
        ("expected_refusal", _one(Words(refusal))),
        ("constraints", _constraints(task)),
    )
    return Spec(f"Spec of task {task.id}", rows)


# -- the generic tree ----------------------------------------------------------------------------


def _inline_nodes(part: Inline) -> list[nodes.Node]:
    if isinstance(part, Value):
        return [value_literal(part.text)]
    if isinstance(part, Words):
        return [text_node(part.text)]
    return [
        nodes.inline(MISSING_MARK, MISSING_MARK, classes=["cab-missing"]),
        nodes.inline("", f" ({part.reason})", classes=["cab-missing-note"]),
    ]


def _paragraph(paragraph: Paragraph) -> nodes.paragraph:
    node = nodes.paragraph()
    for part in paragraph.parts:
        node.extend(_inline_nodes(part))
    return node


def block_node(block: Block) -> nodes.Element:
    """The docutils node of one spec value."""
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Script):
        # tab and newline stay; any other hidden character is shown as an escape
        script = visible_text(block.text)
        return nodes.literal_block(
            script, script, language=block.language, classes=["cab-task-setup"]
        )
    items = nodes.bullet_list(classes=list(block.classes))
    for item in block.items:
        items += nodes.list_item("", _paragraph(item))
    return items


def spec_table(spec: Spec) -> nodes.table:
    """``table.cab-task-spec`` (columns Field and Value): one row per field, the field name as a
    ``literal``."""
    table, body = _table(visible_text(spec.caption), ("Field", "Value"), (22, 78))
    table["classes"] = ["cab-table", "cab-prose", "cab-task-spec"]
    for name, value in spec.rows:
        row = nodes.row()
        row += _entry(nodes.paragraph("", "", value_literal(name)))
        row += _entry(block_node(value))
        body += row
    return table


class task_spec(nodes.General, nodes.Element):
    """Pending spec table; attribute ``spec`` holds the :class:`Spec`."""


class ExpandTaskSpecs(SphinxPostTransform):
    """Replaces each pending :class:`task_spec` left after the HTML step by :func:`spec_table`."""

    default_priority = 6  # after the HTML step (5)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(task_spec)):
            table = spec_table(node["spec"])
            table.source, table.line = node.source, node.line
            node.replace_self(table)


class TaskDirective(SnapshotDirective):
    """The whole spec of one task (argument: the task id ``<category>/<slug>``).

    Produces a pending :class:`task_spec` (written as ``table.cab-task-spec``, see the module
    doc) with one row per field: id, category, language, version, task_added_date, summary,
    source, setup (a code block), grader, budget, ground_truth, expected_refusal and
    constraints; then ``paragraph.cab-task-cells`` counting the task's cells in the snapshot.
    """

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        task_id = self.arguments[0].strip()
        task = snapshot.task(task_id)
        if task is None:
            warn(
                f"cab-task: the task catalogue of snapshot {snapshot.name} has no task {task_id!r}",
                Subtype.cell,
                self.get_location(),
            )
            return []
        cells = sum(1 for cell in snapshot.cells if cell.key.task == task_id)
        summary = nodes.paragraph(classes=["cab-task-cells"])
        summary += text_node(
            f"Snapshot {snapshot.name} holds {format_count(cells)} "
            f"cell{'s' if cells != 1 else ''} of this task."
        )
        pending = task_spec(spec=spec_of(task))
        self.set_source_info(pending)
        return [pending, summary]


def _literal_paragraph(text: str) -> nodes.paragraph:
    """A paragraph holding one data value as a ``literal`` (``render.value_literal``)."""
    return nodes.paragraph("", "", value_literal(text))


def _text_paragraph(text: str) -> nodes.paragraph:
    """A paragraph of (possibly data) prose, hidden characters shown as escapes."""
    return nodes.paragraph("", "", text_node(text))


def _entry(*children: nodes.Element) -> nodes.entry:
    return nodes.entry("", *children)


def _table(
    title: str, headers: tuple[str, ...], widths: tuple[int, ...]
) -> tuple[nodes.table, nodes.tbody]:
    table, body = table_frame(title, headers, widths, ["cab-prose", "cab-task-index"])
    return without_smartquotes(table), body


class TaskIndexDirective(SnapshotDirective):
    """The task catalogue as one table per category (or only ``:category:``).

    Produces ``table.cab-task-index`` per category with columns Task, Language, Added, Cells and
    Summary; the task id links to its generated page when ``cab_task_pages`` is on.
    """

    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "category": directives.unchanged,
    }
    option_choices: ClassVar[dict[str, tuple[str, ...]]] = {"category": ("all", *CATEGORIES)}

    def run(self) -> list[nodes.Node]:
        wanted = self.choice("category", self.option_choices["category"], "all")
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        cells_per_task: dict[str, int] = {}
        for cell in snapshot.cells:
            cells_per_task[cell.key.task] = cells_per_task.get(cell.key.task, 0) + 1
        result: list[nodes.Node] = []
        for category in snapshot.categories:
            if wanted not in ("all", category):
                continue
            tasks = [t for t in snapshot.tasks if t.category == category]
            title = f"{category}: {format_count(len(tasks))} task{'s' if len(tasks) != 1 else ''}"
            table, body = _table(
                title, ("Task", "Language", "Added", "Cells", "Summary"), (30, 12, 12, 8, 38)
            )
            for task in sorted(tasks, key=lambda t: t.id):
                row = nodes.row()
                row += _entry(self._task_link(task))
                row += _entry(_text_paragraph(task.language))
                row += _entry(_literal_paragraph(task.task_added_date.isoformat()))
                row += _entry(_text_paragraph(format_count(cells_per_task.get(task.id, 0))))
                row += _entry(_text_paragraph(task.summary))
                body += row
            result.append(table)
        return result

    def _task_link(self, task: Task) -> nodes.paragraph:
        label = value_literal(task.id)
        folder = str(self.config.cab_task_pages).strip().strip("/")
        docname = f"{folder}/{task.category}/{task.slug}/index"
        if not folder or docname not in self.env.found_docs:
            return nodes.paragraph("", "", label)
        reference = addnodes.pending_xref(
            "",
            label,
            refdomain="std",
            reftype="doc",
            reftarget=f"/{docname}",
            refexplicit=True,
            refwarn=True,
        )
        return nodes.paragraph("", "", reference)


def _skip(self: object, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(task_spec, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_post_transform(ExpandTaskSpecs)
    app.add_directive("cab-task", TaskDirective)
    app.add_directive("cab-task-index", TaskIndexDirective)
