"""The network, checked against the storyboard's numbers and against a plain-Python model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import REFERENCE, networks, samples

from nnmath import DataSet, Layer, Network, NetworkError, Trace, activations, fmt, presets
from nnmath.display import MINUS

# ---------------------------------------------------------------- storyboard: the main network

Pick = Callable[[Trace], float]

#: The storyboard's "Values the video shows": (step, dosage, where in the trace, full value,
#: tolerance matching the digits it is written with, displayed text).
VALUES_SHOWN: list[tuple[str, float, Pick, float, float, str]] = [
    ("top node x at dosage 0", 0.0, lambda t: t.layers[0].pre[0, 0], 2.14, 5e-3, "2.14"),
    ("softplus(2.14)", 0.0, lambda t: t.layers[0].post[0, 0], 2.2512, 5e-5, "2.25"),
    ("top node x at dosage 0.1", 0.1, lambda t: t.layers[0].pre[0, 0], -1.30, 5e-3,
     MINUS + "1.30"),
    ("softplus(-1.30)", 0.1, lambda t: t.layers[0].post[0, 0], 0.2410, 5e-5, "0.24"),
    ("2.2512 x -1.30", 0.0, lambda t: t.layers[1].contributions[0, 0, 0], -2.9266, 5e-5,
     MINUS + "2.93"),
    ("bottom node x at dosage 0", 0.0, lambda t: t.layers[0].pre[0, 1], 1.29, 5e-3, "1.29"),
    ("softplus(1.29)", 0.0, lambda t: t.layers[0].post[0, 1], 1.5332, 5e-5, "1.53"),
    ("top node x at dosage 0.5", 0.5, lambda t: t.layers[0].pre[0, 0], -15.06, 5e-3,
     MINUS + "15.06"),
    ("bottom node x at dosage 0.5", 0.5, lambda t: t.layers[0].pre[0, 1], 0.03, 5e-3, "0.03"),
    # The storyboard prints 1.6149, which is softplus rounded to 0.7083 times 2.28 (a chained
    # rounding); ln(1 + e^0.03) x 2.28 = 1.614832..., so its fourth digit is 8.
    ("softplus(0.03) x 2.28", 0.5, lambda t: t.layers[1].contributions[0, 0, 1], 1.6148, 5e-5,
     "1.61"),
    ("output at dosage 0.5", 0.5, lambda t: t.outputs[0, 0], 1.0348, 5e-5, "1.03"),
]


@pytest.mark.parametrize(("step", "dosage", "pick", "full", "tolerance", "shown"), VALUES_SHOWN,
                         ids=[case[0] for case in VALUES_SHOWN])
def test_values_the_video_shows(step: str, dosage: float, pick: Pick, full: float,
                                tolerance: float, shown: str) -> None:
    """Full precision matches the storyboard to its digits; fmt shows the storyboard's text."""
    value = float(pick(presets.statquest().trace(dosage)))
    assert value == pytest.approx(full, rel=0.0, abs=tolerance)
    assert fmt(value) == shown


DOSAGE = np.linspace(0.0, 1.0, 10001)


@pytest.fixture(scope="module")
def sweep() -> Trace:
    """The statquest network traced over dosages 0..1 in steps of 0.0001."""
    return presets.statquest().trace(DOSAGE)


def _at(curve: np.ndarray, dosage: float) -> float:
    """The value of a curve sampled on DOSAGE at the grid point nearest `dosage`."""
    return float(curve[int(np.argmin(np.abs(DOSAGE - dosage)))])


def test_shape_scaled_blue_curve(sweep: Trace) -> None:
    """Blue: -2.93 at dosage 0, about 0 (|y| < 0.02) from dosage 0.2 on."""
    blue = sweep.layers[1].contributions[:, 0, 0]
    assert _at(blue, 0.0) == pytest.approx(-2.93, abs=5e-3)
    assert np.all(np.abs(blue[DOSAGE >= 0.2]) < 0.02)


