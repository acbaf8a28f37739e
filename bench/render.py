"""Render-speed benchmark, run by hand (not in CI): `.venv/bin/python -m bench.render`.

For each quality it renders the whole walkthrough with `squiggle render` in a fresh process: cold
(no cached parts, no Manim caches: a new output folder under bench/out), twice by default
(`--repeat`), each from nothing, since a shared machine only ever adds time and the best run is
the one to compare; then warm (again, unchanged). All run from a snapshot of scenes/, nnmath/ and
bench/ taken at the start, so edits made to the working tree meanwhile change no run. For each
run it reports wall seconds, seconds of video, their ratio, frames per second, the peak memory of
the largest render process, CPU seconds, and two floors:

- encode-only: the time to make, with nothing else running, the very calls the render made on
  its encoder (the same RGBA frames, held as long, in the same segments, with the same settings)
  on Manim's way of encoding them: each frame converted whole to yuv420p, then x264;
- x264-only: the same, with the conversion done off the clock.

The calls are recorded, untimed, by rendering the film once more (`bench.frames`), then made
again in as many processes as the render used; each floor is the best of two runs. Results go to
bench/results/render-*.json and a table on stdout.
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
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

from bench import frames
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
    cpu_s: float  # user + system seconds of the command and the workers it waited for
    encode_only_s: float
    x264_only_s: float  # encode-only with frames converted to yuv420p off the clock
    load_before: float  # 1-minute load average when the run started: other work skews the numbers

    @property
    def ratio(self) -> float:
        return self.wall_s / self.video_s

    @property
    def fps(self) -> float:
        return self.frames / self.wall_s


def snapshot() -> Path:
    """A copy of the code that draws, renders and records, for runs that must not see later edits
    (they run from it: Python puts the working directory first on the path)."""
    folder = OUT / "src"
    shutil.rmtree(folder, ignore_errors=True)
    for package in ("scenes", "nnmath", "bench"):
        shutil.copytree(ROOT / package, folder / package,
                        ignore=shutil.ignore_patterns("__pycache__", "out", "results"))
    return folder


def timed_render(quality: render.Quality, network: str, jobs: int, film: Path, log: Path,
                 code: Path) -> tuple[float, float, float]:
    """Run `squiggle render` from `code` in a new process; return wall seconds, the peak resident
    memory, in MB, of the largest process of its tree, and CPU seconds (wait4 reports the child
    and the workers it waited for)."""
    command = [sys.executable, "-m", "scenes.cli", "render", "--quality", quality.name, "--network", network,
               "--jobs", str(jobs), "--output", str(film)]
    with log.open("w") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=code, stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONPATH": str(code)})
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed; see {log}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def encode_worker(connection: Connection, folder: str, slugs: list[str], converted: bool) -> None:
    """In a process of its own: on "next", decode the next chunk of recorded calls and answer
    whether there was one; on "go", make them and answer. Only encoding happens in between."""
    render.keep_freed_memory()  # as a render does
    with tempfile.TemporaryDirectory() as scratch:
        replay = frames.Replay(Path(scratch))
        chunks = frames.chunks(Path(folder), slugs, converted=converted)
        while connection.recv() == "next":
            chunk = next(chunks, None)
            connection.send(chunk is not None)
            if chunk is None:
                return
            connection.recv()
            replay.run(chunk)
            del chunk
            connection.send("done")


def encode_only(folder: Path, jobs: int, converted: bool = False) -> float:
    """Seconds to make again the encoder calls recorded under `folder` (`bench.frames`) in `jobs`
    processes, chapters shared longest first, with nothing else running: the processes decode a
    chunk of frames each, untimed, then all encode theirs while the clock runs, round after round.
    `converted`: the frames are converted to yuv420p off the clock too, and only x264 is timed."""
    lengths = {path.stem: frames.frames_of(folder, path.stem) for path in folder.glob("*.calls")}
    shares: list[list[str]] = [[] for _ in range(jobs)]
    sizes = [0] * jobs
    for slug in sorted(lengths, key=lambda slug: -lengths[slug]):
        share = sizes.index(min(sizes))
        shares[share].append(slug)
        sizes[share] += lengths[slug]
    context = get_context("spawn")
    workers = []
    for share in shares:
        ours, theirs = context.Pipe()
        process = context.Process(target=encode_worker, args=(theirs, str(folder), share, converted))
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


def record_frames(quality: render.Quality, network: str, jobs: int, code: Path, folder: Path) -> None:
    """Untimed: render the film again from `code`, recording the exact frames and encoder calls."""
    shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "bench.frames", str(folder), "--quality", quality.name,
               "--network", network, "--jobs", str(jobs)]
    subprocess.run(command, cwd=code, env={**os.environ, "PYTHONPATH": str(code)}, check=True,
                   stdout=subprocess.DEVNULL)


def bench_quality(quality: render.Quality, network: str, jobs: int, code: Path, repeat: int) -> list[Run]:
    """`repeat` cold renders of the walkthrough at `quality`, each from nothing, then a warm one.
    Other work on the machine only ever adds time: the best cold run is the one to compare with
    the floors, which are each the best of two runs likewise."""
    folder = OUT / quality.label
    film = folder / "film.mp4"
    runs = []
    for kind in ["cold"] * repeat + ["warm"]:
        if kind == "cold":
            shutil.rmtree(folder, ignore_errors=True)  # no cached parts, no Manim work folders
            folder.mkdir(parents=True)
        load = os.getloadavg()[0]
        wall, peak, cpu = timed_render(quality, network, jobs, film, folder / f"{kind}.log", code)
        frames = round(render.video_duration(film) * quality.fps)
        runs.append(Run(quality.label, kind, jobs, wall, frames / quality.fps, frames, peak, cpu, 0.0, 0.0, load))
        print(f"  {quality.label} {kind}: {wall:.1f} s", file=sys.stderr)
    record_frames(quality, network, jobs, code, folder / "frames")
    encode = min(encode_only(folder / "frames", jobs) for _ in range(2))
    x264 = min(encode_only(folder / "frames", jobs, converted=True) for _ in range(2))
    for run in runs:
        run.encode_only_s, run.x264_only_s = encode, x264
    return runs


def table(runs: list[Run]) -> str:
    header = (f"{'run':<14}{'wall s':>8}{'video s':>9}{'ratio':>8}{'fps':>9}{'peak MB':>9}{'cpu s':>8}"
              f"{'encode-only s':>15}{'wall/encode':>13}{'x264-only s':>13}{'wall/x264':>11}{'load':>6}")
    rows = [f"{run.quality + ' ' + run.kind:<14}{run.wall_s:>8.1f}{run.video_s:>9.1f}{run.ratio:>8.3f}"
            f"{run.fps:>9.1f}{run.peak_mb:>9.0f}{run.cpu_s:>8.1f}{run.encode_only_s:>15.1f}"
            f"{run.wall_s / run.encode_only_s:>13.2f}{run.x264_only_s:>13.1f}{run.wall_s / run.x264_only_s:>11.2f}"
            f"{run.load_before:>6.1f}" for run in runs]
    return "\n".join([header, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", nargs="+", choices=list(render.QUALITIES), default=["low", "high"])
    parser.add_argument("--jobs", type=int, default=render.default_jobs())
    parser.add_argument("--network", default="statquest")
    parser.add_argument("--repeat", type=int, default=2, help="cold renders per quality (default 2)")
    args = parser.parse_args()
    code = snapshot()
    runs = [run for name in args.quality
            for run in bench_quality(render.QUALITIES[name], args.network, args.jobs, code, args.repeat)]
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
