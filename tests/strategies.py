"""Hypothesis strategies for small random networks, shared by the network and spec tests."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st

from nnmath import DataSet, Layer, Network


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    return math.exp(x) / (1.0 + math.exp(x))


#: Scalar textbook definitions of the built-in activations, independent of nnmath.
REFERENCE: dict[str, Callable[[float], float]] = {
    "softplus": _softplus,
    "relu": lambda x: max(0.0, x),
    "sigmoid": _sigmoid,
    "tanh": math.tanh,
    "identity": lambda x: x,
}

ACTIVATION_NAMES = sorted(REFERENCE)


@st.composite
def networks(draw: st.DrawFn, values: st.SearchStrategy[float] | None = None,
             names: st.SearchStrategy[str] | None = None, with_data: bool = False) -> Network:
    """A network of 1-3 layers of 1-4 nodes with 1-4 inputs and built-in activations.

    `values` draws every weight, bias, data value and input-range end (default: floats in
    [-5, 5]); `names` draws the
    network, input and output names (default: fixed simple names); `with_data` adds a
    DataSet of 1-3 rows.
    """
    values = values if values is not None else st.floats(-5.0, 5.0)
    n_inputs = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    layers, previous = [], n_inputs
    for size in sizes:
        weights = [[draw(values) for _ in range(previous)] for _ in range(size)]
        biases = [draw(values) for _ in range(size)]
        layers.append(Layer(weights, biases, draw(st.sampled_from(ACTIVATION_NAMES))))
        previous = size
    label = names if names is not None else st.just("n")
    data = None
    if with_data:
        rows = draw(st.integers(1, 3))
        data = DataSet([[draw(values) for _ in range(n_inputs)] for _ in range(rows)],
                       [[draw(values) for _ in range(previous)] for _ in range(rows)])
    low, high = draw(st.tuples(values, values).filter(lambda pair: pair[0] < pair[1]))
    return Network(
        layers=tuple(layers),
        inputs=tuple(draw(label) for _ in range(n_inputs)),
        outputs=tuple(draw(label) for _ in range(previous)),
        name=draw(label),
        data=data,
        input_range=(low, high),
    )


def samples(network: Network) -> st.SearchStrategy[np.ndarray]:
    """Input arrays of shape (n, inputs), n in 1..5, values in [-5, 5]."""
    width = len(network.inputs)
    return st.lists(st.lists(st.floats(-5.0, 5.0), min_size=width, max_size=width),
                    min_size=1, max_size=5).map(lambda rows: np.array(rows, dtype=float))
