"""`GlyphText` builds the very mobject Manim's `Text` builds, only faster."""

from __future__ import annotations

import io

import numpy as np
import pytest
import svgelements as se
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manim import SVGMobject, Text

from scenes import theme
from scenes.glyphs import CLOSE_GAP, GlyphText, Unsupported, outline

STYLE = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width", "background_stroke_width")


def assert_same_text(ours: Text, manims: Text) -> None:
    """Same glyphs, same points to the bit, same styles, same attributes."""
    assert type(ours).__mro__[1] is Text
    assert len(ours) == len(manims)
    for glyph, reference in zip(ours.family_members_with_points(), manims.family_members_with_points(), strict=True):
        assert type(glyph) is type(reference)
        assert np.array_equal(glyph.points, reference.points)
        for name in STYLE:
            assert np.array_equal(np.asarray(getattr(glyph, name)), np.asarray(getattr(reference, name))), name
        assert glyph.__dict__.keys() == reference.__dict__.keys()
    assert np.array_equal(ours.points, manims.points)
    assert ours.initial_height == manims.initial_height


def both(words: str, size: float, color=theme.INK) -> tuple[Text, Text]:
    options = dict(font=theme.FONT, font_size=size, color=color, use_svg_cache=False)
    return GlyphText(words, **options), Text(words, **options)


@pytest.mark.parametrize("words", [
    "Dosage (mg)",
    "The weight scales the curve: every y value is multiplied by −1.22 before the bias shifts it",
    "×−1.30 +2.14 0.00 0.25 0.50 0.75 1.00",
    "Àéîõü ß ∑ ≈ → ½ fi ffl",
    "a  b\tc",
])
@pytest.mark.parametrize("size", [theme.SMALL_SIZE, theme.CAPTION_SIZE, theme.TITLE_SIZE])
def test_film_words_match_manims_text(words: str, size: float) -> None:
    assert_same_text(*both(words, size))


def test_colour_matches_manims_text() -> None:
    assert_same_text(*both("Softplus", theme.LABEL_SIZE, theme.DARK_ORANGE))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12))
def test_any_words_match_manims_text(words: str) -> None:
    """Whatever Pango writes, GlyphText reads it as Manim does or lets Manim read it."""
    assert_same_text(*both(words, theme.BODY_SIZE))


def manims_points(path: str, x: float, y: float) -> np.ndarray:
    """The points Manim's SVG reader makes of `path` used at (x, y)."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           f'<defs><symbol id="g"><path d="{path}"/></symbol></defs>'
           f'<use xlink:href="#g" x="{x!r}" y="{y!r}"/></svg>')
    reader = SVGMobject.__new__(SVGMobject)
    reader.path_string_config = {}
    (mobject,), _ = SVGMobject.get_mobjects_from(reader, se.SVG.parse(io.BytesIO(svg.encode())))
    return mobject.points


coordinate = st.floats(-50, 50).map(lambda v: round(v, 6))


@st.composite
def glyph_paths(draw) -> str:
    """Absolute M/L/C/Z paths, some with subpaths whose ends lie about CLOSE_GAP apart."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        x0, y0 = draw(coordinate), draw(coordinate)
        parts.append(f"M {x0!r} {y0!r}")
        for _ in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                parts.append("L {!r} {!r}".format(draw(coordinate), draw(coordinate)))
            else:
                parts.append("C " + " ".join(repr(draw(coordinate)) for _ in range(6)))
        gap = draw(st.sampled_from([0.0, CLOSE_GAP * 0.99999, CLOSE_GAP, CLOSE_GAP * 1.00001, 1.0]))
        parts.append(f"L {x0 + gap!r} {y0!r} Z")
    return " ".join(parts)


@settings(max_examples=200, deadline=None)
@given(glyph_paths(), coordinate, coordinate)
def test_outline_points_match_manims_reader(path: str, x: float, y: float) -> None:
    assert np.array_equal(outline(path).points(x, y), manims_points(path, x, y))


@pytest.mark.parametrize("path", ["m 0 0 l 1 1 z", "M 0 0 H 1 Z", "L 1 1", "M 0 0 1 1 Z", "M 0 0 Q 1 1 2 0 Z"])
def test_outline_refuses_what_it_does_not_read(path: str) -> None:
    with pytest.raises(Unsupported):
        outline(path)


def test_closing_line_decided_where_the_glyph_is_placed() -> None:
    """Ends exactly CLOSE_GAP apart meet at the origin but not, after rounding, at x = 0.1."""
    path = f"M 0 0 L 1 1 L {CLOSE_GAP!r} 0 Z"
    assert len(outline(path).points(0.0, 0.0)) == 8
    assert len(outline(path).points(0.1, 0.0)) == 12
    for x in (0.0, 0.1):
        assert np.array_equal(outline(path).points(x, 0.0), manims_points(path, x, 0.0))