def test_shape_scaled_orange_curve(sweep: Trace) -> None:
    """Orange: falls steadily from 3.50 at dosage 0 to 0.58 at dosage 1."""
    orange = sweep.layers[1].contributions[:, 0, 1]
    assert _at(orange, 0.0) == pytest.approx(3.50, abs=5e-3)
    assert _at(orange, 1.0) == pytest.approx(0.58, abs=5e-3)
    assert np.all(np.diff(orange) < 0)


def test_shape_sum(sweep: Trace) -> None:
    """Sum: 0.57 at 0, peak near 2.81 at dosage 0.128, 1.61 at 0.5, 0.58 at 1."""
    total = sweep.layers[1].sums[:, 0]
    assert _at(total, 0.0) == pytest.approx(0.57, abs=5e-3)
    assert total.max() == pytest.approx(2.81, abs=5e-3)
    assert DOSAGE[total.argmax()] == pytest.approx(0.128, abs=5e-4)
    assert _at(total, 0.5) == pytest.approx(1.61, abs=5e-3)
    assert _at(total, 1.0) == pytest.approx(0.58, abs=5e-3)


def test_shape_final_squiggle(sweep: Trace) -> None:
    """Final: -0.011 at 0, peak about 2.23 near 0.128, 1.035 at 0.5, 0.005 at 1 (lopsided)."""
    out = sweep.outputs[:, 0]
    assert np.array_equal(out, sweep.layers[1].pre[:, 0])  # no activation on the output
    assert _at(out, 0.0) == pytest.approx(-0.011, abs=5e-4)
    assert out.max() == pytest.approx(2.23, abs=5e-3)
    assert DOSAGE[out.argmax()] == pytest.approx(0.128, abs=5e-4)
    assert _at(out, 0.5) == pytest.approx(1.035, abs=5e-4)
    assert _at(out, 1.0) == pytest.approx(0.005, abs=5e-4)


@pytest.mark.parametrize(("node", "interval"), [(0, (-32.26, 2.14)), (1, (-1.23, 1.29))])
def test_red_box_used_interval(node: int, interval: tuple[float, float]) -> None:
    """The slice of softplus each hidden node uses for dosages 0..1."""
    low, high = presets.statquest().used_interval(0, node)
    assert (low, high) == pytest.approx(interval, abs=5e-3)


# ---------------------------------------------------------------- storyboard: further networks

def test_relu_in_action_before_final_relu() -> None:
    """Before the output ReLU: -16 at 0, 1.01 at 0.5, -16.66 at 1."""
    pre = presets.relu_in_action().trace([0.0, 0.5, 1.0]).layers[1].pre[:, 0]
    assert pre == pytest.approx([-16.0, 1.01, -16.66], abs=5e-3)


def test_relu_in_action_output_is_a_single_peak() -> None:
    """Output is 0 except a peak of 1.01 at dosage 0.5 (exactly 0 outside [0.45, 0.55])."""
    out = presets.relu_in_action().forward(DOSAGE)[:, 0]
    assert out.max() == pytest.approx(1.01, abs=5e-3)
    assert DOSAGE[out.argmax()] == pytest.approx(0.5, abs=1e-9)
    assert fmt(out.max()) == "1.01"
    assert np.all(out[(DOSAGE < 0.45) | (DOSAGE > 0.55)] == 0.0)
    assert np.all(out >= 0.0)


def iris() -> Network:
    """The storyboard's "multiple inputs and outputs" network, built by hand."""
    return Network(
        name="Iris",
        inputs=("Petal width", "Sepal width"),
        outputs=("Setosa", "Versicolor", "Virginica"),
        layers=(
            Layer(weights=[[-2.5, 0.6], [-1.5, 0.4]], biases=[1.6, 0.7], activation="relu"),
            Layer(weights=[[-0.1, 1.5], [2.4, -5.2], [-2.2, 3.7]], biases=[0.0, 0.0, 1.0]),
        ),
    )


