"""The workbench: diagram on top, activation plot bottom left, input-output plot bottom right.

Every position comes from the network's trace; the methods return mobjects and animations that
chapters sequence into beats.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from manim import (
    RIGHT,
    UL,
    UP,
    Animation,
    AnimationGroup,
    DashedLine,
    Dot,
    Transform,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    VMobject,
)

from nnmath import Network, fmt
from scenes import theme
from scenes.pieces.diagram import NetworkDiagram, ValueBox
from scenes.pieces.plots import Plot

SAMPLES = 400  # points per curve over the input range
DIAGRAM_WIDTH, DIAGRAM_HEIGHT, NODE_SIZE = 11.0, 1.9, 0.55
PLOT_HEIGHT = 2.3
ACTIVATION_WIDTH, OUTPUT_WIDTH = 4.6, 5.6
PLOTS_Y = -1.0  # vertical centre of the two plots' frames
ACTIVATION_X, OUTPUT_X = -3.9, 3.5
WIDE_X, WIDE_SCALE = 0.4, 1.2  # the output plot alone, once no activation plot is needed
CURVE_WIDTH = 5
PATH_WIDTH = 5
DOT_RADIUS = 0.1
MARK_LABEL_OFFSET = 0.45  # an x-axis value sits just right of its dashed mark


class Bench:
    """The shared stage of the path chapters, for a network with one input and one output."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.xs = np.linspace(*network.input_range, SAMPLES)
        self.trace = network.trace(self.xs)
        self.hidden = self.trace.layers[0]
        self.output = self.trace.layers[-1]
        self.diagram = NetworkDiagram(network, DIAGRAM_WIDTH, DIAGRAM_HEIGHT, NODE_SIZE)
        self.diagram.to_edge(UP, buff=0.4)

    # --- numbers, straight from the trace -------------------------------------------------
    def at(self, dosage: float):
        """The network's full trace at one input value."""
        return self.network.trace(np.array([dosage]))

    def node_values(self, node: int) -> np.ndarray:
        return self.hidden.post[:, node]

    def scaled_values(self, node: int) -> np.ndarray:
        return self.output.contributions[:, 0, node]

    def color(self, node: int):
        return theme.NODE_PALETTE[node % len(theme.NODE_PALETTE)]

    def first_dot_color(self, node: int):
        return theme.FIRST_DOT[node % len(theme.FIRST_DOT)]

    # --- plots -------------------------------------------------------------------------------
    @cached_property
    def output_plot(self) -> Plot:
        values = [self.hidden.post.ravel(), self.output.contributions.ravel(),
                  self.output.sums.ravel(), self.output.pre.ravel(), self.output.post.ravel()]
        if self.network.data is not None:
            values.append(self.network.data.targets.ravel())
        plot = Plot(self.network.input_range, np.concatenate(values), width=OUTPUT_WIDTH,
                    height=PLOT_HEIGHT, x_name=self.network.inputs[0], y_name=self.network.outputs[0])
        return plot.shift([OUTPUT_X, PLOTS_Y, 0] - plot.frame[0].get_start()
                          + [-OUTPUT_WIDTH / 2, -PLOT_HEIGHT / 2, 0])

    @staticmethod
    def _to_wide(group: VGroup) -> VGroup:
        """Scale `group` (its first member the output plot) and centre the plot's x-axis."""
        axis = group[0].frame[0]
        group.scale(WIDE_SCALE, about_point=axis.get_start())
        return group.shift(RIGHT * (WIDE_X - axis.get_center()[0]))

    def widen(self, *drawn: VMobject) -> Animation:
        """Move the output plot, and what is drawn on it, to the middle, a little larger."""
        group = VGroup(self.output_plot, *drawn)
        return Transform(group, self._to_wide(group.copy()))

    def place_wide(self) -> None:
        """Put the output plot where `widen` takes it, at once (before anything is drawn on it)."""
        self._to_wide(VGroup(self.output_plot))

    def activation_plot(self, node: int) -> Plot:
        """The node's activation over the stretch of x it uses, with room on both sides."""
        lo, hi = self.network.used_interval(0, node)
        layer = self.network.layers[0]
        used = np.linspace(lo, hi, SAMPLES)
        plot = Plot(used, layer.apply(used), width=ACTIVATION_WIDTH, height=PLOT_HEIGHT,
                    x_name="x", y_name=f"{layer.activation}(x)", x_pad=0.1)
        xs = np.linspace(*plot.x_range, SAMPLES)
        plot.shift([ACTIVATION_X, PLOTS_Y, 0] - plot.frame[0].get_start()
                   + [-ACTIVATION_WIDTH / 2, -PLOT_HEIGHT / 2, 0])
        plot.curve_mob = plot.curve(xs, layer.apply(xs), theme.GREY, CURVE_WIDTH)
        plot.add(plot.curve_mob)
        return plot

    def node_curve(self, node: int, scaled: bool = False) -> VMobject:
        values = self.scaled_values(node) if scaled else self.node_values(node)
        return self.output_plot.curve(self.xs, values, self.color(node), CURVE_WIDTH)

    def sum_curve(self, shifted: bool = False) -> VMobject:
        values = self.output.post[:, 0] if shifted else self.output.sums[:, 0]
        return self.output_plot.curve(self.xs, values, theme.SUM_COLOR, CURVE_WIDTH + 1)

    def data_dots(self) -> VGroup:
        data = self.network.data
        if data is None:
            return VGroup()
        return VGroup(*[self.output_plot.dot(x, y, theme.YELLOW, outline=theme.DARK_ORANGE)
                        for x, y in zip(data.inputs[:, 0], data.targets[:, 0])])

    # --- diagram emphasis ----------------------------------------------------------------------
    def highlight_path(self, node: int) -> Animation:
        return AnimationGroup(*[edge.animate.set_stroke(self.color(node), width=PATH_WIDTH)
                                for edge in self.diagram.path_edges(node)])

    def color_paths(self, diagram: NetworkDiagram, nodes: range) -> NetworkDiagram:
        """Colour finished paths at once, as the chapters before left them."""
        for node in nodes:
            diagram.color_path(node, self.color(node), PATH_WIDTH)
        return diagram

    def all_paths(self) -> range:
        return range(self.network.layers[0].size)

    # --- beats: one input value through one node -----------------------------------------------
    def point(self, plot: Plot, node: int, dosage: float, fill) -> tuple[VGroup, VGroup, Dot]:
        """Mobjects for one input: the x-axis mark with its value, the activation dot (filled with
        `fill`) with its value, and the matching dot on the output plot. Text takes the path's
        colour, which stays readable on the light background whatever the dot's fill."""
        color = self.color(node)
        step = self.at(dosage).layers[0]
        x, y = step.pre[0, node], step.post[0, node]
        foot = plot.c2p(x, plot.y_range[0])
        mark = VGroup(DashedLine(foot, plot.c2p(x, y), dash_length=0.06, stroke_color=color),
                      theme.text(fmt(x), theme.LABEL_SIZE, color).next_to(foot, UP, buff=0.1)
                      .shift(RIGHT * MARK_LABEL_OFFSET))
        dot = plot.dot(x, y, fill, DOT_RADIUS, outline=theme.INK)
        height = VGroup(dot, theme.text(fmt(y), theme.LABEL_SIZE, color).next_to(dot, UL, buff=0.05))
        copy = self.output_plot.dot(dosage, y, fill, DOT_RADIUS, outline=theme.INK)
        return mark, height, copy

    def value_label(self, dot: Dot, value: float, color, direction=RIGHT) -> VGroup:
        return theme.text(fmt(value), theme.LABEL_SIZE, color).next_to(dot, direction, buff=0.1)

    def sweep(self, plot: Plot, node: int) -> tuple[Animation, VMobject, VGroup]:
        """One tracker drives a dot on the activation plot, a dot on the output plot and the input
        readout, while the node's curve is traced behind the output dot."""
        color = self.color(node)
        lo, hi = self.network.input_range
        tracker = ValueTracker(lo)
        values = self.node_values(node)
        pre = self.hidden.pre[:, node]

        def trail_points(t: float) -> np.ndarray:
            upto = max(int(np.searchsorted(self.xs, t, side="right")), 2)
            return self.output_plot.points_for(self.xs[:upto], values[:upto])

        trail = VMobject(stroke_color=color, stroke_width=CURVE_WIDTH)
        trail.set_points_as_corners(trail_points(lo))
        on_activation = plot.dot(pre[0], values[0], color, DOT_RADIUS, outline=theme.INK)
        on_output = self.output_plot.dot(lo, values[0], color, DOT_RADIUS, outline=theme.INK)
        readout = self.input_readout(lo)

        def update(_: Animation, alpha: float) -> None:
            t = lo + (hi - lo) * alpha
            tracker.set_value(t)
            step = self.at(t).layers[0]
            on_activation.move_to(plot.c2p(step.pre[0, node], step.post[0, node]))
            on_output.move_to(self.output_plot.c2p(t, step.post[0, node]))
            trail.set_points_as_corners(trail_points(t))
            readout.become(self.input_readout(t))

        movers = VGroup(on_activation, on_output, readout)
        return UpdateFromAlphaFunc(VGroup(trail, movers), update), trail, movers

    def input_readout(self, value: float) -> ValueBox:
        box = ValueBox(fmt(value), theme.LABEL_SIZE)
        return box.next_to(self.diagram.node(0, 0), UP, buff=0.12)

    def used_box(self, plot: Plot, node: int) -> VGroup:
        lo, hi = self.network.used_interval(0, node)
        box = plot.box(lo, hi)
        ends = VGroup(*[theme.text(fmt(v), theme.SMALL_SIZE, theme.USED_PART)
                        .next_to(plot.c2p(v, plot.y_range[1]), UP, buff=0.08) for v in (lo, hi)])
        return VGroup(box, ends)

    def scale(self, node: int, curve: VMobject, marker: Dot, label: VGroup) -> Animation:
        """Stretch the node's curve through zero by its outgoing weight, continuously: every height
        is multiplied by a factor that runs from 1 to the weight. `marker` rides on the first point."""
        weight = self.network.layers[-1].weights[0, node]
        values = self.node_values(node)
        first = self.xs[0]

        def update(_: Animation, alpha: float) -> None:
            factor = 1 + (weight - 1) * alpha
            curve.set_points_as_corners(self.output_plot.points_for(self.xs, values * factor))
            marker.move_to(self.output_plot.c2p(first, values[0] * factor))
            label.next_to(marker, RIGHT, buff=0.1)

        return UpdateFromAlphaFunc(VGroup(curve, marker, label), update)
