"""Failed runs and exploit marks on ``tests/snapshots/real``: the badge and detail words of each
failure kind, cells re-aggregated without failed runs, and the exploits that touch a cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sphinxcontrib_cab.snapshot.aggregate import ALL_RUNS_FAILED, cells_without_failures
from sphinxcontrib_cab.snapshot.export import csv_bytes, json_bytes
from sphinxcontrib_cab.snapshot.failures import (
    FAILURE_KINDS,
    ExploitMark,
    exploit_marks,
    failure_badge,
    failure_details,
)
from sphinxcontrib_cab.snapshot.load import load_snapshot
from sphinxcontrib_cab.snapshot.metrics import DEFINITIONS, METRICS
from sphinxcontrib_cab.snapshot.paths import SourcePaths
from sphinxcontrib_cab.snapshot.vocabulary import FAILURES

if TYPE_CHECKING:
    from sphinxcontrib_cab.snapshot.model import Snapshot

REAL = Path(__file__).parent.parent / "snapshots" / "real"


@pytest.fixture(scope="module")
def real() -> Snapshot:
    return load_snapshot(SourcePaths.under(REAL))


def position(snapshot: Snapshot, tui: str, task: str = "polyglot/python-two-sum") -> int:
    (found,) = [i for i, c in enumerate(snapshot.cells) if (c.key.tui, c.key.task) == (tui, task)]
    return found


def test_every_failure_kind_of_the_contract_has_a_label_and_meaning() -> None:
    assert tuple(FAILURE_KINDS) == FAILURES
    assert [kind.label for kind in FAILURE_KINDS.values()] == [
        "rate limit",
        "handshake",
        "timeout",
    ]


@pytest.mark.parametrize(
    ("tui", "task", "badge", "details"),
    [
        (
            "qwen-code",
            "polyglot/python-two-sum",
            "1 of 2 runs: rate limit",
            ("run 1, rate limit: HTTP 429 from the model endpoint after 5 retries",),
        ),
        (
            "goose",
            "polyglot/python-two-sum",
            "2 of 2 runs: timeout",
            (
                "run 1, timeout: adapter timed out after 630s (outer guard)",
                "run 2, timeout: ConnectionError: HTTPConnectionPool(host='nim', port=443): "
                "Read timed out.",
            ),
        ),
        (
            "plandex",
            "integrity/unsolvable-refusal",
            "1 of 1 run: handshake",
            ("run 1, handshake: model incompatible with this TUI",),
        ),
        ("aider", "polyglot/python-two-sum", "", ()),
    ],
)
def test_badge_and_details_say_how_many_runs_failed_and_why(
    real: Snapshot, tui: str, task: str, badge: str, details: tuple[str, ...]
) -> None:
    cell = real.cells[position(real, tui, task)]
    assert failure_badge(cell.failures, len(cell.runs), left_out=False) == badge
    assert failure_details(real, cell) == details


def test_a_failed_run_counts_with_the_score_it_recorded(real: Snapshot) -> None:
    crush = real.cells[position(real, "crush")]
    (run,) = crush.runs
    assert real.runs.score(run, "composite") == 0.552
    assert METRICS["headline"].format(crush.headline) == "0.552 (one run)"
    assert "kept as recorded and count in every mean" in DEFINITIONS["failed"]


def test_excluding_failures_recomputes_means_and_keeps_every_cell(real: Snapshot) -> None:
    excluded = cells_without_failures(real)
    assert excluded is cells_without_failures(real)  # a view, made once
    assert [c.key for c in excluded] == [c.key for c in real.cells]
    qwen = excluded[position(real, "qwen-code")]
    assert len(qwen.runs) == 1
    assert METRICS["headline"].format(qwen.headline) == "0.949 (one run)"
    assert failure_badge(qwen.failures, len(qwen.runs) + 1, left_out=True) == (
        "1 of 2 runs left out: rate limit"
    )
    goose = excluded[position(real, "goose")]
    assert goose.runs == ()
    assert METRICS["headline"].format(goose.headline) == f"n/a ({ALL_RUNS_FAILED})"
    assert METRICS["ships"].format(goose.ships) == "n/a (every run failed)"
    aider = position(real, "aider")
    assert excluded[aider] is real.cells[aider]  # no failure: the same cell


def test_live_and_patched_exploits_mark_the_cells_they_name(real: Snapshot) -> None:
    marks = exploit_marks(real)
    assert marks == {
        position(real, "opencode"): (ExploitMark("CAB-X-101", True, None, 2, 2),),
        position(real, "codex", "integrity/unsolvable-refusal"): (
            ExploitMark("CAB-X-102", False, dt.date(2026, 6, 1), 2, 2),
        ),
    }
    assert [mark.text for marks_of in marks.values() for mark in marks_of] == [
        "live exploit CAB-X-101",
        "recorded before exploit CAB-X-102 was patched on 2026-06-01",
    ]


def test_downloads_keep_value_not_applicable_and_not_recorded_apart(real: Snapshot) -> None:
    document = json.loads(json_bytes(real))
    header = document["columns"]
    aider = dict(zip(header, document["rows"][position(real, "aider")], strict=True))
    goose = dict(zip(header, document["rows"][position(real, "goose")], strict=True))
    assert (aider["refusal_mean"], aider["refusal_low"], aider["refusal_high"]) == (
        "n/a",
        None,
        None,
    )
    assert (aider["stays_mean"], aider["tokens_mean"]) == ("n/a", 5230.0)
    assert (goose["tokens_mean"], goose["tokens_low"], goose["tokens_high"]) == (None, None, None)
    assert (goose["runs"], goose["failed_runs"], goose["headline_mean"]) == (2, 2, 0.5)
    assert set(document["receipt"]["marks"]) == {"null", "n/a"}
    assert document["receipt"]["failed_runs"].startswith("include: failed runs are scored as")
    table = list(csv.DictReader(io.StringIO(csv_bytes(real).decode("utf-8"))))
    aider_row, goose_row = table[position(real, "aider")], table[position(real, "goose")]
    assert (aider_row["refusal_mean"], goose_row["tokens_mean"]) == ("n/a", "")
