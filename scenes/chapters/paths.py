"""Chapters 6 to 9: each hidden node's path, point by point, then swept, boxed and scaled."""

from __future__ import annotations

from manim import (
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    ReplacementTransform,
    TransformFromCopy,
    VGroup,
)

from nnmath import fmt
from nnmath.display import term
from scenes import theme
from scenes.chapters.base import Chapter
from scenes.pieces.bench import Bench

DIMMED = 0.6  # opacity of finished curves that wait for a later layer
SECOND_POINT = 0.1  # the second example input, as a fraction of the input range (storyboard: dosage 0.1)


class PathChapter(Chapter):
    """A chapter on the bench; `node` is the hidden node whose path it follows."""

    node = 0
    finished_paths: int | None = None  # paths followed before the chapter (None: those before `node`; -1: all)
    wide_plot = False  # the output plot alone in the middle (after the paths are done)
    settled = False  # the output plot zoomed in on the finished output, as the bias chapter leaves it

    def setup(self) -> None:
        super().setup()
        self.bench = Bench(self.network, Bench.settled_focus(self.network) if self.settled else "all")
        done = {None: range(self.node), -1: self.bench.all_paths()}.get(self.finished_paths,
                                                                         range(self.finished_paths or 0))
        self.bench.color_paths(self.bench.diagram, done)
        if self.wide_plot:
            self.bench.place_wide()
        self.add(self.bench.diagram, self.bench.output_plot)

    @property
    def words(self) -> dict[str, str]:
        """Names for the node's parts used in captions."""
        node, layer = self.node, self.network.layers[0]
        return {
            "path": "top" if node == 0 else "bottom" if node == 1 and layer.size == 2 else f"node {node + 1}",
            "act": layer.activation,
            "w": term("×", layer.weights[node, 0]),
            "b": term("+", layer.biases[node]),
            "out_w": fmt(self.network.layers[-1].weights[0, node]),
            "input": self.network.inputs[0],
        }

    # --- beats ---------------------------------------------------------------------------------
    def show_point(self, plot, dosage: float, color) -> VGroup:
        """One input value through the node: x-coordinate, activation, and a dot on the output plot."""
        bench, node, w = self.bench, self.node, self.words
        step = bench.at(dosage).layers[0]
        mark, height, copy = bench.point(plot, node, dosage, color)
        readout = bench.input_readout(dosage)
        self.say(f"{w['input']} {fmt(dosage)}: {fmt(dosage)} {w['w']} {w['b']} = {fmt(step.pre[0, node])}, "
                 f"a position on the x-axis of the {w['act']} curve.")
        self.beat(FadeIn(readout), Create(mark), run_time=1.2)
        self.pause(1.5)
        self.say(f"{w['act']}({fmt(step.pre[0, node])}) = {fmt(step.post[0, node])}: "
                 f"a dot at {w['input']} {fmt(dosage)}, height {fmt(step.post[0, node])}.")
        self.beat(GrowFromCenter(height[0]), FadeIn(height[1]), run_time=0.8)
        label = bench.value_label(copy, step.post[0, node], bench.color(node))
        self.beat(TransformFromCopy(height[0], copy), FadeIn(label), run_time=1.2)
        self.pause(1.5)
        self.beat(FadeOut(mark), FadeOut(height), FadeOut(readout), run_time=0.6)
        return VGroup(copy, label)

    def sweep(self, plot) -> VGroup:
        w = self.words
        self.say(f"Now every {w['input'].lower()} from low to high: the dots trace the {w['path']} curve.")
        animation, trail, movers = self.bench.sweep(plot, self.node)
        self.add(trail, movers)
        self.beat(animation, run_time=6)
        self.pause(0.5)
        self.beat(FadeOut(movers), run_time=0.5)
        return trail

    def show_used_part(self, plot) -> VGroup:
        lo, hi = self.network.used_interval(0, self.node)
        box = self.bench.used_box(plot, self.node)
        self.say(f"Only x from {fmt(lo)} to {fmt(hi)} is used: this slice of the {self.words['act']} "
                 f"curve is all that shapes the {self.words['path']} curve.")
        self.beat(Create(box[0]), FadeIn(box[1]), run_time=1.5)
        self.pause(3)
        return box

    @property
    def scales_here(self) -> bool:
        """With one hidden layer the path ends by scaling into the output; deeper networks scale
        each curve where the next layer's node is assembled."""
        return self.bench.last == 1

    def earlier_curves(self) -> VGroup:
        """The curves of the paths already followed, as those chapters left them."""
        return VGroup(*[self.bench.node_curve(node, scaled=self.scales_here) for node in range(self.node)])

    def scale_curve(self, curve) -> None:
        bench, node = self.bench, self.node
        weight_box = bench.diagram.weight_boxes.get((2, 0, node))
        start = bench.output_plot.dot(bench.xs[0], bench.node_values(node)[0], bench.color(node),
                                      outline=theme.INK)
        side = bench.value_side(node)
        label = bench.value_label(start, bench.node_values(node)[0], bench.color(node), side)
        self.add(start, label)
        self.say(f"Next, the weight {self.words['out_w']} multiplies every height of the curve.")
        if weight_box is not None:
            self.beat(weight_box.emphasize(bench.color(node)), run_time=1.2)
        scaled = bench.scaled_values(node)[0]
        self.say(f"The curve stretches through zero{' and flips' if scaled < 0 else ''}: "
                 f"{fmt(bench.node_values(node)[0])} becomes {fmt(scaled)}.")
        self.beat(bench.scale(node, curve, start, label), run_time=3)
        new_label = bench.value_label(start, scaled, bench.color(node), side)
        self.beat(ReplacementTransform(label, new_label), run_time=0.6)
        self.pause(2)
        self.beat(FadeOut(start), FadeOut(new_label), run_time=0.5)

    def follow_node(self, plot) -> VGroup:
        """Point, point, sweep: the node's curve over the whole input range."""
        self.say(f"Follow the {self.words['path']} path: {self.words['w']}, then {self.words['b']}, "
                 f"then the {self.words['act']} curve.")
        self.beat(self.bench.highlight_path(self.node), FadeIn(plot), run_time=1.5)
        self.pause(1)
        return plot


