"""Squiggle's parts inside ordinary Manim scenes, one scene per part:

    manim -qm examples/parts.py Diagram      (also Sweep, Scale, Sum, Shift, Prediction)
"""

from manim import Create, FadeIn, Scene

import nnmath
from scenes import theme
from scenes.pieces.bench import Bench
from scenes.pieces.diagram import NetworkDiagram

NETWORK = nnmath.presets.statquest()


class Part(Scene):
    """A light background, and a bench: the diagram, the plots and every number from nnmath."""

    def setup(self) -> None:
        self.camera.background_color = theme.BACKGROUND
        self.bench = Bench(NETWORK)


class Diagram(Part):
    def construct(self) -> None:
        self.play(FadeIn(NetworkDiagram(NETWORK, width=11, height=3.5)))


class Sweep(Part):
    def construct(self) -> None:
        bench = self.bench
        plot = bench.activation_plot(0)                    # softplus over the top node's x range
        self.add(bench.diagram, bench.output_plot, plot)
        sweep, trail, dots = bench.sweep(plot, 0)          # one tracker drives both dots
        self.play(sweep, run_time=5)
        self.play(Create(bench.used_box(plot, 0)))         # the red box


class Scale(Part):
    def construct(self) -> None:
        bench = self.bench
        curve = bench.node_curve(0)                        # the blue curve
        self.add(bench.output_plot, curve)
        self.play(bench.scale_to(1, 0, 0, curve), run_time=3)   # times -1.30, through zero


class Sum(Part):
    def construct(self) -> None:
        bench = self.bench
        self.add(bench.output_plot, *[bench.node_curve(i, scaled=True) for i in range(2)])
        for x in (0.0, 0.25, 0.5):
            stacking, bars = bench.stack(1, 0, x)           # bars stacked end to end
            self.play(stacking)
        self.play(Create(bench.sum_curve()))               # the green squiggle


class Shift(Part):
    def construct(self) -> None:
        bench = self.bench
        total = bench.sum_curve()
        self.add(bench.output_plot, total, bench.data_dots())
        self.play(bench.shift(1, 0, total), run_time=2)    # + (-0.58): onto the data


class Prediction(Part):
    def construct(self) -> None:
        diagram = NetworkDiagram(NETWORK, width=12, height=3.6)
        self.add(diagram)
        steps, tags = self.bench.predict(diagram, 0.5)      # the input, then each layer
        for step in steps:
            self.play(step)
