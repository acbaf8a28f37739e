"""Manim's `Text`, built without parsing each glyph again.

Pango writes a text as an SVG that defines each glyph's outline once and places it with `<use>`
elements. Manim's reader expands every `<use>` and parses the outline again: about 1 ms per letter,
most of the time it takes to make a caption. `GlyphText` reads the outline of each glyph once per
process and places copies of it, computing every point with the same arithmetic, in the same
order, as Manim's reader, so that the mobject is the same to the last bit. Styles still come from
Manim's reader, run once per distinct style on a one-glyph SVG. Anything unexpected in the SVG
(another kind of element, a transform, a relative path command) falls back to Manim's reader.
"""

from __future__ import annotations

import copy
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import svgelements as se
from manim import Text, VGroup, VMobject
from manim.constants import RIGHT
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
ARITY = {"M": 2, "L": 2, "C": 6, "Z": 0}
TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
CLOSE_GAP = 0.0001  # Manim's reader closes a subpath with a line only when its ends are further apart


class Unsupported(Exception):
    """The SVG holds something `GlyphText` does not read; Manim's reader will."""


@dataclass(frozen=True)
class Outline:
    """A glyph's outline as a recipe for Manim's points: each point is `coords[first]`, or the point
    a third of the way to `coords[second]`, or two thirds of the way, as Manim's reader computes
    the control points of a straight line."""

    path: str
    path_obj: se.Path  # the outline at the origin, parsed by svgelements: a glyph's `path_obj`
    coords: np.ndarray  # (n, 2): the path's own coordinates, in order
    first: np.ndarray
    second: np.ndarray
    kind: np.ndarray  # 0: coords[first]; 1: one third; 2: two thirds
    closes: tuple[tuple[int, int, bool], ...]  # each Z: its ends, and whether a line joins them

    def points(self, x: float, y: float) -> np.ndarray:
        """The points of this glyph placed at (x, y), as Manim's reader would compute them."""
        placed = np.zeros((len(self.coords), 3))
        placed[:, :2] = self.coords + (x, y)
        if any(_needs_line(placed[pen], placed[move]) != joined for pen, move, joined in self.closes):
            return outline_at(self.path, (x, y)).points(x, y)  # a gap within rounding of CLOSE_GAP
        start, end = placed[self.first], placed[self.second]
        thirds = np.where((self.kind == 1)[:, None], (start + start + end) / 3, (start + end + end) / 3)
        return np.where((self.kind == 0)[:, None], start, thirds)


def _needs_line(pen: np.ndarray, move: np.ndarray) -> bool:
    return bool(np.linalg.norm(pen - move) > CLOSE_GAP)


@lru_cache(maxsize=4096)
def outline(path: str) -> Outline:
    """The recipe for an absolute M/L/C/Z path, as placed at the origin."""
    return outline_at(path, (0.0, 0.0))


def outline_at(path: str, offset: tuple[float, float]) -> Outline:
    """The recipe for an absolute M/L/C/Z path; where it is placed (`offset`) decides only which
    of its subpaths get a closing line, and only when their ends are `CLOSE_GAP` apart, give or
    take a rounding error."""
    tokens = TOKEN.findall(path)
    coords: list[tuple[float, float]] = []
    first: list[int] = []
    second: list[int] = []
    kind: list[int] = []
    closes: list[tuple[int, int, bool]] = []
    pen = move = None

    def line(start: int, end: int) -> None:
        first.extend((start, start, start, end))
        second.extend((start, end, end, end))
        kind.extend((0, 1, 2, 0))

    def placed(index: int) -> np.ndarray:
        return np.array([coords[index][0] + offset[0], coords[index][1] + offset[1], 0.0])

    position = 0
    while position < len(tokens):
        command = tokens[position]
        if command not in ARITY:
            raise Unsupported(f"path command {command!r}")
        numbers = tokens[position + 1:position + 1 + ARITY[command]]
        if len(numbers) != ARITY[command] or any(n.isalpha() for n in numbers):
            raise Unsupported("path with implicit commands")
        position += 1 + len(numbers)
        values = [float(n) for n in numbers]
        ends = []
        for i in range(0, len(values), 2):
            coords.append((values[i], values[i + 1]))
            ends.append(len(coords) - 1)
        if command == "M":
            pen = move = ends[0]
        elif pen is None:
            raise Unsupported("path that does not start with a move")
        elif command == "L":
            line(pen, ends[0])
            pen = ends[0]
        elif command == "C":
            first.extend((pen, *ends))
            second.extend((pen, *ends))
            kind.extend((0, 0, 0, 0))
            pen = ends[-1]
        else:  # Z: Manim's reader joins the ends with a line unless they (nearly) meet
            joined = _needs_line(placed(pen), placed(move))
            closes.append((pen, move, joined))
            if joined:
                line(pen, move)
                pen = move
    return Outline(path, se.Path(path), np.array(coords, dtype=float).reshape(-1, 2), np.array(first, dtype=int),
                   np.array(second, dtype=int), np.array(kind, dtype=int), tuple(closes))


