"""Key-field filters shared by the directives that show cells (leaderboards, charts, diffs).

Each filter option takes a comma list of values of one column; the cells kept are those whose
value is one of them, for every filter given. A value the snapshots do not contain is a located
``cab.option`` warning, and a filter none of whose values exists matches nothing: a filtered
table or chart is never silently shown unfiltered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .options import Option, choice_option
from .snapshot.failures import FAILURE_MODES
from .snapshot.index import FILTERS, cell_positions, comma_list

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .snapshot.model import Cell, Snapshot

__all__ = [
    "FILTERS",
    "comma_list",
    "failures_option",
    "filter_options",
    "filtered_cells",
    "filtered_cells_of",
]


def failures_option() -> Option:
    """The ``:failures:`` option of the directives that show cells (:data:`FAILURE_MODES`)."""
    return choice_option(
        "failed runs: "
        + "; ".join(f"``{mode}``: {meaning}" for mode, meaning in FAILURE_MODES.items()),
        tuple(FAILURE_MODES),
        "include",
    )


def filter_options(shown: str, whose: str = "the snapshot") -> dict[str, Option]:
    """The ``option_spec`` entries of every filter; ``shown`` names what is never left
    unfiltered (``"table"``, ``"chart"``), ``whose`` the snapshots a value must be in."""
    return {
        name: Option(
            f"a comma list of {column} values {whose} contains; a value that matches "
            f"no cell is a warning and matches nothing (the {shown} is never left unfiltered)",
            default="no filter",
        )
        for name, column in FILTERS.items()
    }


def filtered_cells_of(
    snapshots: tuple[Snapshot, ...],
    options: Mapping[str, str],
    warn_option: Callable[[str, str], None],
    shown: str,
    pools: tuple[tuple[Cell, ...], ...] | None = None,
) -> tuple[tuple[Cell, ...], ...]:
    """The cells of each snapshot that pass every filter in ``options``, in snapshot order;
    ``warn_option(option, message)`` reports each value that none of the snapshots contains.

    ``pools`` (one per snapshot, in the order of its cells) replaces each snapshot's cells by
    others for the same keys, such as the cells re-aggregated without failed runs."""
    kept: list[set[int] | None] = [None for _ in snapshots]  # positions in snapshot.cells
    for option, column in FILTERS.items():
        text = options.get(option)
        if text is None:
            continue
        positions = [cell_positions(snapshot, column) for snapshot in snapshots]
        allowed = sorted(set().union(*positions))
        asked = comma_list(text)
        wanted = {value for value in asked if value in allowed}
        unknown = [value for value in asked if value not in allowed]
        if unknown or not wanted:
            # Fail closed: a filter that matches nothing shows nothing, never every cell.
            consequence = "no cell matches it" if wanted else f"the {shown} shows no cells"
            names = " and ".join(snapshot.name for snapshot in snapshots)
            whose = "snapshots" if len(snapshots) > 1 else "snapshot"
            warn_option(
                option,
                f"{', '.join(map(repr, unknown)) or repr(text)} is not one of "
                f"{', '.join(allowed)} (the values in {whose} {names}); {consequence}",
            )
        for number, found in enumerate(positions):
            matching = {i for value in wanted for i in found.get(value, ())}
            before = kept[number]
            kept[number] = matching if before is None else before & matching
    every = pools or tuple(snapshot.cells for snapshot in snapshots)
    return tuple(
        cells if chosen is None else tuple(cells[i] for i in sorted(chosen))
        for cells, chosen in zip(every, kept, strict=True)
    )


def filtered_cells(
    snapshot: Snapshot,
    options: Mapping[str, str],
    warn_option: Callable[[str, str], None],
    shown: str,
    pool: tuple[Cell, ...] | None = None,
) -> tuple[Cell, ...]:
    """:func:`filtered_cells_of` for one snapshot (``pool``: its cells in another form)."""
    (cells,) = filtered_cells_of(
        (snapshot,), options, warn_option, shown, None if pool is None else (pool,)
    )
    return cells
