"""TOML specs: exact save/load round trips, the examples, and one-line errors that help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import networks

import nnmath
from nnmath import Network, SpecError, fmt, presets
from nnmath.spec import to_dict

ROOT = Path(__file__).resolve().parent.parent

#: The example spec from the issue that asked for TOML specs.
EXAMPLE = """\
name = "Inside the black box"
inputs = ["Dosage"]
outputs = ["Efficacy"]
[[layers]]
activation = "softplus"
weights = [[-34.4], [-2.52]]
biases = [2.14, 1.29]
[[layers]]
activation = "identity"
weights = [[-1.30, 2.28]]
biases = [-0.58]
[data]
inputs = [[0.0], [0.5], [1.0]]
targets = [[0.0], [1.0], [0.0]]
"""


def assert_same_network(a: Network, b: Network) -> None:
    """Equal spec tables, bit-equal arrays, and identical spec text (repr keeps -0.0 apart)."""
    assert to_dict(a) == to_dict(b)
    assert len(a.layers) == len(b.layers)
    for left, right in zip(a.layers, b.layers):
        assert np.array_equal(left.weights, right.weights)
        assert np.array_equal(left.biases, right.biases)
        assert left.activation == right.activation
    assert (a.data is None) == (b.data is None)
    if a.data is not None and b.data is not None:
        assert np.array_equal(a.data.inputs, b.data.inputs)
        assert np.array_equal(a.data.targets, b.data.targets)
    assert nnmath.dumps(a) == nnmath.dumps(b)


# ---------------------------------------------------------------- round trips and examples

@pytest.mark.parametrize("preset", [presets.statquest, presets.relu_in_action])
def test_save_load_presets_exactly(tmp_path: Path, preset: Callable[[], Network]) -> None:
    """load(save(preset)) rebuilds the preset exactly, and leaves no partial file behind."""
    net = preset()
    path = nnmath.save(net, tmp_path / "net.toml")
    assert path == tmp_path / "net.toml"
    assert_same_network(nnmath.load(path), net)
    assert [p.name for p in tmp_path.iterdir()] == ["net.toml"]


FINITE = st.floats(allow_nan=False, allow_infinity=False)
PRINTABLE_NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)


@given(networks(values=FINITE, names=PRINTABLE_NAMES, with_data=True))
def test_save_load_random_networks_exactly(tmp_path_factory: pytest.TempPathFactory,
                                           net: Network) -> None:
    """Any finite floats (huge, subnormal, -0.0) and names with quotes or backslashes survive."""
    path = nnmath.save(net, tmp_path_factory.getbasetemp() / "random.toml")
    assert_same_network(nnmath.load(path), net)


@pytest.mark.parametrize("name", ["two\nlines", "bell\x07", "del\x7f"])
def test_save_load_names_with_control_characters(tmp_path: Path, name: str) -> None:
    """Names are free text: a control character in one must still round-trip."""
    net = Network(layers=presets.statquest().layers, inputs=("Dosage",), outputs=(name,),
                  name=name)
    assert_same_network(nnmath.load(nnmath.save(net, tmp_path / "net.toml")), net)


@pytest.mark.parametrize(("file", "preset"), [("statquest.toml", presets.statquest),
                                              ("relu-in-action.toml", presets.relu_in_action)])
def test_example_files_equal_presets(file: str, preset: Callable[[], Network]) -> None:
    """The shipped examples describe exactly the presets."""
    assert_same_network(nnmath.load(ROOT / "examples" / file), preset())


def test_issue_example_loads() -> None:
    """The issue's spec text is the statquest network and predicts 1.03 at dosage 0.5."""
    net = nnmath.loads(EXAMPLE)
    assert_same_network(net, presets.statquest())
    assert fmt(net.forward(0.5)[0, 0]) == "1.03"


# ---------------------------------------------------------------- bad specs

def variant(old: str, new: str) -> str:
    """EXAMPLE with its single occurrence of `old` replaced by `new`."""
    assert EXAMPLE.count(old) == 1
    return EXAMPLE.replace(old, new)


