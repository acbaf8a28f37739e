"""Redraw only what changed: a frame renderer for Manim's Cairo camera.

Within an animation Manim keeps the mobjects that do not move as a static image, but it redraws on
every frame each moving mobject and every mobject that lies above one in the drawing order, over the
whole frame. `DamageRenderer` keeps the previous frame instead and repaints only the tiles where a
mobject's look changed (where it was, and where it is now): it restores those tiles from the static
image and draws into them, clipped, every mobject that touches them, in Manim's order. What lies
outside the changed tiles cannot have changed, so each frame is pixel for pixel the one Manim would
draw (tests/test_damage.py compares whole chapters frame by frame).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cairo
import numpy as np
from manim import VMobject
from manim.camera.camera import LINE_JOIN_MAP, Camera
from manim.mobject.mobject import Mobject

TILE = 16  # pixels per side of a repaint tile
AA_MARGIN = 2  # pixels of antialiasing around any ink
MITER_REACH = 5.0  # cairo's default miter limit (10) times half the line width, in line widths


@dataclass
class Drawn:
    """A mobject as it was last drawn: what decides its pixels, and the tiles its ink may cover."""

    mobject: VMobject
    look: tuple
    tiles: tuple[slice, slice] | None  # None: no ink on screen


def look_of(mobject: VMobject) -> tuple:
    """Everything `Camera.display_vectorized` reads from a mobject."""
    return (mobject.points.tobytes(), mobject.get_fill_rgbas().tobytes(),
            mobject.get_stroke_rgbas().tobytes(), mobject.get_stroke_rgbas(background=True).tobytes(),
            mobject.get_stroke_width(), mobject.get_stroke_width(background=True), mobject.joint_type,
            mobject.cap_style, np.asarray(mobject.get_sheen_direction()).tobytes())


def drawable(mobject: Mobject) -> bool:
    """A mobject this renderer draws exactly as Manim would: a plain vector mobject."""
    return (isinstance(mobject, VMobject) and not mobject.get_background_image()
            and not getattr(mobject, "shade_in_3d", False))


class DamageRenderer:
    """Draws a `Camera`'s frames incrementally within one animation; `restart` at each new one."""

    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.rows = -(-camera.pixel_height // TILE)
        self.columns = -(-camera.pixel_width // TILE)
        self.drawn: dict[int, Drawn] | None = None  # None: the pixel array holds no frame of ours

    def restart(self) -> None:
        """Forget the previous frame (a new animation, or something else drew into the camera)."""
        self.drawn = None

    def draw(self, mobjects: Sequence[Mobject], background: np.ndarray) -> None:
        """Make the camera's pixel array show `background` with `mobjects` drawn over it."""
        camera = self.camera
        order = camera.get_mobjects_to_display(mobjects)
        if not all(drawable(mobject) for mobject in order):
            camera.set_frame_to_background(background)
            camera.capture_mobjects(mobjects)
            self.drawn = None
            return
        if self.drawn is None:
            camera.set_frame_to_background(background)
            self.drawn = {id(m): Drawn(m, look_of(m), self.tiles_of(m)) for m in order}
            self._paint(order, None)
            return
        damage = np.zeros((self.rows, self.columns), dtype=bool)
        previous, current = self.drawn, {}
        for mobject in order:
            look = look_of(mobject)
            before = previous.get(id(mobject))
            if before is not None and before.look == look:
                current[id(mobject)] = before
                continue
            now = current[id(mobject)] = Drawn(mobject, look, self.tiles_of(mobject))
            for tiles in (now.tiles, before and before.tiles):
                if tiles is not None:
                    damage[tiles] = True
        for key in previous.keys() - current.keys():
            if previous[key].tiles is not None:
                damage[previous[key].tiles] = True
        if list(previous) != list(current) and not same_order(list(previous), list(current)):
            damage[:] = True
        self.drawn = current
        if damage.all():
            camera.set_frame_to_background(background)
            self._paint(order, None)
        elif damage.any():
            rectangles = self.rectangles(damage)
            pixels = camera.pixel_array
            for x, y, width, height in rectangles:
                pixels[y:y + height, x:x + width] = background[y:y + height, x:x + width]
            touching = [m for m in order if (d := current[id(m)]).tiles is not None and damage[d.tiles].any()]
            self._paint(touching, rectangles)

    def _paint(self, mobjects: Sequence[VMobject], clip: list[tuple[int, int, int, int]] | None) -> None:
        """Draw `mobjects` in order, within the pixel rectangles `clip` (None: everywhere)."""
        camera = self.camera
        context = camera.get_cairo_context(camera.pixel_array)
        context.save()
        if clip is not None:
            matrix = context.get_matrix()
            context.identity_matrix()
            context.new_path()
            for x, y, width, height in clip:
                context.rectangle(x, y, width, height)
            context.clip()
            context.set_matrix(matrix)
        for mobject in mobjects:
            camera.display_vectorized(mobject, context)
        context.restore()

    def tiles_of(self, mobject: VMobject) -> tuple[slice, slice] | None:
        """The tiles that `mobject`'s ink may touch: its control points' box (which holds every
        curve), grown by its stroke, its miter joins and antialiasing; None if it has no ink."""
        if len(mobject.points) == 0:
            return None
        camera = self.camera
        scale = camera.pixel_width / camera.frame_width
        points = mobject.points
        low, high = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        center = camera.frame_center
        width = max(mobject.get_stroke_width(), mobject.get_stroke_width(background=True))
        reach = width * camera.cairo_line_width_multiple * scale
        reach *= MITER_REACH if LINE_JOIN_MAP[mobject.joint_type] == cairo.LineJoin.MITER else 1
        margin = reach + AA_MARGIN
        left = (low[0] - center[0]) * scale + camera.pixel_width / 2 - margin
        right = (high[0] - center[0]) * scale + camera.pixel_width / 2 + margin
        top = (center[1] - high[1]) * scale + camera.pixel_height / 2 - margin
        bottom = (center[1] - low[1]) * scale + camera.pixel_height / 2 + margin
        if not np.isfinite([left, right, top, bottom]).all():
            return slice(0, self.rows), slice(0, self.columns)
        columns = slice(max(0, int(left // TILE)), min(self.columns, int(right // TILE) + 1))
        rows = slice(max(0, int(top // TILE)), min(self.rows, int(bottom // TILE) + 1))
        if columns.start >= columns.stop or rows.start >= rows.stop:
            return None
        return rows, columns

    def rectangles(self, damage: np.ndarray) -> list[tuple[int, int, int, int]]:
        """The damaged tiles as pixel rectangles (x, y, width, height): runs along each row of
        tiles, with runs that repeat on the rows below merged into one."""
        camera = self.camera
        found: list[list[int]] = []  # [first column, end column, first row, end row]
        open_runs: dict[tuple[int, int], list[int]] = {}
        for row in range(self.rows):
            line = damage[row]
            if not line.any():
                open_runs = {}
                continue
            edges = np.flatnonzero(np.diff(np.concatenate(([False], line, [False]))))
            runs = {}
            for start, end in zip(edges[::2].tolist(), edges[1::2].tolist()):
                run = open_runs.get((start, end))
                if run is None:
                    run = [start, end, row, row + 1]
                    found.append(run)
                else:
                    run[3] = row + 1
                runs[start, end] = run
            open_runs = runs
        return [(first * TILE, top * TILE, min(end * TILE, camera.pixel_width) - first * TILE,
                 min(bottom * TILE, camera.pixel_height) - top * TILE) for first, end, top, bottom in found]


def same_order(before: list[int], after: list[int]) -> bool:
    """Whether the mobjects in both lists keep their order relative to each other."""
    kept = set(before) & set(after)
    return [k for k in before if k in kept] == [k for k in after if k in kept]
