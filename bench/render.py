"""Render-speed benchmark, run by hand (not in CI): `.venv/bin/python bench/render.py`.

For each quality it renders the whole walkthrough twice with `squiggle render` in a fresh process:
cold (no cached parts, no Manim caches: a new output folder under bench/out) and warm (again,
unchanged). Both run on a snapshot of scenes/ and nnmath/ taken at the start, so edits made to
the working tree meanwhile change neither run. For each run it reports wall seconds, seconds of video, their ratio, frames per second,
the peak memory of the largest render process, and the encode-only time: the film's own frames
encoded again with the same encoder and settings and nothing else (decoding excluded from the
clock), split over as many processes as the render used, so the overhead above the encoder shows.
Results go to bench/results/render-*.json and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from fractions import Fraction
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

import av
import numpy as np
from manim._config.video_encoder import VideoEncoderSpec

from scenes import render

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results"


@dataclass
class Run:
    """One timed `squiggle render`."""

    quality: str
    kind: str  # "cold" or "warm"
    jobs: int
    wall_s: float
    video_s: float
    frames: int
    peak_mb: float
    encode_only_s: float
    load_before: float  # 1-minute load average when the run started: other work skews the numbers

    @property
    def ratio(self) -> float:
        return self.wall_s / self.video_s

    @property
    def fps(self) -> float:
        return self.frames / self.wall_s


def snapshot() -> Path:
    """A copy of the code that draws and renders, for runs that must not see later edits."""
    folder = OUT / "src"
    shutil.rmtree(folder, ignore_errors=True)
    for package in ("scenes", "nnmath"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def timed_render(quality: render.Quality, network: str, jobs: int, film: Path, log: Path,
                 code: Path) -> tuple[float, float]:
    """Run `squiggle render` from `code` in a new process; return wall seconds and the peak resident
    memory, in MB, of the largest process of its tree (wait4 reports the child and the workers it
    waited for)."""
    command = [sys.executable, "-m", "scenes.cli", "render", "--quality", quality.name, "--network", network,
               "--jobs", str(jobs), "--output", str(film)]
    with log.open("w") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONPATH": str(code)})
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed; see {log}")
    return wall, usage.ru_maxrss / 1024


def chapter_frames(film: Path) -> list[tuple[int, int]]:
    """Each chapter's [first, end) frame numbers, from the film's chapter markers."""
    with av.open(str(film)) as container:
        rate = container.streams.video[0].guessed_rate
        return [(round(mark["start"] * mark["time_base"] * rate), round(mark["end"] * mark["time_base"] * rate))
                for mark in container.chapters()]


CHUNK = 240  # distinct frames decoded before each timed round: about 2 GB per process at 1080p


def chunks_of(film: str, spans: list[tuple[int, int]], options: dict[str, str], folder: str) -> Iterator[list]:
    """The encoder's work for the film's frames in `spans`, as lists of calls decoded ahead (at most
    CHUNK distinct frames each): a span (a chapter: it starts on a keyframe) gets its own encoder,
    as every animation does in a render, and a run of identical frames is handed over as one held
    frame, as Manim hands a `wait`."""
    with av.open(film) as source:
        video = source.streams.video[0]
        rate = Fraction(video.guessed_rate)
        spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", video.codec_context.width,
                                video.codec_context.height, rate, tuple(sorted(options.items())))
        chunk: list = []
        for number, (first, end) in enumerate(spans):
            source.seek(round(first / rate / video.time_base), stream=video, backward=True)
            chunk.append(("open", Path(folder) / f"{number}.mp4", spec))
            held, count = None, 0
            for frame in source.decode(video):
                index = round(frame.pts * video.time_base * rate)
                if index < first:
                    continue
                if index >= end:
                    break
                pixels = np.ascontiguousarray(frame.to_ndarray(format="rgba"))
                if held is not None and np.array_equal(pixels, held):
                    count += 1
                    continue
                if held is not None:
                    chunk.append(("write", held, count))
                    if len(chunk) >= CHUNK:
                        yield chunk
                        chunk = []
                held, count = pixels, 1
            if held is not None:
                chunk.append(("write", held, count))
            chunk.append(("finish",))
        yield chunk


def run(chunk: list, encoder: render.HeldFrameEncoder | None) -> render.HeldFrameEncoder | None:
    """Make the encoder calls of `chunk`; the encoder still open at its end."""
    for call, *arguments in chunk:
        if call == "open":
            encoder = render.HeldFrameEncoder(target=arguments[0], spec=arguments[1])
        elif call == "write":
            encoder.write_frame(arguments[0], repeat=arguments[1])
        else:
            encoder.finish()
    return encoder


def encode_frames(film: str, spans: list[tuple[int, int]], options: dict[str, str], folder: str | None = None) -> float:
    """Seconds this process spends encoding the film's frames in `spans` (into `folder`, span n as
    n.mp4, or a scratch folder); decoding happens between chunks, off the clock."""
    render.keep_freed_memory()
    clock, encoder = 0.0, None
    with tempfile.TemporaryDirectory() as scratch:
        for chunk in chunks_of(film, spans, options, folder or scratch):
            start = time.perf_counter()
            encoder = run(chunk, encoder)
            clock += time.perf_counter() - start
    return clock


def encode_worker(connection: Connection, film: str, spans: list[tuple[int, int]], options: dict[str, str]) -> None:
    """In a process of its own: on "next", decode the next chunk and answer whether there was one;
    on "go", encode it and answer. Only encoding happens between "go" and the answer."""
    render.keep_freed_memory()  # as a render does
    with tempfile.TemporaryDirectory() as folder:
        chunks = chunks_of(film, spans, options, folder)
        encoder = None
        while connection.recv() == "next":
            chunk = next(chunks, None)
            connection.send(chunk is not None)
            if chunk is None:
                return
            connection.recv()
            encoder = run(chunk, encoder)
            del chunk
            connection.send("done")


def encode_only(film: Path, options: dict[str, str], jobs: int) -> float:
    """Seconds to encode the film's frames with the render's encoder and `options` in `jobs`
    processes, chapters shared longest first, with nothing else running: the processes decode a
    chunk of frames each, untimed, then all encode theirs while the clock runs, round after round."""
    spans = chapter_frames(film)
    shares: list[list[tuple[int, int]]] = [[] for _ in range(jobs)]
    for span in sorted(spans, key=lambda s: s[0] - s[1]):
        min(shares, key=lambda share: sum(end - first for first, end in share)).append(span)
    context = get_context("spawn")
    workers = []
    for share in shares:
        ours, theirs = context.Pipe()
        process = context.Process(target=encode_worker, args=(theirs, str(film), share, options))
        process.start()
        workers.append((ours, process))
    clock = 0.0
    active = [connection for connection, _ in workers]
    while active:
        for connection in active:
            connection.send("next")
        active = [connection for connection in active if connection.recv()]
        start = time.perf_counter()
        for connection in active:
            connection.send("go")
        for connection in active:
            connection.recv()
        clock += time.perf_counter() - start
    for connection, process in workers:
        process.join()
    return clock


def bench_quality(quality: render.Quality, network: str, jobs: int, code: Path) -> list[Run]:
    """Cold, then warm, renders of the walkthrough at `quality`."""
    folder = OUT / quality.label
    shutil.rmtree(folder, ignore_errors=True)  # cold: no cached parts, no Manim work folders
    folder.mkdir(parents=True)
    film = folder / "film.mp4"
    runs = []
    for kind in ("cold", "warm"):
        load = os.getloadavg()[0]
        wall, peak = timed_render(quality, network, jobs, film, folder / f"{kind}.log", code)
        frames = round(render.video_duration(film) * quality.fps)
        runs.append(Run(quality.label, kind, jobs, wall, frames / quality.fps, frames, peak, 0.0, load))
        print(f"  {quality.label} {kind}: {wall:.1f} s", file=sys.stderr)
    encode = encode_only(film, quality.encoder, jobs)
    for run in runs:
        run.encode_only_s = encode
    return runs


def table(runs: list[Run]) -> str:
    header = (f"{'run':<14}{'wall s':>8}{'video s':>9}{'ratio':>8}{'fps':>9}{'peak MB':>9}"
              f"{'encode-only s':>15}{'wall/encode':>13}{'load':>6}")
    rows = [f"{run.quality + ' ' + run.kind:<14}{run.wall_s:>8.1f}{run.video_s:>9.1f}{run.ratio:>8.3f}"
            f"{run.fps:>9.1f}{run.peak_mb:>9.0f}{run.encode_only_s:>15.1f}"
            f"{run.wall_s / run.encode_only_s:>13.2f}{run.load_before:>6.1f}" for run in runs]
    return "\n".join([header, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", nargs="+", choices=list(render.QUALITIES), default=["low", "high"])
    parser.add_argument("--jobs", type=int, default=render.default_jobs())
    parser.add_argument("--network", default="statquest")
    args = parser.parse_args()
    code = snapshot()
    runs = [run for name in args.quality
            for run in bench_quality(render.QUALITIES[name], args.network, args.jobs, code)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    result = {
        "when": stamp, "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "commit": subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                                 text=True, check=False).stdout.strip(),
        "encoders": {name: render.QUALITIES[name].encoder for name in args.quality},
        "runs": [{**asdict(run), "ratio": run.ratio, "fps": run.fps} for run in runs],
    }
    path = RESULTS / f"render-{stamp}.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(runs))
    print(f"\n{path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
