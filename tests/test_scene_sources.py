"""Every number on screen comes from nnmath: scene sources hold no numeric literal except layout
and timing, which live in named constants or layout/timing keyword arguments."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SCENES = Path(__file__).resolve().parent.parent / "scenes"
# What draws: chapters, pieces and the theme. (render.py and cli.py put nothing on screen.)
SCENE_SOURCES = sorted([*SCENES.glob("chapters/*.py"), *SCENES.glob("pieces/*.py"), SCENES / "theme.py"])
STRUCTURAL = {0, 1, 2, -1, 0.5}  # indices, doubling and halving, "the first", "the last"
LAYOUT_KEYWORDS = {
    "run_time", "buff", "width", "height", "radius", "stroke_width", "lag_ratio", "dash_length",
    "opacity", "fill_opacity", "corner_radius", "grow", "scale", "scale_factor", "size", "node_size",
    "label_size", "font_size", "max_ticks", "x_pad", "y_pad", "pad", "tick_size", "name_size",
    "duration", "shift", "places",
}


def _constant_names(target: ast.AST) -> bool:
    """An assignment target made only of UPPER_CASE names (a layout or timing constant)."""
    if isinstance(target, ast.Tuple):
        return all(_constant_names(t) for t in target.elts)
    return isinstance(target, ast.Name) and target.id.isupper()


def literals_outside_layout(tree: ast.AST) -> list[ast.Constant]:
    allowed: set[int] = set()
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign) and all(_constant_names(t) for t in node.targets):
            targets = [node.value]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id.isupper():
            targets = [node.value] if node.value else []
        elif isinstance(node, ast.keyword) and node.arg in LAYOUT_KEYWORDS:
            targets = [node.value]
        elif isinstance(node, ast.arguments):
            names = [a.arg for a in node.args + node.kwonlyargs]
            defaults = [None] * (len(node.args) - len(node.defaults)) + list(node.defaults) + list(node.kw_defaults)
            targets = [d for name, d in zip(names, defaults) if d is not None and name in LAYOUT_KEYWORDS]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"pause", "wait"}:
            targets = list(node.args)
        for target in targets:
            allowed.update(id(child) for child in ast.walk(target))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            if id(node.operand) in allowed:
                allowed.add(id(node))
            continue
        if (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                and not isinstance(node.value, bool) and id(node) not in allowed
                and node.value not in STRUCTURAL):
            found.append(node)
    return found


@pytest.mark.parametrize("path", SCENE_SOURCES, ids=lambda p: str(p.relative_to(SCENES)))
def test_no_numeric_literals_in_scenes(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [f"{path.name}:{node.lineno}: {node.value!r}" for node in literals_outside_layout(tree)]
    assert not bad, "numbers belong in nnmath, or in named layout/timing constants:\n" + "\n".join(bad)


def test_the_scanner_catches_a_literal() -> None:
    """A sum computed in a scene is flagged; layout constants and timing are not."""
    flagged = literals_outside_layout(ast.parse("MARGIN = 0.3\nvalue = 2.28 * x\nself.pause(1.5)\nf(run_time=3)\n"))
    assert [node.value for node in flagged] == [2.28]
