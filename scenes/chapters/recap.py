"""Chapter 13: name the parameters, and say in one breath what the network did."""

from __future__ import annotations

from manim import DOWN, LEFT, UP, Create, FadeIn, FadeOut, LaggedStart, SurroundingRectangle, VGroup

from scenes import theme
from scenes.chapters.base import Chapter
from scenes.pieces.bench import Bench

SUMMARY_WIDTH = 12.5
SUMMARY = (
    "Weights and biases slice, flip and stretch copies of one activation function.",
    "The copies are added, and the sum is shifted to fit the data.",
    "More layers and nodes let the same parts fit far more complicated data.",
    "Named after neurons, a neural network is a big, fancy squiggle-fitting machine.",
)


class Recap(Chapter):
    slug, title = "recap", "Weights, biases and the big picture"

    def construct(self) -> None:
        bench = Bench(self.network, Bench.settled_focus(self.network))
        diagram = bench.color_paths(bench.diagram, bench.all_paths())
        bench.place_wide()
        fitted = VGroup(bench.output_plot, bench.sum_curve(shifted=True), bench.data_dots())
        self.add(diagram, fitted)
        self.name_boxes("The numbers the network multiplies by are called weights.",
                        VGroup(*diagram.weight_boxes.values()), theme.DARK_BLUE)
        self.name_boxes("The numbers it adds are called biases.",
                        VGroup(*diagram.bias_boxes.values()), theme.RED)
        self.beat(FadeOut(fitted), run_time=0.8)
        summary = VGroup(*[theme.text(line, theme.BODY_SIZE) for line in SUMMARY])
        summary.arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        summary.scale_to_fit_width(min(summary.width, SUMMARY_WIDTH)).next_to(diagram, DOWN, buff=0.6)
        for line, words in zip(summary, SUMMARY):
            self.say(words, on_screen=False)
            self.beat(FadeIn(line, shift=UP * 0.15), run_time=1)
            self.pause(2.5)
        self.pause(2)

    def name_boxes(self, words: str, boxes: VGroup, color) -> None:
        """Frame every box of one kind while the caption names the kind."""
        frames = VGroup(*[SurroundingRectangle(box, color=color, buff=0.05) for box in boxes])
        self.say(words)
        self.beat(LaggedStart(*[Create(frame) for frame in frames], lag_ratio=0.15), run_time=1.5)
        self.pause(2.5)
        self.beat(FadeOut(frames), run_time=0.5)
