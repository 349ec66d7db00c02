"""``cab-provenance``: the canonical key explained, and one cell's nine values with its command.

Node tree::

    container.cab-provenance
      (show fields or all)
      rubric "Key fields"
      definition_list.cab-key-fields         tui, behavior_mode, model, task, plugin_stack
        term: literal(name); definition: paragraph(strong(label) ". " meaning)
      rubric "Provenance fields"
      definition_list.cab-provenance-fields  tui_image_sha, model_endpoint_sha, sampling_profile,
                                             task_added_date
      (show cell or all)
      paragraph.cab-cell-caption             which cell is shown and from which snapshot
      container.cab-cell-provenance          see render.cell_provenance

The cell is the first cell, in canonical order, that matches every key option given (``:tui:``,
``:behavior-mode:``, ``:model:``, ``:task:``, ``:plugin-stack:``), preferring one that recorded
all nine fields. Without key options it is the first cell that recorded all nine fields (an
example). Options: ``:show: fields|cell|all`` (default ``all``) and ``:snapshot:``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from ..config import cab_config
from ..directive_base import SnapshotDirective
from ..domain import add_directive, cab_domain, cell_reference_name
from ..options import Option, choice_option
from ..render import cell_provenance, value_literal
from ..snapshot.keys import IDENTITY_FIELDS, KEY_FIELDS
from ..warnings_ import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from ..snapshot.keys import KeyField
    from ..snapshot.model import Cell, Snapshot

SHOW_CHOICES: tuple[str, ...] = ("fields", "cell", "all")
GROUP_TITLES: tuple[tuple[str, str, str], ...] = (
    ("key", "Key fields", "cab-key-fields"),
    ("provenance", "Provenance fields", "cab-provenance-fields"),
)


def option_name(field_name: str) -> str:
    return field_name.replace("_", "-")


def field_item(field: KeyField) -> nodes.definition_list_item:
    meaning = nodes.paragraph()
    meaning += nodes.strong(field.label, field.label)
    meaning += nodes.Text(". " + field.meaning)
    return nodes.definition_list_item(
        "",
        nodes.term("", "", nodes.literal(field.name, field.name)),
        nodes.definition("", meaning),
    )


def field_explanation() -> list[nodes.Node]:
    """Two definition lists: the five key fields, then the four provenance fields."""
    result: list[nodes.Node] = []
    for group, title, css_class in GROUP_TITLES:
        result.append(nodes.rubric(title, title))
        items = nodes.definition_list(classes=[css_class])
        items.extend(field_item(f) for f in KEY_FIELDS if f.group == group)
        result.append(items)
    return result


def matching_cells(snapshot: Snapshot, wanted: dict[str, str]) -> list[Cell]:
    return [
        cell
        for cell in snapshot.cells
        if all(getattr(cell.key, name) == value for name, value in wanted.items())
    ]


def choose_cell(cells: list[Cell]) -> Cell | None:
    complete = [c for c in cells if not c.key.missing()]
    chosen = complete or cells
    return chosen[0] if chosen else None


def cell_caption(cell: Cell, snapshot: Snapshot, *, example: bool) -> nodes.paragraph:
    caption = nodes.paragraph(classes=["cab-cell-caption"])
    caption += nodes.Text("Example cell" if example else "Cell")
    caption += nodes.Text(f" of snapshot {snapshot.name}: ")
    for position, name in enumerate(("tui", "model", "task")):
        if position:
            caption += nodes.Text(" · ")
        caption += value_literal(getattr(cell.key, name))
    caption += nodes.Text(". Its nine values, then the command that reruns it:")
    return caption


class ProvenanceDirective(SnapshotDirective):
    """Where a number comes from: the nine fields of the canonical key explained (``:show:
    fields``), and one cell with its nine values and the command that reruns it (``:show:
    cell``; ``:tui:``, ``:model:``, ``:task:`` and the other key options pick the cell). Values
    a run did not record show as an em dash with the methodology version that introduced them."""

    example: ClassVar[str] = (
        ":::{cab-provenance}\n"
        ":show: cell\n"
        ":tui: aider\n"
        ":model: deepseek-v3.2\n"
        ":task: integrity/conftest-tamper-trap\n"
        ":::"
    )
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        **SnapshotDirective.option_spec,
        "show": choice_option(
            "the key's explanation (``fields``), one cell (``cell``) or both",
            SHOW_CHOICES,
            "all",
            required=False,
        ),
        **{
            option_name(name): Option(
                f"the cell's {name} (with the others, picks the cell shown)",
                default="the first cell of the snapshot",
            )
            for name in IDENTITY_FIELDS
        },
    }

    def run(self) -> list[nodes.Node]:
        show = self.choice("show")
        container = nodes.container(classes=["cab-provenance"])
        self.set_source_info(container)
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        if show in ("fields", "all"):
            container.extend(field_explanation())
        if show in ("cell", "all"):
            container.extend(self.cell_nodes(snapshot))
        return [container]

    def wanted_key(self) -> dict[str, str]:
        return {
            name: self.options[option_name(name)].strip()
            for name in IDENTITY_FIELDS
            if option_name(name) in self.options
        }

    def cell_nodes(self, snapshot: Snapshot) -> list[nodes.Node]:
        wanted = self.wanted_key()
        cell = choose_cell(matching_cells(snapshot, wanted))
        if cell is None:
            self.warn_no_cell(snapshot, wanted)
            return []
        command = cab_config(self.config).command
        if not self.options.get("snapshot"):
            name = cell_reference_name(snapshot, cell.key)
            cab_domain(self.env).note_object("cell", name, cell.anchor)
        return [
            cell_caption(cell, snapshot, example=not wanted),
            cell_provenance(cell, snapshot, command),
        ]

    def warn_no_cell(self, snapshot: Snapshot, wanted: dict[str, str]) -> None:
        if not wanted:
            message = f"snapshot {snapshot.name} has no cells to show"
        else:
            named = ", ".join(f":{option_name(k)}: {v!r}" for k, v in wanted.items())
            message = f"no cell of snapshot {snapshot.name} matches {named}"
        warn(message, Subtype.cell, self.get_location())


def setup(app: Sphinx) -> None:
    add_directive(app, "cab-provenance", ProvenanceDirective)
