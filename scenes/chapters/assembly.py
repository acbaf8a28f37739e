"""Chapters 10 to 12: add the scaled curves, shift by the bias, predict a new input."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    UP,
    UR,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    ReplacementTransform,
    TransformFromCopy,
    VGroup,
)

from nnmath import fmt
from nnmath.display import term
from scenes import theme
from scenes.chapters.paths import PathChapter
from scenes.pieces.diagram import NetworkDiagram, ValueBox, value_tag

STACK_POINTS = 5  # dosages at which the sum is shown as stacked bars
ZOOMED_DIAGRAM = {"width": 12.0, "height": 3.6, "node_size": 0.8, "label_size": theme.LABEL_SIZE}
ZOOMED_RAISE = 0.3
TAG_OFFSET = 0.55  # value tags sit this far off their box, away from the middle of the diagram
TAG_BUFF = 0.15
LANDING_RADIUS = 0.12
SUM_WIDTH = 6
DETAILED_NODES = 2  # up to this many hidden nodes (one layer), every connection's number is shown
DIMMED = 0.35


class AssemblyChapter(PathChapter):
    """Builds one node's curve from the curves of the layer before: scale each by its weight, add
    them, shift by the bias, bend by the activation. `layer` indexes ``network.layers`` (-1: the
    output layer); `target` is the node."""

    layer = -1
    target = 0

    @property
    def at_layer(self) -> int:
        return self.layer % len(self.network.layers)

    @property
    def node_name(self) -> str:
        if self.at_layer == self.bench.last:
            return "the output"
        return f"node {self.target + 1} of hidden layer {self.at_layer + 1}"

    def source_curves(self, scaled: bool) -> list:
        """The previous layer's curves, as they are or times their weights into the target."""
        bench, k, t = self.bench, self.at_layer, self.target
        return [bench.curve(bench.weighted(k, t, j) if scaled else bench.post(k - 1, j), bench.color(j, k - 1))
                for j in range(self.network.layers[k - 1].size)]

    def scale_all(self, curves: list) -> None:
        """Every incoming curve stretches by its weight at once."""
        bench, k, t = self.bench, self.at_layer, self.target
        weights = self.network.layers[k].weights[t]
        listed = ", ".join(term("×", w) for w in weights)
        self.say(f"First, each curve is multiplied by its weight into {self.node_name}: {listed}.")
        boxes = [bench.diagram.weight_boxes[k + 1, t, j] for j in range(len(weights))
                 if (k + 1, t, j) in bench.diagram.weight_boxes]
        if boxes:
            self.beat(*[box.emphasize(bench.color(j, k - 1)) for j, box in enumerate(boxes)], run_time=1.2)
        self.beat(*[bench.scale_to(k, t, j, curve) for j, curve in enumerate(curves)], run_time=3)
        self.pause(1)

    def add_up(self, curves: list) -> tuple:
        """Stacked bars at a few inputs, then the sum curve; returns (sum curve, bars)."""
        bars = VGroup(*[self.stack_at(x) for x in np.linspace(*self.network.input_range, STACK_POINTS)])
        self.pause(1)
        total = self.bench.curve(self.bench.trace.layers[self.at_layer].sums[:, self.target],
                                 theme.SUM_COLOR, SUM_WIDTH)
        self.say(f"Doing that at every {self.network.inputs[0].lower()} gives their sum, a new curve.")
        self.beat(Create(total), run_time=3)
        self.beat(FadeOut(bars), *[curve.animate.set_stroke(opacity=DIMMED) for curve in curves], run_time=1)
        return total, bars

    def shift(self, total) -> None:
        bench, k, t = self.bench, self.at_layer, self.target
        bias = self.network.layers[k].biases[t]
        self.say(f"Then {self.node_name}'s bias, {fmt(bias)}, moves every height by that much.")
        box = bench.diagram.bias_boxes.get((k + 1, t))
        if box is not None:
            self.beat(box.emphasize(bench.color(t, k)), run_time=1.2)
        self.beat(bench.shift(k, t, total), run_time=2.5)
        self.pause(1)

    def bend(self, total, with_plot: bool) -> None:
        """The activation applied to every height: the curve bends into the node's own curve."""
        bench, k, t = self.bench, self.at_layer, self.target
        activation = self.network.layers[k].activation
        self.say(f"Last, {activation} bends the curve: every height y becomes {activation}(y).")
        extras = VGroup()
        if with_plot:
            plot = bench.activation_plot(t, k)
            extras.add(plot, bench.used_box(plot, t, k))
            self.beat(FadeIn(extras), run_time=1)
        self.beat(bench.bend(k, t, total), run_time=3)
        self.pause(1.5)
        if with_plot:
            self.beat(FadeOut(extras), run_time=0.6)

    def stack_at(self, dosage: float) -> VGroup:
        """Bars for each weighted curve at one input, stacked end to end; a green dot on top."""
        animation, stack = self.bench.stack(self.at_layer, self.target, dosage)
        self.beat(animation, run_time=1.7)
        return stack


