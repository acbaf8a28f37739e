"""Save one small PNG per chapter of a rendered film (for the README): `python scripts/stills.py FILM OUTDIR`.

The still is the frame three quarters into each chapter, where its main picture is usually complete.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import av

WIDTH = 640
WHERE = 0.75


def stills(film: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with av.open(str(film)) as container:
        marks = container.chapters()
        stream = container.streams.video[0]
        for number, mark in enumerate(marks, start=1):
            start, end = (float(mark[key] * mark["time_base"]) for key in ("start", "end"))
            moment = start + (end - start) * WHERE
            container.seek(int(moment / stream.time_base), stream=stream, backward=True)
            frame = next(f for f in container.decode(stream) if f.time >= moment - 1e-6)
            image = frame.to_image()
            image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
            slug = re.sub(r"[^a-z0-9]+", "-", mark["metadata"]["title"].lower()).strip("-")
            path = folder / f"{number:02d}-{slug}.png"
            image.save(path, optimize=True)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in stills(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
