"""`squiggle slides` as a speaker uses it: the HTML deck in headless Chromium with the network cut
off, the PPTX through python-pptx, the PDF page count; and the manim-slides compatibility layer."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pptx
import pytest
import srt
from beat_chapters import BEAT_CASES
from manim import tempconfig
from manim_slides import Slide
from PIL import Image
from playwright.sync_api import Page, Route, sync_playwright
from pptx.enum.shapes import MSO_SHAPE_TYPE

from scenes import render, slides
from scenes.chapters.base import Chapter

ROOT = Path(__file__).resolve().parent.parent
LOW = render.QUALITIES["low"]
CHAPTERS = ("title", "problem")
DECK = "inside-the-black-box"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--autoplay-policy=no-user-gesture-required"]
VIEWPORT = {"width": 960, "height": 540}
PLAYED = 0.5  # seconds the first slide's video must advance
TIMEOUT_MS = 20_000
MIN_CONTRAST = 5.0  # grey-level standard deviation of a screenshot that shows something


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deck of two short chapters at 480p15."""
    folder = tmp_path_factory.mktemp("slides")
    command = [sys.executable, "-m", "scenes.cli", "slides", "--quality", "low", "--output", str(folder)]
    for slug in CHAPTERS:
        command += ["--chapter", slug]
    result = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(folder / f"{DECK}.{ext}") for ext in ("html", "pptx", "pdf")]
    return folder


def spoken(folder: Path) -> list[str]:
    """Every caption of the deck's chapters in order, from the captions Manim wrote beside its renders."""
    words = []
    for slug in CHAPTERS:
        [captions] = folder.glob(f".work/*/*/{slug}.srt")
        words += [caption.content for caption in srt.parse(captions.read_text(encoding="utf-8"))]
    return words


def test_pptx_has_one_video_slide_per_beat_noted_with_its_caption(deck: Path) -> None:
    presentation = pptx.Presentation(str(deck / f"{DECK}.pptx"))
    said = spoken(deck)
    assert len(presentation.slides) == len(said) > len(CHAPTERS)
    for slide, words in zip(presentation.slides, said):
        assert [shape.shape_type for shape in slide.shapes] == [MSO_SHAPE_TYPE.MEDIA]
        assert any(rel.target_part.content_type == "video/mp4" for rel in slide.part.rels.values()
                   if not rel.is_external)
        assert slide.notes_slide.notes_text_frame.text == words


def test_pdf_has_a_page_per_beat(deck: Path) -> None:
    pages = re.findall(rb"/Type\s*/Page\b", (deck / f"{DECK}.pdf").read_bytes())
    assert len(pages) == len(spoken(deck))


def test_html_deck_needs_no_network(deck: Path) -> None:
    html = (deck / f"{DECK}.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="https?:', html)
    assert not list(deck.glob(f"{DECK}_assets"))  # nothing beside it: videos and reveal.js are inside


@pytest.fixture
def offline_page() -> Iterator[tuple[Page, list[str]]]:
    """A page in Debian's headless Chromium that loads files but nothing from any network; and the
    addresses it tried to reach."""
    assert CHROMIUM.exists(), "Chromium is missing: `make setup` (scripts/system-deps) installs it"
    blocked: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", offline)
        yield page, blocked
        browser.close()


def test_html_deck_plays_and_steps_offline_in_chromium(deck: Path, offline_page: tuple[Page, list[str]]) -> None:
    page, blocked = offline_page
    page.goto((deck / f"{DECK}.html").as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getTotalSlides()") == len(spoken(deck))
    video = "Reveal.getSlideBackground({}).querySelector('video')"
    first, second = video.format(0), video.format(1)
    page.wait_for_function(f"() => {first} && {first}.currentTime > 0")
    start = page.evaluate(f"{first}.currentTime")
    page.wait_for_function(f"() => {first}.currentTime > {start + PLAYED}")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => Reveal.getIndices().h === 1")
    page.wait_for_function(f"() => {second} && {second}.ended")  # its last frame: the beat's picture
    shot = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("L"), dtype=float)
    assert shot.std() > MIN_CONTRAST
    assert blocked == []


def test_upstream_slide_fails_on_manim_022(tmp_path: Path) -> None:
    """Why scenes/slides.py has CompatSlide; when this fails, manim-slides has caught up: drop it."""
    with tempconfig(render.manim_settings(LOW, tmp_path, "upstream")), \
            pytest.raises(AttributeError, match="write_to_movie"):
        type("Upstream", (Slide,), {})()


@pytest.mark.parametrize(("chapter", "expected"), BEAT_CASES)
def test_a_slide_per_beat(tmp_path: Path, chapter: type[Chapter], expected: list[str]) -> None:
    """The same beats as clips: early frames join the first, one without frames is dropped."""
    presentation = slides.render_slides(chapter, LOW, tmp_path)
    assert [slide.notes for slide in presentation.slides] == expected
    assert all(slide.file.exists() for slide in presentation.slides)


def test_without_npm_the_error_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slides.shutil, "which", lambda name: None)
    with pytest.raises(slides.SlidesError, match="npm is not installed"):
        slides.reveal_package(tmp_path)
