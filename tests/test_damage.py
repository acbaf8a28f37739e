"""Repainting only what changed draws the frames a full redraw draws.

Each case renders a scene twice at 480p, with squiggle's renderer and with Manim's own, and compares
every frame. Cairo rounds the edge of a clipped stroke differently now and then, by a level or two
on a pixel or two; a stale or missing mobject would differ by far more, over far more pixels.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from manim import DOWN, LEFT, RIGHT, UP, Circle, Dot, Line, Square, VGroup, Wait
from manim.animation.updaters.update import UpdateFromAlphaFunc
from manim.scene.scene_file_writer import SceneFileWriter

import nnmath
from scenes import damage as damage_module
from scenes import film, render, theme
from scenes.chapters.base import Chapter

ROUNDING_LEVELS = 8  # the largest difference in one channel put down to rounding
ROUNDING_PIXELS = 16  # in at most this many pixels of a frame


class Shuffle(Chapter):
    """Moves, fades, reorders and removes mobjects under and over still ones mid-animation."""

    slug = "shuffle"
    title = "Shuffle"
    network = nnmath.presets.statquest()

    def construct(self) -> None:
        under = Square(2, fill_color=theme.DARK_BLUE, fill_opacity=0.5).shift(LEFT)
        mover = Dot(radius=0.3, color=theme.ORANGE).shift(3 * LEFT)
        spark = Circle(0.5, color=theme.GREEN, fill_opacity=0.8).shift(2 * UP)
        movers = VGroup(mover)  # joined by the spark for a while
        over = VGroup(theme.text("over", theme.HEADING_SIZE), Line(2 * LEFT, 2 * RIGHT, stroke_width=12))
        self.add(under, movers, over)

        def step(_, alpha: float) -> None:
            # moves until halfway, to rest across the line; then only the company and drawing order change
            mover.move_to(3 * LEFT + 6 * min(alpha, 0.5) * RIGHT + np.sin(6 * min(alpha, 0.5)) * UP)
            under.set_fill(opacity=0.5 + 0.4 * alpha)
            if 0.3 < alpha < 0.6 and spark not in movers:
                movers.add(spark)
            elif alpha >= 0.6:
                movers.remove(spark)
            mover.set_z_index(1)
            over.set_z_index(2 if alpha > 0.8 else 0)

        self.play(UpdateFromAlphaFunc(movers, step), run_time=1.5)
        self.play(over.animate.shift(2 * DOWN).set_opacity(0.4), mover.animate.scale(2), run_time=1)
        self.play(Wait(0.5))


def frames_of(chapter: type[Chapter], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, full_redraw: bool,
              seen: Callable[[int, np.ndarray], None]) -> int:
    """Render `chapter` at 480p, handing every frame to `seen`; the number of frames."""
    with monkeypatch.context() as patch:
        if full_redraw:
            patch.setattr(render, "manim_speedups", functools.partial(render.manim_speedups, repaint_changes=False))
        count = 0
        original = SceneFileWriter.write_frame

        def write_frame(writer, pixels, *, repeat: int = 1) -> None:
            nonlocal count
            seen(count, pixels)
            count += 1
            original(writer, pixels, repeat=repeat)

        patch.setattr(SceneFileWriter, "write_frame", write_frame)
        render.render_part(chapter, render.QUALITIES["low"], tmp_path / ("full" if full_redraw else "changes"))
    return count


def assert_same_frames(chapter: type[Chapter], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    reference: list[bytes] = []
    shape: list[tuple[int, ...]] = []

    def keep(_: int, pixels: np.ndarray) -> None:
        reference.append(zlib.compress(pixels.tobytes(), 1))
        shape[:] = [pixels.shape]

    def compare(index: int, pixels: np.ndarray) -> None:
        assert index < len(reference), f"{chapter.slug}: more frames than a full redraw"
        expected = np.frombuffer(zlib.decompress(reference[index]), np.uint8).reshape(shape[0])
        difference = np.abs(pixels.astype(np.int16) - expected).max(axis=2)
        assert difference.max() <= ROUNDING_LEVELS and np.count_nonzero(difference > 1) <= ROUNDING_PIXELS, (
            f"{chapter.slug} frame {index}: {np.count_nonzero(difference)} pixels differ, by up to {difference.max()}")

    expected = frames_of(chapter, monkeypatch, tmp_path, True, keep)
    assert frames_of(chapter, monkeypatch, tmp_path, False, compare) == expected


def test_mobjects_moving_under_over_and_through_still_ones(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert_same_frames(Shuffle, monkeypatch, tmp_path)


@pytest.mark.parametrize("slug", ["top-path", "recap"])
def test_chapter_frames_match_a_full_redraw(slug: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chapter = film.find(slug)
    assert_same_frames(chapter, monkeypatch, tmp_path)


@given(st.integers(1, 12), st.integers(1, 12), st.data())
def test_repaint_rectangles_cover_exactly_the_damaged_tiles(rows: int, columns: int, data: st.DataObject) -> None:
    damage = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=columns, max_size=columns),
                                         min_size=rows, max_size=rows)), dtype=bool)
    width = columns * damage_module.TILE - data.draw(st.integers(0, damage_module.TILE - 1))
    height = rows * damage_module.TILE - data.draw(st.integers(0, damage_module.TILE - 1))
    covered = np.zeros((height, width), dtype=int)
    for x, y, w, h in damage_module.rectangles(damage, width, height):
        covered[y:y + h, x:x + w] += 1
    tiles = np.ones((damage_module.TILE, damage_module.TILE), dtype=int)
    assert (covered == np.kron(damage, tiles)[:height, :width]).all()  # every damaged pixel once, no other
