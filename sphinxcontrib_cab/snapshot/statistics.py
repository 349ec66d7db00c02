"""The estimators behind every interval: the Wilson score interval for proportions (pass,
refusal, integrity) and the Student-t interval of a mean for continuous axes, clipped to a range.

A Student-t interval needs two values with some spread: one value, or values that are all equal,
give an estimate without an interval (the data cannot say how wide it is), never a zero-width one.

Tables, roles and downloads read these through :mod:`.metrics`, which names the estimator of each
metric; nothing else computes an interval.
"""

from __future__ import annotations

import bisect
import math
from typing import TYPE_CHECKING

from .model import NOT_APPLICABLE, NOT_APPLICABLE_CODE, Estimate

if TYPE_CHECKING:
    from collections.abc import Sequence

T_975: dict[int, float] = {
    1: 12.706204736174698,
    2: 4.302652729911275,
    3: 3.182446305284263,
    4: 2.7764451051977987,
    5: 2.570581835636314,
    6: 2.4469118511449692,
    7: 2.3646242515927844,
    8: 2.306004135204166,
    9: 2.2621571628540993,
    10: 2.2281388519649385,
    11: 2.200985160082949,
    12: 2.1788128296634177,
    13: 2.1603686564610127,
    14: 2.1447866879169273,
    15: 2.131449545559323,
    16: 2.1199052992210112,
    17: 2.1098155778331806,
    18: 2.10092204024096,
    19: 2.093024054408263,
    20: 2.0859634472658364,
    21: 2.079613844727662,
    22: 2.0738730679040147,
    23: 2.0686576104190406,
    24: 2.063898561628021,
    25: 2.0595385527532946,
    26: 2.055529438642871,
    27: 2.0518305164802833,
    28: 2.048407141795244,
    29: 2.045229642132703,
    30: 2.0422724563012373,
}
"""The 0.975 quantile of Student's t distribution by degrees of freedom (1 to 30).

Values as printed by ``scipy.stats.t.ppf(0.975, df)``; the test suite re-derives each one by
integrating the t density, so a wrong digit fails a test.
"""

NORMAL_975 = 1.959963984540054
"""The 0.975 quantile of the standard normal distribution, used beyond 30 degrees of freedom."""

AXIS_RANGES: dict[str, tuple[float, float]] = {
    "pass": (0.0, 1.0),
    "blast_radius": (0.0, 1.0),
    "wall_s": (0.0, math.inf),
    "refusal": (0.0, 1.0),
    "integrity": (0.0, 1.0),
    "tokens": (0.0, math.inf),
    "composite": (0.0, 1.0),
}
"""The possible range of each axis; intervals are clipped to it."""

PROPORTION_AXES: frozenset[str] = frozenset({"pass", "refusal", "integrity"})
"""Axes whose values are shares of runs (0 or 1; a partial refusal 0.5): Wilson intervals.
The other axes are continuous: Student-t intervals."""

STAYS_MIN_RUNS = 2
"""Stays compares reruns, so a cell needs this many runs to have one."""

_T_2 = T_975[2]


def t_quantile(degrees_of_freedom: int) -> float:
    """t(0.975, df): from :data:`T_975`, or the normal quantile beyond 30 degrees of freedom."""
    if degrees_of_freedom < 1:
        raise ValueError("a t interval needs at least one degree of freedom")
    return T_975.get(degrees_of_freedom, NORMAL_975)


def estimate(
    values: Sequence[float], low_bound: float = -math.inf, high_bound: float = math.inf
) -> Estimate | None:
    """Mean with a 95% Student-t interval clipped to ``[low_bound, high_bound]``.

    ``None`` for no values; an interval of ``None`` for a single value.
    """
    return estimate_from_total(values, sum(values), low_bound, high_bound)


def estimate_from_total(
    values: Sequence[float], total: float, low_bound: float, high_bound: float
) -> Estimate | None:
    n = len(values)
    if n == 0:
        return None
    mean = total / n
    if n == 1 or max(values) == min(values):
        return Estimate(mean, None, None, n)
    if n == 3:  # the usual cell: spelled out because it runs once per axis of every cell
        first, second, third = values
        deviation_1 = first - mean
        deviation_2 = second - mean
        deviation_3 = third - mean
        squares = deviation_1 * deviation_1 + deviation_2 * deviation_2 + deviation_3 * deviation_3
        half_width = _T_2 * math.sqrt(squares / 6.0)  # variance / n = squares / (n - 1) / n
    else:
        squares = sum([(v - mean) * (v - mean) for v in values])
        half_width = t_quantile(n - 1) * math.sqrt(squares / (n - 1) / n)
    low = mean - half_width
    high = mean + half_width
    return Estimate(
        mean,
        low if low > low_bound else low_bound,
        high if high < high_bound else high_bound,
        n,
    )


