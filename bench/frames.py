"""The exact frames a render hands its encoder, kept to be encoded again with nothing else running.

`record` renders chapters with an encoder that also keeps every call it receives: each segment
opened (Manim encodes each animation as a segment of its own), each frame with the number of
times it is held, each segment finished. The frames go, losslessly, into a QuickTime Animation
(RLE) file per chapter, about 35 KB and 5 ms per 1080p frame; the calls into a pickle beside it.
`replay` makes the same calls again on the render's own encoder class: the same pixels, held as
the render held them, in segments cut where the render cut them. Decoding frames from a video the
render wrote instead would not be the same work: its compression noise and broken holds cost the
encoder about 20% more.

Run by bench/render.py and bench/encoders.py: `python -m bench.frames --quality high FOLDER`
records the walkthrough's chapters into FOLDER.
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from unittest import mock

import av
import numpy as np
from manim._config.video_encoder import VideoEncoderSpec

from scenes import film, render, theme
from scenes.cli import load_network

CHUNK = 240  # distinct frames decoded ahead of each timed round: about 2 GB per process at 1080p
STORE_CODEC, STORE_FORMAT = "qtrle", "argb"  # lossless, keeps alpha, fast to write and read


class Recording:
    """One chapter's encoder calls (`<slug>.calls`) and frames (`<slug>.mov`) under a folder."""

    def __init__(self, folder: Path, slug: str) -> None:
        self.calls: list[tuple] = []
        self.calls_path = folder / f"{slug}.calls"
        self.store = av.open(str(folder / f"{slug}.mov"), "w")
        self.stream = None
        self.frames = 0
        self.lock = threading.Lock()  # Manim may encode two animations at once, each in a thread

    def open(self, segment: int, spec: VideoEncoderSpec) -> None:
        with self.lock:
            self.calls.append(("open", segment, spec))

    def write(self, segment: int, pixels: np.ndarray, repeat: int) -> None:
        with self.lock:
            if self.stream is None:
                self.stream = self.store.add_stream(STORE_CODEC, rate=1)
                self.stream.height, self.stream.width = pixels.shape[:2]
                self.stream.pix_fmt = STORE_FORMAT
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            frame.pts = self.frames
            self.frames += 1
            for packet in self.stream.encode(frame):
                self.store.mux(packet)
            self.calls.append(("write", segment, repeat))

    def finish(self, segment: int) -> None:
        with self.lock:
            self.calls.append(("finish", segment))

    def close(self) -> None:
        if self.stream is not None:
            for packet in self.stream.encode():
                self.store.mux(packet)
        self.store.close()
        self.calls_path.write_bytes(pickle.dumps(self.calls))


class RecordingEncoder(render.HeldFrameEncoder):
    """The render's encoder, keeping each call it receives in `recording` before acting on it."""

    recording: Recording
    segments = 0

    def __init__(self, *, target: Path, spec: VideoEncoderSpec) -> None:
        super().__init__(target=target, spec=spec)
        with self.recording.lock:
            self.segment = RecordingEncoder.segments = RecordingEncoder.segments + 1
        self.recording.open(self.segment, spec)

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self.recording.write(self.segment, pixels, repeat)
        super().write_frame(pixels, repeat=repeat)

    def finish(self) -> None:
        super().finish()
        self.recording.finish(self.segment)


def record_chapter(network: str, slug: str, quality: str, folder: str) -> None:
    """Render chapter `slug` of the film of `network`, recording its encoder's calls into `folder`."""
    chapter = next(c for c in film.chapters_for(load_network(network)) if c.slug == slug)
    theme.own_text_dir()  # as a render's worker does
    RecordingEncoder.recording = Recording(Path(folder), slug)
    with tempfile.TemporaryDirectory() as work, mock.patch.object(render, "HeldFrameEncoder", RecordingEncoder):
        render.render_part(chapter, render.QUALITIES[quality], Path(work))
    RecordingEncoder.recording.close()


def record(network: str, quality: str, folder: Path, jobs: int) -> list[str]:
    """Record every chapter of the film into `folder`, `jobs` chapters at a time; their slugs."""
    folder.mkdir(parents=True, exist_ok=True)
    slugs = [chapter.slug for chapter in film.chapters_for(load_network(network))]
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(record_chapter, [network] * len(slugs), slugs, [quality] * len(slugs),
                      [str(folder)] * len(slugs)))
    return slugs


def calls_of(folder: Path, slug: str) -> list[tuple]:
    return pickle.loads((folder / f"{slug}.calls").read_bytes())


def frames_of(folder: Path, slug: str) -> int:
    """Frames in the recorded chapter's video (holds counted)."""
    return sum(call[2] for call in calls_of(folder, slug) if call[0] == "write")


def chunks(folder: Path, slugs: list[str], options: dict[str, str] | None = None,
           converted: bool = False) -> Iterator[list[tuple]]:
    """The recorded calls of the chapters `slugs`, frames decoded, in lists of at most CHUNK
    frames; with `options`, segments are opened with those encoder options instead; `converted`,
    frames are handed over already in the stream's pixel format (yuv420p)."""
    chunk: list[tuple] = []
    writes = 0
    for slug in slugs:
        with av.open(str(folder / f"{slug}.mov")) as store:
            frames = store.decode(video=0)
            for call in calls_of(folder, slug):
                if call[0] == "open" and options is not None:
                    call = ("open", call[1], replace(call[2], options=tuple(sorted(options.items()))))
                if call[0] == "write":
                    pixels = np.ascontiguousarray(next(frames).to_ndarray(format="rgba"))
                    if converted:  # as the render's encoder converts a whole frame
                        pixels = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format="yuv420p")
                    call = ("write", call[1], pixels, call[2])
                chunk.append(call)
                writes += call[0] == "write"
                if writes == CHUNK:
                    yield chunk
                    chunk, writes = [], 0
    yield chunk


class Replay:
    """Makes recorded calls on fresh encoders writing into a scratch folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.encoders: dict[int, render.HeldFrameEncoder] = {}
        self.segments = 0

    def run(self, chunk: list[tuple]) -> None:
        for call, segment, *arguments in chunk:
            if call == "open":
                self.segments += 1
                target = self.folder / f"{self.segments}.mp4"
                self.encoders[segment] = render.HeldFrameEncoder(target=target, spec=arguments[0])
            elif call == "write" and isinstance(arguments[0], av.VideoFrame):
                self.encoders[segment].write_converted_frame(arguments[0], arguments[1])
            elif call == "write":
                self.encoders[segment].write_frame(arguments[0], repeat=arguments[1])
            else:
                self.encoders.pop(segment).finish()


def main() -> None:
    parser = argparse.ArgumentParser(description="Record the exact frames of a render, losslessly.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--quality", choices=list(render.QUALITIES), default="high")
    parser.add_argument("--network", default="statquest")
    parser.add_argument("--jobs", type=int, default=render.default_jobs())
    args = parser.parse_args()
    record(args.network, args.quality, args.folder, args.jobs)


if __name__ == "__main__":
    main()
