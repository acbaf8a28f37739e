"""Render chapters to MP4 and join them into one film with chapter markers and captions.

Each chapter renders as its own Manim scene, in worker processes when asked (`jobs`), and is kept
in a cache of finished parts keyed by everything that decides its pixels (`part_key`); the parts
are then joined without re-encoding. Every file the user sees is written under a temporary name
and renamed into place only when complete, so a failed or interrupted render leaves earlier
output intact.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import datetime
import functools
import hashlib
import json
import multiprocessing
import os
import queue
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import manim
import numpy as np
import srt
from manim import Mobject, Scene, Transform, tempconfig
from manim.animation.fading import _Fade
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.utils.iterables import list_update

import nnmath
from scenes import theme
from scenes.chapters.base import Chapter
from scenes.damage import TILE, DamageRenderer, FramePool

if TYPE_CHECKING:
    from rich.progress import Progress


@dataclass(frozen=True)
class Quality:
    """A Manim quality preset and the libx264 options its films are encoded with."""

    name: str
    manim_name: str
    height: int
    fps: int
    encoder: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def label(self) -> str:
        return f"{self.height}p{self.fps}"


# The fastest preset, and the closest to the rendered frames at CRF 20 (no ringing at text edges),
# for about 1.3 Mbit/s at 1080p60. bench/README.md compares it with the others: time, size, a
# busy frame at full size.
X264 = {"preset": "ultrafast", "crf": "20"}
QUALITIES = {q.name: q for q in (
    Quality("low", "low_quality", 480, 15, X264),
    Quality("medium", "medium_quality", 720, 30, X264),
    Quality("high", "high_quality", 1080, 60, X264),
    Quality("4k", "fourk_quality", 2160, 60, X264),
)}


@dataclass(frozen=True)
class Part:
    """One rendered chapter: its video, its captions (times from the chapter's start), its length."""

    slug: str
    title: str
    video: Path
    captions: list[srt.Subtitle]
    duration: float


class RenderError(Exception):
    """A render problem the user can act on, as one line."""


FrameCallback = Callable[[int], None]


@contextlib.contextmanager
def counting_frames(callback: FrameCallback | None) -> Iterator[None]:
    """Call `callback(n)` for every n frames Manim hands to its encoder."""
    if callback is None:
        yield
        return
    original = SceneFileWriter.write_frame

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        original(self, pixels, repeat=repeat)
        callback(repeat)

    SceneFileWriter.write_frame = write_frame
    try:
        yield
    finally:
        SceneFileWriter.write_frame = original


# Frames queued for the encoder at most. Few keep the reused frame arrays nearly up to date (fewer
# tiles to copy, see FramePool) and warm in the CPU's cache: 2 took 5% less CPU than Manim's 8.
FRAMES_IN_FLIGHT = 2


def manim_settings(quality: Quality, work_dir: Path, name: str) -> dict:
    """Manim's config for rendering `name` at `quality` into `work_dir` (encoder options included:
    other codecs, as for transparent clips, ignore the libx264 ones)."""
    return {
        "quality": quality.manim_name,
        "media_dir": str(work_dir),
        "video_dir": str(work_dir),
        "output_file": name,
        "format": "mp4",
        "progress_bar": "none",
        "verbosity": "WARNING",
        "disable_caching": False,
        "video_encoder_options": dict(quality.encoder),
        "encoder_queue_size": FRAMES_IN_FLIGHT,
    }


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, writing the same bytes with less work: a frame held for several
    frames (a `wait`) is converted from RGBA to the stream's YUV once rather than once per frame,
    and, when `changed` tells which tiles of a frame differ from the frame before it, only those
    (and a margin) are converted again. Each frame, once encoded, is handed to `written` (a
    `FramePool` reuses its array)."""

    written: Callable[[np.ndarray], None] | None = None
    changed: Callable[[np.ndarray], np.ndarray | None | bool] | None = None
    planes: np.ndarray | None = None  # the last frame converted, as yuv420p planes

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        try:
            self.write_converted_frame(self._converted(pixels), repeat)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
        if self.written is not None:
            self.written(pixels)

    def write_converted_frame(self, frame: av.VideoFrame, repeat: int) -> None:
        """Encode a frame already in the stream's pixel format, `repeat` times."""
        frame.time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        for _ in range(repeat):
            frame.pts = self._next_pts
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)

    def _converted(self, pixels: np.ndarray) -> av.VideoFrame:
        """`pixels` in the stream's pixel format, converted as the stream would convert it."""
        context = self._stream.codec_context
        change = self.changed(pixels) if self.changed is not None else None
        if self.planes is None or change is None:
            frame = _to_stream_format(pixels, context)
            self.planes = frame.to_ndarray() if self.changed is not None and context.pix_fmt == "yuv420p" else None
            return frame
        if change is not False:
            for box in changed_boxes(change, context.width, context.height):
                _convert_into(self.planes, pixels, box, context)
        return av.VideoFrame.from_ndarray(self.planes, format="yuv420p")


