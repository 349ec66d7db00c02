"""The benchmark's verdicts (bench/run.py, bench/report.py): per-round ratios and their spread."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import report
        import run

        yield run, report
    finally:
        sys.path.remove(str(BENCH))


def _series(run, walls: list[float], inner: list[float] | None = None):  # type: ignore[no-untyped-def]
    series = run.Series()
    for number, wall in enumerate(walls):
        seconds = inner[number] if inner else wall
        series.add(run.Sample(wall=wall, result={"seconds": seconds}, peak_rss=0, cpu=wall))
    return series


def test_round_ratios_pair_the_samples_of_each_round(bench) -> None:  # type: ignore[no-untyped-def]
    run, _ = bench
    cab = _series(run, [3.0, 2.6, 4.0], inner=[1.5, 1.0, 2.0])
    bare = _series(run, [2.0, 2.0, 2.0], inner=[1.0, 1.0, 0.5])
    assert run.round_ratios(cab, bare) == pytest.approx([1.5, 1.3, 2.0])
    assert run.round_ratios(cab, bare, inner="seconds") == pytest.approx([1.5, 1.0, 4.0])
    with pytest.raises(ValueError):
        run.round_ratios(cab, _series(run, [1.0, 1.0]))


def test_a_verdict_is_settled_only_when_the_middle_half_of_the_rounds_agrees(bench) -> None:  # type: ignore[no-untyped-def]
    run, _ = bench
    rounds = (1.2, 1.25, 1.35, 1.4, 1.5)
    inside = run.Target("t", "text", 1.35, 1.3, rounds=rounds)
    assert inside.spread == pytest.approx((1.25, 1.4))
    assert inside.met is False
    assert inside.settled is False
    assert run.Target("t", "text", 1.35, 1.1, rounds=rounds).settled is True
    assert run.Target("t", "text", 1.35, 1.6, rounds=rounds).settled is True
    # the medians of the two series can meet a goal that most rounds miss
    against_the_rounds = run.Target("t", "text", 1.29, 1.3, rounds=(1.3, 1.31, 1.4, 1.46, 1.5))
    assert against_the_rounds.met is True
    assert against_the_rounds.settled is False
    higher_is_better = run.Target("t", "text", 5.3, 5.0, higher_is_better=True, rounds=(5.1, 5.2))
    assert higher_is_better.met is True
    assert higher_is_better.settled is True
    straddling = run.Target("t", "text", 4.95, 5.0, higher_is_better=True, rounds=(4.8, 4.9, 5.2))
    assert straddling.met is False
    assert straddling.settled is False
    assert run.Target("t", "text", 0.5, 1.0, unit="GiB").settled is None
    assert run.Target("t", "text", 1.0, 1.1, rounds=(1.0,)).spread is None


def test_the_targets_table_shows_the_spread_and_the_unsettled_mark(bench) -> None:  # type: ignore[no-untyped-def]
    run, report = bench
    targets = [
        run.Target("a", "ratio near its goal", 1.05, 1.1, rounds=(0.98, 1.03, 1.12, 1.15)),
        run.Target("b", "ratio far from its goal", 1.4, 1.3, rounds=(1.35, 1.4, 1.45)),
        run.Target("weight_gzip", "a size", 40.0, 300.0, unit="KB"),
    ]
    lines = report._targets({"targets": [t.as_dict() for t in targets]})
    rows = [line for line in lines if line.startswith("| ratio") or line.startswith("| a size")]
    assert rows == [
        "| ratio near its goal | 1.05x | 1.02x to 1.13x | - | <= 1.1x | met, unsettled |",
        "| ratio far from its goal | 1.40x | 1.38x to 1.42x | - | <= 1.3x | **missed** |",
        "| a size | 40.00 KB | - | - | < 300 KB | met |",
    ]