def test_iris_outputs_at_p0_s1() -> None:
    """At petal width 0, sepal width 1 the three outputs are 1.43, -0.44, 0.23."""
    out = iris().forward([[0.0, 1.0]])
    assert out.shape == (1, 3)
    assert out[0] == pytest.approx([1.43, -0.44, 0.23], abs=5e-3)
    assert [fmt(v) for v in out[0]] == ["1.43", MINUS + "0.44", "0.23"]


# ---------------------------------------------------------------- forward shapes

@pytest.mark.parametrize(("x", "shape"), [
    (np.linspace(0.0, 1.0, 7), (7, 1)),
    (np.linspace(0.0, 1.0, 7)[:, None], (7, 1)),
    (0.5, (1, 1)),
    (np.float64(0.5), (1, 1)),
    ([0.0, 0.5], (2, 1)),
])
def test_forward_shapes_one_input(x: Any, shape: tuple[int, int]) -> None:
    """(n,) and (n, 1) give (n, outputs); a scalar gives (1, outputs)."""
    out = presets.statquest().forward(x)
    assert out.shape == shape
    assert np.array_equal(out, presets.statquest().forward(np.ravel(x)))


def test_forward_shapes_two_inputs() -> None:
    """(n, 2) gives (n, 3) on the iris network, one row per sample."""
    x = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0], [0.2, 0.9]])
    out = iris().forward(x)
    assert out.shape == (4, 3)
    for row, expected in zip(x, out):
        assert np.array_equal(iris().forward(row[None, :])[0], expected)


@pytest.mark.parametrize(("network", "x"), [
    (presets.statquest, np.zeros((3, 2))),
    (iris, np.zeros((2, 4))),
], ids=["1-input given (3, 2)", "2-input given (2, 4)"])
def test_forward_rejects_input_of_the_wrong_width(network: Callable[[], Network],
                                                  x: np.ndarray) -> None:
    """Rows with a different number of values than the network has inputs are an error."""
    with pytest.raises(ValueError):
        network().forward(x)


# ---------------------------------------------------------------- properties of random networks

def _plain_forward(network: Network, row: Sequence[float]) -> list[float]:
    """One sample through the network with Python floats, loops and textbook activations."""
    values = [float(v) for v in row]
    for layer in network.layers:
        act = REFERENCE[layer.activation]
        values = [act(sum(float(w) * v for w, v in zip(weights, values)) + float(bias))
                  for weights, bias in zip(layer.weights, layer.biases)]
    return values


@given(st.data())
def test_forward_matches_a_plain_python_loop(data: st.DataObject) -> None:
    """Vectorized forward == per-sample scalar loop (atol covers sigmoid's tiny tail)."""
    net = data.draw(networks())
    x = data.draw(samples(net))
    expected = np.array([_plain_forward(net, row) for row in x])
    got = net.forward(x)
    assert got.shape == (len(x), len(net.outputs))
    assert np.allclose(got, expected, rtol=1e-12, atol=1e-9)


@given(st.data())
def test_trace_adds_up(data: st.DataObject) -> None:
    """Each layer's numbers follow exactly from the previous ones; outputs == forward."""
    net = data.draw(networks())
    x = data.draw(samples(net))
    trace = net.trace(x)
    assert np.array_equal(trace.inputs, x)
    assert len(trace.layers) == len(net.layers)
    incoming = x
    for layer, step in zip(net.layers, trace.layers):
        n, nodes, prev = len(x), layer.size, layer.weights.shape[1]
        assert step.contributions.shape == (n, nodes, prev)
        assert step.sums.shape == step.pre.shape == step.post.shape == (n, nodes)
        assert np.array_equal(step.incoming, incoming)
        assert np.array_equal(step.contributions, incoming[:, None, :] * layer.weights)
        assert np.array_equal(step.contributions.sum(axis=-1), step.sums)
        assert np.array_equal(step.sums + layer.biases, step.pre)
        assert np.array_equal(activations.get(layer.activation)(step.pre), step.post)
        incoming = step.post
    assert np.array_equal(trace.outputs, net.forward(x))


