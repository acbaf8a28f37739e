"""Numbers only: activations, networks, their traces, specs. No drawing here."""

from nnmath import presets
from nnmath.activations import ACTIVATIONS, Activation, register
from nnmath.display import fmt
from nnmath.network import DataSet, Layer, LayerTrace, Network, NetworkError, Trace
from nnmath.spec import SpecError, dumps, load, loads, save

__all__ = [
    "ACTIVATIONS", "Activation", "DataSet", "Layer", "LayerTrace", "Network", "NetworkError",
    "SpecError", "Trace", "dumps", "fmt", "load", "loads", "presets", "register", "save",
]
