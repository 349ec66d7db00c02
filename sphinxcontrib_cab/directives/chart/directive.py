"""``cab-chart``: the directive, which picks its cells and returns a pending chart and its table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from docutils import nodes

from ...config import cab_config
from ...directive_base import SnapshotDirective
from ...filters import FILTERS, failures_option, filter_options, filtered_cells
from ...options import Option, choice_option
from ...snapshot import charts
from ...snapshot.aggregate import cells_for_failures
from ...snapshot.failures import failure_label
from ...snapshot.formats import format_count, format_number
from ...snapshot.keys import MISSING_MARK
from ...snapshot.metrics import METRICS
from ...tables import DataTable, Missing, Words, pending_table, words

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...snapshot.failures import FailureMode
    from ...snapshot.model import Cell, Estimate, Snapshot
    from ...tables import Cell as TableCell

Kind = Literal["heatmap", "frontier", "strip"]
KINDS: tuple[Kind, ...] = ("heatmap", "frontier", "strip")

HEADLINE = METRICS["headline"]
COSTS = METRICS["costs"]


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything one chart shows, for any builder (plain, immutable data)."""

    kind: Kind
    anchor: str
    """The figure's id; its numbers table is ``anchor + "-numbers"``."""
    title: str
    description: str
    digits: int
    """Decimals of a headline (``cab_digits`` or the metric's own)."""
    heatmap: charts.Heatmap | None = None
    frontier: charts.Frontier | None = None
    strip: tuple[charts.Spread, ...] | None = None
    failures: FailureMode = "include"
    """``exclude``: the numbers leave out runs that failed for infrastructure."""

    @property
    def numbers(self) -> str:
        return f"{self.anchor}-numbers"

    def headline(self, value: Estimate | None) -> str:
        """A pair's headline as the overview leaderboard writes it (n counts tasks)."""
        return HEADLINE.format(value, self.digits, "task")

    def costs(self, value: Estimate | None) -> str:
        return COSTS.format(value, None, "task")

    def short(self, value: Estimate | None) -> str:
        """The mean alone, as a square shows it."""
        mean = charts.drawn(value)
        return MISSING_MARK if mean is None else format_number(mean, self.digits)

    def pair_label(self, pair: charts.Pair) -> str:
        """What a reader (and a screen reader) gets for one square or point."""
        plural = "s" if pair.failed > 1 else ""
        what = f"run{plural} left out" if self.failures == "exclude" else f"failed run{plural}"
        failed = (
            f"{format_count(pair.failed)} {what} ("
            + ", ".join(f"{failure_label(kind)} {count}" for kind, count in pair.failures)
            + ")"
            if pair.failed
            else "no failed runs"
        )
        return (
            f"{pair.name}: headline {self.headline(pair.headline)}; Costs "
            f"{self.costs(pair.costs)} s; {format_count(pair.tasks)} tasks, "
            f"{format_count(pair.runs)} runs, {failed}"
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> Chart:
        return self  # immutable: sharing is safe and keeps doctree copies cheap


class chart(nodes.General, nodes.Element):
    """Pending chart; attribute ``chart`` holds the :class:`Chart`."""


_TITLES: dict[Kind, str] = {
    "heatmap": "Headline score by TUI and model",
    "frontier": "Headline score against Costs (wall-clock seconds)",
    "strip": "Spread of cell headline scores per task",
}


def chart_cells(snapshot: Snapshot, directive: ChartDirective) -> tuple[Cell, ...]:
    """The cells a chart is drawn from: the snapshot's as its ``:failures:`` mode counts them,
    through the directive's filters. The one place that chooses them, so every kind of chart (and
    its table) shows the same, and the same as a leaderboard with those options."""
    pool = cells_for_failures(snapshot, directive.failure_mode())
    return filtered_cells(snapshot, directive.options, directive.warn_option, "chart", pool)


class ChartDirective(SnapshotDirective):
    """A chart drawn from the snapshot while the page is built, followed by a table of the same
    numbers: ``heatmap`` (TUI by model, colour and number = headline over tasks), ``frontier``
    (headline against Costs per TUI and model, 95% intervals as error bars, the Pareto frontier
    drawn and named) or ``strip`` (each task's cells by headline). HTML builders get inline SVG
    (no JavaScript; focus or hover a square or point for its interval and failed runs), LaTeX a
    TikZ picture, the other builders the table. Filters work as in ``cab-leaderboard``."""

    example: ClassVar[str] = ":::{cab-chart}\n:kind: heatmap\n:category: polyglot\n:::"
    """What a page writes to use it (MyST), shown in the reference."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **SnapshotDirective.option_spec,
        "kind": choice_option("what the chart draws", KINDS, "heatmap"),
        "title": Option("the chart's title", default="one per kind"),
        "failures": failures_option(),
        **filter_options("chart"),
    }

    def _anchor(self, kind: Kind) -> str:
        """An id from what the chart shows (kind, filters, snapshot), so charts of different
        pages stay apart where pages share one HTML file (singlehtml); a repeat on one page
        gets a number."""
        shown = [kind] + [
            f"{name}-{self.options[name]}"
            for name in (*FILTERS, "failures", "snapshot")
            if self.options.get(name)
        ]
        base = nodes.make_id("cab-chart-" + "-".join(shown))
        serial = self.env.new_serialno(base)
        return base if serial == 0 else f"{base}-{serial}"

    def run(self) -> list[nodes.Node]:
        snapshot = self.load_snapshot()
        if snapshot is None:
            return self.unavailable()
        kind: Kind = next(k for k in KINDS if k == self.choice("kind"))
        cells = chart_cells(snapshot, self)
        mode = self.failure_mode()
        digits = HEADLINE.digits_for(cab_config(self.config).digits)
        anchor = self._anchor(kind)
        title = (self.options.get("title") or "").strip() or _TITLES[kind]
        if kind == "heatmap":
            heat = charts.heatmap(cells)
            data = Chart(
                kind, anchor, title, _heat_words(snapshot, heat, cells), digits, heat, failures=mode
            )
            table = _pairs_table(data, heat.squares, ())
        elif kind == "frontier":
            front = charts.frontier(cells)
            described = _frontier_words(snapshot, front, cells, digits)
            data = Chart(kind, anchor, title, described, digits, frontier=front, failures=mode)
            table = _pairs_table(data, front.points, front.members)
        else:
            spreads = charts.strip(cells)
            data = Chart(
                kind,
                anchor,
                title,
                _strip_words(snapshot, spreads, cells),
                digits,
                strip=spreads,
                failures=mode,
            )
            table = _strip_table(data, spreads)
        if mode == "exclude":
            data = replace(data, description=f"{data.description} {_LEFT_OUT}")
        node = chart(chart=data)
        self.set_source_info(node)
        return [node, pending_table(table)]


_LEFT_OUT = (
    "Runs that failed for infrastructure are left out of these numbers (failures: exclude); "
    "each pair's details say how many."
)


def _source(snapshot: Snapshot, cells: tuple[Cell, ...]) -> str:
    return f"snapshot {snapshot.name}, {format_count(len(cells))} cells"


def _heat_words(snapshot: Snapshot, heat: charts.Heatmap, cells: tuple[Cell, ...]) -> str:
    return (
        f"Each square is one TUI (row) and model (column) of {_source(snapshot, cells)}: its "
        "headline score, the mean composite over its tasks (0 to 1, higher is better), printed "
        "in the square and shown as colour from dark (0) to light (1) on the cividis scale. "
        f"{len(heat.squares)} pairs of {len(heat.tuis)} TUIs and {len(heat.models)} models; "
        "an empty square has no cells. Focus or hover a square for its 95% interval (Student-t "
        "over per-task means) and failed runs."
    )


def _frontier_words(
    snapshot: Snapshot, front: charts.Frontier, cells: tuple[Cell, ...], digits: int
) -> str:
    def named(pair: charts.Pair) -> str:
        score = format_number(charts.drawn(pair.headline) or 0.0, digits)
        return f"{pair.name} ({score} at {format_number(charts.drawn(pair.costs) or 0.0, 1)} s)"

    members = "; ".join(named(front.points[i]) for i in front.members)
    left_out = len(front.points) - len(front.placed)
    return (
        f"Each point is one TUI and model pair of {_source(snapshot, cells)}: its headline "
        "score (0 to 1, up is better) against its Costs, the mean wall-clock seconds of a run "
        "(log scale, left is better); bars are 95% intervals (Student-t over per-task means). "
        "The line joins the Pareto frontier, the pairs no other pair beats on both: "
        f"{members or 'none'}."
        + (f" {left_out} pairs without a headline or Costs are not drawn." if left_out else "")
    )


def _strip_words(
    snapshot: Snapshot, spreads: tuple[charts.Spread, ...], cells: tuple[Cell, ...]
) -> str:
    undrawn = sum(s.cells - len(s.values) for s in spreads)
    return (
        f"Each row is one task of {_source(snapshot, cells)}; each dot one cell's headline "
        "score (0 to 1, right is better) and the bar the median: a wide row is a task that "
        "separates agents."
        + (f" {undrawn} cells without a headline are not drawn." if undrawn else "")
    )


def _pairs_table(
    data: Chart, pairs: tuple[charts.Pair, ...], members: tuple[int, ...]
) -> DataTable:
    on = set(members)
    header = ["TUI", "Model", "Tasks", "Runs", "Failed runs", HEADLINE.label, COSTS.label]
    if data.kind == "frontier":
        header.append("On the frontier")
    rows: list[tuple[TableCell, ...]] = []
    for index, pair in enumerate(pairs):
        row: list[TableCell] = [
            words(Words(pair.tui)),
            words(Words(pair.model)),
            words(Words(format_count(pair.tasks))),
            words(Words(format_count(pair.runs))),
            words(Words(format_count(pair.failed))),
            _estimate_cell(data.headline(pair.headline)),
            _estimate_cell(data.costs(pair.costs)),
        ]
        if data.kind == "frontier":
            row.append(words(Words("yes" if index in on else "no")))
        rows.append(tuple(row))
    return DataTable(
        caption=f"The numbers of the chart {data.title}",
        header=tuple(header),
        widths=(12, 28, 6, 6, 7, 24, 20, 6)[: len(header)],
        classes=("cab-chart-numbers",),
        rows=tuple(rows),
        anchor=data.numbers,
    )


def _estimate_cell(text: str) -> TableCell:
    return words(Missing()) if text == MISSING_MARK else words(Words(text))


def _strip_table(data: Chart, spreads: tuple[charts.Spread, ...]) -> DataTable:
    def number(value: float | None) -> TableCell:
        return (
            words(Missing()) if value is None else words(Words(format_number(value, data.digits)))
        )

    rows = tuple(
        (
            words(Words(s.task)),
            words(Words(s.category)),
            words(Words(format_count(s.cells))),
            number(s.values[0] if s.values else None),
            number(s.median),
            number(s.values[-1] if s.values else None),
        )
        for s in spreads
    )
    return DataTable(
        caption=f"The numbers of the chart {data.title}",
        header=(
            "Task",
            "Category",
            "Cells",
            "Lowest headline",
            "Median headline",
            "Highest headline",
        ),
        widths=(30, 10, 6, 10, 10, 10),
        classes=("cab-chart-numbers",),
        rows=rows,
        anchor=data.numbers,
    )
