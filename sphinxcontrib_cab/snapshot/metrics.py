"""The one registry of metrics, and the one written definition of each derived quantity.

Every place that names, labels, formats, sorts, exports or defines a metric reads
:data:`METRICS`: the leaderboard's columns and default order, the ``{cab-score}`` role, the
download columns and the generated reference. A metric is either a summary of a cell
(headline, Ships, Stays, Costs; also given per overview row) or a per-run score axis
(:data:`.model.AXES`; given per cell only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .formats import format_estimate
from .model import AXES
from .statistics import AXIS_RANGES, PROPORTION_AXES, STAYS_MIN_RUNS
from .vocabulary import AXIS_MEANINGS

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    from .model import Cell, Estimate
    from .overview import OverviewRow

    Item: TypeAlias = Cell | OverviewRow
    """What a metric is read from: a cell, or an overview row (cells grouped by key fields)."""

Direction = Literal["higher", "lower"]


WILSON = "Wilson score 95% interval"
STUDENT_T = "Student-t 95% interval (none from one run, none without spread)"
OVER_TASKS = (
    "per overview row: Student-t 95% interval over the per-task means (tasks are the sample)"
)
"""The estimator names readers see in legends, receipts, downloads and the reference."""


@dataclass(frozen=True, slots=True)
class Estimator:
    """How a metric's :class:`~.model.Estimate` is obtained: a name for readers, the function
    that yields it from a cell or an overview row (``None`` where the item has no such value),
    and whether it gives an interval at all."""

    name: str
    of: Callable[[Item], Estimate | None]
    interval: bool = True


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric: its name in options and roles, header label (with unit), decimals shown,
    which direction is better, estimator and written definition."""

    name: str
    label: str
    digits: int
    direction: Direction
    estimator: Estimator
    definition: str
    summary: bool
    """A summary of a cell, also given per overview row; ``False`` for a per-run axis."""
    axis: str | None
    """The per-run axis the metric is computed from (``None`` for Stays, from the pass axis
    but not a mean of it)."""

    @property
    def lower_is_better(self) -> bool:
        return self.direction == "lower"

    def estimate(self, item: Item) -> Estimate | None:
        """The estimate of this metric for a cell or an overview row."""
        return self.estimator.of(item)

    def estimator_name(self, overview: bool = False) -> str:
        """The estimator's name as readers see it, for a cell or for an overview row."""
        return OVER_TASKS if overview else self.estimator.name

    @property
    def share(self) -> bool:
        """A value between 0 and 1 (its decimals follow ``cab_digits``)."""
        return AXIS_RANGES[self.axis] == (0.0, 1.0) if self.axis else True

    def digits_for(self, share_digits: int | None) -> int:
        """Decimals shown: ``share_digits`` (``cab_digits``) for a share, else the metric's own."""
        return share_digits if share_digits is not None and self.share else self.digits

    def format(
        self, estimate: Estimate | None, digits: int | None = None, unit: str = "run"
    ) -> str:
        """The one text of an estimate of this metric: ``18.3 [4.2, 32.4]``, ``0.500 (one
        run)``; ``digits`` (from ``cab_digits``) overrides a share's decimals."""
        return format_estimate(
            estimate, self.digits_for(digits), interval=self.estimator.interval, unit=unit
        )


def _summary(name: str, estimator: str, interval: bool = True) -> Estimator:
    def of(item: Item) -> Estimate | None:
        value: Estimate | None = getattr(item, name)
        return value

    return Estimator(estimator, of, interval)


def _axis(name: str) -> Estimator:
    def of(item: Item) -> Estimate | None:
        axes = getattr(item, "axes", None)  # an overview row has no per-axis estimates
        return None if axes is None else axes.get(name)

    return Estimator(WILSON if name in PROPORTION_AXES else STUDENT_T, of)


_SUMMARY_DEFINITIONS: dict[str, str] = {
    "headline": "The headline score of a cell is the mean of its runs' composite scores (0 to 1, "
    "higher is better), with its 95% Student-t interval.",
    "ships": "Ships is the share of a cell's runs whose grader passed (the mean of the pass axis, "
    "0 to 1), with its 95% Wilson interval: how often the agent ships a working change.",
    "stays": "Stays is the share of a cell's reruns that agree with the cell's majority pass/fail "
    "outcome (from 0.5 to 1; 1 means every rerun ended the same way): how consistently the "
    f"result stays put when the same cell is run again. It needs {STAYS_MIN_RUNS} or more runs; "
    "a one-run cell shows 'n/a (one run)'. It has no interval.",
    "costs": "Costs is the mean wall-clock time of a cell's runs in seconds (lower is better), "
    "with its 95% interval: what the agent costs in waiting time, including failed runs.",
}


#: name -> (label with unit, decimals, better direction)
_SHOWN: dict[str, tuple[str, int, Direction]] = {
    "headline": ("Headline", 3, "higher"),
    "ships": ("Ships", 3, "higher"),
    "stays": ("Stays", 3, "higher"),
    "costs": ("Costs (s)", 1, "lower"),
    "pass": ("Pass", 3, "higher"),
    "blast_radius": ("Blast radius", 3, "lower"),
    "wall_s": ("Wall clock (s)", 1, "lower"),
    "refusal": ("Refusal", 3, "higher"),
    "integrity": ("Integrity", 3, "higher"),
    "tokens": ("Tokens", 0, "lower"),
    "composite": ("Composite", 3, "higher"),
}

