"""The scene templates follow any network within the drawing limits: curves, layout, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manim import config, tempconfig

import nnmath
from nnmath import Layer, Network
from scenes import film, render
from scenes.layout import MAX_HIDDEN_LAYERS, MAX_NODES, collisions
from scenes.pieces.bench import Bench
from scenes.pieces.diagram import NetworkDiagram

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def test_there_are_four_examples_of_the_kinds_the_readme_promises() -> None:
    networks = {path.stem: nnmath.load(path) for path in EXAMPLES}
    assert {"statquest", "relu-in-action", "tanh-wave", "two-layers"} <= set(networks)
    assert [layer.size for layer in networks["tanh-wave"].layers] == [3, 1]
    assert networks["tanh-wave"].layers[0].activation == "tanh"
    assert len(networks["two-layers"].layers) == 3
    assert networks["relu-in-action"].layers[-1].activation == "relu"


@pytest.mark.parametrize(("example", "slugs"), [
    ("tanh-wave", ["top-path", "used-part", "scale", "path-2", "path-3", "sum"]),
    ("two-layers", ["top-path", "used-part", "bottom-path", "layer-2-node-1", "layer-2-node-2", "sum"]),
])
def test_chapters_follow_the_network(example: str, slugs: list[str]) -> None:
    chapters = [c.slug for c in film.chapters_for(nnmath.load(ROOT / "examples" / f"{example}.toml"))]
    assert chapters[chapters.index("top-path"):chapters.index("sum") + 1] == slugs


def test_a_network_without_data_drops_the_data_chapter() -> None:
    net = nnmath.presets.statquest()
    bare = Network(layers=net.layers, inputs=net.inputs, outputs=net.outputs)
    slugs = [c.slug for c in film.chapters_for(bare)]
    assert "problem" not in slugs and "prediction" in slugs


def anchors(bench: Bench, curve) -> np.ndarray:
    return bench.output_plot.p2c(curve.get_anchors())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_node_curve_matches_the_trace(path: Path) -> None:
    net = nnmath.load(path)
    bench = Bench(net)
    trace = net.trace(bench.xs)
    lo, hi = bench.output_plot.y_range
    for k, layer in enumerate(net.layers):
        for i in range(layer.size):
            data = anchors(bench, bench.node_curve(i, layer=k))
            expected = np.interp(data[:, 0], bench.xs, trace.layers[k].post[:, i])
            assert np.allclose(data[:, 1], expected, atol=1e-9), (k, i)
            inside = (trace.layers[k].post[:, i] >= lo) & (trace.layers[k].post[:, i] <= hi)
            assert inside.all(), "the output plot's range holds every node's curve"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_assembly_steps_end_on_the_trace(path: Path) -> None:
    """Scaling, shifting and bending each end exactly on the values nnmath computes."""
    net = nnmath.load(path)
    bench = Bench(net)
    trace = net.trace(bench.xs)
    k = len(net.layers) - 1
    curve = bench.node_curve(0, layer=k - 1)
    steps = [(bench.scale_to(k, 0, 0, curve), trace.layers[k].contributions[:, 0, 0]),
             (bench.shift(k, 0, curve), trace.layers[k].pre[:, 0]),
             (bench.bend(k, 0, curve), trace.layers[k].post[:, 0])]
    for animation, expected in steps:
        animation.begin()
        animation.interpolate(1.0)
        data = anchors(bench, curve)
        wanted = np.interp(data[:, 0], bench.xs, np.clip(expected, *bench.output_plot.y_range))
        assert np.allclose(data[:, 1], wanted, atol=1e-9)


def random_network(draw, hidden: int, sizes: list[int]) -> Network:
    activations = st.sampled_from(sorted(nnmath.ACTIVATIONS))
    weights = st.floats(-20, 20, allow_nan=False).map(lambda v: round(v, 2))
    layers, before = [], 1
    for size in sizes + [1]:
        layers.append(Layer([[draw(weights) for _ in range(before)] for _ in range(size)],
                            [draw(weights) for _ in range(size)], draw(activations)))
        before = size
    return Network(layers=tuple(layers), inputs=("Input",), outputs=("Output",))


@st.composite
def drawable_networks(draw) -> Network:
    hidden = draw(st.integers(1, MAX_HIDDEN_LAYERS))
    sizes = [draw(st.integers(1, MAX_NODES)) for _ in range(hidden)]
    return random_network(draw, hidden, sizes)


def labels_of(diagram: NetworkDiagram) -> list:
    nodes = [node for column in diagram.nodes for node in column]
    words = [junction[1] for junction in diagram.junctions.values() if len(junction) > 1]
    return [*nodes, *words, *diagram.weight_boxes.values(), *diagram.bias_boxes.values(),
            *diagram.input_labels, *diagram.output_labels]


def describe(mobject) -> str:
    """A label's text (or kind) and where it is, for a failure message."""
    text = getattr(getattr(mobject, "label", mobject), "text", type(mobject).__name__)
    return f"{text} at {np.round(mobject.get_center()[:2], 2).tolist()}"


