"""Every chapter constructs; one renders for real and is checked frame by frame with PyAV."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
import srt
from manim import tempconfig

from scenes import film, render
from scenes.chapters.base import Chapter


def construct(chapter: type[Chapter]) -> Chapter:
    """Run a chapter's construct() without writing any file; return the scene."""
    with tempconfig({"dry_run": True, "quality": "low_quality", "progress_bar": "none",
                     "verbosity": "ERROR"}):
        scene = chapter()
        scene.render()
    return scene


@pytest.mark.parametrize("chapter", film.WALKTHROUGH, ids=lambda c: c.slug)
def test_chapter_constructs_with_captions(chapter: type[Chapter]) -> None:
    scene = construct(chapter)
    captions = scene.renderer.file_writer.subcaptions
    assert scene.time > 3, "a chapter lasts long enough to read"
    assert captions, "every chapter says something"
    assert captions[0].start.total_seconds() < 1
    assert captions[-1].end.total_seconds() == pytest.approx(scene.time, abs=0.05)
    for before, after in zip(captions, captions[1:]):
        assert before.end <= after.start, "captions do not overlap"


def test_chapter_slugs_are_unique_and_findable() -> None:
    slugs = [chapter.slug for chapter in film.WALKTHROUGH]
    assert len(set(slugs)) == len(slugs) == 13
    assert film.find("sum").title == "Add the curves"
    with pytest.raises(film.PlanError, match="chapters: title"):
        film.find("nope")


@pytest.fixture(scope="module")
def two_chapter_film(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[render.Part]]:
    """The first two chapters rendered at 480p15 and joined, as `squiggle render` does."""
    folder = tmp_path_factory.mktemp("film")
    quality = render.QUALITIES["low"]
    parts = [render.render_part(chapter, quality, folder / "parts") for chapter in film.WALKTHROUGH[:2]]
    target = folder / "film.mp4"
    render.publish(parts, target)
    return target, parts


def test_rendered_film_decodes_at_480p15(two_chapter_film) -> None:
    target, parts = two_chapter_film
    with av.open(str(target)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert stream.average_rate == 15
        frames = sum(1 for _ in container.decode(stream))
        duration = float(stream.duration * stream.time_base)
    total = sum(part.duration for part in parts)
    assert duration == pytest.approx(total, abs=0.1)
    assert frames == pytest.approx(total * 15, abs=2)


def test_rendered_film_has_one_marker_per_chapter(two_chapter_film) -> None:
    target, parts = two_chapter_film
    with av.open(str(target)) as container:
        marks = container.chapters()
    assert [mark["metadata"]["title"] for mark in marks] == [part.title for part in parts]
    second_start = float(marks[1]["start"] * marks[1]["time_base"])
    assert second_start == pytest.approx(parts[0].duration, abs=0.01)


def test_rendered_film_captions_cover_every_chapter(two_chapter_film) -> None:
    target, parts = two_chapter_film
    captions = list(srt.parse(target.with_suffix(".srt").read_text(encoding="utf-8")))
    assert len(captions) == sum(len(part.captions) for part in parts)
    boundary = parts[0].duration
    assert any(c.start.total_seconds() < boundary for c in captions)
    assert any(c.start.total_seconds() >= boundary for c in captions)
    assert target.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")
