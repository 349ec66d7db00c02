"""The benchmark's attribution arithmetic (bench/run.py): its parts add up to the build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def bench_run():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import run

        yield run
    finally:
        sys.path.remove(str(BENCH))


def _sample(seconds: float, gc: float, inside: float, **own: float) -> dict[str, object]:
    parts = dict.fromkeys(("setup", "data", "directives", "post_transforms", "other_handlers"), 0.0)
    parts.update(own)
    return {"seconds": seconds, "cab_own": parts, "gc": gc, "gc_inside_cab": inside}


def test_parts_are_disjoint_and_add_up(bench_run) -> None:  # type: ignore[no-untyped-def]
    sample = _sample(3.0, gc=0.4, inside=0.1, setup=0.05, data=0.25, directives=0.2)
    split = bench_run._split(sample)
    assert split["cab_total"] == pytest.approx(0.5)
    # a collection inside cab's code is counted once, with cab
    assert split["gc_outside_cab"] == pytest.approx(0.3)
    assert split["rest"] == pytest.approx(2.2)
    assert split["cab_total"] + split["gc_outside_cab"] + split["rest"] == pytest.approx(3.0)
    assert split["without_cab_code"] == pytest.approx(2.5)


def test_ratio_without_cab_code_uses_the_bare_total(bench_run) -> None:  # type: ignore[no-untyped-def]
    cab = [_sample(3.0, 0.4, 0.1, data=0.5), _sample(3.2, 0.4, 0.1, data=0.5)]
    bare = [_sample(2.0, 0.2, 0.0), _sample(2.2, 0.2, 0.0)]
    found = bench_run.attribution(cab, bare)
    assert found is not None
    assert found["ratio"] == pytest.approx(3.1 / 2.1)
    assert found["ratio_without_cab_code"] == pytest.approx(2.6 / 2.1)
    assert bench_run.attribution([], bare) is None
