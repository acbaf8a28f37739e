"""`squiggle clips`: every beat of the film as an MP4, a transparent video, a PNG still and a GIF.

Each chapter renders twice through Manim, cut into one section per beat (`next_section()` at
every `say()`, with `save_sections`): once opaque (H.264 MP4) and once on a transparent
background (VP9 WebM in yuva420p, or QuickTime Animation MOV in argb; Manim 0.22 picks those
codecs for `transparent=True` with format webm or mov). Manim joins a section's partial movies
without re-encoding, so a beat's clip is frame for frame the film's. The still is drawn by the
scene itself at the end of each beat, not decoded from lossy video. Every file is written under
a temporary name and renamed when complete; clips left from beats a chapter no longer has are
removed once the chapter's new clips are in place.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import av
import av.filter
import numpy as np
from manim import tempconfig
from PIL import Image

from scenes import render
from scenes.beats import Beat, with_progress, work_folder
from scenes.chapters.base import Chapter
from scenes.render import FrameCallback, Quality, atomic_output

# Realtime VP9 encodes about three times faster than the default "good" deadline; at crf 10 the
# transparent background stays exactly transparent (at crf 23 some of it comes out at alpha 1).
ALPHA_FORMATS: dict[str, dict[str, Any]] = {
    "webm": {"format": "webm",
             "video_encoder_options": {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "10"}},
    "mov": {"format": "mov", "video_encoder_options": {}},
}
GIF_FPS = 15
GIF_WIDTH = 640  # GIFs are for quick previews and chat; wider ones grow large fast

RenderedBeat = tuple[str, Path, np.ndarray | None]  # caption, the beat's video, its final frame


class BeatSections(Chapter):
    """A chapter cut into Manim sections at its beats; keeps each beat's caption and final frame."""

    keep_stills: ClassVar[bool] = True

    def setup(self) -> None:
        super().setup()
        self.beats: list[tuple[str, np.ndarray | None]] = []  # finished beats: caption, final frame
        self._open: str | None = None  # the caption of the beat being played
        self._beat_start = 0  # the play that began it

    def say(self, words: str, on_screen: bool = True) -> None:
        self._close_beat()
        if self.beats:  # before the first beat, what plays belongs to the first beat
            self.next_section(f"beat-{len(self.beats) + 1}")
        self._beat_start = self.renderer.num_plays if self.beats else 0
        self._open = words
        super().say(words, on_screen)

    def tear_down(self) -> None:
        super().tear_down()
        if not self.beats and self._open is None:
            self._open = self.title  # a chapter that never speaks is one beat
        self._close_beat()

    def _close_beat(self) -> None:
        """Finish the open beat; one that showed no frame is dropped (its section is empty too)."""
        if self._open is not None and self.renderer.num_plays > self._beat_start:
            self.beats.append((self._open, self._final_frame() if self.keep_stills else None))
        self._open = None

    def _final_frame(self) -> np.ndarray:
        """The scene as it stands, drawn afresh (the camera may hold only the moving layer)."""
        static, self.renderer.static_image = self.renderer.static_image, None
        self.renderer.update_frame(self)
        self.renderer.static_image = static
        return self.renderer.get_frame().copy()


def render_beats(chapter: type[Chapter], quality: Quality, folder: Path, on_frames: FrameCallback | None = None,
                 alpha: str | None = None) -> list[RenderedBeat]:
    """Render `chapter` into `folder`, one section per beat; transparent in format `alpha` if given."""
    settings = {**render.manim_settings(quality, folder, chapter.slug), "save_sections": True,
                "disable_caching": True}  # as render_part: Manim's hashing costs more than it saves
    if alpha is not None:
        # A second pass over a scene whose warnings the opaque pass showed: quiet from before the
        # format is set, which makes Manim warn that webm is slow.
        del settings["verbosity"]
        settings = {"verbosity": "ERROR", **settings, "transparent": True, **ALPHA_FORMATS[alpha]}
    scene_class = type(chapter.__name__, (BeatSections, chapter),
                       {"keep_stills": alpha is None, "__module__": __name__})
    with tempconfig(settings), render.counting_frames(on_frames), render.manim_speedups():
        scene = scene_class()
        scene.render()
        writer = scene.renderer.file_writer
        videos = [writer.sections_output_dir / section.video for section in writer.sections
                  if section.video is not None]
    return [(caption, video, still) for (caption, still), video in zip(scene.beats, videos, strict=True)]


