"""What the pieces draw matches nnmath: curves, dots and boxes read back as numbers."""

from __future__ import annotations

import numpy as np
import pytest

from nnmath import presets
from scenes.pieces.bench import Bench


@pytest.fixture(scope="module")
def bench() -> Bench:
    return Bench(presets.statquest())


def curve_data(bench: Bench, curve) -> np.ndarray:
    """The (x, y) data a drawn curve passes through, read back from its scene points."""
    return bench.output_plot.p2c(curve.get_anchors())


def test_blue_curve_is_softplus_of_the_top_node(bench: Bench) -> None:
    data = curve_data(bench, bench.node_curve(0))
    expected = np.logaddexp(0, -34.4 * data[:, 0] + 2.14)  # the storyboard's top path
    assert np.allclose(data[:, 1], expected, atol=1e-9)
    assert data[:, 0].min() == pytest.approx(0) and data[:, 0].max() == pytest.approx(1)


def test_blue_curve_starts_at_2_25(bench: Bench) -> None:
    data = curve_data(bench, bench.node_curve(0))
    assert data[0] == pytest.approx([0.0, 2.2512], abs=1e-4)


def test_scaled_curves_run_as_the_storyboard_says(bench: Bench) -> None:
    blue = curve_data(bench, bench.node_curve(0, scaled=True))
    orange = curve_data(bench, bench.node_curve(1, scaled=True))
    assert blue[0, 1] == pytest.approx(-2.93, abs=5e-3)
    assert abs(blue[blue[:, 0] >= 0.2, 1]).max() < 0.02  # "about 0 from dosage 0.2 on": shown as −0.01 or 0.00
    assert orange[0, 1] == pytest.approx(3.50, abs=5e-3) and orange[-1, 1] == pytest.approx(0.58, abs=5e-3)


def test_final_squiggle_passes_through_prediction(bench: Bench) -> None:
    data = curve_data(bench, bench.sum_curve(shifted=True))
    at_half = np.interp(0.5, data[:, 0], data[:, 1])
    assert at_half == pytest.approx(1.0348, abs=1e-3)
    peak = data[np.argmax(data[:, 1])]
    assert peak[0] == pytest.approx(0.128, abs=5e-3) and peak[1] == pytest.approx(2.23, abs=5e-3)


def test_sum_curve_before_the_bias(bench: Bench) -> None:
    data = curve_data(bench, bench.sum_curve())
    assert data[0, 1] == pytest.approx(0.57, abs=5e-3) and data[:, 1].max() == pytest.approx(2.81, abs=5e-3)


@pytest.mark.parametrize(("node", "interval"), [(0, (-32.26, 2.14)), (1, (-1.23, 1.29))])
def test_red_box_covers_the_used_interval(bench: Bench, node: int, interval: tuple[float, float]) -> None:
    plot = bench.activation_plot(node)
    box = bench.used_box(plot, node)[0]
    corners = plot.p2c(box.get_vertices())
    assert corners[:, 0].min() == pytest.approx(interval[0], abs=1e-9)
    assert corners[:, 0].max() == pytest.approx(interval[1], abs=1e-9)


def test_activation_plot_shows_the_whole_used_interval(bench: Bench) -> None:
    for node in range(2):
        plot = bench.activation_plot(node)
        lo, hi = bench.network.used_interval(0, node)
        assert plot.x_range[0] < lo and hi < plot.x_range[1]


def test_point_marks_sit_at_the_trace_values(bench: Bench) -> None:
    plot = bench.activation_plot(0)
    mark, height, copy = bench.point(plot, 0, 0.1, "#000000")
    assert plot.p2c(height[0].get_center())[0] == pytest.approx([-1.30, 0.2410], abs=1e-4)
    assert bench.output_plot.p2c(copy.get_center())[0] == pytest.approx([0.1, 0.2410], abs=1e-4)
    assert height[1].text == "0.24"


def test_diagram_boxes_show_the_parameters(bench: Bench) -> None:
    diagram = bench.diagram
    labels = {key: box.label.text for key, box in diagram.weight_boxes.items()}
    assert labels[1, 0, 0] == "×−34.40" and labels[2, 0, 1] == "×2.28"
    assert diagram.bias_boxes[2, 0].label.text == "−0.58"


def test_diagram_fits_in_frame(bench: Bench) -> None:
    from manim import config
    for mob in (bench.diagram, bench.output_plot, bench.activation_plot(0)):
        assert abs(mob.get_left()[0]) <= config.frame_width / 2 and abs(mob.get_right()[0]) <= config.frame_width / 2
        assert abs(mob.get_top()[1]) <= config.frame_height / 2 and abs(mob.get_bottom()[1]) <= config.frame_height / 2
