"""Chapters 10 to 12: add the scaled curves, shift by the bias, predict a new input."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    UR,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Line,
    ReplacementTransform,
    TransformFromCopy,
    UpdateFromAlphaFunc,
    VGroup,
)

from nnmath import fmt
from nnmath.display import term
from scenes import theme
from scenes.chapters.paths import PathChapter
from scenes.pieces.diagram import NetworkDiagram, ValueBox

STACK_POINTS = 5  # dosages at which the sum is shown as stacked bars
BAR_WIDTH = 8
BAR_GAP = 0.07  # scene units between the bars stacked at one input
ZOOMED_DIAGRAM = {"width": 12.0, "height": 3.6, "node_size": 0.8, "label_size": theme.LABEL_SIZE}
ZOOMED_RAISE = 0.3
TAG_OFFSET = 0.55  # value tags sit this far off their box, away from the middle of the diagram
TAG_BUFF = 0.15
TAG_LAYER = 3  # above the diagram's boxes
LANDING_RADIUS = 0.12


class Sum(PathChapter):
    slug, title = "sum", "Add the curves"
    finished_paths = -1

    def construct(self) -> None:
        bench = self.bench
        curves = [bench.node_curve(node, scaled=True) for node in bench.all_paths()]
        self.add(*curves)
        self.say("Now add the curves: at each dosage, stack one height on top of the other.")
        self.beat(bench.widen(*curves), run_time=1.2)
        bars = VGroup(*[self.stack_at(x) for x in np.linspace(*self.network.input_range, STACK_POINTS)])
        self.pause(1)
        total = bench.sum_curve()
        self.say("Doing that at every dosage gives the green squiggle: the sum of the curves.")
        self.beat(Create(total), run_time=3)
        self.beat(FadeOut(bars), *[curve.animate.set_stroke(opacity=0.35) for curve in curves], run_time=1)
        self.pause(2)

    def stack_at(self, dosage: float) -> VGroup:
        """Bars for each scaled curve at one input, stacked end to end; a green dot on top."""
        bench, plot = self.bench, self.bench.output_plot
        parts = bench.at(dosage).layers[-1].contributions[0, 0]
        bars, stacked, base = VGroup(), VGroup(), 0.0
        for node, value in enumerate(parts):
            # side by side, so a bar that the next one stacks over stays visible
            beside = RIGHT * BAR_GAP * (node - (len(parts) - 1) / 2)
            bars.add(Line(plot.c2p(dosage, 0) + beside, plot.c2p(dosage, value) + beside,
                          stroke_color=bench.color(node), stroke_width=BAR_WIDTH))
            stacked.add(Line(plot.c2p(dosage, base) + beside, plot.c2p(dosage, base + value) + beside,
                             stroke_color=bench.color(node), stroke_width=BAR_WIDTH))
            base += value
        top = plot.dot(dosage, base, theme.SUM_COLOR, outline=theme.INK)
        self.beat(*[GrowFromCenter(bar) for bar in bars], run_time=0.6)
        self.beat(*[ReplacementTransform(a, b) for a, b in zip(bars, stacked)], run_time=0.8)
        self.beat(FadeIn(top, scale=0.5), run_time=0.3)
        return VGroup(stacked, top)


class ShiftByBias(PathChapter):
    slug, title = "bias", "Shift by the bias"
    finished_paths, wide_plot = -1, True

    def construct(self) -> None:
        bench, plot = self.bench, self.bench.output_plot
        k = len(self.network.layers)
        bias = self.network.layers[-1].biases[0]
        total = bench.sum_curve()
        self.add(total)
        dots = bench.data_dots()
        self.say("Here is the data again: the squiggle has the right shape but sits too high.")
        self.beat(FadeIn(dots, lag_ratio=0.2), run_time=1)
        self.pause(1.5)
        box = bench.diagram.bias_boxes[k, 0]
        self.say(f"The last step adds the output bias, {fmt(bias)}: every height moves by that much.")
        self.beat(box.emphasize(theme.SUM_COLOR), run_time=1.2)
        sums = bench.output.sums[:, 0]

        def shift(mob, alpha: float) -> None:
            mob.set_points_as_corners(plot.points_for(bench.xs, sums + bias * alpha))

        self.beat(UpdateFromAlphaFunc(total, shift), run_time=2.5)
        self.say("Now the green squiggle runs through the data: low and high dosages near zero, "
                 "the middle one near one.")
        self.pause(3)


class Prediction(PathChapter):
    slug, title = "prediction", "A new prediction"
    finished_paths, wide_plot = -1, True

    def construct(self) -> None:
        bench = self.bench
        fitted = VGroup(bench.output_plot, bench.sum_curve(shifted=True), bench.data_dots())
        self.add(fitted)
        low, high = self.network.input_range
        dosage = (low + high) / 2
        self.say(f"A new patient gets {self.network.inputs[0].lower()} {fmt(dosage)}. "
                 "Follow that number through the network.")
        small = bench.diagram.copy()
        zoomed = bench.color_paths(NetworkDiagram(self.network, **ZOOMED_DIAGRAM), bench.all_paths())
        zoomed.shift(UP * ZOOMED_RAISE)
        self.beat(FadeOut(fitted), ReplacementTransform(bench.diagram, zoomed), run_time=1.5)
        answer = self.follow(zoomed, dosage)
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
        start = self.tag(fmt(dosage), theme.INK).next_to(diagram.node(0, 0), UP, buff=TAG_BUFF)
        self.beat(FadeIn(start, scale=0.6), run_time=0.8)
        tags = VGroup(start)
        weighted = []
        for node in range(first.size):
            color, outward = self.bench.color(node), -diagram.toward_middle(1, node)
            pre = self.tag(fmt(hidden.pre[0, node]), color).move_to(
                diagram.bias_boxes[1, node]).shift(outward * TAG_OFFSET)
            post = self.tag(fmt(hidden.post[0, node]), color).next_to(diagram.node(1, node), outward, buff=TAG_BUFF)
            scaled = self.tag(fmt(out.contributions[0, 0, node]), color).move_to(
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
        total = self.tag(fmt(out.sums[0, 0]), theme.SUM_COLOR).next_to(
            diagram.junctions[k, 0], DOWN, buff=TAG_BUFF)
        self.say(f"Add them: {fmt(out.sums[0, 0])}. Then the bias: {fmt(out.sums[0, 0])} "
                 f"{term('+', last.biases[0])} = {fmt(out.post[0, 0])}.")
        merging = [tag.copy() for tag in weighted]
        self.beat(*[copy.animate.move_to(total).set_opacity(0) for copy in merging], FadeIn(total),
                  run_time=1.2)
        self.remove(*merging)
        answer = self.tag(fmt(out.post[0, 0]), theme.SUM_COLOR).next_to(diagram.node(k, 0), UP, buff=TAG_BUFF)
        self.beat(TransformFromCopy(total, answer), run_time=1.2)
        self.pause(2)
        self.beat(FadeOut(tags), FadeOut(total), run_time=0.6)
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

    def tag(self, label: str, color) -> ValueBox:
        box = ValueBox(label, theme.LABEL_SIZE, color).set_z_index(TAG_LAYER)
        box.frame.set_stroke(color, width=2)
        return box
