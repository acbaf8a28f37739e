"""Encoder settings compared, run by hand: `.venv/bin/python -m bench.encoders [--chapter bottom-path]`.

Renders one chapter at 1080p60, recording the exact frames the renderer hands its encoder
(`bench.frames`), then encodes those frames with each candidate libx264 setting, held frames held
as the render holds them, and reports for each: encoding seconds (best of three rounds), ms per
frame, file size, and luma PSNR against the exact frames. The busiest
frame (most edges) is saved from every candidate, full size and as a 1:1 crop of its busiest
region, under bench/out/encoders/, to be compared by eye. Results: bench/results/encoders-*.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
from PIL import Image

from bench import frames
from bench.render import OUT, RESULTS, ROOT
from scenes import render

CANDIDATES = {  # name: libx264 options
    "manim-default": {"preset": "medium", "crf": "23"},
    "medium-crf20": {"preset": "medium", "crf": "20"},
    "veryfast-crf20": {"preset": "veryfast", "crf": "20"},
    "superfast-crf20": {"preset": "superfast", "crf": "20"},
    "ultrafast-crf20": {"preset": "ultrafast", "crf": "20"},
    "ultrafast-crf17": {"preset": "ultrafast", "crf": "17"},
}
ROUNDS = 3
CROP = (640, 360)  # the 1:1 detail crop, in pixels


def luma(frame: av.VideoFrame) -> np.ndarray:
    return frame.to_ndarray(format="gray").astype(np.float64)


def recorded_frames(recording: Path, slug: str) -> Iterator[av.VideoFrame]:
    """The recorded chapter's frames, each as many times as it is shown."""
    with av.open(str(recording / f"{slug}.mov")) as store:
        stored = store.decode(video=0)
        for call in frames.calls_of(recording, slug):
            if call[0] == "write":
                frame = next(stored)
                yield from [frame] * call[2]


def busiest_frame(recording: Path, slug: str, step: int = 15) -> int:
    """The index of the frame with the most edge energy, among every `step`-th."""
    energies = {index: float(np.abs(np.diff(luma(frame), axis=1)).sum())
                for index, frame in enumerate(recorded_frames(recording, slug)) if index % step == 0}
    return max(energies, key=energies.get)


def encode_recording(recording: Path, slug: str, options: dict[str, str], target: Path) -> float:
    """Seconds to encode the recorded chapter into `target` with `options`, in one segment;
    decoding happens between chunks, off the clock."""
    clock, encoder = 0.0, None
    for chunk in frames.chunks(recording, [slug], options):
        start = time.perf_counter()
        for call, _, *arguments in chunk:
            if call == "open" and encoder is None:
                encoder = render.HeldFrameEncoder(target=target, spec=arguments[0])
            elif call == "write":
                encoder.write_frame(arguments[0], repeat=arguments[1])
        clock += time.perf_counter() - start
    start = time.perf_counter()
    encoder.finish()
    return clock + time.perf_counter() - start


def psnr_and_still(candidate: Path, recording: Path, slug: str, still: int) -> tuple[float, np.ndarray]:
    """Mean luma PSNR of `candidate` against the recorded frames, and its frame `still` as RGB."""
    errors, picture = [], None
    with av.open(str(candidate)) as a:
        for index, (x, y) in enumerate(zip(a.decode(video=0), recorded_frames(recording, slug), strict=True)):
            errors.append(np.mean((luma(x) - luma(y)) ** 2))
            if index == still:
                picture = x.to_ndarray(format="rgb24")
    mse = float(np.mean(errors))
    return (99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)), picture


def busiest_region(picture: np.ndarray) -> tuple[int, int]:
    """Top-left corner of the CROP-sized window with the most edges."""
    edges = np.abs(np.diff(picture.astype(np.int16).sum(axis=2), axis=1))
    width, height = CROP
    best, corner = -1.0, (0, 0)
    for top in range(0, picture.shape[0] - height + 1, height // 4):
        for left in range(0, picture.shape[1] - width, width // 4):
            energy = float(edges[top:top + height, left:left + width - 1].sum())
            if energy > best:
                best, corner = energy, (left, top)
    return corner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default="bottom-path")
    args = parser.parse_args()
    folder = OUT / "encoders"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    recording = folder / "recording"
    recording.mkdir()
    frames.record_chapter("statquest", args.chapter, "high", str(recording))
    count = frames.frames_of(recording, args.chapter)
    still = busiest_frame(recording, args.chapter)
    # Round robin, best of ROUNDS: other work on the machine only ever adds time, and bursts of it
    # then fall on every candidate alike. The first round keeps its files.
    seconds: dict[str, float] = {}
    for round_ in range(ROUNDS):
        for name, options in CANDIDATES.items():
            took = encode_recording(recording, args.chapter, options, folder / f"{name}-{round_}.mp4")
            seconds[name] = min(seconds.get(name, took), took)
    rows, corner = [], None
    for name, options in CANDIDATES.items():
        encoded = folder / f"{name}-0.mp4"
        psnr, picture = psnr_and_still(encoded, recording, args.chapter, still)
        corner = corner or busiest_region(picture)
        Image.fromarray(picture).save(folder / f"{name}.png")
        left, top = corner
        Image.fromarray(picture[top:top + CROP[1], left:left + CROP[0]]).save(folder / f"{name}-crop.png")
        rows.append({"name": name, "options": options, "encode_s": seconds[name],
                     "ms_per_frame": seconds[name] / count * 1000, "size_mb": encoded.stat().st_size / 1e6,
                     "psnr_db": psnr})
        print(f"{name:<17}{seconds[name]:>8.1f} s{rows[-1]['ms_per_frame']:>7.1f} ms/frame"
              f"{rows[-1]['size_mb']:>8.2f} MB{psnr:>7.2f} dB", flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"encoders-{stamp}.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"chapter": args.chapter, "frames": count, "busiest_frame": still,
                                "crop": [*corner, *CROP], "candidates": rows}, indent=1) + "\n", encoding="utf-8")
    print(f"\nstills: {folder.relative_to(ROOT)}/*.png   results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
