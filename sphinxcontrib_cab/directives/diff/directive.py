"""``cab-diff``: the directive, which checks its options, finds the two snapshots and returns
the parts :mod:`.parts` builds."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from ...config import cab_config
from ...directive_base import SnapshotDirective, checked_words
from ...filters import filter_options
from ...options import Option
from ...render import problem_marker
from ...snapshot.diff import diff
from ...warnings_ import Subtype, warn
from .parts import METRIC, PARTS, DiffParts

if TYPE_CHECKING:
    from sphinx.util.typing import OptionSpec

    from ...snapshot.model import Snapshot


class DiffDirective(SnapshotDirective):
    """What changed between two snapshots (by default the newest older snapshot and the pinned
    one): the cells added and removed (by the 9-field key), cells whose key changed only in
    provenance fields, the methodology versions between them, and the headline of every TUI
    and model pair and every cell in both, with its change and whether the two 95% intervals
    separate ("moved"), overlap ("within noise") or one side has none ("no interval"), largest
    change first. Both snapshots link to their receipts. The filters are the leaderboard's."""

    example: ClassVar[str] = (
        ":::{cab-diff}\n:from: 2026-05-27\n:parts: summary methodology pairs\n:tui: aider\n:::"
    )
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "from": Option(
            "the ``snapshot_date`` of the snapshot to compare from",
            default="the newest older snapshot ``meta.json`` lists",
        ),
        "to": Option(
            "the ``snapshot_date`` of the snapshot to compare to", default="the pinned snapshot"
        ),
        "parts": Option(
            "the parts to show, space-separated, in that order",
            PARTS,
            "all of them",
        ),
        "limit": Option(
            "a positive whole number: the most rows each table of cells shows (the table of "
            "TUI and model pairs shows every pair)",
            default="every row",
        ),
        **filter_options("table", "either snapshot"),
    }

    def run(self) -> list[nodes.Node]:
        text = self.options.get("parts")
        parts = checked_words(text, "parts", PARTS, self.get_location()) if text else PARTS
        pair = self._snapshots()
        if pair is None:
            marker = problem_marker("[the snapshot diff is not available]")
            return [nodes.paragraph("", "", marker)]
        before, after = pair
        old_cells, new_cells = self.filtered_cells(before, after)
        found = diff(before, after, old_cells, new_cells, METRIC)
        writer = DiffParts(
            found, cab_config(self.config).digits, self.row_limit(), self.env.docname
        )
        container = nodes.container(classes=["cab-diff"])
        self.set_source_info(container)
        for part in parts:
            for node in getattr(writer, part)():
                self.set_source_info(node)
                container += node
        return [container]

    def _snapshots(self) -> tuple[Snapshot, Snapshot] | None:
        """The two snapshots, ``:from:`` then ``:to:``; ``None`` after a located warning when
        either is not one the site has."""
        from ...store import loaded_for, snapshot_for

        # the pinned snapshot's meta.json lists the others: the page depends on it either way
        if snapshot_for(self.env, name=None, location=self.get_location()) is None:
            return None
        loaded = loaded_for(self.env)
        if loaded is None:
            return None
        to_name = (self.options.get("to") or "").strip() or loaded.pinned.name
        from_name = (self.options.get("from") or "").strip()
        if not from_name:
            older = [name for name in loaded.names if name < to_name]
            if not older:
                self._unknown("from", f"no snapshot older than {to_name} is listed")
                return None
            from_name = max(older)
        for option, name in (("to", to_name), ("from", from_name)):
            if loaded.get(name) is None:
                self._unknown(option, f"{name!r} is not a snapshot this site has")
                return None
        location = self.get_location()
        before = snapshot_for(self.env, name=from_name, location=location)
        after = snapshot_for(self.env, name=to_name, location=location)
        if before is None or after is None:
            return None
        return before, after

    def _unknown(self, option: str, problem: str) -> None:
        from ...store import loaded_for

        loaded = loaded_for(self.env)
        known = ", ".join(loaded.names) if loaded is not None else ""
        warn(
            f"{self.name} option :{option}: {problem} (known snapshots: {known}); the diff is "
            "not shown",
            Subtype.snapshot,
            self.get_location(),
        )
