"""``cab-task`` (one task's whole spec) and ``cab-task-index`` (the catalogue by category).

Both read the task catalogue of the pinned snapshot (or the one named by ``:snapshot:``) and build
plain docutils nodes, so every builder writes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

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


def _literal_paragraph(text: str) -> nodes.paragraph:
    """A paragraph holding one data value as a ``literal`` (``render.value_literal``)."""
    return nodes.paragraph("", "", value_literal(text))


def _text_paragraph(text: str) -> nodes.paragraph:
    """A paragraph of (possibly data) prose, hidden characters shown as escapes."""
    return nodes.paragraph("", "", text_node(text))


def _missing_paragraph(reason: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    paragraph += nodes.inline(MISSING_MARK, MISSING_MARK, classes=["cab-missing"])
    paragraph += nodes.inline("", f" ({reason})", classes=["cab-missing-note"])
    return paragraph


def _ground_truth(task: Task) -> nodes.Element:
    if not task.ground_truth:
        return _missing_paragraph("the spec lists no ground-truth files")
    items = nodes.bullet_list()
    for path in task.ground_truth:
        items += nodes.list_item("", _literal_paragraph(path))
    return items


def _constraints(task: Task) -> nodes.Element:
    if not task.constraints:
        return _missing_paragraph("the spec sets no rule constraints")
    items = nodes.bullet_list(classes=["cab-constraints"])
    for constraint in task.constraints:
        paragraph = nodes.paragraph()
        paragraph += value_literal(constraint.rule)
        if constraint.target is not None:
            paragraph += nodes.Text(" on ")
            paragraph += value_literal(constraint.target)
        paragraph += text_node(f", scored as {constraint.scoring}")
        items += nodes.list_item("", paragraph)
    return items


def spec_values(task: Task) -> list[tuple[str, nodes.Element]]:
    """(field name, value node) for every field of the spec, in the catalogue's order."""
    grader = nodes.paragraph()
    grader += nodes.Text("kind ")
    grader += value_literal(task.grader.kind)
    grader += nodes.Text(", command ")
    grader += value_literal(task.grader.command)
    budget = _text_paragraph(
        f"{format_count(task.budget.max_turns)} turns at most, "
        f"timeout {format_count(task.budget.timeout_s)} s"
    )
    refusal = (
        "yes: the right answer is to refuse"
        if task.expected_refusal
        else "no: the task expects a solution"
    )
    source = (
        _literal_paragraph(task.source)
        if task.source is not None
        else _missing_paragraph("the spec names no upstream source")
    )
    # tab and newline stay; any other hidden character is shown as an escape
    script = visible_text(task.setup)
    setup = nodes.literal_block(script, script, language="shell", classes=["cab-task-setup"])
    return [
        ("id", _literal_paragraph(task.id)),
        ("category", _literal_paragraph(task.category)),
        ("language", _text_paragraph(task.language)),
        ("version", _literal_paragraph(task.version)),
        ("task_added_date", _literal_paragraph(task.task_added_date.isoformat())),
        ("summary", _text_paragraph(task.summary)),
        ("source", source),
        ("setup", setup),
        ("grader", grader),
        ("budget", budget),
        ("ground_truth", _ground_truth(task)),
        ("expected_refusal", _text_paragraph(refusal)),
        ("constraints", _constraints(task)),
    ]


def task_spec(task: Task) -> nodes.table:
    """``table.cab-task-spec`` (caption "Spec of task <id>", columns Field and Value): every
    field of the spec, in the catalogue's order, the field name as a ``literal``."""
    table, body = _table(visible_text(f"Spec of task {task.id}"), ("Field", "Value"), (22, 78))
    table["classes"] = ["cab-table", "cab-prose", "cab-task-spec"]
    for name, value in spec_values(task):
        row = nodes.row()
        row += _entry(_literal_paragraph(name))
        row += _entry(value)
        body += row
    return table


class TaskDirective(SnapshotDirective):
    """The whole spec of one task (argument: the task id ``<category>/<slug>``).

    Produces ``table.cab-task-spec`` with one row per field: id, category, language, version,
    task_added_date, summary, source, setup (a ``literal_block``), grader, budget, ground_truth,
    expected_refusal and constraints; then ``paragraph.cab-task-cells`` counting the task's cells
    in the snapshot.
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
        return [task_spec(task), summary]


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


def setup(app: Sphinx) -> None:
    app.add_directive("cab-task", TaskDirective)
    app.add_directive("cab-task-index", TaskIndexDirective)
