"""The storyboard's networks, ready to use."""

from __future__ import annotations

from nnmath.network import DataSet, Layer, Network

_DOSAGE_DATA = DataSet(inputs=[[0.0], [0.5], [1.0]], targets=[[0.0], [1.0], [0.0]])


def statquest() -> Network:
    """Inside the black box: dosage -> two softplus nodes -> efficacy."""
    return Network(
        name="Inside the black box",
        inputs=("Dosage",),
        outputs=("Efficacy",),
        layers=(
            Layer(weights=[[-34.4], [-2.52]], biases=[2.14, 1.29], activation="softplus"),
            Layer(weights=[[-1.30, 2.28]], biases=[-0.58], activation="identity"),
        ),
        data=_DOSAGE_DATA,
    )


def relu_in_action() -> Network:
    """The same data fitted with ReLU nodes and a final ReLU on the output."""
    return Network(
        name="ReLU in action",
        inputs=("Dosage",),
        outputs=("Efficacy",),
        layers=(
            Layer(weights=[[1.70], [12.6]], biases=[-0.85, 0.0], activation="relu"),
            Layer(weights=[[-40.8, 2.70]], biases=[-16.0], activation="relu"),
        ),
        data=_DOSAGE_DATA,
    )


PRESETS = {"statquest": statquest, "relu-in-action": relu_in_action}


def big_network(sizes: tuple[int, ...] = (3, 4, 4, 2)) -> Network:
    """A larger network, for its shape only (all parameters zero): several inputs, two hidden
    layers, several outputs."""
    last = len(sizes) - 2
    layers = tuple(Layer(weights=[[0.0] * before] * after, biases=[0.0] * after,
                         activation="identity" if k == last else "softplus")
                   for k, (before, after) in enumerate(zip(sizes, sizes[1:])))
    return Network(layers=layers, inputs=tuple(f"in {i + 1}" for i in range(sizes[0])),
                   outputs=tuple(f"out {i + 1}" for i in range(sizes[-1])))
