"""Number formats: how a count, a number and an estimate read on every page, role and table."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .keys import MISSING_MARK, NOT_APPLICABLE_MARK

if TYPE_CHECKING:
    from .model import Estimate


def format_count(count: int) -> str:
    """An integer with thousands separators: ``3465`` -> ``"3,465"``."""
    return f"{count:,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun: ``"1 task"``, ``"3,465 rows"``, ``"2 categories"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{format_count(count)} {word}"


def format_number(value: float, digits: int = 2) -> str:
    """A float with ``digits`` decimals and thousands separators; never ``-0.00``."""
    if math.isnan(value):
        return MISSING_MARK
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]
    return text


def format_estimate(
    estimate: Estimate | None, digits: int = 3, *, interval: bool = True, unit: str = "run"
) -> str:
    """The one text of an estimate: ``"0.950 [0.900, 0.990]"`` (mean and 95% interval).

    Without an interval it says why: ``"0.500 (one run)"`` or ``"1.000 (no spread in 3 runs)"``
    (``unit`` names what ``n`` counts); just the mean when the metric has no interval at all
    (``interval=False``). The not-recorded mark for ``None``; the not-applicable mark for a gap,
    with its reason when it has one: ``"n/a (one run)"``.
    """
    if estimate is None:
        return MISSING_MARK
    if estimate.gap is not None:
        return f"{NOT_APPLICABLE_MARK} ({estimate.gap})" if estimate.gap else NOT_APPLICABLE_MARK
    mean = format_number(estimate.mean, digits)
    if estimate.low is None or estimate.high is None:
        if not interval:
            return mean
        if estimate.n == 1:
            return f"{mean} (one {unit})"
        return f"{mean} (no spread in {estimate.n} {unit}s)"
    return f"{mean} [{format_number(estimate.low, digits)}, {format_number(estimate.high, digits)}]"


def format_change(value: float | None, digits: int = 3) -> str:
    """A signed difference: ``"+0.012"``, ``"-1.5"``, ``"0.000"`` when it rounds to nothing;
    the not-recorded mark for ``None``."""
    if value is None or math.isnan(value):
        return MISSING_MARK
    text = format_number(value, digits)
    if text.startswith("-") or not text.strip("0.,"):
        return text
    return f"+{text}"
