"""`squiggle slides`: a manim-slides deck with one slide per beat, as offline HTML, PPTX and PDF.

Every chapter renders as a manim-slides `Slide` whose `say()` first calls
`next_slide(notes=words)`: each beat becomes a slide, its caption the speaker notes. manim-slides'
converters then write a reveal.js HTML deck (videos embedded as data URIs, reveal.js's own files
inlined, so it works from disk with no network), a PPTX (one video per slide, notes kept,
playing on entry) and a PDF of each slide's last frame.

Compatibility with the pinned manim 0.22.0 (decision: keep manim 0.22, pin manim-slides 5.7.0,
adapt it here). Read in manim-slides 5.7.0's `slide/manim.py` and checked by running it:

- `Slide.__init__` sets `config["write_to_movie"] = True`; manim 0.22 removed that option, so
  constructing any Slide raises `AttributeError: type object 'ManimConfig' has no attribute
  'write_to_movie'`. `CompatSlide.__init__` skips to `BaseSlide.__init__` (that line is all
  `Slide.__init__` adds; the Cairo renderer writes movies anyway).
- `Slide.render` sets `config["max_files_cached"] = float("inf")`, which manim 0.22 rejects
  (`ValueError`: an int >= -1), and reads `config["flush_cache"]`, also removed. `CompatSlide.render`
  renders, then saves the slides as `Slide.render` does; the unlimited segment cache it wanted is
  `max_files_cached=-1`, set around the render.
- What the rest relies on still holds in 0.22: `Scene.wait` goes through `play()` (so
  manim-slides' animation count matches Manim's partial movies), `renderer.file_writer.partial_movie_files`,
  `Scene.next_section(name, section_type, skip_animations)`, and PyAV for joining.

Reversed videos (only `manim-slides present` plays them) are not made. reveal.js comes from the
npm registry (`npm pack`), at the version manim-slides' template is written for, cached beside the
output.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from manim import config, tempconfig
from manim_slides import convert
from manim_slides.config import PresentationConfig
from manim_slides.convert import PDF, PowerPoint, RevealJS
from manim_slides.slide import Slide
from manim_slides.slide.base import BaseSlide

from scenes import render
from scenes.beats import with_progress, work_folder
from scenes.chapters.base import Chapter
from scenes.render import FrameCallback, Quality, RenderError, atomic_output

REVEAL_VERSION: str = RevealJS.model_fields["reveal_version"].default
REVEAL_PREFIX = "reveal.js"  # where the deck's template is told reveal.js lives; inlined afterwards
_ASSET = re.compile(rf'<link rel="stylesheet" href="{re.escape(REVEAL_PREFIX)}/([^"]+)">'
                    rf'|<script src="{re.escape(REVEAL_PREFIX)}/([^"]+)"></script>')


class SlidesError(RenderError):
    """A problem building the deck that the user can act on, as one line."""


class CompatSlide(Slide):
    """manim-slides' `Slide`, working on manim 0.22 (see the module docstring)."""

    skip_reversing = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        BaseSlide.__init__(self, *args, **kwargs)

    def render(self, preview: bool = False) -> bool:
        rerun = super(Slide, self).render(preview)
        self._save_slides(use_cache=not (config.disable_caching or self.disable_caching),
                          flush_cache=self.flush_cache, skip_reversing=self.skip_reversing)
        return rerun


class BeatSlides(CompatSlide, Chapter):
    """A chapter as slides: every `say()` starts a slide whose speaker notes are the words."""

    def setup(self) -> None:
        super().setup()
        self._heard = False  # whether the chapter has spoken yet

    def say(self, words: str, on_screen: bool = True) -> None:
        if self._heard or self._current_animation == self._start_animation:
            self.next_slide(notes=words)
        else:  # what played before the first words belongs to the first beat
            self._base_slide_config = self._base_slide_config.model_copy(update={"notes": words})
        self._heard = True
        super().say(words, on_screen)

    def tear_down(self) -> None:
        super().tear_down()
        if not self._heard:  # a chapter that never speaks is one slide, noted with its title
            self._base_slide_config = self._base_slide_config.model_copy(update={"notes": self.title})