class TopPath(PathChapter):
    slug, title = "top-path", "Top path, point by point"

    def construct(self) -> None:
        bench = self.bench
        plot = self.follow_node(bench.activation_plot(self.node))
        low, high = self.network.input_range
        first = self.show_point(plot, low, bench.first_dot_color(self.node))
        second = self.show_point(plot, low + (high - low) * SECOND_POINT, bench.color(self.node))
        self.sweep(plot)
        self.beat(FadeOut(first), FadeOut(second), run_time=0.5)


class UsedPart(PathChapter):
    slug, title = "used-part", "The part of the curve in use"
    finished_paths = 1

    def construct(self) -> None:
        plot = self.bench.activation_plot(self.node)
        self.add(plot, self.bench.node_curve(self.node))
        self.show_used_part(plot)


class ScaleByWeight(PathChapter):
    slug, title = "scale", "Scale by the weight"
    finished_paths = 1

    def construct(self) -> None:
        curve = self.bench.node_curve(self.node)
        self.add(curve)
        self.scale_curve(curve)


class NodePath(PathChapter):
    """Any later node of the first hidden layer, all its steps in one chapter."""

    slug, title = "bottom-path", "Bottom path"
    node = 1

    def construct(self) -> None:
        bench = self.bench
        self.add(self.earlier_curves())
        plot = self.follow_node(bench.activation_plot(self.node))
        low, _ = self.network.input_range
        first = self.show_point(plot, low, bench.first_dot_color(self.node))
        curve = self.sweep(plot)
        self.beat(FadeOut(first), run_time=0.5)
        box = self.show_used_part(plot)
        if self.scales_here:
            self.beat(FadeOut(box), FadeOut(plot), run_time=0.6)
            self.scale_curve(curve)
        else:
            self.beat(FadeOut(box), FadeOut(plot), curve.animate.set_stroke(opacity=DIMMED), run_time=0.8)


BottomPath = NodePath
