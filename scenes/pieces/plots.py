"""Plots with Pango tick labels: axes, curves from sampled arrays, dots, boxes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, Dot, Line, Polygon, VGroup, VMobject

from nnmath import fmt
from scenes import theme
from scenes.layout import collisions, decimals_for, nice_range

TICK_LENGTH = 0.08
TICK_LABEL_GAP = 0.1


class Plot(VGroup):
    """A framed plot: left and bottom axis lines at the range's edges, labelled ticks, axis names.

    ``x_values`` and ``y_values`` are the numbers the plot must show; the ranges, with padding
    and tick steps, are computed from them. A dashed line marks y = 0 when it lies inside.
    """

    def __init__(self, x_values: Sequence[float], y_values: Sequence[float], *,
                 width: float, height: float, x_name: str = "", y_name: str = "",
                 x_pad: float = 0.0, y_pad: float = 0.08, max_ticks: int = 6,
                 tick_size: float = theme.SMALL_SIZE, name_size: float = theme.LABEL_SIZE) -> None:
        super().__init__()
        x_lo, x_hi, x_step = nice_range(x_values, pad=x_pad, max_ticks=max_ticks, include_zero=False)
        y_lo, y_hi, y_step = nice_range(y_values, pad=y_pad, max_ticks=max_ticks)
        self.x_range, self.y_range = (x_lo, x_hi), (y_lo, y_hi)
        self._basis = (np.array([-width / 2, -height / 2, 0.0]), RIGHT * width, UP * height)
        line = {"stroke_color": theme.SOFT_INK, "stroke_width": 2}
        self.frame = VGroup(Line(self.c2p(x_lo, y_lo), self.c2p(x_hi, y_lo), **line),
                            Line(self.c2p(x_lo, y_lo), self.c2p(x_lo, y_hi), **line))
        if y_lo < 0 < y_hi:
            self.frame.add(DashedLine(self.c2p(x_lo, 0), self.c2p(x_hi, 0), dash_length=0.08,
                                      stroke_color=theme.GREY, stroke_width=1.5))
        self.ticks = VGroup()
        x_ticks = np.arange(x_lo, x_hi + x_step / 2, x_step)
        x_labels = [theme.text(fmt(value, decimals_for(x_step)), tick_size, theme.SOFT_INK)
                    .next_to(self.c2p(value, y_lo), DOWN, buff=0.14) for value in x_ticks]
        every = 1  # long labels on a short axis: label every second (fourth...) tick
        while collisions(x_labels[::every], margin=TICK_LABEL_GAP) and every < len(x_labels):
            every *= 2
        for value in x_ticks:
            self.frame.add(Line(self.c2p(value, y_lo), self.c2p(value, y_lo) + DOWN * TICK_LENGTH, **line))
        self.ticks.add(*x_labels[::every])
        for value in np.arange(y_lo, y_hi + y_step / 2, y_step):
            self.frame.add(Line(self.c2p(x_lo, value), self.c2p(x_lo, value) + LEFT * TICK_LENGTH, **line))
            label = theme.text(fmt(value, decimals_for(y_step)), tick_size, theme.SOFT_INK)
            self.ticks.add(label.next_to(self.c2p(x_lo, value), LEFT, buff=0.14))
        self.names = VGroup()
        if x_name:
            self.names.add(theme.text(x_name, name_size).next_to(self.ticks, DOWN, buff=0.1)
                           .set_x(self.c2p((x_lo + x_hi) / 2, y_lo)[0]))
        if y_name:
            self.names.add(theme.text(y_name, name_size).next_to(self.c2p(x_lo, y_hi), UP, buff=0.2)
                           .align_to(self.ticks, LEFT))
        self.add(self.frame, self.ticks, self.names)
        self._basis = None  # from now on, read the frame lines: the plot may move or scale

    def _corner_right_up(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._basis is not None:
            return self._basis
        corner = self.frame[0].get_start()
        return corner, self.frame[0].get_end() - corner, self.frame[1].get_end() - corner

    def c2p(self, x: float, y: float) -> np.ndarray:
        """Scene point of data coordinates (x, y)."""
        return self.points_for(np.array([x]), np.array([y]), clip=False)[0]

    def p2c(self, points: np.ndarray) -> np.ndarray:
        """Data coordinates (n, 2) of scene points (n, 3): the inverse of `points_for`."""
        (x_lo, x_hi), (y_lo, y_hi) = self.x_range, self.y_range
        corner, right, up = self._corner_right_up()
        offsets = np.atleast_2d(points) - corner
        xs = offsets @ right / (right @ right) * (x_hi - x_lo) + x_lo
        ys = offsets @ up / (up @ up) * (y_hi - y_lo) + y_lo
        return np.column_stack([xs, ys])

    def points_for(self, xs: np.ndarray, ys: np.ndarray, clip: bool = True) -> np.ndarray:
        """Scene points for data arrays; `clip` keeps them inside the plot's y range."""
        if clip:
            ys = np.clip(ys, *self.y_range)
        (x_lo, x_hi), (y_lo, y_hi) = self.x_range, self.y_range
        corner, right, up = self._corner_right_up()
        return (corner + np.outer((xs - x_lo) / (x_hi - x_lo), right)
                + np.outer((ys - y_lo) / (y_hi - y_lo), up))

    def curve(self, xs: np.ndarray, ys: np.ndarray, color=theme.INK, width: float = 5) -> VMobject:
        """A polyline through sampled points (dense enough to look smooth); it ends where it
        leaves the plot rather than running along the edge."""
        inside = (ys >= self.y_range[0]) & (ys <= self.y_range[1])
        line = VMobject(stroke_color=color, stroke_width=width)
        line.set_points_as_corners(self.points_for(xs[inside], ys[inside]))
        return line

    def dot(self, x: float, y: float, color=theme.INK, radius: float = 0.09,
            outline=None) -> Dot:
        dot = Dot(self.c2p(x, y), radius=radius, color=color)
        if outline is not None:
            dot.set_stroke(outline, width=3)
        return dot

    def box(self, x_lo: float, x_hi: float, color=theme.USED_PART) -> Polygon:
        """An outline over [x_lo, x_hi] spanning the plot's height."""
        y_lo, y_hi = self.y_range
        corners = [self.c2p(x_lo, y_lo), self.c2p(x_hi, y_lo), self.c2p(x_hi, y_hi), self.c2p(x_lo, y_hi)]
        return Polygon(*corners, color=color, stroke_width=4, fill_color=color, fill_opacity=0.08)
