"""Key-field filters shared by the directives that show cells (leaderboards, charts).

Each filter option takes a comma list of values of one column; the cells kept are those whose
value is one of them, for every filter given. A value the snapshot does not contain is a
located ``cab.option`` warning, and a filter none of whose values exists matches nothing: a
filtered table or chart is never silently shown unfiltered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .options import Option
from .snapshot.index import cell_positions

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .snapshot.model import Cell, Snapshot

FILTERS: dict[str, str] = {
    "tui": "tui",
    "model": "model",
    "behavior-mode": "behavior_mode",
    "plugin-stack": "plugin_stack",
    "category": "category",
    "task": "task",
    "methodology": "methodology",
}
"""Filter option -> the column whose value it matches."""


def comma_list(text: str) -> list[str]:
    """The non-empty items of a comma (or line) separated option value, stripped."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def filter_options(shown: str) -> dict[str, Option]:
    """The ``option_spec`` entries of every filter; ``shown`` names what is never left
    unfiltered (``"table"``, ``"chart"``)."""
    return {
        name: Option(
            f"a comma list of {column} values the snapshot contains; a value that matches "
            f"no cell is a warning and matches nothing (the {shown} is never left unfiltered)",
            default="no filter",
        )
        for name, column in FILTERS.items()
    }


def filtered_cells(
    snapshot: Snapshot,
    options: Mapping[str, str],
    warn_option: Callable[[str, str], None],
    shown: str,
) -> tuple[Cell, ...]:
    """The cells of ``snapshot`` that pass every filter in ``options``, in snapshot order;
    ``warn_option(option, message)`` reports each value the snapshot does not contain."""
    kept: set[int] | None = None  # positions in snapshot.cells
    for option, column in FILTERS.items():
        text = options.get(option)
        if text is None:
            continue
        positions = cell_positions(snapshot, column)
        allowed = sorted(positions)
        asked = comma_list(text)
        wanted = {value for value in asked if value in positions}
        unknown = [value for value in asked if value not in positions]
        if unknown or not wanted:
            # Fail closed: a filter that matches nothing shows nothing, never every cell.
            consequence = "no cell matches it" if wanted else f"the {shown} shows no cells"
            warn_option(
                option,
                f"{', '.join(map(repr, unknown)) or repr(text)} is not one of "
                f"{', '.join(allowed)} (the values in snapshot {snapshot.name}); {consequence}",
            )
        matching = {i for value in wanted for i in positions[value]}
        kept = matching if kept is None else kept & matching
    if kept is None:
        return snapshot.cells
    return tuple(snapshot.cells[i] for i in sorted(kept))
