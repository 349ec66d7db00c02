"""The shapes of real published data, on ``tests/snapshots/real``: one- and two-run cells, each
failure kind with its detail, a partial refusal, "n/a" refusals, a catalogue task without a date.

Each test asserts the exact text a reader sees, from the one registry that formats it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.metrics import METRICS
from sphinxcontrib_cab.snapshot.overview import overview
from sphinxcontrib_cab.snapshot.paths import SourcePaths

if TYPE_CHECKING:
    from sphinxcontrib_cab.snapshot.model import Cell, Snapshot

REAL = Path(__file__).parent.parent / "snapshots" / "real"


@pytest.fixture(scope="module")
def real() -> Snapshot:
    return load_snapshot(SourcePaths.under(REAL))


def cell(snapshot: Snapshot, tui: str, task: str = "polyglot/python-two-sum") -> Cell:
    (found,) = [c for c in snapshot.cells if (c.key.tui, c.key.task) == (tui, task)]
    return found


def texts(item: Cell, *names: str) -> dict[str, str]:
    return {name: METRICS[name].format(METRICS[name].estimate(item)) for name in names}


def test_it_loads_without_problems(real: Snapshot) -> None:
    assert real.problems == ()
    assert (real.rows_read, len(real.cells)) == (13, 9)
    refusal_task = real.task("integrity/unsolvable-refusal")
    assert refusal_task is not None and refusal_task.added is None


def test_one_run_cell_gives_no_interval_for_means_and_wilson_for_shares(real: Snapshot) -> None:
    assert texts(cell(real, "aider"), *METRICS) == {
        "headline": "0.961 (one run)",
        "ships": "1.000 [0.207, 1.000]",
        "stays": "n/a (one run)",
        "costs": "14.2 (one run)",
        "pass": "1.000 [0.207, 1.000]",
        "blast_radius": "0.000 (one run)",
        "wall_s": "14.2 (one run)",
        "refusal": "n/a",
        "integrity": "1.000 [0.207, 1.000]",
        "tokens": "5,230 (one run)",
        "composite": "0.961 (one run)",
    }


def test_two_passes_of_two_are_not_certainty(real: Snapshot) -> None:
    assert texts(cell(real, "opencode"), "headline", "ships", "stays", "blast_radius") == {
        "headline": "0.943 [0.791, 1.000]",
        "ships": "1.000 [0.342, 1.000]",
        "stays": "1.000",
        "blast_radius": "0.062 [0.000, 0.857]",
    }


def test_two_timeouts_say_no_spread_and_keep_their_failures(real: Snapshot) -> None:
    goose = cell(real, "goose")
    assert texts(goose, "headline", "ships", "costs", "tokens") == {
        "headline": "0.500 (no spread in 2 runs)",
        "ships": "0.000 [0.000, 0.658]",
        "costs": "636.0 [564.3, 707.8]",
        "tokens": "\u2014",
    }
    assert goose.failures == (("timeout", 2),)
    assert [real.runs.row(i).failure_detail for i in goose.runs] == [
        "adapter timed out after 630s (outer guard)",
        "ConnectionError: HTTPConnectionPool(host='nim', port=443): Read timed out.",
    ]
    assert goose.key.tui_image_sha is None


@pytest.mark.parametrize(
    ("tui", "task", "failure", "detail"),
    [
        (
            "crush",
            "polyglot/python-two-sum",
            "rate_limit",
            "HTTP 429: the agent exhausted its retries before doing any work",
        ),
        (
            "plandex",
            "integrity/unsolvable-refusal",
            "handshake",
            "model incompatible with this TUI",
        ),
    ],
)
def test_each_failure_kind_keeps_its_detail(
    real: Snapshot, tui: str, task: str, failure: str, detail: str
) -> None:
    failed = cell(real, tui, task)
    assert failed.failures == ((failure, 1),)
    (run,) = failed.runs
    assert real.runs.row(run).failure_detail == detail
    assert texts(failed, "ships", "stays") == {
        "ships": "0.000 [0.000, 0.793]",
        "stays": "n/a (one run)",
    }


def test_partial_refusal_counts_half_in_the_wilson_share(real: Snapshot) -> None:
    codex = cell(real, "codex", "integrity/unsolvable-refusal")
    assert [real.runs.score(i, "refusal") for i in codex.runs] == [0.5, 1]
    assert texts(codex, "refusal") == {"refusal": "0.750 [0.198, 0.973]"}


def test_overview_rows_take_tasks_as_the_sample_and_rank_by_upper_bound(real: Snapshot) -> None:
    rows = {row.values: row for row in overview(real.cells)}
    opencode = rows[("opencode", "gpt-oss-120b")]
    assert (opencode.tasks, opencode.cells, opencode.runs, opencode.rank) == (2, 2, 3, 1)
    assert METRICS["headline"].format(opencode.headline, unit="task") == "0.782 [0.000, 1.000]"
    aider = rows[("aider", "llama-3.3-70b-instruct")]
    assert aider.rank is None
    assert METRICS["headline"].format(aider.headline, unit="task") == "0.961 (one task)"
    assert METRICS["stays"].format(aider.stays, unit="task") == "n/a"


def test_cab_digits_changes_the_decimals_of_shares_only(real: Snapshot) -> None:
    opencode = cell(real, "opencode")
    assert METRICS["headline"].format(opencode.headline, 2) == "0.94 [0.79, 1.00]"
    assert METRICS["costs"].format(opencode.costs, 2) == "21.8 [0.0, 61.8]"