def render_slides(chapter: type[Chapter], quality: Quality, work: Path,
                  on_frames: FrameCallback | None = None) -> PresentationConfig:
    """Render `chapter` as slides into `work`; return its manim-slides presentation."""
    settings = {**render.manim_settings(quality, work, chapter.slug), "max_files_cached": -1,
                "disable_caching": True}  # as render_part: Manim's hashing costs more than it saves
    scene_class = type(chapter.__name__, (BeatSlides, chapter), {"__module__": __name__})
    with tempconfig(settings), render.counting_frames(on_frames), render.manim_speedups():
        scene_class(output_folder=(work / "slides").resolve()).render()
    return PresentationConfig.from_file(work / "slides" / f"{chapter.__name__}.json")


def reveal_package(cache: Path) -> Path:
    """reveal.js's package folder: from `cache`, or first fetched there with `npm pack`."""
    folder = cache / f"reveal.js-{REVEAL_VERSION}"
    if (folder / "dist" / "reveal.js").is_file():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise SlidesError(f"the HTML deck needs reveal.js {REVEAL_VERSION} from the npm registry, but npm is "
                          "not installed (Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as unpacked:
        fetched = subprocess.run([npm, "pack", f"reveal.js@{REVEAL_VERSION}", "--silent", "--pack-destination",
                                  unpacked], check=False, capture_output=True, text=True)
        tarballs = list(Path(unpacked).glob("*.tgz"))
        if fetched.returncode != 0 or not tarballs:
            reason = (fetched.stderr.strip().splitlines() or ["no tarball"])[-1]
            raise SlidesError(f"npm pack reveal.js@{REVEAL_VERSION} failed: {reason}")
        with tarfile.open(tarballs[0]) as archive:
            archive.extractall(unpacked, filter="data")
        os.replace(Path(unpacked) / "package", folder)
    return folder


def inline_reveal(html: str, reveal: Path) -> str:
    """Put the reveal.js files the deck links to inside it, so it needs nothing but itself."""
    def inline(match: re.Match[str]) -> str:
        css, script = match.groups()
        text = (reveal / (css or script)).read_text(encoding="utf-8")
        if css:
            return f"<style>\n{text}\n</style>"
        return "<script>\n" + text.replace("</script", "<\\/script") + "\n</script>"

    inlined = _ASSET.sub(inline, html)
    if f'"{REVEAL_PREFIX}/' in inlined:
        raise SlidesError("the deck's template links to reveal.js in a way squiggle cannot inline")
    return inlined


def write_html(presentations: Sequence[PresentationConfig], target: Path, reveal: Path, title: str) -> Path:
    deck = RevealJS(presentation_configs=list(presentations), one_file=True, cdn_url=REVEAL_PREFIX, title=title,
                    background_color=presentations[0].background_color)
    with atomic_output(target) as partial:
        deck.convert_to(partial)
        partial.write_text(inline_reveal(partial.read_text(encoding="utf-8"), reveal), encoding="utf-8")
    return target


@contextlib.contextmanager
def quiet_converters() -> Iterator[None]:
    """Silence the converters' tqdm bars (they cannot be turned off); squiggle shows its own progress."""
    original = convert.tqdm
    convert.tqdm = lambda iterable, **_: iterable
    try:
        yield
    finally:
        convert.tqdm = original


def write_pptx(presentations: Sequence[PresentationConfig], target: Path) -> Path:
    with atomic_output(target) as partial:
        PowerPoint(presentation_configs=list(presentations)).convert_to(partial)
    return target


def write_pdf(presentations: Sequence[PresentationConfig], target: Path) -> Path:
    with atomic_output(target) as partial:
        PDF(presentation_configs=list(presentations)).convert_to(partial)
    return target


def build_slides(chapters: Sequence[type[Chapter]], quality: Quality, output: Path, name: str,
                 title: str) -> list[Path]:
    """The deck of `chapters` as `output/NAME.html`, `.pptx` and `.pdf`; return the paths written."""
    logging.getLogger("manim-slides").setLevel(logging.WARNING)
    reveal = reveal_package(output / ".work")  # before rendering: fail early without npm
    jobs = [(chapter.slug, lambda on_frames, chapter=chapter: render_slides(
        chapter, quality, work_folder(output, quality, chapter.network), on_frames)) for chapter in chapters]
    presentations = with_progress(jobs, "slides")
    with quiet_converters():
        return [write_html(presentations, output / f"{name}.html", reveal, title),
                write_pptx(presentations, output / f"{name}.pptx"),
                write_pdf(presentations, output / f"{name}.pdf")]
