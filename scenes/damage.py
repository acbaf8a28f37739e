"""Redraw only what changed: a frame renderer for Manim's Cairo camera.

Within an animation Manim keeps the mobjects that do not move as a static image, but it redraws on
every frame each moving mobject and every mobject that lies above one in the drawing order, over the
whole frame. `DamageRenderer` keeps the previous frame instead and repaints only the tiles where a
mobject's look changed (where it was, and where it is now): it restores those tiles from the static
image and draws into them, clipped, every mobject that touches them, in Manim's order. What lies
outside the changed tiles cannot have changed, so each frame is the one Manim would draw, up to
Cairo rounding a clipped edge differently (a few levels on a few pixels, now and then):
tests/test_damage.py compares whole chapters frame by frame.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import cairo
import numpy as np
from manim import VMobject
from manim.camera.camera import LINE_JOIN_MAP, Camera
from manim.mobject.mobject import Mobject

TILE = 16  # pixels per side of a repaint tile
SAME_POINT = 1e-9  # scene units (a millionth of a pixel at 4K): closer points draw the same outline
AA_MARGIN = 2  # pixels of antialiasing around any ink
MITER_REACH = 5.0  # cairo's default miter limit (10) times half the line width, in line widths


Rectangle = tuple[int, int, int, int]  # x, y, width, height in pixels


@dataclass
class Drawn:
    """A mobject as it was last drawn: what decides its outline and its colours, the tiles its ink
    may cover, and its outline as a Cairo path once drawn."""

    mobject: VMobject
    look: tuple  # look_of(mobject): its outline (the first OUTLINE items), then its colours
    points: np.ndarray  # the points `tiles` and `path` were made from
    tiles: tuple[slice, slice] | None  # None: no ink on screen
    painted: bool = False  # drawn with this outline already: worth keeping its path if drawn again
    path: cairo.Path | None = field(default=None, repr=False)

    def same_outline(self, mobject: VMobject, look: tuple) -> bool:
        """Whether `mobject`, whose look differs from the one drawn, still has the same outline:
        equal widths and joins, and points moved by rounding only (as a fade's `scale(1)` moves
        them)."""
        points = mobject.points
        return (look[1:OUTLINE] == self.look[1:OUTLINE] and points.shape == self.points.shape
                and bool(np.abs(points - self.points).max(initial=0.0) < SAME_POINT))


OUTLINE = 4  # look_of's first items: what decides where a mobject's ink may fall


def look_of(mobject: VMobject) -> tuple:
    """Everything `Camera.display_vectorized` reads from a mobject: first its outline (points, line
    widths, joins), then its colours."""
    return (mobject.points.tobytes(), float(mobject.stroke_width), float(mobject.background_stroke_width),
            mobject.joint_type, mobject.fill_rgbas.tobytes(), mobject.stroke_rgbas.tobytes(),
            mobject.background_stroke_rgbas.tobytes(), mobject.cap_style, np.asarray(mobject.sheen_direction).tobytes())


def drawable(mobject: Mobject) -> bool:
    """A mobject this renderer draws exactly as Manim would: a plain vector mobject, with all the
    attributes `look_of` reads."""
    try:
        look_of(mobject)
    except AttributeError:
        return False
    return (isinstance(mobject, VMobject) and not mobject.get_background_image()
            and not getattr(mobject, "shade_in_3d", False))


class DamageRenderer:
    """Draws a `Camera`'s frames incrementally within one animation; `restart` at each new one."""

    def __init__(self, camera: Camera, frames: FramePool) -> None:
        self.camera = camera
        self.frames = frames
        self.rows = -(-camera.pixel_height // TILE)
        self.columns = -(-camera.pixel_width // TILE)
        self.drawn: dict[int, Drawn] | None = None  # None: the pixel array holds no frame of ours

    def restart(self) -> None:
        """Forget the previous frame (a new animation, or something else drew into the camera)."""
        self.drawn = None
        self.frames.repainted(None)

    def draw(self, mobjects: Sequence[Mobject], background: np.ndarray) -> None:
        """Make the camera's pixel array show `background` with `mobjects` drawn over it."""
        camera = self.camera
        order = camera.get_mobjects_to_display(mobjects)
        previous = self.drawn or {}
        if not all(id(mobject) in previous or drawable(mobject) for mobject in order):
            camera.set_frame_to_background(background)
            camera.capture_mobjects(mobjects)
            self.drawn = None
            self.frames.repainted(None)
            return
        # with no frame of ours to build on, everything is damaged
        damage = np.full((self.rows, self.columns), self.drawn is None)
        current = {}
        for mobject in order:
            look = look_of(mobject)
            before = previous.get(id(mobject))
            if before is not None and before.look == look:
                current[id(mobject)] = before
                continue
            if before is not None and before.same_outline(mobject, look):
                if before.look[OUTLINE:] != look[OUTLINE:] and before.tiles is not None:
                    damage[before.tiles] = True
                current[id(mobject)] = Drawn(mobject, look, before.points, before.tiles, before.painted, before.path)
                continue
            now = current[id(mobject)] = self.drawn_now(mobject, look)
            for tiles in (now.tiles, before and before.tiles):
                if tiles is not None:
                    damage[tiles] = True
        for key in previous.keys() - current.keys():
            if previous[key].tiles is not None:
                damage[previous[key].tiles] = True
        old_order, new_order = list(previous), list(current)
        if old_order != new_order and not same_order(old_order, new_order):
            damage[:] = True
        self.drawn = current
        if damage.all():
            camera.set_frame_to_background(background)
            self._paint(order, None)
            self.frames.repainted(None)
        else:
            if damage.any():
                clip = rectangles(damage, camera.pixel_width, camera.pixel_height)
                copy_rectangles(background, camera.pixel_array, clip)
                self._paint([m for m in order if (d := current[id(m)]).tiles is not None and damage[d.tiles].any()],
                            clip)
            self.frames.repainted(damage)

    def frame(self) -> np.ndarray:
        """The frame drawn last, in an array of its own for the encoder."""
        return self.frames.filled(self.camera.pixel_array)

    def drawn_now(self, mobject: VMobject, look: tuple) -> Drawn:
        return Drawn(mobject, look, mobject.points.copy(), self.tiles_of(mobject))

    def _paint(self, mobjects: Sequence[VMobject], clip: list[Rectangle] | None) -> None:
        """Draw `mobjects` in order, within the pixel rectangles `clip` (None: everywhere), as
        `Camera.display_vectorized` does, reusing the Cairo path of an outline drawn before."""
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
            drawn = self.drawn[id(mobject)]
            if drawn.path is not None:
                context.new_path()
                context.append_path(drawn.path)
            else:
                camera.set_cairo_context_path(context, mobject)
                if drawn.painted:  # a second time: most outlines drawn twice are drawn many times
                    drawn.path = context.copy_path()
                drawn.painted = True
            camera.apply_stroke(context, mobject, background=True)
            camera.apply_fill(context, mobject)
            camera.apply_stroke(context, mobject)
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


def same_order(before: list[int], after: list[int]) -> bool:
    """Whether the mobjects in both lists keep their order relative to each other."""
    kept = set(before) & set(after)
    return [k for k in before if k in kept] == [k for k in after if k in kept]


def rectangles(damage: np.ndarray, width: int, height: int) -> list[Rectangle]:
    """Damaged tiles as pixel rectangles within a `width` x `height` frame: runs along each row of
    tiles, with runs that repeat on the row below merged into one."""
    padded = np.zeros((damage.shape[0], damage.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = damage
    rows, edges = np.nonzero(np.diff(padded, axis=1))
    found: list[list[int]] = []  # [first column, end column, first row, end row]
    above: dict[tuple[int, int], list[int]] = {}  # the runs of the row above, by their columns
    here: dict[tuple[int, int], list[int]] = {}
    row_now = -1
    for row, start, end in zip(rows[::2].tolist(), edges[::2].tolist(), edges[1::2].tolist()):
        if row != row_now:
            above, here, row_now = (here if row == row_now + 1 else {}), {}, row
        run = above.get((start, end))
        if run is None:
            run = [start, end, row, row + 1]
            found.append(run)
        else:
            run[3] = row + 1
        here[start, end] = run
    return [(first * TILE, top * TILE, min(end * TILE, width) - first * TILE, min(bottom * TILE, height) - top * TILE)
            for first, end, top, bottom in found]


def copy_rectangles(source: np.ndarray, target: np.ndarray, where: Sequence[Rectangle]) -> None:
    for x, y, width, height in where:
        target[y:y + height, x:x + width] = source[y:y + height, x:x + width]


class FramePool:
    """Arrays for finished frames, reused once the encoder is done with them (it takes ownership of
    each frame it is handed): a reused array is brought up to date by copying only the tiles
    repainted since it was last filled, rather than the whole frame."""

    def __init__(self) -> None:
        self.free: deque[np.ndarray] = deque()  # filled by the encoder's thread; the latest is the least stale
        # id -> (array, its stale tiles: a mask, None for all of them, False for none)
        self.stale: dict[int, tuple[np.ndarray, np.ndarray | None | bool]] = {}
        # the tiles the camera's frame changed in since an array was last filled: a mask, None for
        # unknown, False for none; and, by id of each array filled since, what it was then
        self.damage: np.ndarray | None | bool = None
        self.changes: dict[int, np.ndarray | bool] = {}

    def repainted(self, damage: np.ndarray | None) -> None:
        """Tiles `damage` of the camera's frame changed (None: any may have)."""
        if damage is None or self.damage is None:
            self.damage = None
        else:
            self.damage = damage if self.damage is False else self.damage | damage
        for key, (array, stale) in self.stale.items():
            if damage is None or stale is None:
                self.stale[key] = (array, None)
            elif stale is False:
                self.stale[key] = (array, damage.copy())
            else:
                stale |= damage

    def filled(self, pixels: np.ndarray) -> np.ndarray:
        """An array holding a copy of `pixels`."""
        try:
            array = self.free.pop()
        except IndexError:
            array = pixels.copy()
        else:
            stale = self.stale[id(array)][1]
            if stale is None:
                np.copyto(array, pixels)
            elif stale is not False:
                copy_rectangles(pixels, array, rectangles(stale, pixels.shape[1], pixels.shape[0]))
        self.stale[id(array)] = (array, False)
        if self.damage is None:
            self.changes.pop(id(array), None)
        else:
            self.changes[id(array)] = self.damage
        self.damage = False
        return array

    def changed(self, array: np.ndarray) -> np.ndarray | None | bool:
        """The tiles in which `array`, a filled frame, differs from the frame filled before it
        (False: none; None: unknown). Asked once, by the encoder, from its thread."""
        return self.changes.pop(id(array), None)

    def release(self, array: np.ndarray) -> None:
        """The encoder is done with `array` (called from its thread)."""
        entry = self.stale.get(id(array))
        if entry is not None and entry[0] is array:
            self.free.append(array)