_SUMMARY_SOURCES: dict[str, tuple[str | None, Estimator]] = {
    "headline": ("composite", _summary("headline", STUDENT_T)),
    "ships": ("pass", _summary("ships", WILSON)),
    "stays": (None, _summary("stays", f"no interval; needs {STAYS_MIN_RUNS}+ runs", False)),
    "costs": ("wall_s", _summary("costs", STUDENT_T)),
}
"""Each summary's per-run axis and estimator."""

SUMMARY_METRICS: tuple[str, ...] = tuple(_SUMMARY_DEFINITIONS)
"""The summaries of a cell, also given per overview row, in display order."""
CELL_METRICS: tuple[str, ...] = SUMMARY_METRICS + AXES
"""Every metric a cell has: the summaries, then the per-run axes."""

METRICS: dict[str, Metric] = {
    name: Metric(
        name=name,
        label=_SHOWN[name][0],
        digits=_SHOWN[name][1],
        direction=_SHOWN[name][2],
        estimator=_SUMMARY_SOURCES[name][1] if name in SUMMARY_METRICS else _axis(name),
        definition=_SUMMARY_DEFINITIONS[name] if name in SUMMARY_METRICS else AXIS_MEANINGS[name],
        summary=name in SUMMARY_METRICS,
        axis=_SUMMARY_SOURCES[name][0] if name in SUMMARY_METRICS else name,
    )
    for name in CELL_METRICS
}
"""Name -> :class:`Metric`, summaries first, then the axes in :data:`.model.AXES` order."""


def metric_estimate(item: Item, name: str) -> Estimate | None:
    """The estimate of metric ``name`` for a cell or an overview row."""
    return METRICS[name].estimate(item)


DEFINITIONS: dict[str, str] = {
    "cell": "A cell is every rerun of one canonical key: the same TUI, behavior mode, model, task, "
    "plugin stack, TUI image, model endpoint, sampling profile and task date.",
    "mean": "Each axis of a cell is the mean over the reruns that recorded it; a rerun that did "
    "not record the axis is left out, and an axis no rerun recorded is shown as an em dash "
    "(not recorded), never as 0. A refusal score of 'n/a' (a task that expects no refusal) is "
    "left out the same way; a cell whose runs are all 'n/a' shows 'n/a' (not applicable), a mark "
    "of its own.",
    "failed": "A failed run is one the harness could not complete for infrastructure: a rate "
    "limit (HTTP 429, the agent exhausted its retries), a handshake failure (the model and the "
    "TUI could not talk) or a timeout (the agent never finished within the harness limit). Its "
    "scores are kept as recorded and count in every mean: it did not pass, but blast radius and "
    "integrity still credit it, so a failed run often scores about 0.5 composite, above an "
    "honest capability failure (an agent that worked and got it wrong) and far above an "
    "integrity failure. A failure is a measurement, not a gap; a missing field is a gap. Each "
    "row says how many of its runs failed and of which kind, and its provenance gives each "
    "failed run's detail as recorded. A leaderboard with ':failures: exclude' leaves failed "
    "runs out of its means and says in each row how many it left out; a cell whose runs all "
    "failed then shows a gap ('n/a (every run failed)'), never an empty row.",
    "interval": "Every interval is a 95% interval, and its estimator is named with it. "
    f"Proportions (pass, refusal, integrity, and Ships) use the {WILSON}: it stays within 0 "
    "and 1 and never has zero width, so 2 passes of 2 read [0.342, 1.000], not certainty. A "
    "refusal scored 0.5 (a partial refusal) counts as half a success in the Wilson share. "
    f"Continuous axes (composite and the headline, wall clock and Costs, blast radius, tokens) "
    "use a Student-t interval: mean plus or minus t(0.975, n-1) times the sample standard "
    "deviation divided by the square root of n, clipped to the axis's possible range. One run "
    "gives no interval ('0.950 (one run)'), and runs that all scored the same give none either "
    "('0.500 (no spread in 2 runs)'): the data cannot say how wide it is.",
    **{name: METRICS[name].definition for name in SUMMARY_METRICS},
    "overview": "An overview row (for example one TUI and one model) treats tasks as the sample "
    "(Miller, 'Adding Error Bars to Evals', 2024): each task's cell mean is one observation (the "
    "mean of its cells when several share the task), and the row gives the mean over its tasks "
    "with a 95% Student-t interval over those per-task means, n = the number of tasks. Reruns "
    "within a task only shrink the noise of each observation.",
    "rank": "The rank of an overview row is an upper-bound rank: 1 plus the number of rows whose "
    "headline interval lies wholly above this row's (their lower end above its upper end). Rows "
    "whose intervals overlap share a rank; a row without an interval has no rank ('n/a').",
}
"""Name -> the one written definition of each derived quantity (the summary metrics' come from
:data:`METRICS`), rendered by the docs."""

ESTIMATORS: dict[str, str] = {name: metric.estimator.name for name, metric in METRICS.items()}
"""Metric name -> the name of the estimator that computes it, as receipts and downloads record."""
