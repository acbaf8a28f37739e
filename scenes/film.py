"""The walkthrough: which chapters, in which order, for a network.

The storyboard's film has thirteen chapters. Another network gets the same chapters adapted:
one path chapter per node of the first hidden layer, one chapter per node of each later hidden
layer (its curve assembled from the layer before), and no data chapter when it has no data.
"""

from __future__ import annotations

from collections.abc import Sequence

from nnmath import Network
from scenes.chapters.assembly import BuildNode, Prediction, ShiftByBias, Sum
from scenes.chapters.base import Chapter
from scenes.chapters.intro import Activations, Layers, Problem, Title, WhatIsANetwork
from scenes.chapters.paths import BottomPath, NodePath, ScaleByWeight, TopPath, UsedPart
from scenes.chapters.recap import Recap
from scenes.layout import check_drawable

WALKTHROUGH: tuple[type[Chapter], ...] = (
    Title, Problem, WhatIsANetwork, Activations, Layers, TopPath, UsedPart, ScaleByWeight,
    BottomPath, Sum, ShiftByBias, Prediction, Recap,
)
FILM_NAME = "inside-the-black-box"


class PlanError(ValueError):
    """A network the film cannot be drawn for, or a chapter it does not have; one line."""


def _bind(chapter: type[Chapter], name: str | None = None, **attributes) -> type[Chapter]:
    """A subclass of `chapter` with `attributes` set (the original stays as it is)."""
    return type(name or chapter.__name__, (chapter,), {"__module__": __name__, **attributes})


def chapters_for(network: Network) -> list[type[Chapter]]:
    """The chapters that explain `network`, in order, each bound to it."""
    try:
        check_drawable(network)
    except ValueError as error:
        raise PlanError(str(error)) from None
    hidden = network.layers[:-1]
    first = hidden[0].size
    plan: list[type[Chapter]] = [Title]
    if network.data is not None:
        plan.append(Problem)
    plan += [WhatIsANetwork, Activations, Layers, TopPath, UsedPart]
    if len(hidden) == 1:
        plan.append(ScaleByWeight)
    for node in range(1, first):
        if first == 2:
            plan.append(BottomPath)
        else:
            plan.append(_bind(NodePath, f"Path{node + 1}", node=node, slug=f"path-{node + 1}",
                              title=f"Path {node + 1}"))
    for k in range(1, len(hidden)):
        for target in range(hidden[k].size):
            plan.append(_bind(BuildNode, f"Layer{k + 1}Node{target + 1}", layer=k, target=target,
                              slug=f"layer-{k + 1}-node-{target + 1}",
                              title=f"Hidden layer {k + 1}, node {target + 1}"))
    plan += [Sum, ShiftByBias, Prediction, Recap]
    return [_bind(chapter, network=network) for chapter in plan]


def select(chapters: Sequence[type[Chapter]], slugs: Sequence[str]) -> list[type[Chapter]]:
    """The chapters named by `slugs`, in film order; PlanError names the known slugs."""
    known = [chapter.slug for chapter in chapters]
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise PlanError(f"no chapter {unknown[0]!r}; chapters: {', '.join(known)}")
    return [chapter for chapter in chapters if chapter.slug in slugs]


def find(slug: str) -> type[Chapter]:
    """A chapter of the storyboard's film by slug."""
    return select(WALKTHROUGH, [slug])[0]


class Walkthrough(Chapter):
    """The whole film as one Manim scene, one section per chapter. Set `network` in a subclass and
    render it with plain Manim: ``manim -qm my_video.py MyVideo``."""

    slug, title = "walkthrough", "The walkthrough"
    only: tuple[str, ...] = ()  # chapter slugs to play (empty: all)

    def construct(self) -> None:
        chapters = chapters_for(self.network)
        for chapter in select(chapters, self.only) if self.only else chapters:
            self.next_section(chapter.slug)
            # The chapter runs on this scene's own state: same camera, renderer and timeline.
            guest = object.__new__(chapter)
            guest.__dict__ = self.__dict__
            guest.setup()
            guest.construct()
            guest.tear_down()
            self.clear()
