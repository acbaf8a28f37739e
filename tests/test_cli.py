"""The `squiggle` command line, run as a user would: a separate Python process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from nnmath.display import MINUS

ROOT = Path(__file__).resolve().parent.parent


def squiggle(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m scenes.cli ARGS` from the project root and capture its output."""
    return subprocess.run([sys.executable, "-m", "scenes.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def table_rows(stdout: str) -> list[list[str]]:
    """Every output line split into whitespace-separated cells."""
    return [line.split() for line in stdout.splitlines()]


def test_help() -> None:
    """--help succeeds and lists the show command."""
    result = squiggle("--help")
    assert result.returncode == 0
    assert "show" in result.stdout


def test_show_statquest() -> None:
    """The preset's parameters and its 1.03 prediction at dosage 0.5, as displayed."""
    result = squiggle("show", "statquest")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Inside the black box" in out
    assert "softplus" in out
    lines = out.splitlines()
    for weight, bias in [(MINUS + "34.40", "2.14"), (MINUS + "2.52", "1.29"),
                         (f"{MINUS}1.30, 2.28", MINUS + "0.58")]:
        assert any(weight in line and line.rstrip().endswith(bias) for line in lines), weight
    rows = table_rows(out)
    assert ["Dosage", "Efficacy"] in rows
    assert ["0.50", "1.03"] in rows
    assert ["0.00", MINUS + "0.01"] in rows
    assert re.search(r"-\d", out) is None  # numbers use U+2212, not a hyphen


def test_show_relu_spec_file() -> None:
    """A spec path works like a preset: 0 everywhere except 1.01 at dosage 0.5."""
    result = squiggle("show", Path("examples") / "relu-in-action.toml")
    assert result.returncode == 0, result.stderr
    assert "ReLU in action" in result.stdout
    rows = table_rows(result.stdout)
    assert ["0.00", "0.00"] in rows
    assert ["0.50", "1.01"] in rows
    assert ["1.00", "0.00"] in rows


def assert_one_line_error(result: subprocess.CompletedProcess[str], *mentions: str) -> None:
    """Exit code 2, nothing on stdout, one stderr line with every mention, no traceback."""
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for mention in mentions:
        assert mention in result.stderr


def test_bad_spec(tmp_path: Path) -> None:
    """A spec with a layer missing its biases names the file and the field."""
    path = tmp_path / "bad.toml"
    path.write_text('[[layers]]\nactivation = "relu"\nweights = [[1.0]]\n', encoding="utf-8")
    assert_one_line_error(squiggle("show", path), f"{path}: layers[0].biases")


def test_broken_toml(tmp_path: Path) -> None:
    """A TOML syntax error is reported, not raised."""
    path = tmp_path / "broken.toml"
    path.write_text("[[layers]\n", encoding="utf-8")
    assert_one_line_error(squiggle("show", path), str(path), "not valid TOML")


def test_missing_spec_file(tmp_path: Path) -> None:
    """A .toml path that does not exist is reported with the path."""
    path = tmp_path / "missing.toml"
    assert_one_line_error(squiggle("show", path), str(path), "cannot read")


def test_unknown_preset() -> None:
    """An unknown name exits 2 and lists the presets."""
    assert_one_line_error(squiggle("show", "no-such-net"), "no-such-net", "statquest",
                          "relu-in-action")
