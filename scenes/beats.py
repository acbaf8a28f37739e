"""Beats, what clips and slides are cut by: a beat starts at a chapter's `say()` and runs to the next.

Anything a chapter plays before its first words belongs to its first beat, a beat that shows no
frame (words at once replaced by other words) is dropped, and a chapter that never speaks is one
beat captioned with its title. Here: naming beats, work folders, and a progress display.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from nnmath import Network, dumps
from scenes.render import FrameCallback, Quality

SLUG_WORDS = 3  # words of the caption kept in a clip's name
FILLER = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "here", "in", "into", "is", "it",
    "its", "of", "on", "or", "our", "so", "than", "that", "the", "their", "then", "there", "these", "they",
    "this", "those", "to", "we", "with", "you", "your"))

T = TypeVar("T")


def caption_slug(caption: str) -> str:
    """A few telling words of a caption, for a file name: 'We tried a drug at low...' -> 'tried-drug-low'."""
    words = re.findall(r"[a-z0-9]+", caption.lower())
    telling = [word for word in words if word not in FILLER] or words
    return "-".join(telling[:SLUG_WORDS]) or "beat"


@dataclass(frozen=True)
class Beat:
    """One beat of a numbered chapter, and the caption that starts it."""

    chapter_number: int
    chapter_slug: str
    number: int
    caption: str

    @property
    def stem(self) -> str:
        """The file name without extension, e.g. `06-top-path-03-sweep-hidden-node`."""
        return f"{self.chapter_number:02d}-{self.chapter_slug}-{self.number:02d}-{caption_slug(self.caption)}"


def work_folder(root: Path, quality: Quality, network: Network) -> Path:
    """Where the work renders for `network` at `quality` go: under `root`, keyed by the network's spec."""
    key = hashlib.sha256(dumps(network).encode()).hexdigest()[:12]
    return root / ".work" / f"{quality.height}p{quality.fps}" / key


def with_progress(jobs: Sequence[tuple[str, Callable[[FrameCallback], T]]], title: str) -> list[T]:
    """Run `jobs` in order under a progress display (on stderr, so stdout lists only what was written)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    results: list[T] = []
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        overall = progress.add_task(title, total=len(jobs))
        for description, job in jobs:
            frames = progress.add_task(f"  {description} (frames)", total=None)
            results.append(job(lambda n, task=frames: progress.advance(task, n)))
            progress.update(frames, total=progress.tasks[frames].completed)
            progress.advance(overall)
    return results