def in_frame(mobject) -> bool:
    w, h = config.frame_width / 2, config.frame_height / 2
    return (-w <= mobject.get_left()[0] and mobject.get_right()[0] <= w
            and -h <= mobject.get_bottom()[1] and mobject.get_top()[1] <= h)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawable_networks())
def test_layout_has_no_overlaps_and_stays_in_frame(net: Network) -> None:
    bench = Bench(net)
    labels = labels_of(bench.diagram)
    overlaps = [(describe(labels[a]), describe(labels[b])) for a, b in collisions(labels)]
    assert not overlaps, f"labels of the diagram overlap: {overlaps}"
    plots = [bench.output_plot, bench.activation_plot(0)]
    for plot in plots:
        assert not collisions([*plot.ticks, *plot.names]), "tick labels overlap"
    assert not collisions([bench.diagram, *plots]), "diagram and plots overlap"
    for mobject in [*labels, *plots]:
        assert in_frame(mobject)


@pytest.mark.parametrize(("spec", "message"), [
    ("[[layers]]\nactivation='relu'\nweights=[[1.0]]*7\nbiases=[0.0]*7\n", "layers[0]: 7 nodes; the film draws at most 6"),
    ("inputs=['a','b']\n[[layers]]\nactivation='relu'\nweights=[[1.0, 1.0]]\nbiases=[0.0]\n"
     "[[layers]]\nactivation='identity'\nweights=[[1.0]]\nbiases=[0.0]\n", "inputs: the film draws networks with exactly one input"),
    ("[[layers]]\nactivation='identity'\nweights=[[1.0]]\nbiases=[0.0]\n", "layers: 0 hidden layer(s); the film draws 1 to 3"),
])
def test_too_large_or_odd_spec_is_one_line_and_exit_2(tmp_path: Path, spec: str, message: str) -> None:
    path = tmp_path / "net.toml"
    path.write_text(spec.replace("[[1.0]]*7", "[" + ", ".join(["[1.0]"] * 7) + "]")
                        .replace("[0.0]*7", "[" + ", ".join(["0.0"] * 7) + "]")
                        .replace("weights=[[1.0]]\nbiases=[0.0]\n[[layers]]", "weights=[[1.0]]\nbiases=[0.0]\n[[layers]]"))
    if "7 nodes" in message:
        path.write_text(path.read_text() + "[[layers]]\nactivation='identity'\nweights=[["
                        + ", ".join(["1.0"] * 7) + "]]\nbiases=[0.0]\n")
    result = subprocess.run([sys.executable, "-m", "scenes.cli", "render", "--network", str(path),
                             "--quality", "low"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and message in lines[0]


DISTINCT = [("tanh-wave", "path-3"), ("tanh-wave", "prediction"), ("two-layers", "layer-2-node-2"),
            ("two-layers", "prediction")]


@pytest.mark.parametrize(("example", "slug"), DISTINCT)
def test_template_chapters_construct(example: str, slug: str) -> None:
    chapter = film.select(film.chapters_for(nnmath.load(ROOT / "examples" / f"{example}.toml")), [slug])[0]
    with tempconfig({"dry_run": True, "quality": "low_quality", "progress_bar": "none", "verbosity": "ERROR"}):
        scene = chapter()
        scene.render()
    assert scene.renderer.file_writer.subcaptions


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_renders_a_short_chapter(path: Path, tmp_path: Path) -> None:
    chapter = film.select(film.chapters_for(nnmath.load(path)), ["bias"])[0]
    part = render.render_part(chapter, render.QUALITIES["low"], tmp_path)
    with av.open(str(part.video)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == round(part.duration * 15) and part.captions


def test_walkthrough_scene_plays_chapters_in_one_scene() -> None:
    class Short(film.Walkthrough):
        network = nnmath.presets.relu_in_action()
        only = ("title", "used-part")

    with tempconfig({"dry_run": True, "quality": "low_quality", "progress_bar": "none", "verbosity": "ERROR"}):
        scene = Short()
        scene.render()
    captions = scene.renderer.file_writer.subcaptions
    assert len(captions) >= 2 and captions[-1].end.total_seconds() > captions[0].end.total_seconds()


@pytest.mark.parametrize(("module", "scene"), [
    ("my_video", "MyTwoChapters"), ("parts", "Diagram"), ("parts", "Sweep"), ("parts", "Scale"),
    ("parts", "Sum"), ("parts", "Shift"), ("parts", "Prediction")])
def test_readme_examples_run_with_plain_manim(module: str, scene: str, monkeypatch) -> None:
    """The example files the README shows construct as they are (Manim's dry run)."""
    import importlib.util

    monkeypatch.chdir(ROOT)
    spec = importlib.util.spec_from_file_location(module, ROOT / "examples" / f"{module}.py")
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    with tempconfig({"dry_run": True, "quality": "low_quality", "progress_bar": "none", "verbosity": "ERROR"}):
        instance = getattr(loaded, scene)()
        instance.render()
    assert instance.time > 0
