"""Colours, type sizes and pacing: the one place to restyle or retime the film."""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import tempfile

from manim import ManimColor, config

from scenes.glyphs import GlyphText

# The lesson's own scheme (storyboard, "Colours").
GREEN = ManimColor("#54ae32")
RED = ManimColor("#da3b26")
DARK_BLUE = ManimColor("#3274b5")
LIGHT_BLUE = ManimColor("#479ff8")
ORANGE = ManimColor("#f09937")
DARK_ORANGE = ManimColor("#e2792e")
YELLOW = ManimColor("#fcf171")
GREY = ManimColor("#929292")

BACKGROUND = ManimColor("#fbfaf6")
INK = ManimColor("#222222")
SOFT_INK = ManimColor("#5a5a5a")
BOX_FILL = ManimColor("#ffffff")

# One colour per hidden node, in order: the storyboard's blue and orange first.
NODE_PALETTE = [DARK_BLUE, DARK_ORANGE, ManimColor("#8e5bb5"), ManimColor("#1f9e89"),
                ManimColor("#c2477a"), ManimColor("#7a6a2a")]
# The first dot of each path (the storyboard's bottom path has a yellow first dot).
FIRST_DOT = [LIGHT_BLUE, YELLOW, ManimColor("#c9a6e6"), ManimColor("#8fd8c8"),
             ManimColor("#f0a6c4"), ManimColor("#d8c98a")]
SUM_COLOR = GREEN
USED_PART = RED

FONT = "DejaVu Sans"
TITLE_SIZE = 44
HEADING_SIZE = 32
BODY_SIZE = 26
CAPTION_SIZE = 24
LABEL_SIZE = 22
SMALL_SIZE = 18  # the smallest text on screen: still about 15 px tall at 480p

# Global pace: every run_time and wait is multiplied by this (SQUIGGLE_PACE=0.5 halves the film).
PACE = float(os.environ.get("SQUIGGLE_PACE", "1.0"))


def own_text_dir() -> None:
    """Give this process a folder of its own for Manim's text files, removed when it exits.

    Manim parses every Text through a scratch file named after its words and deletes it after:
    two processes drawing the same words at once (parallel chapters, a test run beside a render)
    would delete each other's file."""
    folder = tempfile.mkdtemp(prefix="squiggle-texts-")
    config.text_dir = folder
    # multiprocessing's exit hooks also run in forked workers, which skip atexit
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                                  exitpriority=0)


own_text_dir()


def seconds(duration: float) -> float:
    """A duration scaled by the global pace."""
    return duration * PACE


def text(content: str, size: float = BODY_SIZE, color: ManimColor = INK, cached: bool = True,
         **kwargs) -> GlyphText:
    """Text in the film's font; Pango only, no LaTeX. Most words recur (ticks, boxes, numbers) and
    reuse their mobject; words said once (captions) skip keeping a copy (`cached`)."""
    return GlyphText(content, font=FONT, font_size=size, color=color, use_svg_cache=cached, **kwargs)
