"""Activation functions: vectorized, stable at extremes, documented, and extensible."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnmath import Layer, Network, NetworkError, activations, register

BUILT_INS = ["softplus", "relu", "sigmoid", "tanh", "identity"]


@pytest.fixture
def restore_registry() -> Iterator[None]:
    """Let a test register activations; put the registry back as it was afterwards."""
    saved = dict(activations.ACTIVATIONS)
    yield
    activations.ACTIVATIONS.clear()
    activations.ACTIVATIONS.update(saved)


@pytest.mark.parametrize("name", BUILT_INS)
@pytest.mark.parametrize("shape", [(0,), (5,), (2, 3), (2, 1, 4)])
def test_activation_is_vectorized(name: str, shape: tuple[int, ...]) -> None:
    """An array goes in, a float array of the same shape comes out, element by element."""
    x = np.linspace(-3.0, 3.0, math.prod(shape)).reshape(shape)
    y = activations.get(name)(x)
    assert isinstance(y, np.ndarray)
    assert y.shape == shape
    assert y.dtype == np.float64
    elementwise = [float(activations.get(name)(v)) for v in x.ravel()]
    assert np.array_equal(y.ravel(), elementwise)


@pytest.mark.parametrize(("name", "x", "expected"), [
    ("softplus", 0.0, math.log(2.0)),
    ("softplus", 2.14, 2.2512),
    ("relu", -1.5, 0.0),
    ("relu", 1.5, 1.5),
    ("sigmoid", 0.0, 0.5),
    ("sigmoid", 2.0, math.exp(2.0) / (1.0 + math.exp(2.0))),
    ("tanh", 0.5, math.tanh(0.5)),
    ("identity", -2.9266, -2.9266),
])
def test_activation_values(name: str, x: float, expected: float) -> None:
    """Each activation matches its textbook formula (softplus(2.14) as in the storyboard)."""
    assert float(activations.get(name)(x)) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(("name", "x", "expected"), [
    ("softplus", 1000.0, 1000.0),
    ("softplus", -1000.0, 0.0),
    ("sigmoid", 1000.0, 1.0),
    ("sigmoid", -1000.0, 0.0),
])
def test_stable_at_extremes(name: str, x: float, expected: float) -> None:
    """No overflow to inf or NaN at +/-1000 (harmless underflow allowed), right limits."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = float(activations.get(name)(np.array([x]))[0])
    assert math.isfinite(y)
    assert y == pytest.approx(expected, rel=0.0, abs=1e-12)


@pytest.mark.parametrize(("name", "formula"), [
    ("softplus", "ln(1 + eˣ)"),
    ("relu", "max(0, x)"),
    ("sigmoid", "eˣ / (1 + eˣ)"),
])
def test_formula_for_display(name: str, formula: str) -> None:
    """The storyboard's three activations carry the formula shown beside their plot."""
    assert activations.get(name).formula == formula


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_activation_has_a_formula(name: str) -> None:
    """No activation is drawn without a formula."""
    assert activations.get(name).formula.strip()


def test_register_and_use_in_a_network(restore_registry: None) -> None:
    """A user-registered activation is unknown before, usable in a Network after."""
    layer = Layer(weights=[[1.0]], biases=[0.0], activation="leaky")
    with pytest.raises(NetworkError, match=r"layers\[0\]\.activation"):
        Network(layers=(layer,))
    leaky = register("leaky", lambda x: np.where(x > 0, x, 0.01 * x), "max(0.01x, x)")
    assert activations.get("leaky") is leaky
    assert leaky.formula == "max(0.01x, x)"
    net = Network(layers=(layer,))
    assert np.array_equal(net.forward([-2.0, 3.0]), [[-0.02], [3.0]])


def test_unknown_name_lists_known_ones() -> None:
    """get() of an unknown name raises KeyError naming it and every built-in."""
    with pytest.raises(KeyError) as caught:
        activations.get("swish")
    message = str(caught.value)
    assert "swish" in message
    for name in BUILT_INS:
        assert name in message


@given(st.floats(-700.0, 700.0))
def test_softplus_is_at_least_relu(x: float) -> None:
    """ln(1 + eˣ) > max(0, x) mathematically; in floats at least >=."""
    softplus, relu = activations.get("softplus"), activations.get("relu")
    assert softplus(x) >= relu(x)


@given(st.floats(-30.0, 30.0))
def test_sigmoid_strictly_between_zero_and_one(x: float) -> None:
    """For |x| <= 30 the sigmoid never rounds to 0 or 1."""
    y = float(activations.get("sigmoid")(x))
    assert 0.0 < y < 1.0
