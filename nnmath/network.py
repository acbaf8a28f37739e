"""A small fully connected network, its forward pass, and a per-node trace of every step."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnmath import activations


class NetworkError(ValueError):
    """A network that cannot be built; `field` says where (e.g. ``layers[1].weights``)."""

    def __init__(self, field: str, problem: str, fix: str = "") -> None:
        self.field, self.problem, self.fix = field, problem, fix
        super().__init__(f"{field}: {problem}" + (f"; {fix}" if fix else ""))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _finite_array(value: object, field: str, ndim: int) -> np.ndarray:
    items = np.asarray(value, dtype=object).ravel() if not isinstance(value, np.ndarray) else None
    if items is not None and not all(_is_number(item) for item in items):
        raise NetworkError(field, "must hold only numbers", "write plain numbers like 2.14, "
                           "without quotes, true or false")
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise NetworkError(field, "must hold only numbers", "write plain numbers like 2.14") from None
    if array.ndim != ndim:
        shape = "a list of rows, one per node" if ndim == 2 else "a flat list of numbers"
        raise NetworkError(field, f"expected {shape}, got {array.ndim} dimension(s)")
    if not np.all(np.isfinite(array)):
        raise NetworkError(field, "holds NaN or infinity", "use finite numbers")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Layer:
    """Weights of shape (nodes, nodes of the previous layer), as in torch.nn.Linear."""

    weights: np.ndarray
    biases: np.ndarray
    activation: str = "identity"

    @property
    def size(self) -> int:
        return len(self.biases)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return activations.get(self.activation)(x)


@dataclass(frozen=True, eq=False)
class DataSet:
    """Observed points: inputs (n, network inputs) and targets (n, network outputs)."""

    inputs: np.ndarray
    targets: np.ndarray


@dataclass(frozen=True)
class LayerTrace:
    """Everything one layer computes, for n samples.

    ``incoming`` (n, prev) values arriving from the previous layer; ``contributions``
    (n, nodes, prev) each incoming value times its weight; ``sums`` (n, nodes) their sum;
    ``pre`` (n, nodes) sum plus bias, the x-axis coordinate on the activation plot;
    ``post`` (n, nodes) the activation applied, the node's output.
    """

    incoming: np.ndarray
    contributions: np.ndarray
    sums: np.ndarray
    pre: np.ndarray
    post: np.ndarray


@dataclass(frozen=True)
class Trace:
    inputs: np.ndarray
    layers: tuple[LayerTrace, ...]

    @property
    def outputs(self) -> np.ndarray:
        return self.layers[-1].post


@dataclass(frozen=True, eq=False)
class Network:
    layers: tuple[Layer, ...]
    inputs: tuple[str, ...] = ("x",)
    outputs: tuple[str, ...] = ("y",)
    name: str = ""
    data: DataSet | None = None
    input_range: tuple[float, float] = (0.0, 1.0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", tuple(self._checked_layers()))
        object.__setattr__(self, "inputs", tuple(self.inputs))
        object.__setattr__(self, "outputs", tuple(self.outputs))
        if self.layers[-1].size != len(self.outputs):
            raise NetworkError("outputs", f"names {len(self.outputs)} output(s) but the last "
                               f"layer has {self.layers[-1].size} node(s)")
        bounds = _finite_array(self.input_range, "input_range", 1)
        if len(bounds) != 2 or not bounds[0] < bounds[1]:
            raise NetworkError("input_range", f"expected [low, high] with low < high, got {bounds.tolist()}")
        object.__setattr__(self, "input_range", (float(bounds[0]), float(bounds[1])))
        if self.data is not None:
            object.__setattr__(self, "data", self._checked_data(self.data))

    def _checked_layers(self) -> list[Layer]:
        if not self.layers:
            raise NetworkError("layers", "a network needs at least one layer")
        checked, previous = [], len(self.inputs)
        for i, layer in enumerate(self.layers):
            where = f"layers[{i}]"
            weights = _finite_array(layer.weights, f"{where}.weights", 2)
            biases = _finite_array(layer.biases, f"{where}.biases", 1)
            if weights.shape != (len(biases), previous):
                raise NetworkError(
                    f"{where}.weights",
                    f"expected shape ({len(biases)}, {previous}) (one row per node, one column "
                    f"per {'input' if i == 0 else 'node of the previous layer'}), got {weights.shape}")
            if layer.activation not in activations.ACTIVATIONS:
                known = ", ".join(sorted(activations.ACTIVATIONS))
                raise NetworkError(f"{where}.activation", f"unknown activation {layer.activation!r}",
                                   f"use one of: {known}")
            checked.append(Layer(weights, biases, layer.activation))
            previous = len(biases)
        return checked

    def _checked_data(self, data: DataSet) -> DataSet:
        inputs = _finite_array(data.inputs, "data.inputs", 2)
        targets = _finite_array(data.targets, "data.targets", 2)
        if inputs.shape[1:] != (len(self.inputs),) or targets.shape[1:] != (len(self.outputs),):
            raise NetworkError("data", f"each input row needs {len(self.inputs)} value(s) and each "
                               f"target row {len(self.outputs)}")
        if len(inputs) != len(targets):
            raise NetworkError("data", f"{len(inputs)} input rows but {len(targets)} target rows")
        return DataSet(inputs, targets)

    def _as_samples(self, x: np.ndarray | float) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        width = len(self.inputs)
        if x.ndim <= 1 and (width == 1 or x.size == width):
            return x.reshape(-1, width)
        if x.ndim != 2 or x.shape[1] != width:
            raise ValueError(f"inputs must have shape (n, {width}), got {x.shape}")
        return x

    def trace(self, x: np.ndarray | float) -> Trace:
        """Every intermediate value for inputs `x`, shape (n,) or (n, inputs)."""
        incoming = self._as_samples(x)
        steps = []
        for layer in self.layers:
            contributions = incoming[:, None, :] * layer.weights
            sums = contributions.sum(axis=-1)
            pre = sums + layer.biases
            post = layer.apply(pre)
            steps.append(LayerTrace(incoming, contributions, sums, pre, post))
            incoming = post
        return Trace(self._as_samples(x), tuple(steps))

    def forward(self, x: np.ndarray | float) -> np.ndarray:
        """Outputs of shape (n, outputs)."""
        return self.trace(x).outputs

    def used_interval(self, layer: int, node: int, samples: int = 2001) -> tuple[float, float]:
        """The stretch of its activation's x-axis that a node uses over the input range."""
        if len(self.inputs) != 1:
            raise ValueError("used_interval needs a network with one input")
        x = np.linspace(*self.input_range, samples)
        pre = self.trace(x).layers[layer].pre[:, node]
        return float(pre.min()), float(pre.max())

    @property
    def hidden_layers(self) -> tuple[Layer, ...]:
        return self.layers[:-1]