def test_reference_covers_the_built_ins() -> None:
    """The plain-Python model knows every built-in activation the strategies draw from."""
    assert set(REFERENCE) <= set(activations.ACTIVATIONS)


# ---------------------------------------------------------------- construction errors

def _statquest_args(**changes: Any) -> dict[str, Any]:
    """Keyword arguments for Network that rebuild presets.statquest(), with `changes`."""
    args: dict[str, Any] = {
        "name": "Inside the black box", "inputs": ("Dosage",), "outputs": ("Efficacy",),
        "layers": (Layer([[-34.4], [-2.52]], [2.14, 1.29], "softplus"),
                   Layer([[-1.30, 2.28]], [-0.58], "identity")),
        "data": DataSet([[0.0], [0.5], [1.0]], [[0.0], [1.0], [0.0]]),
    }
    return args | changes


def _hidden(weights: Any = ((-34.4,), (-2.52,)), biases: Any = (2.14, 1.29),
            activation: str = "softplus") -> Layer:
    """The statquest hidden layer, with one argument changed."""
    return Layer(weights, biases, activation)


_OUT = Layer([[-1.30, 2.28]], [-0.58])
NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(("changes", "field"), [
    ({"layers": ()}, "layers"),
    ({"layers": (_hidden(), Layer([[-1.30, 2.28, 1.0]], [-0.58]))}, "layers[1].weights"),
    ({"layers": (_hidden(weights=[[-34.4, 1.0], [-2.52, 1.0]]), _OUT)}, "layers[0].weights"),
    ({"layers": (_hidden(weights=[-34.4, -2.52]), _OUT)}, "layers[0].weights"),
    ({"layers": (_hidden(weights=[["a"], [1.0]]), _OUT)}, "layers[0].weights"),
    ({"layers": (_hidden(biases=[NAN, 1.29]), _OUT)}, "layers[0].biases"),
    ({"layers": (_hidden(biases=[[2.14, 1.29]]), _OUT)}, "layers[0].biases"),
    ({"layers": (_hidden(), Layer([[INF, 2.28]], [-0.58]))}, "layers[1].weights"),
    ({"layers": (_hidden(), Layer([[-1.30, 2.28]], [-INF]))}, "layers[1].biases"),
    ({"layers": (_hidden(activation="softmaxx"), _OUT)}, "layers[0].activation"),
    ({"outputs": ("Efficacy", "Toxicity")}, "outputs"),
    ({"input_range": (1.0, 0.0)}, "input_range"),
    ({"input_range": (0.5, 0.5)}, "input_range"),
    ({"input_range": (0.0, INF)}, "input_range"),
    ({"input_range": (NAN, 1.0)}, "input_range"),
    ({"data": DataSet([[0.0], [0.5]], [[0.0], [1.0], [0.0]])}, "data"),
    ({"data": DataSet([[0.0, 1.0]], [[0.0]])}, "data"),
    ({"data": DataSet([[NAN]], [[0.0]])}, "data.inputs"),
    ({"data": DataSet([[0.0]], [0.0])}, "data.targets"),
])
def test_construction_error_names_the_field(changes: dict[str, Any], field: str) -> None:
    """Each bad network raises NetworkError whose message starts with the field's name."""
    with pytest.raises(NetworkError) as caught:
        Network(**_statquest_args(**changes))
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize("input_range", [(0.0,), (0.0, 0.5, 1.0), ("low", "high")])
def test_malformed_input_range_is_a_network_error(input_range: Any) -> None:
    """input_range that is not two numbers is reported as a NetworkError on input_range."""
    with pytest.raises(NetworkError, match=r"^input_range: "):
        Network(**_statquest_args(input_range=input_range))


def test_valid_arguments_build_the_preset() -> None:
    """The unchanged arguments used above are a valid network equal to the preset."""
    net, preset = Network(**_statquest_args()), presets.statquest()
    assert np.array_equal(net.forward(DOSAGE), preset.forward(DOSAGE))
