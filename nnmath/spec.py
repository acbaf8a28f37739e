"""TOML network specs: load with errors that name the file, the field and the fix; save exactly."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from nnmath.network import DataSet, Layer, Network, NetworkError


class SpecError(ValueError):
    """A spec that cannot be used, as one line: ``file: field: problem; fix``."""


def _require(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
             example: str) -> Any:
    if key not in table:
        raise NetworkError(where + key, "missing", f"add it, e.g. {example}")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise NetworkError(where + key, f"has the wrong type ({type(value).__name__})",
                           f"write it like {example}")
    return value


def _names(table: dict[str, Any], key: str, default: list[str]) -> list[str]:
    names = table.get(key, default)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise NetworkError(key, "must be a non-empty list of names", f'write e.g. {key} = ["x"]')
    return names


def from_dict(table: dict[str, Any]) -> Network:
    """Build a Network from a parsed spec; NetworkError names the bad field."""
    layers = _require(table, "layers", list, "", "[[layers]] tables")
    built = []
    for i, layer in enumerate(layers):
        where = f"layers[{i}]."
        if not isinstance(layer, dict):
            raise NetworkError(f"layers[{i}]", "must be a table", "write it as [[layers]]")
        built.append(Layer(
            weights=_require(layer, "weights", list, where, "weights = [[-34.4], [-2.52]]"),
            biases=_require(layer, "biases", list, where, "biases = [2.14, 1.29]"),
            activation=_require(layer, "activation", str, where, 'activation = "softplus"'),
        ))
    data = table.get("data")
    if data is not None:
        if not isinstance(data, dict):
            raise NetworkError("data", "must be a table", "write it as [data]")
        data = DataSet(_require(data, "inputs", list, "data.", "inputs = [[0.0], [0.5]]"),
                       _require(data, "targets", list, "data.", "targets = [[0.0], [1.0]]"))
    input_range = table.get("input_range", [0.0, 1.0])
    if not (isinstance(input_range, list) and len(input_range) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in input_range)):
        raise NetworkError("input_range", "must be two numbers", "write e.g. input_range = [0.0, 1.0]")
    name = table.get("name", "")
    if not isinstance(name, str):
        raise NetworkError("name", "must be text", 'write e.g. name = "My network"')
    return Network(
        layers=tuple(built),
        inputs=tuple(_names(table, "inputs", ["x"])),
        outputs=tuple(_names(table, "outputs", ["y"])),
        name=name,
        data=data,
        input_range=(input_range[0], input_range[1]),
    )


def to_dict(network: Network) -> dict[str, Any]:
    """The spec table for `network`, the inverse of `from_dict`."""
    table: dict[str, Any] = {
        "name": network.name,
        "inputs": list(network.inputs),
        "outputs": list(network.outputs),
        "input_range": list(network.input_range),
        "layers": [{"activation": layer.activation, "weights": layer.weights.tolist(),
                    "biases": layer.biases.tolist()} for layer in network.layers],
    }
    if network.data is not None:
        table["data"] = {"inputs": network.data.inputs.tolist(),
                         "targets": network.data.targets.tolist()}
    return table


def loads(text: str, source: str = "<spec>") -> Network:
    """Parse spec text; errors are SpecError lines that start with `source`."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{source}: not valid TOML ({error}); check quotes, brackets and commas") from None
    try:
        return from_dict(table)
    except NetworkError as error:
        raise SpecError(f"{source}: {error}") from None


def load(path: str | Path) -> Network:
    """Read a TOML spec file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"{path}: cannot read ({error.strerror}); check the path") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not a text file; a spec is TOML text") from None
    return loads(text, str(path))


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        # JSON string escapes are valid TOML basic-string escapes; DEL must be escaped too.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return repr(float(value))  # repr round-trips every float exactly


def dumps(network: Network) -> str:
    """Spec text for `network`, compact and exact: ``loads(dumps(n))`` rebuilds `n`."""
    table = to_dict(network)
    lines = [f"{key} = {_toml_value(table[key])}" for key in ("name", "inputs", "outputs", "input_range")]
    for layer in table["layers"]:
        lines += ["", "[[layers]]"] + [f"{key} = {_toml_value(value)}" for key, value in layer.items()]
    if "data" in table:
        lines += ["", "[data]"] + [f"{key} = {_toml_value(value)}" for key, value in table["data"].items()]
    return "\n".join(lines) + "\n"


def save(network: Network, path: str | Path) -> Path:
    """Write `network` as a TOML spec (atomically) and return the path."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dumps(network), encoding="utf-8")
    partial.replace(path)
    return path
