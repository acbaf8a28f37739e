"""Axis ranges and ticks computed from the numbers a plot must show."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

MIN_SPAN = 1.0  # the narrowest range an axis shows


def nice_step(span: float, max_ticks: int = 6) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that gives at most `max_ticks` ticks."""
    raw = span / max(max_ticks - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= raw)


def nice_range(values: Iterable[float], pad: float = 0.08, max_ticks: int = 6,
               include_zero: bool = True, min_span: float = MIN_SPAN) -> tuple[float, float, float]:
    """(low, high, step): a padded range over `values` whose ends fall on ticks, at least
    `min_span` wide (a nearly constant curve is drawn flat, not magnified into noise)."""
    array = np.asarray(list(values), dtype=float)
    lo, hi = float(array.min()), float(array.max())
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < min_span:
        if include_zero and lo == 0:
            hi = min_span
        elif include_zero and hi == 0:
            lo = -min_span
        else:
            middle = (lo + hi) / 2
            lo, hi = middle - min_span / 2, middle + min_span / 2
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


def bounds(mobject) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a mobject's bounding box."""
    return (mobject.get_left()[0], mobject.get_bottom()[1], mobject.get_right()[0], mobject.get_top()[1])


def collisions(mobjects: Sequence, margin: float = 0.0) -> list[tuple[int, int]]:
    """Index pairs of mobjects whose bounding boxes, grown by `margin`, overlap."""
    boxes = [bounds(mob) for mob in mobjects]
    found = []
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            (l1, b1, r1, t1), (l2, b2, r2, t2) = boxes[a], boxes[b]
            if l1 < r2 + margin and l2 < r1 + margin and b1 < t2 + margin and b2 < t1 + margin:
                found.append((a, b))
    return found


MAX_HIDDEN_LAYERS = 3
MAX_NODES = 6  # per hidden layer: more would not stay legible at 480p


def check_drawable(network) -> None:
    """ValueError naming the field and the limit if the film cannot draw `network` legibly."""
    if len(network.inputs) != 1 or len(network.outputs) != 1:
        field = "inputs" if len(network.inputs) != 1 else "outputs"
        count = len(getattr(network, field))
        raise ValueError(f"{field}: the film draws networks with exactly one input and one output; "
                         f"this one has {count} {field}")
    hidden = len(network.layers) - 1
    if not 1 <= hidden <= MAX_HIDDEN_LAYERS:
        raise ValueError(f"layers: {hidden} hidden layer(s); the film draws 1 to {MAX_HIDDEN_LAYERS} "
                         "(plus the output layer)")
    for k, layer in enumerate(network.layers[:-1]):
        if layer.size > MAX_NODES:
            raise ValueError(f"layers[{k}]: {layer.size} nodes; the film draws at most {MAX_NODES} "
                             "per hidden layer")