class BuildNode(AssemblyChapter):
    """A node of a later hidden layer: the same steps as the output, one level down."""

    slug, title = "layer-2-node-1", "Layer 2, node 1"
    finished_paths, layer = -1, 1

    def construct(self) -> None:
        bench, k, t = self.bench, self.at_layer, self.target
        earlier = VGroup(*[bench.curve(bench.post(k, i), bench.color(i, k)).set_stroke(opacity=DIMMED)
                           for i in range(t)])
        curves = self.source_curves(scaled=False)
        self.add(earlier, *curves)
        self.say(f"{self.node_name.capitalize()} starts from the {len(curves)} curve(s) of the layer before.")
        self.beat(bench.highlight_incoming(k, t), earlier.animate.set_stroke(opacity=0), run_time=1.2)
        self.scale_all(curves)
        self.say("Add them: at each input, stack the heights.")
        total, _ = self.add_up(curves)
        self.shift(total)
        self.bend(total, with_plot=True)
        self.say(f"This is {self.node_name}'s curve, ready for the next layer.")
        self.beat(*[FadeOut(curve) for curve in curves], run_time=0.8)
        self.pause(1.5)


class Sum(AssemblyChapter):
    slug, title = "sum", "Add the curves"
    finished_paths = -1

    def construct(self) -> None:
        bench = self.bench
        scaled = bench.last == 1  # with one hidden layer the paths have scaled their curves already
        curves = self.source_curves(scaled=scaled)
        self.add(*curves)
        self.say(f"Now add the curves: at each {self.network.inputs[0].lower()}, stack one height on "
                 "top of the other.")
        self.beat(bench.widen(*curves), run_time=1.2)
        if not scaled:
            self.scale_all(curves)
            self.say("Now add them up, stacking the heights.")
        total, _ = self.add_up(curves)
        self.pause(1)


class ShiftByBias(AssemblyChapter):
    slug, title = "bias", "Shift by the bias"
    finished_paths, wide_plot = -1, True

    def construct(self) -> None:
        last, output = self.bench.last, self.bench.output
        total = self.bench.curve(output.sums[:, 0], theme.SUM_COLOR, SUM_WIDTH)
        self.add(total)
        dots = None
        if self.bench.worth_zooming("bias"):
            self.say("First, zoom in on the green curve.")
            total = self.zoom("bias", total, output.sums[:, 0])
        if self.network.data is not None:
            self.say("Here is the data again, to see how close the curve comes.")
            dots = self.bench.data_dots()
            self.beat(FadeIn(dots, lag_ratio=0.2), run_time=1)
            self.pause(1.5)
        self.shift(total)
        if self.network.layers[last].activation != "identity":
            self.bend(total, with_plot=False)
        if self.bench.worth_zooming("output"):
            self.say("Zoom in once more, on the final curve.")
            total = self.zoom("output", total, output.post[:, 0], dots)
        self.say(f"That is the network's whole answer: {self.network.outputs[0].lower()} for every "
                 f"{self.network.inputs[0].lower()}, one green squiggle.")
        self.pause(3)

    def zoom(self, focus: str, total, heights, dots=None):
        """Narrow the output plot's range to `focus`, carrying the curve (and dots) along."""
        self.bench, animation, (total,), _ = self.bench.zoom(focus, [(total, heights)], dots)
        self.beat(animation, run_time=1.5)
        self.pause(0.5)
        return total