def axis_estimate(axis: str, values: Sequence[float]) -> Estimate | None:
    """:func:`estimate` (Student-t) over values of one axis, clipped to the axis range."""
    low, high = AXIS_RANGES[axis]
    return estimate(values, low, high)


def proportion(values: Sequence[float]) -> Estimate | None:
    """The share of ``values`` (each between 0 and 1) with its 95% Wilson interval; ``None`` for
    no values. A value of 0.5 (a partial refusal) counts as half a success."""
    n = len(values)
    if n == 0:
        return None
    total = sum(values)
    low, high = wilson(total, n)
    return Estimate(total / n, low, high, n)


def axis_estimate_of_recorded(axis: str, recorded: Sequence[float]) -> Estimate | None:
    """The estimate of one cell's ``axis`` from its runs' values as stored (NaN = not recorded;
    for refusal :data:`.model.NOT_APPLICABLE_CODE` = not applicable): Wilson for a proportion
    axis, Student-t otherwise; :data:`.model.NOT_APPLICABLE` when every recorded value is "n/a"."""
    kept = [v for v in recorded if v == v and v != NOT_APPLICABLE_CODE]
    if not kept and axis == "refusal" and NOT_APPLICABLE_CODE in recorded:
        return NOT_APPLICABLE
    if axis in PROPORTION_AXES:
        return proportion(kept)
    low, high = AXIS_RANGES[axis]
    return estimate_from_total(kept, sum(kept), low, high)


def stays(pass_values: Sequence[float]) -> Estimate | None:
    """Share of reruns agreeing with the majority pass outcome (see ``DEFINITIONS["stays"]``);
    a gap ("one run") below :data:`STAYS_MIN_RUNS` runs, ``None`` when no run recorded a pass."""
    n = len(pass_values)
    if n == 0:
        return None
    if n < STAYS_MIN_RUNS:
        return Estimate(math.nan, None, None, n, "one run")
    passed = sum(1 for v in pass_values if v >= 0.5)
    return Estimate(mean=max(passed, n - passed) / n, low=None, high=None, n=n)


def estimates_of_three(
    values: list[tuple[float, ...]], totals: list[float], low_bound: float, high_bound: float
) -> list[Estimate | None]:
    """:func:`_estimate` of many three-value tuples, with the very same arithmetic.

    Entries whose tuple is not three values long come out wrong and must be recomputed.
    """
    found: list[Estimate | None] = []
    append = found.append
    sqrt = math.sqrt
    t_2 = _T_2
    for cell_values, total in zip(values, totals, strict=True):
        if len(cell_values) != 3:
            append(None)
            continue
        first, second, third = cell_values
        mean = total / 3
        if first == second == third:
            append(Estimate(mean, None, None, 3))
            continue
        deviation_1 = first - mean
        deviation_2 = second - mean
        deviation_3 = third - mean
        squares = deviation_1 * deviation_1 + deviation_2 * deviation_2 + deviation_3 * deviation_3
        half_width = t_2 * sqrt(squares / 6.0)
        low = mean - half_width
        high = mean + half_width
        append(
            Estimate(
                mean,
                low if low > low_bound else low_bound,
                high if high < high_bound else high_bound,
                3,
            )
        )
    return found


def wilson(successes: float, n: int, z: float = NORMAL_975) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion: ``successes`` of ``n`` trials.

    It stays inside [0, 1] and never has zero width, so 3 passes of 3 read [0.44, 1] and not
    certainty (Brown, Cai and DasGupta, Statistical Science 2001). ``successes`` may be a sum of
    scores between 0 and 1 (a refusal scored 0.5 counts half).
    """
    if n < 1:
        raise ValueError("a proportion needs at least one trial")
    share = successes / n
    z2 = z * z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def upper_bound_ranks(intervals: Sequence[tuple[float, float] | None]) -> list[int | None]:
    """Each row's rank under uncertainty: 1 + the number of rows whose interval lies wholly
    above its own (their low end above its high end). Rows whose intervals overlap share a rank;
    a row without an interval has none."""
    lows = sorted(low for low, _ in filter(None, intervals))
    return [
        None if interval is None else 1 + len(lows) - bisect.bisect_right(lows, interval[1])
        for interval in intervals
    ]
