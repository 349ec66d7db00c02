"""Inline roles that cite the pinned snapshot in prose, so a number in a sentence never goes stale.

- ``{cab-count}`rows``` -> ``inline.cab-count``: ``3,465``. Names: see :data:`COUNT_NAMES`.
- ``{cab-meta}`snapshot_date``` -> ``inline.cab-meta``: ``2026-06-20``. Names: see
  :data:`META_NAMES`; ``row_count`` is the number of valid rows read, ``digest`` the combined one.
- ``{cab-score}`opencode/llama-3.3-70b-instruct/polyglot/python-two-sum``` ->
  ``inline.cab-score``: the cell's headline mean and 95% interval, e.g. ``0.95 [0.90, 0.99]``,
  with the decimals the leaderboard shows (:data:`sphinxcontrib_cab.snapshot.metrics.METRICS`).
  The cell is written ``tui/model/task`` or with all five key fields
  ``tui/behavior_mode/model/task/plugin_stack``; the text is matched against the cells of the
  snapshot, so ids that themselves contain ``/`` work. A ``metric:`` prefix picks another figure:
  ``ships``, ``stays``, ``costs`` or an axis (:data:`sphinxcontrib_cab.snapshot.AXES`).

A trailing ``@<snapshot date>`` cites an older snapshot listed in meta.json, e.g.
``{cab-count}`rows@2026-05-27```.

Every role reads the snapshot through the store, so the page depends on the snapshot's files. An
unknown name is a located ``cab.option`` warning naming the allowed values, an unknown or
ambiguous cell a located ``cab.cell`` warning; both render ``inline.cab-problem`` showing the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from .config import cab_config
from .domain import add_role
from .render import problem_marker, visible_inline, without_smartquotes
from .snapshot.formats import format_count
from .snapshot.index import cell_names, full_name
from .snapshot.keys import (
    MARK_MEANINGS,
    MISSING_MARK,
    NOT_APPLICABLE_MARK,
    NOT_APPLICABLE_WHY,
    NOT_RECORDED_WHY,
)
from .snapshot.metrics import METRICS
from .snapshot.metrics import metric_estimate as metric_estimate
from .warnings_ import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

    from .snapshot.model import Cell, Snapshot


def count_sweeps(snapshot: Snapshot) -> int:
    return len(set(snapshot.runs.sweep_id))


COUNTS: dict[str, Callable[[Snapshot], int]] = {
    "rows": lambda s: s.rows_read,
    "cells": lambda s: len(s.cells),
    "tasks": lambda s: len(s.tasks),
    "categories": lambda s: len(s.categories),
    "exploits": lambda s: len(s.exploits),
    "live-exploits": lambda s: len(s.live_exploits),
    "tuis": lambda s: len({c.key.tui for c in s.cells}),
    "models": lambda s: len({c.key.model for c in s.cells}),
    "sweeps": count_sweeps,
}
COUNT_NAMES: tuple[str, ...] = tuple(COUNTS)


def meta_value(snapshot: Snapshot, name: str) -> str | None:
    meta = snapshot.meta
    if name == "row_count":
        return format_count(snapshot.rows_read)
    if name == "digest":
        return snapshot.digest.combined
    if meta is None:
        return None
    if name == "snapshot_date":
        return meta.snapshot_date.isoformat()
    value: str = getattr(meta, name)
    return value


META_NAMES: tuple[str, ...] = (
    "methodology_version",
    "snapshot_date",
    "source",
    "row_count",
    "digest",
)

METRIC_NAMES: tuple[str, ...] = tuple(METRICS)
"""The metrics ``{cab-score}`` can cite: every metric of a cell, from the registry."""


SNAPSHOT_SUFFIX = re.compile(r"^(?P<text>.*)@(?P<name>\d{4}-\d{2}-\d{2})$", re.DOTALL)


def split_snapshot(text: str) -> tuple[str, str | None]:
    """``"rows@2026-05-27"`` -> ``("rows", "2026-05-27")``; no suffix -> the pinned snapshot."""
    match = SNAPSHOT_SUFFIX.match(text)
    if match is None:
        return text, None
    return match["text"].strip(), match["name"]


class CabRole(SphinxRole):
    """Shared behaviour: load the pinned snapshot (noting the dependency) and report problems."""

    css_class = "cab-value"

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        from .store import snapshot_for

        text, name = split_snapshot(self.text.strip())
        snapshot = snapshot_for(self.env, name=name, location=self.get_location())
        if snapshot is None:
            return [self.problem()], []
        rendered = self.render(snapshot, text)
        if rendered is None:
            return [self.problem()], []
        shown = visible_inline(rendered)
        classes = ["cab-value", self.css_class]
        title = self.mark_title(text, rendered)
        if title is None:
            value = nodes.inline(self.rawtext, shown, classes=classes)
        else:
            # a mark standing in for a value carries its meaning: a title in HTML, the words
            # in brackets in the other builders
            mark = nodes.abbreviation(shown, shown, explanation=title)
            kind = "cab-missing" if rendered == MISSING_MARK else "cab-na"
            value = nodes.inline(self.rawtext, "", mark, classes=[*classes, kind])
        return [without_smartquotes(value)], []

    def render(self, snapshot: Snapshot, text: str) -> str | None:
        raise NotImplementedError

    def mark_title(self, text: str, rendered: str) -> str | None:
        """What a mark standing in for the value means (``None`` for a value)."""
        return None

    def problem(self) -> nodes.inline:
        return problem_marker(f"[{self.name}: {self.text}?]")

    def warn(self, message: str, subtype: Subtype) -> None:
        warn(message, subtype, self.get_location())

    def unknown_name(self, text: str, allowed: tuple[str, ...]) -> None:
        self.warn(
            f"{self.name}: unknown name {text!r}; allowed: {', '.join(allowed)}", Subtype.option
        )


class CountRole(CabRole):
    """A count from the snapshot, with thousands separators: rows read, tasks, categories, cells,
    exploits and the other names below. Append ``@<snapshot date>`` for an older snapshot."""

    example: ClassVar[str] = (
        "{cab-count}`rows` runs, {cab-count}`tasks@2026-05-27` tasks in the first snapshot"
    )
    """What a page writes to use it (MyST), shown in the reference."""

    css_class = "cab-count"
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"name": COUNT_NAMES}

    def render(self, snapshot: Snapshot, text: str) -> str | None:
        count = COUNTS.get(text)
        if count is None:
            self.unknown_name(text, COUNT_NAMES)
            return None
        return format_count(count(snapshot))


class MetaRole(CabRole):
    """One value of the methodology pin (``meta.json``), such as the snapshot date or the
    methodology version. Append ``@<snapshot date>`` for an older snapshot."""

    example: ClassVar[str] = (
        "methodology {cab-meta}`methodology_version`, snapshot {cab-meta}`snapshot_date`"
    )
    """What a page writes to use it (MyST), shown in the reference."""

    css_class = "cab-meta"
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"name": META_NAMES}

    def render(self, snapshot: Snapshot, text: str) -> str | None:
        if text not in META_NAMES:
            self.unknown_name(text, META_NAMES)
            return None
        value = meta_value(snapshot, text)
        if value is None:
            self.warn(
                f"{self.name}: snapshot {snapshot.name} has no meta.json values", Subtype.cell
            )
            return MISSING_MARK
        return value


class ScoreRole(CabRole):
    """One cell's score with its 95% interval, as the leaderboard shows it. Write the cell as
    ``tui/model/task`` or, when that names more than one cell, in full as
    ``tui/behavior_mode/model/task/plugin_stack``; put a metric and a colon in front for another
    metric than the headline (``ships:aider/deepseek-v3.2/integrity/conftest-tamper-trap``)."""

    example: ClassVar[str] = "{cab-score}`ships:aider/deepseek-v3.2/integrity/conftest-tamper-trap`"
    """What a page writes to use it (MyST), shown in the reference."""

    css_class = "cab-score"
    choices: ClassVar[dict[str, tuple[str, ...]]] = {"metric": METRIC_NAMES}

    def render(self, snapshot: Snapshot, text: str) -> str | None:
        metric, cell_text = "headline", text
        prefix, separator, rest = text.partition(":")
        if separator and prefix.strip() in METRIC_NAMES:
            metric, cell_text = prefix.strip(), rest.strip()
        elif separator and text not in cell_names(snapshot):
            self.warn(
                f"{self.name}: unknown metric {prefix!r}; allowed: {', '.join(METRIC_NAMES)}",
                Subtype.option,
            )
            return None
        cell = self.find_cell(snapshot, cell_text)
        if cell is None:
            return None
        chosen = METRICS[metric]
        return chosen.format(chosen.estimate(cell), cab_config(self.env).digits)

    def mark_title(self, text: str, rendered: str) -> str | None:
        if rendered == MISSING_MARK:
            return NOT_RECORDED_WHY
        if rendered != NOT_APPLICABLE_MARK:
            return None  # a value, or a mark whose reason is already in brackets
        metric = text.partition(":")[0].strip()
        return NOT_APPLICABLE_WHY.get(metric, MARK_MEANINGS[NOT_APPLICABLE_MARK])

    def find_cell(self, snapshot: Snapshot, text: str) -> Cell | None:
        indices = cell_names(snapshot).get(text, ())
        if len(indices) == 1:
            return snapshot.cells[indices[0]]
        if not indices:
            self.warn(
                f"{self.name}: no cell of snapshot {snapshot.name} is {text!r} "
                "(write tui/model/task or tui/behavior_mode/model/task/plugin_stack)",
                Subtype.cell,
            )
        else:
            choices = ", ".join(full_name(snapshot.cells[index]) for index in indices)
            self.warn(
                f"{self.name}: {text!r} names {len(indices)} cells of snapshot {snapshot.name}; "
                f"write one of {choices}",
                Subtype.cell,
            )
        return None


def setup_roles(app: Sphinx) -> None:
    add_role(app, "cab-count", CountRole())
    add_role(app, "cab-meta", MetaRole())
    add_role(app, "cab-score", ScoreRole())
