"""The `squiggle` command line: parse arguments, then hand over to nnmath or the renderer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import nnmath
from nnmath import Network, fmt
from nnmath.presets import PRESETS


class UsageError(Exception):
    """A problem the user can fix, reported as one line with exit code 2."""


def load_network(name_or_path: str) -> Network:
    """A preset by name, or a TOML spec by path."""
    if name_or_path in PRESETS:
        return PRESETS[name_or_path]()
    path = Path(name_or_path)
    if path.suffix != ".toml" and not path.exists():
        known = ", ".join(PRESETS)
        raise UsageError(f"{name_or_path}: no such preset or spec file; use one of {known} or a .toml path")
    try:
        return nnmath.load(path)
    except nnmath.SpecError as error:
        raise UsageError(str(error)) from None


def describe(network: Network) -> str:
    """Parameters and a small table of outputs, as plain text."""
    lines = [network.name or "(unnamed network)",
             f"inputs: {', '.join(network.inputs)}   outputs: {', '.join(network.outputs)}", ""]
    for i, layer in enumerate(network.layers):
        kind = "output layer" if i == len(network.layers) - 1 else f"hidden layer {i + 1}"
        lines.append(f"{kind}: {layer.size} node(s), activation {layer.activation}")
        for node, (row, bias) in enumerate(zip(layer.weights, layer.biases)):
            weights = ", ".join(fmt(w) for w in row)
            lines.append(f"  node {node + 1}: weights [{weights}]  bias {fmt(bias)}")
    if network.data is not None:
        samples, title = network.data.inputs, "at the data inputs"
    elif len(network.inputs) == 1:
        samples, title = np.linspace(*network.input_range, 5)[:, None], "over the input range"
    else:
        return "\n".join(lines)
    outputs = network.forward(samples)
    lines += ["", f"outputs {title}:",
              "  " + "  ".join(f"{name:>10}" for name in network.inputs + network.outputs)]
    for x, y in zip(samples, outputs):
        lines.append("  " + "  ".join(f"{fmt(v):>10}" for v in (*x, *y)))
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    print(describe(load_network(args.network)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="squiggle",
        description="Turn small neural networks into exact, animated explainer videos.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    show = commands.add_parser("show", help="print a network's parameters and outputs")
    show.add_argument("network", help=f"a preset ({', '.join(PRESETS)}) or a TOML spec path")
    show.set_defaults(run=_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"squiggle: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("squiggle: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `squiggle show x | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
