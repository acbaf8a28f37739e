"""Render chapters to MP4 and join them into one film with chapter markers and captions.

Each chapter renders as its own Manim scene into a working folder; the parts are then joined
without re-encoding. Every file the user sees is written under a temporary name and renamed
into place only when complete, so a failed or interrupted render leaves earlier output intact.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import srt
from manim import tempconfig
from manim.scene.scene_file_writer import SceneFileWriter

from scenes.chapters.base import Chapter


@dataclass(frozen=True)
class Quality:
    name: str
    manim_name: str
    height: int
    fps: int


QUALITIES = {q.name: q for q in (
    Quality("low", "low_quality", 480, 15),
    Quality("medium", "medium_quality", 720, 30),
    Quality("high", "high_quality", 1080, 60),
    Quality("4k", "fourk_quality", 2160, 60),
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


def manim_settings(quality: Quality, work_dir: Path, name: str) -> dict:
    return {
        "quality": quality.manim_name,
        "media_dir": str(work_dir),
        "video_dir": str(work_dir),
        "output_file": name,
        "format": "mp4",
        "progress_bar": "none",
        "verbosity": "WARNING",
        "disable_caching": False,
    }


def render_part(chapter: type[Chapter], quality: Quality, work_dir: Path,
                on_frames: FrameCallback | None = None) -> Part:
    """Render one chapter into `work_dir` and read back its captions and duration."""
    with tempconfig(manim_settings(quality, work_dir, chapter.slug)), counting_frames(on_frames):
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


def parts_folder(network_key: str, quality: Quality, root: Path) -> Path:
    return root / ".parts" / f"{quality.height}p{quality.fps}" / network_key


def render_film(chapters: Sequence[type[Chapter]], quality: Quality, network, target: Path,
                save_chapters: bool = False) -> list[Path]:
    """Render `chapters` in order with a progress display, join them into `target`."""
    import hashlib

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from nnmath import dumps

    key = hashlib.sha256(dumps(network).encode()).hexdigest()[:12]
    work = parts_folder(key, quality, target.parent)
    parts: list[Part] = []
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as progress:
        overall = progress.add_task("chapters", total=len(chapters))
        for chapter in chapters:
            frames = progress.add_task(f"  {chapter.slug} (frames)", total=None)
            part = render_part(chapter, quality, work,
                               on_frames=lambda n, task=frames: progress.advance(task, n))
            progress.update(frames, total=progress.tasks[frames].completed)
            parts.append(part)
            progress.advance(overall)
    written = publish(parts, target)
    if save_chapters:
        folder = target.with_name(target.stem + "-chapters")
        folder.mkdir(parents=True, exist_ok=True)
        for number, part in enumerate(parts, start=1):
            stem = f"{number:02d}-{part.slug}"
            written += publish([part], folder / f"{stem}.mp4")
    return written