class Prediction(PathChapter):
    slug, title = "prediction", "A new prediction"
    finished_paths, wide_plot, settled = -1, True, True

    def construct(self) -> None:
        bench = self.bench
        fitted = VGroup(bench.output_plot, bench.sum_curve(shifted=True), bench.data_dots())
        self.add(fitted)
        low, high = self.network.input_range
        dosage = (low + high) / 2
        self.say(f"A new {self.network.inputs[0].lower()}: {fmt(dosage)}. "
                 "Follow that number through the network.")
        small = bench.diagram.copy()
        zoomed = bench.color_paths(NetworkDiagram(self.network, **ZOOMED_DIAGRAM), bench.all_paths())
        zoomed.shift(UP * ZOOMED_RAISE)
        self.beat(FadeOut(fitted), ReplacementTransform(bench.diagram, zoomed), run_time=1.5)
        detailed = bench.last == 1 and self.network.layers[0].size <= DETAILED_NODES and not zoomed.hidden_values
        answer = self.follow(zoomed, dosage) if detailed else self.follow_layers(zoomed, dosage)
        self.beat(ReplacementTransform(zoomed, small), FadeIn(fitted), answer.animate.scale(
            small.height / zoomed.height).next_to(small.node(len(self.network.layers), 0), UP, buff=0.12),
            run_time=1.5)
        self.land(dosage, answer)

    def follow(self, diagram: NetworkDiagram, dosage: float) -> ValueBox:
        """Tags with each intermediate value appear where it is computed; returns the output's tag."""
        step = self.bench.at(dosage)
        hidden, out = step.layers[0], step.layers[-1]
        first, last = self.network.layers[0], self.network.layers[-1]
        k = len(self.network.layers)
        start = value_tag(fmt(dosage), theme.INK).next_to(diagram.node(0, 0), UP, buff=TAG_BUFF)
        self.beat(FadeIn(start, scale=0.6), run_time=0.8)
        tags = VGroup(start)
        weighted = []
        for node in range(first.size):
            color, outward = self.bench.color(node), -diagram.toward_middle(1, node)
            pre = value_tag(fmt(hidden.pre[0, node]), color).move_to(
                diagram.bias_boxes[1, node]).shift(outward * TAG_OFFSET)
            post = value_tag(fmt(hidden.post[0, node]), color).next_to(diagram.node(1, node), outward, buff=TAG_BUFF)
            scaled = value_tag(fmt(out.contributions[0, 0, node]), color).move_to(
                diagram.weight_boxes[k, 0, node]).shift(outward * TAG_OFFSET)
            self.say(f"{fmt(dosage)} {term('×', first.weights[node, 0])} {term('+', first.biases[node])} "
                     f"= {fmt(hidden.pre[0, node])}, and {first.activation}({fmt(hidden.pre[0, node])}) "
                     f"= {fmt(hidden.post[0, node])}.")
            self.beat(TransformFromCopy(start, pre), run_time=1.2)
            self.beat(TransformFromCopy(pre, post), run_time=1)
            self.pause(1.5)
            self.say(f"Times the weight: {fmt(hidden.post[0, node])} {term('×', last.weights[0, node])} "
                     f"= {fmt(out.contributions[0, 0, node])}.")
            self.beat(TransformFromCopy(post, scaled), run_time=1)
            self.pause(1.5)
            tags.add(pre, post, scaled)
            weighted.append(scaled)
        total = value_tag(fmt(out.sums[0, 0]), theme.SUM_COLOR).next_to(
            diagram.junctions[k, 0], DOWN, buff=TAG_BUFF)
        self.say(f"Add them: {fmt(out.sums[0, 0])}. Then the bias: {fmt(out.sums[0, 0])} "
                 f"{term('+', last.biases[0])} = {fmt(out.post[0, 0])}.")
        merging = [tag.copy() for tag in weighted]
        self.beat(*[copy.animate.move_to(total).set_opacity(0) for copy in merging], FadeIn(total),
                  run_time=1.2)
        self.remove(*merging)
        answer = value_tag(fmt(out.post[0, 0]), theme.SUM_COLOR).next_to(diagram.node(k, 0), UP, buff=TAG_BUFF)
        self.beat(TransformFromCopy(total, answer), run_time=1.2)
        self.pause(2)
        self.beat(FadeOut(tags), FadeOut(total), run_time=0.6)
        return answer

    def follow_layers(self, diagram: NetworkDiagram, dosage: float) -> ValueBox:
        """For larger networks: layer by layer, each node's output appears on the node."""
        steps, tags = self.bench.predict(diagram, dosage)
        self.beat(steps[0], run_time=0.8)
        for k, (step, layer) in enumerate(zip(steps[1:], self.network.layers)):
            values = self.bench.at(dosage).layers[k].post[0]
            where = "The output node" if k == self.bench.last else f"Hidden layer {k + 1}"
            bent = "" if layer.activation == "identity" else f", then {layer.activation}"
            self.say(f"{where}: weighted inputs plus bias{bent}: {', '.join(fmt(v) for v in values)}.")
            self.beat(step, run_time=1.5)
            self.pause(2)
        answer = tags[-1][0]
        self.beat(FadeOut(VGroup(*[tag for column in tags[:-1] for tag in column])), run_time=0.6)
        return answer

    def land(self, dosage: float, answer: ValueBox) -> None:
        """The output as a dot on the fitted squiggle, with the verdict against the data."""
        plot, value = self.bench.output_plot, self.bench.at(dosage).outputs[0, 0]
        landing = plot.dot(dosage, value, theme.SUM_COLOR, radius=LANDING_RADIUS, outline=theme.INK)
        guide = DashedLine(plot.c2p(dosage, plot.y_range[0]), landing.get_center(), dash_length=0.06,
                           stroke_color=theme.SUM_COLOR)
        label = theme.text(fmt(value), theme.LABEL_SIZE, theme.SUM_COLOR).next_to(landing, UR, buff=0.05)
        self.say(f"The answer, {fmt(value)}, lies on the green squiggle at "
                 f"{self.network.inputs[0].lower()} {fmt(dosage)}.")
        self.beat(Create(guide), FadeIn(landing, scale=0.5), TransformFromCopy(answer, label), run_time=1.5)
        self.pause(2)
        if self.network.data is not None:
            self.say(self.verdict(value))
            self.pause(3)

    def verdict(self, value: float) -> str:
        """Which end of the data's targets a prediction lies nearer to, in words."""
        targets = self.network.data.targets[:, 0]
        low, high = targets.min(), targets.max()
        near, far = (high, low) if abs(value - high) < abs(value - low) else (low, high)
        meaning = "works" if near == high else "does not work"
        return (f"{fmt(value)} is closer to {fmt(near)} than to {fmt(far)}: "
                f"the model says this {self.network.inputs[0].lower()} {meaning}.")
