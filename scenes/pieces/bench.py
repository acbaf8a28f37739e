"""The workbench: diagram on top, activation plot bottom left, input-output plot bottom right.

Every position comes from the network's trace; the methods return mobjects and animations that
chapters sequence into beats.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from manim import (
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    AnimationGroup,
    DashedLine,
    Dot,
    FadeIn,
    GrowFromCenter,
    Line,
    ReplacementTransform,
    Succession,
    Transform,
    TransformFromCopy,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    VMobject,
    interpolate_color,
)

from nnmath import Network, fmt
from scenes import theme
from scenes.layout import collisions, nice_range
from scenes.pieces.diagram import NetworkDiagram, ValueBox, value_tag
from scenes.pieces.plots import Plot

SAMPLES = 200  # points per curve over the input range
DIAGRAM_WIDTH, DIAGRAM_HEIGHT, NODE_SIZE = 11.0, 1.9, 0.55
PLOT_HEIGHT = 2.3
ACTIVATION_WIDTH, OUTPUT_WIDTH = 4.6, 5.6
PLOTS_Y = -1.0  # vertical centre of the two plots' frames
ACTIVATION_X, OUTPUT_X = -3.9, 3.5
WIDE_X, WIDE_SCALE = 0.4, 1.2  # the output plot alone, once no activation plot is needed
CURVE_WIDTH = 5
PATH_WIDTH = 5
DOT_RADIUS = 0.1
ZOOM_RATIO = 1.8  # zoom the output plot in when the heights that matter fit a range this much narrower
BOX_LABEL_BUFF = 0.08
BAR_WIDTH = 8
BAR_GAP = 0.07  # scene units between the bars stacked at one input
MARK_LABEL_RAISE, MARK_LABEL_BUFF = 0.25, 0.08  # where an x-axis value sits beside its mark


class Bench:
    """The shared stage of the path and assembly chapters, for a network with one input and one
    output. Layers are numbered as in ``network.layers``: 0 is the first hidden layer, `last` the
    output layer."""

    def __init__(self, network: Network, focus: str = "all") -> None:
        """`focus` picks what the output plot's range must hold: "all" (every curve of every
        chapter), "bias" (the output layer's sum, shifted sum and output) or "output"."""
        self.network = network
        self.focus = focus
        self.xs = np.linspace(*network.input_range, SAMPLES)
        self.trace = network.trace(self.xs)
        self.hidden = self.trace.layers[0]
        self.output = self.trace.layers[-1]
        self.last = len(network.layers) - 1
        self.wide = False

    @cached_property
    def diagram(self) -> NetworkDiagram:
        return NetworkDiagram(self.network, DIAGRAM_WIDTH, DIAGRAM_HEIGHT, NODE_SIZE).to_edge(UP, buff=0.4)

    # --- numbers, straight from the trace -------------------------------------------------
    def at(self, dosage: float):
        """The network's full trace at one input value."""
        return self.network.trace(np.array([dosage]))

    def post(self, layer: int, node: int) -> np.ndarray:
        """A node's output over the input range: the node's curve."""
        return self.trace.layers[layer].post[:, node]

    def weighted(self, layer: int, target: int, source: int) -> np.ndarray:
        """The curve of `source` (previous layer) times its weight into `target` of `layer`."""
        return self.trace.layers[layer].contributions[:, target, source]

    def node_values(self, node: int) -> np.ndarray:
        return self.post(0, node)

    def scaled_values(self, node: int) -> np.ndarray:
        """A first-layer node's curve times its weight into the output (one hidden layer)."""
        return self.weighted(1, 0, node)

    def color(self, node: int, layer: int = 0):
        """One palette colour per hidden node, counted across layers; the output is green."""
        if layer == self.last:
            return theme.SUM_COLOR
        before = sum(self.network.layers[k].size for k in range(layer))
        return theme.NODE_PALETTE[(before + node) % len(theme.NODE_PALETTE)]

    def first_dot_color(self, node: int):
        return theme.FIRST_DOT[node % len(theme.FIRST_DOT)]

    # --- plots -------------------------------------------------------------------------------
    @cached_property
    def output_plot(self) -> Plot:
        plot = Plot(self.network.input_range, self.focus_values(self.focus), width=OUTPUT_WIDTH,
                    height=PLOT_HEIGHT, x_name=self.network.inputs[0], y_name=self.network.outputs[0])
        return plot.shift([OUTPUT_X, PLOTS_Y, 0] - plot.frame[0].get_start()
                          + [-OUTPUT_WIDTH / 2, -PLOT_HEIGHT / 2, 0])

    def focus_values(self, focus: str) -> np.ndarray:
        """The heights the output plot must show for a focus (see `__init__`), data included."""
        output = self.trace.layers[-1]
        if focus == "output":
            values = [output.post.ravel()]
        elif focus == "bias":
            values = [output.sums.ravel(), output.pre.ravel(), output.post.ravel()]
        else:
            # Every curve drawn here: each node's output, and the weighted, summed and shifted
            # curves assembled into later layers (the first layer's sums are x-positions).
            values = [step.post.ravel() for step in self.trace.layers]
            values += [array.ravel() for step in self.trace.layers[1:]
                       for array in (step.contributions, step.sums, step.pre)]
        if self.network.data is not None:
            values.append(self.network.data.targets.ravel())
        return np.concatenate(values)

    def worth_zooming(self, focus: str) -> bool:
        """Whether `focus` would make the output plot's range much narrower than it is now."""
        lo, hi = self.output_plot.y_range
        closer_lo, closer_hi, _ = nice_range(self.focus_values(focus))
        return (hi - lo) >= ZOOM_RATIO * (closer_hi - closer_lo)

    def zoom(self, focus: str, drawn: list[tuple[VMobject, np.ndarray]],
             dots: VGroup | None = None) -> tuple[Bench, Animation, list[VMobject], VGroup]:
        """A bench whose output plot holds `focus`, placed like this one's, and the animation that
        turns this plot, each drawn curve (given with its heights) and the data dots into it."""
        other = Bench(self.network, focus)
        other.diagram = self.diagram
        if self.wide:
            other.place_wide()
        curves = [other.curve(values, curve.get_stroke_color(), curve.get_stroke_width())
                  for curve, values in drawn]
        new_dots = other.data_dots() if dots is not None else VGroup()
        moves = [ReplacementTransform(self.output_plot, other.output_plot)]
        moves += [ReplacementTransform(curve, new) for (curve, _), new in zip(drawn, curves)]
        if dots is not None:
            moves.append(ReplacementTransform(dots, new_dots))
        return other, AnimationGroup(*moves), curves, new_dots

    @staticmethod
    def settled_focus(network: Network) -> str:
        """The focus the output plot has once the output is built (the bias chapter zooms in)."""
        bench, focus = Bench(network), "all"
        for closer in ("bias", "output"):
            if bench.worth_zooming(closer):
                bench, focus = Bench(network, closer), closer
        return focus

    @staticmethod
    def _to_wide(group: VGroup) -> VGroup:
        """Scale `group` (its first member the output plot) and centre the plot's x-axis."""
        axis = group[0].frame[0]
        group.scale(WIDE_SCALE, about_point=axis.get_start())
        return group.shift(RIGHT * (WIDE_X - axis.get_center()[0]))

    def widen(self, *drawn: VMobject) -> Animation:
        """Move the output plot, and what is drawn on it, to the middle, a little larger."""
        group = VGroup(self.output_plot, *drawn)
        self.wide = True
        return Transform(group, self._to_wide(group.copy()))

    def place_wide(self) -> None:
        """Put the output plot where `widen` takes it, at once (before anything is drawn on it)."""
        self._to_wide(VGroup(self.output_plot))
        self.wide = True

    def activation_plot(self, node: int, layer_index: int = 0) -> Plot:
        """The node's activation over the stretch of x it uses, with room on both sides."""
        lo, hi = self.network.used_interval(layer_index, node)
        layer = self.network.layers[layer_index]
        used = np.linspace(lo, hi, SAMPLES)
        plot = Plot(used, layer.apply(used), width=ACTIVATION_WIDTH, height=PLOT_HEIGHT,
                    x_name="x", y_name=f"{layer.activation}(x)", x_pad=0.1)
        xs = np.linspace(*plot.x_range, SAMPLES)
        plot.shift([ACTIVATION_X, PLOTS_Y, 0] - plot.frame[0].get_start()
                   + [-ACTIVATION_WIDTH / 2, -PLOT_HEIGHT / 2, 0])
        plot.curve_mob = plot.curve(xs, layer.apply(xs), theme.GREY, CURVE_WIDTH)
        plot.add(plot.curve_mob)
        return plot

    def curve(self, values: np.ndarray, color, width: float = CURVE_WIDTH) -> VMobject:
        return self.output_plot.curve(self.xs, values, color, width)

    def node_curve(self, node: int, scaled: bool = False, layer: int = 0) -> VMobject:
        """A node's curve; `scaled`: times its weight into the next layer's first node."""
        values = self.weighted(layer + 1, 0, node) if scaled else self.post(layer, node)
        return self.curve(values, self.color(node, layer))

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

    def highlight_incoming(self, layer: int, node: int) -> Animation:
        """Colour the connections that feed node `node` of `layer`."""
        return AnimationGroup(*[edge.animate.set_stroke(self.color(node, layer), width=PATH_WIDTH)
                                for edge in self.diagram.incoming(layer + 1, node)])

    # --- beats: one input value through one node -----------------------------------------------
    def point(self, plot: Plot, node: int, dosage: float, fill) -> tuple[VGroup, VGroup, Dot]:
        """Mobjects for one input: the x-axis mark with its value, the activation dot (filled with
        `fill`) with its value, and the matching dot on the output plot. Text takes the path's
        colour, which stays readable on the light background whatever the dot's fill."""
        color = self.color(node)
        step = self.at(dosage).layers[0]
        x, y = step.pre[0, node], step.post[0, node]
        foot = plot.c2p(x, plot.y_range[0])
        value = theme.text(fmt(x), theme.LABEL_SIZE, color)
        # left of the dashed line, just above the axis: below the curve, which rises to the right
        value.next_to(foot + UP * MARK_LABEL_RAISE, LEFT, buff=MARK_LABEL_BUFF)
        mark = VGroup(Dot(foot, radius=DOT_RADIUS / 2, color=color),
                      DashedLine(foot, plot.c2p(x, y), dash_length=0.06, stroke_color=color), value)
        dot = plot.dot(x, y, fill, DOT_RADIUS, outline=theme.INK)
        label = theme.text(fmt(y), theme.LABEL_SIZE, color).next_to(dot, UL, buff=0.05)
        if collisions([label, value]):  # a low dot: its height goes above the x value
            label.next_to(value, UP, buff=MARK_LABEL_BUFF).align_to(value, RIGHT)
        height = VGroup(dot, label)
        copy = self.output_plot.dot(dosage, y, fill, DOT_RADIUS, outline=theme.INK)
        return mark, height, copy

    def value_side(self, node: int) -> np.ndarray:
        """Where a node's value sits beside the first dot of its scaled curve: up and right when the
        curve falls away to the right, so that it passes under the number; right otherwise."""
        first, second = self.scaled_values(node)[:2]
        return UR if second < first else RIGHT

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
        shown = [fmt(lo)]  # the readout is rebuilt only when its text changes

        def update(_: Animation, alpha: float) -> None:
            t = lo + (hi - lo) * alpha
            tracker.set_value(t)
            step = self.at(t).layers[0]
            on_activation.move_to(plot.c2p(step.pre[0, node], step.post[0, node]))
            on_output.move_to(self.output_plot.c2p(t, step.post[0, node]))
            trail.set_points_as_corners(trail_points(t))
            if fmt(t) != shown[0]:
                shown[0] = fmt(t)
                readout.become(self.input_readout(t))

        movers = VGroup(on_activation, on_output, readout)
        return UpdateFromAlphaFunc(VGroup(trail, movers), update), trail, movers

    def input_readout(self, value: float) -> ValueBox:
        box = ValueBox(fmt(value), theme.LABEL_SIZE)
        return box.next_to(self.diagram.node(0, 0), UP, buff=0.12)

    def used_box(self, plot: Plot, node: int, layer: int = 0) -> VGroup:
        """The red box over the part of the activation the node uses, its ends labelled outside."""
        lo, hi = self.network.used_interval(layer, node)
        box = plot.box(lo, hi)
        left, right = (theme.text(fmt(v), theme.SMALL_SIZE, theme.USED_PART) for v in (lo, hi))
        if box.width > left.width + right.width + 2 * BOX_LABEL_BUFF:  # inside, in the top corners
            left.align_to(box, UL).shift([BOX_LABEL_BUFF, -BOX_LABEL_BUFF, 0])
            right.align_to(box, UR).shift([-BOX_LABEL_BUFF, -BOX_LABEL_BUFF, 0])
        else:  # a narrow box: the values stand outside it, on either side
            left.next_to(box, LEFT, buff=BOX_LABEL_BUFF).align_to(box, UP)
            right.next_to(box, RIGHT, buff=BOX_LABEL_BUFF).align_to(box, UP)
        return VGroup(box, VGroup(left, right))

    def morph(self, curve: VMobject, start: np.ndarray, end: np.ndarray, color=None) -> Animation:
        """Move every point of `curve` straight up or down from heights `start` to `end`
        (and its colour to `color`, if given)."""
        first = curve.get_stroke_color()

        def update(mob: VMobject, alpha: float) -> None:
            mob.set_points_as_corners(self.output_plot.points_for(self.xs, start + (end - start) * alpha))
            if color is not None:
                mob.set_stroke(interpolate_color(first, color, alpha))
        return UpdateFromAlphaFunc(curve, update)

    def stack(self, layer: int, target: int, x: float) -> tuple[Animation, VGroup]:
        """At input `x`: a bar per weighted curve into `target` of `layer`, then the bars stacked
        end to end (side by side, so none hides another) and a green dot on top at their sum."""
        plot = self.output_plot
        parts = self.at(x).layers[layer].contributions[0, target]
        bars, stacked, base = VGroup(), VGroup(), 0.0
        for source, value in enumerate(parts):
            beside = RIGHT * BAR_GAP * (source - (len(parts) - 1) / 2)
            style = {"stroke_color": self.color(source, layer - 1), "stroke_width": BAR_WIDTH}
            bars.add(Line(plot.c2p(x, 0) + beside, plot.c2p(x, value) + beside, **style))
            stacked.add(Line(plot.c2p(x, base) + beside, plot.c2p(x, base + value) + beside, **style))
            base += value
        top = plot.dot(x, base, theme.SUM_COLOR, outline=theme.INK)
        animation = Succession(AnimationGroup(*[GrowFromCenter(bar) for bar in bars]),
                               AnimationGroup(*[ReplacementTransform(a, b) for a, b in zip(bars, stacked)]),
                               FadeIn(top, scale=0.5))
        return animation, VGroup(stacked, top)

    def scale_to(self, layer: int, target: int, source: int, curve: VMobject) -> Animation:
        """`source`'s curve (previous layer) stretched by its weight into `target` of `layer`."""
        return self.morph(curve, self.post(layer - 1, source), self.weighted(layer, target, source))

    def shift(self, layer: int, target: int, curve: VMobject) -> Animation:
        """The summed curve moved by the node's bias."""
        step = self.trace.layers[layer]
        return self.morph(curve, step.sums[:, target], step.pre[:, target])

    def bend(self, layer: int, target: int, curve: VMobject) -> Animation:
        """The shifted curve bent by the node's activation into the node's own curve."""
        step = self.trace.layers[layer]
        return self.morph(curve, step.pre[:, target], step.post[:, target], self.color(target, layer))

    def predict(self, diagram: NetworkDiagram, x: float) -> tuple[list[Animation], list[VGroup]]:
        """Input `x` travelling layer by layer: each node's output appears on the node. Returns one
        animation per step (the input, then each layer) and the tags of each step."""
        step = self.at(x)
        columns = [VGroup(value_tag(fmt(x), theme.INK).next_to(diagram.node(0, 0), UP, buff=0.12))]
        for k in range(len(self.network.layers)):
            columns.append(VGroup(*[value_tag(fmt(v), self.color(i, k)).move_to(diagram.node(k + 1, i))
                                    for i, v in enumerate(step.layers[k].post[0])]))
        steps = [FadeIn(columns[0])] + [AnimationGroup(*[TransformFromCopy(before, tag) for tag in after])
                                        for before, after in zip(columns, columns[1:])]
        return steps, columns

    def scale(self, node: int, curve: VMobject, marker: Dot, label: VGroup) -> Animation:
        """Stretch the node's curve through zero by its outgoing weight, continuously: every height
        is multiplied by a factor that runs from 1 to the weight. `marker` rides on the first point."""
        weight = self.network.layers[-1].weights[0, node]
        values = self.node_values(node)
        first, side = self.xs[0], self.value_side(node)

        def update(_: Animation, alpha: float) -> None:
            factor = 1 + (weight - 1) * alpha
            curve.set_points_as_corners(self.output_plot.points_for(self.xs, values * factor))
            marker.move_to(self.output_plot.c2p(first, values[0] * factor))
            label.next_to(marker, side, buff=0.1)

        return UpdateFromAlphaFunc(VGroup(curve, marker, label), update)