def spec_error(path: Path, text: str | bytes | None = None) -> str:
    """Write `text` (if any) to `path`, load it, and return the SpecError message."""
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    elif isinstance(text, bytes):
        path.write_bytes(text)
    with pytest.raises(SpecError) as caught:
        nnmath.load(path)
    return str(caught.value)


def assert_helpful(message: str, path: Path, field: str, fix: str) -> None:
    """One line, starting with the file path, then the field, and containing the fix."""
    assert "\n" not in message
    assert message.startswith(f"{path}: {field}")
    assert fix in message


BAD_SPECS = [
    pytest.param(
        'name = "no layers"\ninputs = ["Dosage"]\n', "layers: missing", "add it, e.g. [[layers]]",
        id="missing layers"),
    pytest.param(
        variant("biases = [-0.58]\n", ""), "layers[1].biases: missing",
        "add it, e.g. biases = [", id="layer without biases"),
    pytest.param(
        variant("weights = [[-34.4], [-2.52]]", "weights = [[-34.4, 1.0], [-2.52, 1.0]]"),
        "layers[0].weights", "expected shape (2, 1)", id="wrong weight shape"),
    pytest.param(
        variant("biases = [-0.58]", "biases = [-0.58, 1.0]"),
        "layers[1].weights", "expected shape (2, 2)", id="more biases than weight rows"),
    pytest.param(
        variant("biases = [2.14, 1.29]", "biases = [nan, 1.29]"),
        "layers[0].biases", "use finite numbers", id="nan"),
    pytest.param(
        variant("weights = [[-1.30, 2.28]]", "weights = [[-inf, 2.28]]"),
        "layers[1].weights", "use finite numbers", id="inf"),
    pytest.param(
        variant('activation = "softplus"', 'activation = "softplux"'),
        "layers[0].activation", "use one of: identity, relu, sigmoid, softplus, tanh",
        id="unknown activation"),
    pytest.param(
        variant('weights = [[-34.4], [-2.52]]', 'weights = "abc"'),
        "layers[0].weights: has the wrong type (str)", "write it like weights = [[",
        id="weights is text"),
    pytest.param(
        variant('activation = "identity"', "activation = 3"),
        "layers[1].activation: has the wrong type (int)", 'write it like activation = "',
        id="activation is a number"),
    pytest.param(
        variant("weights = [[-1.30, 2.28]]", 'weights = [[-1.30, "abc"]]'),
        "layers[1].weights", "write plain numbers", id="weights hold text"),
    pytest.param(
        variant("weights = [[-1.30, 2.28]]", 'weights = [[-1.30, "2.28"]]'),
        "layers[1].weights", "write plain numbers",
        id="weights hold numeric text"),
    pytest.param(
        variant("biases = [2.14, 1.29]", "biases = [true, 1.29]"),
        "layers[0].biases", "write plain numbers",
        id="biases hold a boolean"),
    pytest.param(
        variant('outputs = ["Efficacy"]', 'outputs = "Efficacy"'),
        "outputs", 'write e.g. outputs = ["x"]', id="outputs is not a list"),
]


@pytest.mark.parametrize(("text", "field", "fix"), BAD_SPECS)
def test_bad_spec_message(tmp_path: Path, text: str, field: str, fix: str) -> None:
    """Each bad spec gives a one-line SpecError: path, field, problem and a fix."""
    path = tmp_path / "bad.toml"
    assert_helpful(spec_error(path, text), path, field, fix)


def test_broken_toml_syntax(tmp_path: Path) -> None:
    """A TOML syntax error points at the line and says what to check."""
    path = tmp_path / "broken.toml"
    message = spec_error(path, variant('activation = "identity"', "activation = identity"))
    assert_helpful(message, path, "not valid TOML", "check quotes, brackets and commas")
    assert "line 9" in message


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is named, with the reason and a fix."""
    path = tmp_path / "nowhere" / "net.toml"
    assert_helpful(spec_error(path), path, "cannot read", "check the path")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    """A directory is not readable as a spec."""
    assert_helpful(spec_error(tmp_path), tmp_path, "cannot read", "check the path")


def test_binary_file(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 text are reported as such."""
    path = tmp_path / "net.toml"
    assert_helpful(spec_error(path, b"\xff\xfe\x00 not text"), path, "not a text file", "TOML")
