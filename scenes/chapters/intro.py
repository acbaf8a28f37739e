"""Chapters 1 to 5: the title, the problem, what a network is, activation functions, layers."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    LaggedStart,
    SurroundingRectangle,
    UpdateFromAlphaFunc,
    VGroup,
)

from nnmath import ACTIVATIONS, fmt, presets
from scenes import theme
from scenes.chapters.base import Chapter
from scenes.pieces.bench import CURVE_WIDTH, SAMPLES, Bench
from scenes.pieces.diagram import NetworkDiagram
from scenes.pieces.plots import Plot

PROBLEM_PLOT = {"width": 9.0, "height": 5.0}
DIAGRAM_LARGE = {"width": 11.0, "height": 3.6, "node_size": 0.8}
GALLERY_PLOT = {"width": 3.4, "height": 2.2}
GALLERY = ("softplus", "relu", "sigmoid")  # the storyboard's three, the network's own first
GLYPH_RANGE = 4.0  # activation gallery: x from -GLYPH_RANGE to GLYPH_RANGE
TITLE_RAISE, TITLE_SQUIGGLE_WIDTH, TITLE_GAP = 1.2, 6.0, 0.5
RAISE = 0.25  # small vertical nudges that keep centred content clear of the caption
DATA_DOT_RADIUS = 0.13
POP = 1.6  # how much a dot swells to draw the eye
STORY_GROUPS = 3  # the storyboard's data: low, medium, high
DIMMED = 0.35  # opacity of what is set aside


class Title(Chapter):
    slug, title = "title", "Neural networks, inside the black box"

    def construct(self) -> None:
        heading = theme.text("Neural networks,", theme.TITLE_SIZE)
        subtitle = theme.text("inside the black box", theme.TITLE_SIZE, theme.SUM_COLOR)
        block = VGroup(heading, subtitle).arrange(DOWN, buff=0.25).shift(UP * TITLE_RAISE)
        bench = Bench(self.network)
        squiggle = bench.sum_curve(shifted=True)
        squiggle.set_width(TITLE_SQUIGGLE_WIDTH).next_to(block, DOWN, buff=0.8)
        if self.network.name and self.network.name != presets.statquest().name:
            squiggle.next_to(block, DOWN, buff=TITLE_GAP)
            name = theme.text(self.network.name, theme.HEADING_SIZE, theme.SOFT_INK)
            self.add(name.next_to(squiggle, DOWN, buff=TITLE_GAP))
        self.add(heading, subtitle)  # the title is there from the first frame (and the thumbnail)
        self.say(f"How a small network turns {self.network.inputs[0].lower()} into "
                 f"{self.network.outputs[0].lower()}, one curve at a time.")
        self.beat(Create(squiggle), run_time=2.5)
        self.pause(2)


class Problem(Chapter):
    slug, title = "problem", "The problem"

    def construct(self) -> None:
        bench = Bench(self.network)
        data = self.network.data
        fit = bench.output.post[:, 0]
        plot = Plot(self.network.input_range, np.concatenate([fit, data.targets[:, 0]]),
                    x_name=self.network.inputs[0], y_name=self.network.outputs[0], **PROBLEM_PLOT)
        plot.shift(UP * RAISE)
        x_in, y_out = data.inputs[:, 0], data.targets[:, 0]
        dots = VGroup(*[plot.dot(x, y, theme.YELLOW, radius=DATA_DOT_RADIUS, outline=theme.DARK_ORANGE)
                        for x, y in zip(x_in, y_out)])
        name_in, name_out = self.network.inputs[0].lower(), self.network.outputs[0].lower()
        best = int(np.argmax(y_out))
        # The storyboard's story: three groups, only the middle one works.
        middle_only = len(x_in) == STORY_GROUPS and best == 1 and y_out[0] == y_out[-1]
        if middle_only:
            self.say(f"Three groups of measurements: {name_out} at low, medium and high {name_in}.")
        else:
            self.say(f"The data: {len(x_in)} measurements of {name_out} at different {name_in} values.")
        self.beat(FadeIn(plot), run_time=1)
        self.beat(LaggedStart(*[GrowFromCenter(dot) for dot in dots], lag_ratio=0.3), run_time=1.5)
        if middle_only:
            self.say(f"Low and high gave {fmt(y_out[0])}. Only the middle gave {fmt(y_out[best])}: it works.")
            self.beat(dots[best].animate.scale(POP), run_time=0.6)
            self.beat(dots[best].animate.scale(1 / POP), run_time=0.4)
            self.pause(1)
            self.rotate_line(plot, x_in, y_out, best)
        else:
            self.pause(1.5)
        squiggle = plot.curve(bench.xs, fit, theme.SUM_COLOR, CURVE_WIDTH + 1)
        self.say("A squiggle can bend to pass by all of them.")
        self.beat(Create(squiggle), run_time=2.5)
        self.pause(1.5)
        self.say(f"Goal: predict {self.network.outputs[0].lower()} for any new "
                 f"{self.network.inputs[0].lower()}. A neural network builds such a squiggle.")
        self.pause(3)

    def rotate_line(self, plot: Plot, x_in: np.ndarray, y_out: np.ndarray, best: int) -> None:
        """A straight line turning about the first point: from through the ends to through the best."""
        pivot_x, pivot_y = x_in[0], y_out[0]
        flat = (y_out[-1] - pivot_y) / (x_in[-1] - pivot_x)
        steep = (y_out[best] - pivot_y) / (x_in[best] - pivot_x)
        lo, hi = self.network.input_range
        ends = np.array([lo, hi])
        line = plot.curve(ends, pivot_y + flat * (ends - pivot_x), theme.GREY, CURVE_WIDTH)
        self.say("A straight line can match low and high, but then misses the middle...")
        self.beat(Create(line), run_time=1.2)
        self.pause(1.5)

        def turn(mob, alpha: float) -> None:
            slope = flat + (steep - flat) * alpha
            mob.set_points_as_corners(plot.points_for(ends, pivot_y + slope * (ends - pivot_x)))

        self.say("...and turned to match the middle, it misses the high end. Two out of three at best.")
        self.beat(UpdateFromAlphaFunc(line, turn), run_time=2.5)
        self.pause(1.5)
        self.beat(FadeOut(line), run_time=0.5)


class WhatIsANetwork(Chapter):
    slug, title = "network", "What a neural network is"

    def construct(self) -> None:
        diagram = NetworkDiagram(self.network, **DIAGRAM_LARGE).shift(DOWN * RAISE)
        nodes = VGroup(*[node for column in diagram.nodes for node in column])
        self.say("A neural network is made of nodes, drawn as squares...")
        self.beat(LaggedStart(*[GrowFromCenter(node) for node in nodes], lag_ratio=0.15),
                  FadeIn(diagram.input_labels), FadeIn(diagram.output_labels), run_time=1.5)
        self.say("...and connections between them.")
        self.beat(*[Create(edge) for edge in diagram.edges.values()], FadeIn(VGroup(*diagram.junctions.values())),
                  run_time=1.5)
        self.say("Every connection carries a number: a parameter. The network multiplies by some and "
                 "adds others.")
        boxes = list(diagram.weight_boxes.values()) + list(diagram.bias_boxes.values())
        self.beat(LaggedStart(*[FadeIn(box, scale=0.6) for box in boxes], lag_ratio=0.1), run_time=2)
        self.pause(1.5)
        self.say("The parameters were fitted to the data beforehand (by backpropagation), just as a "
                 "line's slope and intercept are fitted.")
        self.pause(4)
        glyphs = VGroup(*diagram.glyphs.values())
        frames = VGroup(*[SurroundingRectangle(diagram.nodes[k][i], color=theme.RED, buff=0.08)
                          for (k, i) in diagram.glyphs])
        self.say("The nodes in the middle each hold a curve. These curves are the building blocks of "
                 "the squiggle.")
        self.beat(Create(glyphs), Create(frames), run_time=1.5)
        self.pause(3)


class Activations(Chapter):
    slug, title = "activations", "Activation functions"

    def construct(self) -> None:
        used = [layer.activation for layer in self.network.layers if layer.activation != "identity"]
        names = list(dict.fromkeys(used + list(GALLERY)))[:len(GALLERY)]
        panels = VGroup()
        xs = np.linspace(-GLYPH_RANGE, GLYPH_RANGE, SAMPLES)
        for name in names:
            activation = ACTIVATIONS[name]
            plot = Plot(xs, activation(xs), **GALLERY_PLOT)
            plot.add(plot.curve(xs, activation(xs), theme.INK, CURVE_WIDTH))
            heading = theme.text(name, theme.HEADING_SIZE)
            formula = theme.text(activation.formula, theme.BODY_SIZE, theme.SOFT_INK)
            panels.add(VGroup(heading, formula, plot).arrange(DOWN, buff=0.3))
        panels.arrange(RIGHT, buff=0.9).shift(UP * RAISE)
        self.say("The curves inside the nodes are called activation functions.")
        self.beat(LaggedStart(*[FadeIn(panel, shift=UP * 0.2) for panel in panels], lag_ratio=0.3), run_time=2.5)
        self.pause(3)
        mine = panels[names.index(used[0])]
        frame = SurroundingRectangle(mine, color=theme.SUM_COLOR, buff=0.2)
        self.say(f"There are many. This network uses {used[0]}, written {ACTIVATIONS[used[0]].formula}.")
        self.beat(Create(frame), *[panel.animate.set_opacity(DIMMED) for panel in panels if panel is not mine],
                  run_time=1.2)
        self.pause(3)


class Layers(Chapter):
    slug, title = "layers", "Layers"

    def construct(self) -> None:
        diagram = NetworkDiagram(self.network, **DIAGRAM_LARGE).shift(DOWN * RAISE)
        self.add(diagram)
        names = ["input layer"] + ["hidden layer"] * (len(diagram.nodes) - 2) + ["output layer"]
        labels = VGroup(*[theme.text(name, theme.LABEL_SIZE, theme.RED).next_to(VGroup(*column), UP, buff=0.5)
                          for name, column in zip(names, diagram.nodes)])
        labels.set_y(max(label.get_y() for label in labels))
        self.say(f"One input node ({self.network.inputs[0].lower()}), one output node "
                 f"({self.network.outputs[0].lower()}).")
        self.beat(FadeIn(labels[0]), FadeIn(labels[-1]), run_time=1)
        self.pause(1.5)
        self.say("The nodes in between form a hidden layer: we never see their values, only what "
                 "comes out at the end.")
        self.beat(*[FadeIn(label) for label in labels[1:-1]], run_time=1)
        self.pause(3)
        big = NetworkDiagram(presets.big_network(), show_values=False, **DIAGRAM_LARGE)
        self.say("Bigger networks have more inputs, outputs and hidden layers, but are built of "
                 "the same parts.")
        self.beat(FadeOut(labels), FadeOut(diagram), run_time=0.8)
        self.beat(FadeIn(big, scale=0.9), run_time=1.2)
        self.pause(3)
        small = NetworkDiagram(self.network, **DIAGRAM_LARGE).shift(DOWN * RAISE)
        self.say("Ours is tiny, which lets us follow every number it computes.")
        self.beat(FadeOut(big), run_time=0.6)
        self.beat(FadeIn(small), run_time=0.9)
        self.pause(2)