CONVERSION_REACH = 16  # pixels: how far the conversion to yuv420p carries a pixel's change (it is 2)


def _to_stream_format(pixels: np.ndarray, context: av.VideoCodecContext) -> av.VideoFrame:
    return av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
        pixels.shape[1], pixels.shape[0], context.pix_fmt, threads=context.thread_count)


def changed_boxes(change: np.ndarray, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Pixel boxes (top, bottom, left, right) covering the changed tiles: one per run of rows of
    tiles with a change, as wide as the changes in it."""
    rows = np.flatnonzero(change.any(axis=1))
    boxes = []
    for run in np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1) if len(rows) else []:
        columns = np.flatnonzero(change[run[0]:run[-1] + 1].any(axis=0))
        boxes.append((int(run[0]) * TILE, min(height, (int(run[-1]) + 1) * TILE),
                      int(columns[0]) * TILE, min(width, (int(columns[-1]) + 1) * TILE)))
    return boxes


def _convert_into(planes: np.ndarray, pixels: np.ndarray, box: tuple[int, int, int, int],
                  context: av.VideoCodecContext) -> None:
    """Bring the yuv420p `planes` up to date with `pixels` around `box`, where they changed: convert
    a box one reach larger still, so that the part kept was converted with all its neighbours, as
    in the whole frame."""
    height, width = pixels.shape[:2]
    top, bottom, left, right = box

    def grown(by: int) -> tuple[int, int, int, int]:
        return max(0, top - by), min(height, bottom + by), max(0, left - by), min(width, right + by)

    (y0, y1, x0, x1), (cy0, cy1, cx0, cx1) = grown(CONVERSION_REACH), grown(2 * CONVERSION_REACH)
    part = _to_stream_format(np.ascontiguousarray(pixels[cy0:cy1, cx0:cx1]), context).to_ndarray()
    for scale, ours, theirs in zip((1, 2, 2), yuv420p_planes(planes, height, width),
                                   yuv420p_planes(part, cy1 - cy0, cx1 - cx0)):
        ours[y0 // scale:y1 // scale, x0 // scale:x1 // scale] = theirs[
            (y0 - cy0) // scale:(y1 - cy0) // scale, (x0 - cx0) // scale:(x1 - cx0) // scale]


def yuv420p_planes(frame: np.ndarray, height: int, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of the Y, U and V planes of a yuv420p frame stored as PyAV stores it: one after another."""
    flat = frame.reshape(-1)
    luma, chroma = height * width, (height // 2) * (width // 2)
    return (flat[:luma].reshape(height, width), flat[luma:luma + chroma].reshape(height // 2, width // 2),
            flat[luma + chroma:luma + 2 * chroma].reshape(height // 2, width // 2))


def _copy_sharing_svg_path(self: VMobjectFromSVGPath, memo: dict) -> VMobjectFromSVGPath:
    """Copy a glyph without deep-copying the parsed SVG path it was built from (read only at
    construction); its points, colours and the rest are copied as before."""
    memo[id(self.path_obj)] = self.path_obj
    return Mobject.__deepcopy__(self, memo)


def _fade_in_place(fade: _Fade, submobject: Mobject, start: Mobject, target: Mobject, alpha: float) -> _Fade:
    """`_Fade.interpolate_submobject`: a fade that neither shifts nor scales changes colours
    only, as Manim's does, without moving points between copies that differ by rounding alone."""
    if fade.point_target or np.any(fade.shift_vector) or fade.scale_factor != 1:
        return Transform.interpolate_submobject(fade, submobject, start, target, alpha)
    submobject.interpolate_color(start, target, alpha)
    return fade


_manim_update_frame = CairoRenderer.update_frame


def _update_mobjects(scene: Scene, dt: float) -> None:
    """`Scene.update_mobjects`: the same updaters called in the same order (depth first, a mobject
    before its submobjects, none under one whose updating is suspended), without a method call per
    mobject of the scene on every frame."""
    todo = list(reversed(scene.mobjects))
    while todo:
        mobject = todo.pop()
        if mobject.updating_suspended:
            continue
        if mobject.updaters:
            mobject.update(dt, recursive=False)
        todo.extend(reversed(mobject.submobjects))


def _update_whole_frame(renderer: CairoRenderer, *args, **kwargs) -> None:
    """`CairoRenderer.update_frame`; the frame it draws is not one a `DamageRenderer` can build on."""
    if "damage" in renderer.__dict__:
        renderer.damage.restart()
    _manim_update_frame(renderer, *args, **kwargs)


@contextlib.contextmanager
def manim_speedups(repaint_changes: bool = True) -> Iterator[None]:
    """Patches to Manim 0.22 that change no pixel: each frame repaints only what changed since the
    one before (`DamageRenderer`, unless `repaint_changes` is off) into a reused array
    (`FramePool`), glyph copies share their parsed SVG path (copying a caption cost about 50 ms,
    now 6 ms: every FadeIn and Transform copies), fades in place change only colours
    (`_fade_in_place`), and held frames are converted for the encoder once (`HeldFrameEncoder`)."""
    frames = FramePool()

    def create_encoder(writer: SceneFileWriter, target: Path) -> VideoSegmentEncoder:
        encoder = HeldFrameEncoder(target=target, spec=writer.video_encoder)
        encoder.written, encoder.changed = frames.release, frames.changed
        return encoder

    def render_changes(renderer: CairoRenderer, scene: Scene, time: float,
                       moving_mobjects: Sequence[Mobject] | None = None) -> None:
        """`CairoRenderer.render`, repainting only what changed since the animation's last frame."""
        damage = renderer.__dict__.get("damage")
        if damage is None:
            damage = renderer.damage = DamageRenderer(renderer.camera, frames)
        static = renderer.static_image
        damage.draw(moving_mobjects or list_update(scene.mobjects, scene.foreground_mobjects),
                    static if static is not None else renderer.camera.background)
        renderer.add_frame(damage.frame())

    patches = [(VMobjectFromSVGPath, "__deepcopy__", _copy_sharing_svg_path),
               (_Fade, "interpolate_submobject", _fade_in_place),
               (SceneFileWriter, "_create_segment_encoder", create_encoder),
               (Scene, "update_mobjects", _update_mobjects)]
    if repaint_changes:
        patches += [(CairoRenderer, "render", render_changes), (CairoRenderer, "update_frame", _update_whole_frame)]
    originals = [(owner, name, owner.__dict__.get(name)) for owner, name, _ in patches]
    for owner, name, patch in patches:
        setattr(owner, name, patch)
    try:
        yield
    finally:
        for owner, name, original in originals:
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def keep_freed_memory() -> None:
    """Have glibc's allocator keep freed frame-sized blocks for reuse rather than return them to the
    kernel: otherwise every frame-sized array (8 MB at 1080p: frames, the encoder's copies) comes as
    fresh pages the kernel must zero, which was most of a render's system time. Renders and the
    benchmark's encode-only runs both call it. Does nothing without glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim_threshold, top_pad, mmap_threshold = -1, -2, -3  # mallopt's parameter numbers
    libc.mallopt(mmap_threshold, 32 << 20)  # glibc's largest: blocks below it come from the heap
    libc.mallopt(trim_threshold, 256 << 20)
    libc.mallopt(top_pad, 64 << 20)


def render_part(chapter: type[Chapter], quality: Quality, work_dir: Path,
                on_frames: FrameCallback | None = None) -> Part:
    """Render one chapter into `work_dir` and read back its captions and duration.

    Manim's own per-animation cache is off: it hashes every mobject on every `play` (about 40% of a
    render), and squiggle caches whole chapters instead (`cached_part`)."""
    settings = {**manim_settings(quality, work_dir, chapter.slug), "disable_caching": True}
    keep_freed_memory()
    with tempconfig(settings), counting_frames(on_frames), manim_speedups():
        scene = chapter()
        scene.render()
        video = Path(scene.renderer.file_writer.movie_file_path)
    captions_file = video.with_suffix(".srt")
    captions = list(srt.parse(captions_file.read_text(encoding="utf-8"))) if captions_file.exists() else []
    return Part(chapter.slug, chapter.title, video, captions, video_duration(video))


def video_duration(path: Path) -> float:
    """Frames over frame rate: exact, unlike container timestamps, which Manim's own joins round."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for packet in container.demux(stream) if packet.dts is not None)
        return frames / float(stream.guessed_rate)


def partial_path(target: Path) -> Path:
    """Where `target` is written before it is complete: same folder, so the rename is atomic."""
    return target.with_name(f".{target.stem}.partial{target.suffix}")


def ensure_writable(target: Path) -> None:
    """Fail early, in one line, if `target` cannot be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        probe = partial_path(target)
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise RenderError(f"cannot write {target}: {error.strerror or error}; choose another --output") from None


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `target`, on failure it is removed."""
    partial = partial_path(target)
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def join_parts(parts: Sequence[Part], target: Path) -> None:
    """Concatenate same-format parts without re-encoding and mark each as a chapter."""
    with atomic_output(target) as partial, av.open(str(partial), "w", format="mp4") as out:
        stream, offset, marks = None, 0.0, []
        for part in parts:
            with av.open(str(part.video)) as source:
                video = source.streams.video[0]
                if stream is None:
                    stream = out.add_stream_from_template(video)
                # Snap every timestamp to its frame slot: Manim's joins leave a few ticks of drift.
                tick = 1 / (video.guessed_rate * video.time_base)
                shift = round(offset / video.time_base)
                for packet in source.demux(video):
                    if packet.dts is None:
                        continue
                    packet.pts = round(round(packet.pts / tick) * tick) + shift
                    packet.dts = round(round(packet.dts / tick) * tick) + shift
                    packet.stream = stream
                    out.mux(packet)
            marks.append({"id": len(marks) + 1, "start": round(offset * 1000),
                          "end": round((offset + part.duration) * 1000), "time_base": Fraction(1, 1000),
                          "metadata": {"title": part.title}})
            offset += part.duration
        out.set_chapters(marks)


def joined_captions(parts: Sequence[Part]) -> list[srt.Subtitle]:
    """All parts' captions on the film's timeline, numbered from 1."""
    captions, offset = [], datetime.timedelta()
    for part in parts:
        for caption in part.captions:
            captions.append(srt.Subtitle(len(captions) + 1, caption.start + offset, caption.end + offset,
                                         caption.content))
        offset += datetime.timedelta(seconds=part.duration)
    return captions


def to_vtt(captions: Sequence[srt.Subtitle]) -> str:
    """WebVTT for browsers and slide decks."""
    def stamp(delta: datetime.timedelta) -> str:
        millis = round(delta.total_seconds() * 1000)
        return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"
    blocks = [f"{stamp(c.start)} --> {stamp(c.end)}\n{c.content}" for c in captions]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def write_text(target: Path, text: str) -> None:
    with atomic_output(target) as partial:
        partial.write_text(text, encoding="utf-8")


def publish(parts: Sequence[Part], target: Path) -> list[Path]:
    """Write the film, its .srt and .vtt beside it; return the paths written."""
    join_parts(parts, target)
    captions = joined_captions(parts)
    write_text(target.with_suffix(".srt"), srt.compose(captions))
    write_text(target.with_suffix(".vtt"), to_vtt(captions))
    return [target, target.with_suffix(".srt"), target.with_suffix(".vtt")]


# --- the cache of finished parts ------------------------------------------------------------------

PROJECT = Path(__file__).resolve().parent.parent
DRAWING_CODE = ("scenes/pieces/*.py", "scenes/theme.py", "scenes/layout.py", "scenes/chapters/base.py",
                "nnmath/*.py")  # what every chapter draws with
PROJECT_PACKAGES = ("scenes", "nnmath")
PART_FORMAT = 1  # bump when how parts are made changes in a way their key does not capture
KEEP_VERSIONS = 3  # cached versions kept per chapter and quality (switching back is then free)


def _module_file(name: str) -> Path | None:
    """The project source file of module `name`, if it is one."""
    base = PROJECT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_project_files(path: Path) -> set[Path]:
    """Project modules that `path` imports (`import a.b`, `from a import b`, `from a.b import c`)."""
    return {file for name in _imported_names(path.read_text(encoding="utf-8"))
            if name.split(".")[0] in PROJECT_PACKAGES for file in [_module_file(name)] if file is not None}


@functools.lru_cache(maxsize=256)
def _imported_names(source: str) -> frozenset[str]:
    """Every module name an import statement in `source` may refer to (a name imported `from` a
    package may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def chapter_sources(chapter: type[Chapter]) -> list[Path]:
    """The source files that decide what `chapter` draws: the modules defining it and its Chapter
    ancestors (not the film's binding of chapters to a network: the network is in the key), every
    project module they import, directly or not, and the drawing code every chapter shares."""
    from scenes import film

    todo = {Path(sys.modules[cls.__module__].__file__).resolve() for cls in chapter.__mro__
            if issubclass(cls, Chapter) and cls.__module__ != film.__name__}
    found = {file for pattern in DRAWING_CODE for file in PROJECT.glob(pattern)}
    while todo:
        file = todo.pop()
        found.add(file)
        todo |= _imported_project_files(file) - found
    return sorted(found)


def part_key(chapter: type[Chapter], quality: Quality) -> str:
    """A hash of everything that decides a part's pixels, captions and encoding: the network's spec,
    the quality and its encoder options, SQUIGGLE_* settings, the Manim and PyAV versions and the
    source of the code that draws the chapter."""
    sources = [(str(path.relative_to(PROJECT)) if path.is_relative_to(PROJECT) else str(path),
                path.read_text(encoding="utf-8")) for path in chapter_sources(chapter)]
    identity = {
        "format": PART_FORMAT,
        "chapter": [chapter.slug, chapter.__name__],
        "network": nnmath.dumps(chapter.network),
        "quality": [quality.manim_name, quality.height, quality.fps, sorted(quality.encoder.items())],
        "env": sorted((k, v) for k, v in os.environ.items() if k.startswith("SQUIGGLE_")),
        "versions": [manim.__version__, av.__version__],
        "sources": sources,
    }
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:24]


def parts_folder(root: Path, quality: Quality, slug: str) -> Path:
    """Where the cached versions of one chapter at one quality live."""
    return root / quality.label / slug


def load_part(chapter: type[Chapter], quality: Quality, root: Path, key: str | None = None) -> Part | None:
    """The cached part for `chapter`, if one with the same key is complete (manifest written last)."""
    key = key or part_key(chapter, quality)
    folder = parts_folder(root, quality, chapter.slug)
    manifest, video = folder / f"{key}.json", folder / f"{key}.mp4"
    if not (manifest.is_file() and video.is_file()):
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    os.utime(manifest)  # recently used: kept when older versions are pruned
    captions = [srt.Subtitle(n, datetime.timedelta(milliseconds=start), datetime.timedelta(milliseconds=end), text)
                for n, (start, end, text) in enumerate(data["captions"], start=1)]
    return Part(chapter.slug, chapter.title, video, captions, data["duration"])


def store_part(part: Part, quality: Quality, root: Path, key: str) -> Part:
    """Move a fresh part into the cache under `key`, with its .srt and a JSON manifest (written last,
    atomically: a part without one is incomplete and ignored); drop the oldest versions."""
    folder = parts_folder(root, quality, part.slug)
    folder.mkdir(parents=True, exist_ok=True)
    video = folder / f"{key}.mp4"
    os.replace(part.video, video)
    write_text(video.with_suffix(".srt"), srt.compose(part.captions))
    manifest = {
        "slug": part.slug, "key": key, "duration": part.duration, "frames": round(part.duration * quality.fps),
        "captions": [[round(c.start.total_seconds() * 1000), round(c.end.total_seconds() * 1000), c.content]
                     for c in part.captions],
    }
    write_text(video.with_suffix(".json"), json.dumps(manifest, indent=1))
    versions = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in versions[KEEP_VERSIONS:]:
        for suffix in (".mp4", ".srt", ".json"):
            old.with_suffix(suffix).unlink(missing_ok=True)
    return Part(part.slug, part.title, video, part.captions, part.duration)


def expected_frames(chapter: type[Chapter], quality: Quality, root: Path) -> int | None:
    """Frames in the newest cached version of `chapter`, any key: a guess at the next render's length."""
    versions = sorted(parts_folder(root, quality, chapter.slug).glob("*.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(versions[-1].read_text(encoding="utf-8"))["frames"] if versions else None


def cached_part(chapter: type[Chapter], quality: Quality, root: Path, on_frames: FrameCallback | None = None,
                key: str | None = None) -> Part:
    """`chapter` from the cache under `root`, rendered and stored first if it is not there."""
    key = key or part_key(chapter, quality)
    part = load_part(chapter, quality, root, key)
    if part is None:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".work-", dir=root) as work:
            part = store_part(render_part(chapter, quality, Path(work), on_frames), quality, root, key)
    return part


# --- rendering chapters in worker processes ----------------------------------------------------------

@dataclass(frozen=True)
class PartJob:
    """What a worker process needs to render one chapter: plain, picklable data."""

    network: str  # the network's TOML spec (nnmath.dumps)
    slug: str
    quality: str
    root: str


_progress: multiprocessing.Queue | None = None  # set in each worker: (slug, frames) messages to the parent


def _start_worker(progress: multiprocessing.Queue) -> None:
    global _progress
    _progress = progress
    theme.own_text_dir()  # a forked worker would share its parent's


def _render_job(job: PartJob) -> Part:
    """In a worker: rebuild the chapter from the network's spec and render it into the cache (under
    the key of the sources as they are now, should one have been edited since the render began)."""
    from scenes import film

    chapter = next(c for c in film.chapters_for(nnmath.loads(job.network)) if c.slug == job.slug)
    report = None if _progress is None else (lambda n: _progress.put((job.slug, n)))
    return cached_part(chapter, QUALITIES[job.quality], Path(job.root), report)


def _worker_safe(chapters: Sequence[type[Chapter]], keys: Sequence[str], todo: Sequence[int], quality: Quality,
                 network: nnmath.Network) -> list[int]:
    """Those of `todo` that a worker, given only the network's spec and the slug, renders exactly:
    the film's own chapters (same key), not, say, a test's subclass."""
    from scenes import film

    film_keys = {chapter.slug: part_key(chapter, quality) for chapter in film.chapters_for(network)}
    return [i for i in todo if film_keys.get(chapters[i].slug) == keys[i]]


class _Display:
    """One progress display on stderr: chapters done, and frames for each chapter being rendered."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.overall = progress.add_task("chapters", total=total)
        self.frames: dict[str, int] = {}
        self.finished: set[str] = set()

    def start(self, chapter: type[Chapter], expected: int | None) -> None:
        self.frames[chapter.slug] = self.progress.add_task(f"  {chapter.slug} (frames)", total=expected)

    def advance(self, slug: str, frames: int) -> None:
        if slug not in self.finished:  # a worker's last counts may arrive after its part
            self.progress.advance(self.frames[slug], frames)

    def done(self, slug: str | None = None, frames: int = 0) -> None:
        """One more chapter ready; `slug`'s frame count, if it has one, is now exact."""
        if slug in self.frames:
            self.progress.update(self.frames[slug], total=frames, completed=frames)
            self.finished.add(slug)
        self.progress.advance(self.overall)


def default_jobs() -> int:
    """Worker processes for a render: one per core."""
    return os.cpu_count() or 1


def render_parts(chapters: Sequence[type[Chapter]], quality: Quality, network: nnmath.Network, root: Path,
                 jobs: int = 1) -> list[Part]:
    """Every chapter as a part, in film order: from the cache under `root` when unchanged, otherwise
    rendered, in up to `jobs` worker processes when more than one chapter needs it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    keys = [part_key(chapter, quality) for chapter in chapters]
    parts: list[Part | None] = [load_part(c, quality, root, k) for c, k in zip(chapters, keys)]
    todo = [i for i, part in enumerate(parts) if part is None]
    remote = _worker_safe(chapters, keys, todo, quality, network) if jobs > 1 and len(todo) > 1 else []
    # Workers start before the progress display does: it runs a thread, and they may be forked.
    workers = _Workers([chapters[i] for i in remote], quality, network, root, min(jobs, len(remote))) if remote else None
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with contextlib.ExitStack() as stack:
        if workers is not None:
            stack.enter_context(workers)
        progress = stack.enter_context(Progress(*columns, console=Console(stderr=True), transient=False))
        display = _Display(progress, len(chapters))
        for _ in range(len(chapters) - len(todo)):
            display.done()
        if workers is not None:
            for i, part in zip(remote, workers.collect(display)):
                parts[i] = part
        for i in (i for i in todo if i not in remote):
            expected = expected_frames(chapters[i], quality, root)
            display.start(chapters[i], expected)
            parts[i] = cached_part(chapters[i], quality, root,
                                   lambda n, slug=chapters[i].slug: display.advance(slug, n), keys[i])
            display.done(chapters[i].slug, round(parts[i].duration * quality.fps))
    return parts


def _start_method() -> str:
    """Fork where it is safe and saves each worker importing Manim again (about a second); spawn
    elsewhere."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


class _Workers:
    """Chapters rendering in worker processes, longest expected first, from the moment this is made."""

    def __init__(self, chapters: Sequence[type[Chapter]], quality: Quality, network: nnmath.Network, root: Path,
                 workers: int) -> None:
        self.chapters, self.quality = chapters, quality
        self.expected = [expected_frames(chapter, quality, root) for chapter in chapters]
        context = multiprocessing.get_context(_start_method())
        self.messages = context.Queue()
        self.pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                        initargs=(self.messages,))
        spec = nnmath.dumps(network)
        order = sorted(range(len(chapters)), key=lambda i: -(self.expected[i] or 0))
        self.pending: dict[Future, int] = {
            self.pool.submit(_render_job, PartJob(spec, chapters[i].slug, quality.name, str(root))): i for i in order}

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *error) -> None:
        for future in self.pending:
            future.cancel()
        self.pool.shutdown()

    def collect(self, display: _Display) -> list[Part]:
        """Wait for every part, showing progress; the parts in input order."""
        parts: list[Part | None] = [None] * len(self.chapters)
        while self.pending:
            finished, _ = wait(self.pending, timeout=0.1, return_when=FIRST_COMPLETED)
            _drain(self.messages, display, self.chapters, self.expected)
            for future in finished:
                i = self.pending.pop(future)
                parts[i] = future.result()
                if self.chapters[i].slug not in display.frames:
                    display.start(self.chapters[i], self.expected[i])
                display.done(self.chapters[i].slug, round(parts[i].duration * self.quality.fps))
        return parts


def _drain(messages: multiprocessing.Queue, display: _Display, chapters: Sequence[type[Chapter]],
           expected: Sequence[int | None]) -> None:
    """Move the workers' frame counts onto the display."""
    by_slug = {chapter.slug: (chapter, frames) for chapter, frames in zip(chapters, expected)}
    while True:
        try:
            slug, frames = messages.get_nowait()
        except queue.Empty:
            return
        if slug not in display.frames:
            display.start(*by_slug[slug])
        display.advance(slug, frames)


def render_film(chapters: Sequence[type[Chapter]], quality: Quality, network: nnmath.Network, target: Path,
                save_chapters: bool = False, jobs: int = 1) -> list[Path]:
    """Render `chapters` (reusing unchanged parts cached beside `target`), join them into `target`."""
    parts = render_parts(chapters, quality, network, target.parent / ".parts", jobs)
    written = publish(parts, target)
    if save_chapters:
        folder = target.with_name(target.stem + "-chapters")
        folder.mkdir(parents=True, exist_ok=True)
        for number, part in enumerate(parts, start=1):
            stem = f"{number:02d}-{part.slug}"
            written += publish([part], folder / f"{stem}.mp4")
    return written
