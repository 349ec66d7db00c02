"""Number formats: how a count, a number and an estimate read on every page, role and table."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .keys import MISSING_MARK

if TYPE_CHECKING:
    from .model import Estimate


def format_count(count: int) -> str:
    """An integer with thousands separators: ``3465`` -> ``"3,465"``."""
    return f"{count:,}"


def format_number(value: float, digits: int = 2) -> str:
    """A float with ``digits`` decimals and thousands separators; never ``-0.00``."""
    if math.isnan(value):
        return MISSING_MARK
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]
    return text


def format_estimate(estimate: Estimate | None, digits: int = 2) -> str:
    """``"0.95 [0.90, 0.99]"`` (mean and 95% interval), just the mean when there is no interval,
    or the missing mark when nothing was recorded."""
    if estimate is None:
        return MISSING_MARK
    mean = format_number(estimate.mean, digits)
    if estimate.low is None or estimate.high is None:
        return mean
    return f"{mean} [{format_number(estimate.low, digits)}, {format_number(estimate.high, digits)}]"