class GlyphText(Text):
    """`Text`, the same mobject, made several times faster for words not seen before."""

    def generate_mobject(self) -> GlyphText:
        try:
            glyphs = self._placed_glyphs(self.get_file_path())
        except (Unsupported, ValueError, KeyError):
            return super().generate_mobject()
        self.add(*glyphs)
        self.id_to_vgroup_dict = {"root": VGroup(*glyphs)}
        self.flip(RIGHT)  # as Manim's reader does: SVG's y axis points down
        return self

    def _placed_glyphs(self, file: Path) -> list[VMobject]:
        root = ET.parse(file).getroot()
        symbols = {}
        glyphs: list[VMobject] = []
        for defs in root.iter(f"{SVG}defs"):
            for symbol in defs.iter(f"{SVG}symbol"):
                symbols[symbol.get("id")] = symbol
        self._walk(root, [root], symbols, glyphs)
        return glyphs

    def _walk(self, element: ET.Element, chain: list[ET.Element], symbols: dict[str, ET.Element],
              glyphs: list[VMobject]) -> None:
        for child in element:
            tag = child.tag.removeprefix(SVG)
            if "transform" in child.attrib:
                raise Unsupported("transform")
            if tag == "defs":
                continue
            if tag == "g":
                self._walk(child, [*chain, child], symbols, glyphs)
            elif tag == "use":
                glyph = self._glyph(child, chain, symbols[child.get(XLINK_HREF, "").removeprefix("#")])
                if glyph is not None:
                    glyphs.append(glyph)
            else:
                raise Unsupported(f"element {tag}")

    def _glyph(self, use: ET.Element, chain: list[ET.Element], symbol: ET.Element) -> VMobject | None:
        (path,) = symbol  # a glyph is one path
        if path.tag != f"{SVG}path" or "transform" in symbol.attrib or "transform" in path.attrib:
            raise Unsupported("glyph that is not one plain path")
        x, y = float(use.get("x", 0)), float(use.get("y", 0))
        recipe = outline(path.get("d", ""))
        if len(recipe.kind) == 0:
            return None  # a space: Manim's reader drops shapes without points
        key = self._style_key(use, chain, symbol, path)
        if key not in STYLED:
            STYLED[key] = self._styled(key)
        style = STYLED[key]
        glyph = copy.deepcopy(style, {id(style.path_obj): recipe.path_obj})
        del glyph.original_id  # set by copying; a glyph read by Manim has none
        glyph.points = recipe.points(x, y)
        return glyph

    def _style_key(self, use: ET.Element, chain: list[ET.Element], symbol: ET.Element,
                   path: ET.Element) -> tuple:
        """Everything Manim's reader takes a glyph's style from (the glyph's place and shape aside)."""
        root_style = {k: v for k, v in chain[0].attrib.items() if k in ("fill", "fill-opacity", "stroke",
                                                                         "stroke-opacity", "stroke-width", "style")}

        def attributes(element: ET.Element, *drop: str) -> tuple:
            return tuple(sorted((k, v) for k, v in element.attrib.items() if k not in drop))

        return (repr(sorted(self.path_string_config.items())),
                tuple(sorted(self.generate_config_style_dict().items())), tuple(sorted(root_style.items())),
                tuple(attributes(group) for group in chain[1:]), attributes(use, "x", "y", XLINK_HREF),
                attributes(symbol, "id"), attributes(path, "d"))

    def _styled(self, key: tuple) -> VMobjectFromSVGPath:
        """A one-triangle glyph styled by Manim's own reader, from an SVG laid out as Manim lays
        out Pango's (see `SVGMobject.modify_xml_tree`), with the same styles as `key`."""
        _, config_style, root_style, groups, use, symbol, path = key
        svg = ET.Element("svg", {"xmlns:xlink": "http://www.w3.org/1999/xlink"})
        parent = ET.SubElement(ET.SubElement(svg, "g", dict(config_style)), "g", dict(root_style))
        shape = ET.SubElement(ET.SubElement(parent, "defs"), "symbol", {**dict(symbol), "id": "glyph"})
        ET.SubElement(shape, "path", {**dict(path), "d": "M 0 0 L 1 0 L 1 1 Z"})
        for group in groups:
            parent = ET.SubElement(parent, "g", dict(group))
        ET.SubElement(parent, "use", {**dict(use), "xlink:href": "#glyph", "x": "0", "y": "0"})
        (mobject,), _ = self.get_mobjects_from(se.SVG.parse(io.BytesIO(ET.tostring(svg))))
        return mobject


STYLED: dict[tuple, VMobjectFromSVGPath] = {}  # a styled glyph per distinct style, for copying
