"""Axis ranges and ticks computed from the numbers a plot must show."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def nice_step(span: float, max_ticks: int = 6) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that gives at most `max_ticks` ticks."""
    raw = span / max(max_ticks - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= raw)


def nice_range(values: Iterable[float], pad: float = 0.08, max_ticks: int = 6,
               include_zero: bool = True) -> tuple[float, float, float]:
    """(low, high, step): a padded range over `values` whose ends fall on ticks."""
    array = np.asarray(list(values), dtype=float)
    lo, hi = float(array.min()), float(array.max())
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    margin = (hi - lo) * pad
    low = lo if lo == 0 else lo - margin  # a range that starts or ends at zero keeps that edge
    high = hi if hi == 0 else hi + margin
    step = nice_step(high - low, max_ticks)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def decimals_for(step: float) -> int:
    """How many decimals a tick label needs to show `step` exactly."""
    for places in range(4):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 4
