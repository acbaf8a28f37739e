"""The walkthrough: which chapters, in which order, for a network."""

from __future__ import annotations

from nnmath import Network
from scenes.chapters.assembly import Prediction, ShiftByBias, Sum
from scenes.chapters.base import Chapter
from scenes.chapters.intro import Activations, Layers, Problem, Title, WhatIsANetwork
from scenes.chapters.paths import BottomPath, ScaleByWeight, TopPath, UsedPart
from scenes.chapters.recap import Recap

WALKTHROUGH: tuple[type[Chapter], ...] = (
    Title, Problem, WhatIsANetwork, Activations, Layers, TopPath, UsedPart, ScaleByWeight,
    BottomPath, Sum, ShiftByBias, Prediction, Recap,
)
FILM_NAME = "inside-the-black-box"


def chapters_for(network: Network) -> list[type[Chapter]]:
    """The walkthrough's chapter classes bound to `network` (subclasses; the originals stay as they are)."""
    return [type(chapter.__name__, (chapter,), {"network": network, "__module__": __name__})
            for chapter in WALKTHROUGH]


def find(slug: str) -> type[Chapter]:
    for chapter in WALKTHROUGH:
        if chapter.slug == slug:
            return chapter
    known = ", ".join(chapter.slug for chapter in WALKTHROUGH)
    raise KeyError(f"no chapter {slug!r}; chapters: {known}")