def copy_to(source: Path, target: Path) -> Path:
    with atomic_output(target) as partial:
        shutil.copyfile(source, partial)
    return target


def write_png(frame: np.ndarray, target: Path) -> Path:
    with atomic_output(target) as partial:
        Image.fromarray(frame).convert("RGB").save(partial, format="PNG")
    return target


def write_gif(source: Path, target: Path) -> Path:
    """A looping GIF of `source` at GIF_FPS and at most GIF_WIDTH wide, with a palette made for it."""
    with av.open(str(source)) as video:
        stream = video.streams.video[0]
        width = min(GIF_WIDTH, stream.codec_context.width)
        height = round(stream.codec_context.height * width / stream.codec_context.width / 2) * 2
        graph = av.filter.Graph()
        steps = [graph.add_buffer(template=stream), graph.add("fps", str(GIF_FPS)),
                 graph.add("scale", f"{width}:{height}:flags=lanczos"), graph.add("split")]
        for before, after in itertools.pairwise(steps):
            before.link_to(after)
        palette = graph.add("palettegen", "stats_mode=diff")
        use = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle")
        sink = graph.add("buffersink")
        steps[-1].link_to(palette, 0, 0)
        steps[-1].link_to(use, 1, 0)
        palette.link_to(use, 0, 1)
        use.link_to(sink)
        graph.configure()
        for frame in video.decode(stream):
            graph.push(frame)
        graph.push(None)
        with atomic_output(target) as partial, av.open(str(partial), "w", format="gif") as out:
            gif = out.add_stream("gif", rate=GIF_FPS)
            gif.width, gif.height, gif.pix_fmt = width, height, "pal8"
            count = 0
            while True:
                try:
                    frame = graph.pull()
                except (av.error.EOFError, BlockingIOError):
                    break
                frame.pts, frame.time_base = count, Fraction(1, GIF_FPS)
                out.mux(gif.encode(frame))
                count += 1
            out.mux(gif.encode())
    return target


def remove_stale(output: Path, prefix: str, stems: set[str]) -> None:
    """Delete clips named `prefix...` whose beat is not in `stems` (the chapter lost or renamed it)."""
    for path in output.glob(f"{prefix}*"):
        if path.name.split(".")[0].removesuffix("-alpha") not in stems:
            path.unlink()


def publish_chapter(number: int, chapter: type[Chapter], opaque: list[RenderedBeat], clear: list[RenderedBeat],
                    output: Path, alpha: str, gif: bool) -> list[Path]:
    """Write one chapter's clips into `output`; return the paths written."""
    written, stems = [], set()
    for index, ((caption, video, still), (_, alpha_video, _)) in enumerate(zip(opaque, clear, strict=True), 1):
        stem = Beat(number, chapter.slug, index, caption).stem
        stems.add(stem)
        written += [copy_to(video, output / f"{stem}.mp4"),
                    copy_to(alpha_video, output / f"{stem}-alpha.{alpha}"),
                    write_png(still, output / f"{stem}.png")]
        if gif:
            written.append(write_gif(video, output / f"{stem}.gif"))
    remove_stale(output, f"{number:02d}-{chapter.slug}-", stems)
    return written


def build_clips(chapters: Sequence[tuple[int, type[Chapter]]], quality: Quality, output: Path,
                alpha: str = "webm", gif: bool = False) -> list[Path]:
    """Clips of every beat of the numbered `chapters`, chapter by chapter, with a progress display."""
    def job(number: int, chapter: type[Chapter]) -> tuple[str, Callable[[FrameCallback], list[Path]]]:
        work = work_folder(output, quality, chapter.network)

        def run(on_frames: FrameCallback) -> list[Path]:
            opaque = render_beats(chapter, quality, work / "opaque", on_frames)
            clear = render_beats(chapter, quality, work / alpha, on_frames, alpha)
            return publish_chapter(number, chapter, opaque, clear, output, alpha, gif)
        return chapter.slug, run

    output.mkdir(parents=True, exist_ok=True)
    return [path for paths in with_progress([job(n, c) for n, c in chapters], "clips") for path in paths]
