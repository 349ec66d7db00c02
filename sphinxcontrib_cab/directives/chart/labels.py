"""Where a frontier chart writes the number of each Pareto member, in both writers (SVG, TikZ).

A member's number goes up and to the left of its point: no point can sit there, since a point
with lower Costs and a higher headline would beat the member and the member would not be on the
frontier. Members come in frontier order (Costs up, headline up), so each label is compared with
the labels before it and lifted above any it would overlap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence


class Label(NamedTuple):
    """A label's right edge and baseline (x right, y up), and its width."""

    right: float
    baseline: float
    width: float


def member_labels(
    points: Sequence[tuple[float, float]], widths: Sequence[float], line: float, gap: float
) -> list[Label]:
    """One :class:`Label` per point (x right, y up; frontier order), ``gap`` up and left of it,
    lifted by whole ``line`` heights until it overlaps no label before it."""
    # a label lifted to exactly one line above another must not count as touching it, though
    # (b + line) - b can come out a hair under line in floating point
    near = line * (1 - 1e-9)
    placed: list[Label] = []
    for (x, y), width in zip(points, widths, strict=True):
        right, baseline = x - gap, y + gap
        while True:
            clashes = [
                other.baseline
                for other in placed
                if right - width < other.right
                and other.right - other.width < right
                and abs(baseline - other.baseline) < near
            ]
            if not clashes:
                break
            baseline = max(clashes) + line  # strictly higher each time, so this ends
        placed.append(Label(right, baseline, width))
    return placed
