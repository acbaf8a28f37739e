"""Chapter 13: name the parameters, and say in one breath what the network did."""

from __future__ import annotations

from manim import DOWN, LEFT, UP, Create, FadeIn, FadeOut, LaggedStart, SurroundingRectangle, VGroup

from scenes import theme
from scenes.chapters.base import Chapter
from scenes.pieces.bench import Bench

RECAP_SHIFT = 0.6  # how far the diagram moves up to make room for the summary


class Recap(Chapter):
    slug, title = "recap", "Weights, biases and the big picture"

    def construct(self) -> None:
        bench = Bench(self.network)
        diagram = bench.diagram
        self.add(diagram, bench.output_plot, bench.sum_curve(shifted=True), bench.data_dots())
        weights = VGroup(*diagram.weight_boxes.values())
        biases = VGroup(*diagram.bias_boxes.values())
        self.say("The numbers the network multiplies by are called weights.")
        weight_frames = VGroup(*[SurroundingRectangle(box, color=theme.DARK_BLUE, buff=0.05) for box in weights])
        self.beat(LaggedStart(*[Create(frame) for frame in weight_frames], lag_ratio=0.15), run_time=1.5)
        self.pause(2)
        self.say("The numbers it adds are called biases.")
        bias_frames = VGroup(*[SurroundingRectangle(box, color=theme.DARK_ORANGE, buff=0.05) for box in biases])
        self.beat(FadeOut(weight_frames), LaggedStart(*[Create(frame) for frame in bias_frames], lag_ratio=0.15),
                  run_time=1.5)
        self.pause(2)
        self.beat(FadeOut(bias_frames), run_time=0.5)
        steps = [
            "Weights and biases slice, flip and stretch copies of one activation function.",
            "The copies are added together, and the sum is shifted to fit the data.",
            "With more layers and nodes, the same parts can fit far more complicated data.",
            "A neural network is a big, fancy squiggle-fitting machine.",
        ]
        summary = VGroup(*[theme.text(step, theme.BODY_SIZE) for step in steps])
        summary.arrange(DOWN, buff=0.3, aligned_edge=LEFT).move_to(DOWN * RECAP_SHIFT)
        self.say("In short:")
        self.beat(FadeOut(bench.output_plot), *[FadeOut(mob) for mob in self.mobjects
                                                 if mob not in (diagram, self.caption)], run_time=1)
        for line in summary:
            self.beat(FadeIn(line, shift=UP * 0.15), run_time=1)
            self.pause(2.5)
        self.say("The name comes from neurons and synapses, but what they do is this: bend, scale, "
                 "add and shift curves.")
        self.pause(4)
