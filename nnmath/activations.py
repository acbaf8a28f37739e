"""Activation functions: a registry of vectorized, numerically stable numpy functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

ArrayFunction = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Activation:
    """A named activation function and the formula shown beside its plot."""

    name: str
    function: ArrayFunction
    formula: str

    def __call__(self, x: np.ndarray | float) -> np.ndarray:
        return self.function(np.asarray(x, dtype=float))


ACTIVATIONS: dict[str, Activation] = {}


def register(name: str, function: ArrayFunction, formula: str) -> Activation:
    """Add an activation under `name` (replacing any earlier one) and return it."""
    activation = Activation(name, function, formula)
    ACTIVATIONS[name] = activation
    return activation


def get(name: str) -> Activation:
    """The activation registered as `name`; KeyError listing the known names otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise KeyError(f"unknown activation {name!r}; known: {known}") from None


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # e^-|x| never overflows; each branch keeps full relative precision in its tail.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


softplus = register("softplus", lambda x: np.logaddexp(0.0, x), "ln(1 + eˣ)")
relu = register("relu", lambda x: np.maximum(0.0, x), "max(0, x)")
sigmoid = register("sigmoid", _sigmoid, "eˣ / (1 + eˣ)")
tanh = register("tanh", np.tanh, "tanh(x)")
identity = register("identity", lambda x: np.array(x, dtype=float), "x")
