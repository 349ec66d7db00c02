"""``cab-task`` (one task's whole spec) and ``cab-task-index`` (the catalogue by category).

Both read the task catalogue of the pinned snapshot (or the one named by ``:snapshot:``) and
return their tables as pending :class:`~sphinxcontrib_cab.tables.data_table` nodes (see
:mod:`sphinxcontrib_cab.tables` for how each builder writes them):

* ``cab-task``: ``table.cab-task-spec`` (columns Field and Value, one row per field of the spec;
  the setup script is a code block, ground truth and constraints are bullet lists), then
  ``paragraph.cab-task-cells`` counting the task's cells;
* ``cab-task-index``: one ``table.cab-task-index`` per category (Task, Language, Added, Cells,
  Summary), the task id linking to its generated page when ``cab_task_pages`` is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from ..config import cab_config
from ..directive_base import SnapshotDirective
from ..domain import add_directive, cab_domain, index_entry, task_anchor
from ..options import choice_option
from ..render import format_count, text_node
from ..snapshot.index import cell_positions
from ..snapshot.keys import MISSING_MARK
from ..snapshot.vocabulary import CATEGORIES
from ..tables import (
    Block,
    DataTable,
    Inline,
    Items,
    Link,
    Missing,
    Paragraph,
    Script,
    Value,
    Words,
    pending_table,
    words,
)
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot.contract import Task


# -- the spec ----------------------------------------------------------------------------------


def _ground_truth(task: Task) -> Block:
    if not task.ground_truth:
        return Paragraph((Missing("the spec lists no ground-truth files"),))
    return Items(tuple(Paragraph((Value(path),)) for path in task.ground_truth))


def _constraints(task: Task) -> Block:
    if not task.constraints:
        return Paragraph((Missing("the spec sets no rule constraints"),))
    items = []
    for constraint in task.constraints:
        parts: list[Inline] = [Value(constraint.rule)]
        if constraint.target is not None:
            parts += [Words(" on "), Value(constraint.target)]
        parts.append(Words(f", scored as {constraint.scoring}"))
        items.append(Paragraph(tuple(parts)))
    return Items(tuple(items), ("cab-constraints",))


def spec_fields(task: Task) -> tuple[tuple[str, Block], ...]:
    """(field name, value) for every field of the spec, in the catalogue's order."""
    refusal = (
        "yes: the right answer is to refuse"
        if task.expected_refusal
        else "no: the task expects a solution"
    )
    source: Inline = (
        Value(task.source)
        if task.source is not None
        else Missing("the spec names no upstream source")
    )
    budget = (
        f"{format_count(task.budget.max_turns)} turns at most, "
        f"timeout {format_count(task.budget.timeout_s)} s"
    )
    grader = (
        Words("kind "),
        Value(task.grader.kind),
        Words(", command "),
        Value(task.grader.command),
    )
    return (
        ("id", Paragraph((Value(task.id),))),
        ("category", Paragraph((Value(task.category),))),
        ("language", Paragraph((Words(task.language),))),
        ("version", Paragraph((Value(task.version),))),
        ("task_added_date", Paragraph((Value(task.added or MISSING_MARK),))),
        ("summary", Paragraph((Words(task.summary),))),
        ("source", Paragraph((source,))),
        ("setup", Script(task.setup, "shell", ("cab-task-setup",))),
        ("grader", Paragraph(grader)),
        ("budget", Paragraph((Words(budget),))),
        ("ground_truth", _ground_truth(task)),
        ("expected_refusal", Paragraph((Words(refusal),))),
        ("constraints", _constraints(task)),
    )


def spec_table(task: Task) -> DataTable:
    """``table.cab-task-spec`` (id :func:`~sphinxcontrib_cab.domain.task_anchor`): caption
    "Spec of task <id>", one row per field of the spec (the field name as a literal, then its
    value)."""
    return DataTable(
        caption=f"Spec of task {task.id}",
        header=("Field", "Value"),
        widths=(22, 78),
        classes=("cab-prose", "cab-task-spec"),
        rows=tuple((words(Value(name)), (value,)) for name, value in spec_fields(task)),
        anchor=task_anchor(task.id),
    )


class TaskDirective(SnapshotDirective):
    """The whole spec of one task, named by its id ``<category>/<slug>``: language, version, date
    added, summary, source, setup commands, grader, budget, ground truth, expected refusal and
    constraints, then how many cells of the snapshot ran it. ``{cab:task}`` links to it."""

    example: ClassVar[str] = ":::{cab-task} polyglot/python-two-sum\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

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
        cells = len(cell_positions(snapshot, "task").get(task_id, ()))
        summary = nodes.paragraph(classes=["cab-task-cells"])
        summary += text_node(
            f"Snapshot {snapshot.name} holds {format_count(cells)} "
            f"cell{'s' if cells != 1 else ''} of this task."
        )
        table = pending_table(spec_table(task))
        self.set_source_info(table)
        if self.options.get("snapshot"):
            cab_domain(self.env).note_object("task", task.id, task_anchor(task.id), 1)
            return [table, summary]
        cab_domain(self.env).note_object("task", task.id, task_anchor(task.id))
        return [*index_entry("task", task.id, task_anchor(task.id)), table, summary]


# -- the catalogue ------------------------------------------------------------------------------


class TaskIndexDirective(SnapshotDirective):
    """The task catalogue: one table per category (or only ``:category:``) listing each task with
    its language, date added, number of cells and summary; with ``cab_task_pages`` set, each
    task links to its generated page."""

    example: ClassVar[str] = ":::{cab-task-index}\n:category: polyglot\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "category": choice_option(
            "the category whose tasks are listed", ("all", *CATEGORIES), "all", required=False
        ),
    }

    def run(self) -> list[nodes.Node]:
        wanted = self.choice("category")
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        cells_of = cell_positions(snapshot, "task")
        result: list[nodes.Node] = []
        for category in snapshot.categories:
            if wanted not in ("all", category):
                continue
            tasks = sorted((t for t in snapshot.tasks if t.category == category), key=_task_id)
            rows = tuple(
                (
                    words(self._task_label(task)),
                    words(Words(task.language)),
                    words(Value(task.added or MISSING_MARK)),
                    words(Words(format_count(len(cells_of.get(task.id, ()))))),
                    words(Words(task.summary)),
                )
                for task in tasks
            )
            plural = "s" if len(tasks) != 1 else ""
            table = DataTable(
                caption=f"{category}: {format_count(len(tasks))} task{plural}",
                header=("Task", "Language", "Added", "Cells", "Summary"),
                widths=(30, 12, 12, 8, 38),
                classes=("cab-prose", "cab-task-index"),
                rows=rows,
            )
            node = pending_table(table)
            self.set_source_info(node)
            result.append(node)
        return result

    def _task_label(self, task: Task) -> Inline:
        folder = cab_config(self.config).task_pages_folder
        if not folder:
            return Value(task.id)
        docname = f"{folder}/{task.category}/{task.slug}/index"
        # resolved when the page is written, so a task page added or removed later is seen
        cab_domain(self.env).note_reference("task", task.id, docname)
        return Link(task.id, docname, "task")


def _task_id(task: Task) -> str:
    return task.id


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-task", TaskDirective)
    add_directive(app, "cab-task-index", TaskIndexDirective)
