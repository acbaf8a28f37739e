"""Render speed features: parallel chapters, the cache of finished parts, and Manim speedups that
must not change a pixel."""

from __future__ import annotations

import contextlib
import datetime
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import srt
from manim import RIGHT, FadeIn, FadeOut, Square, VGroup
from manim._config.video_encoder import VideoEncoderSpec
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from nnmath import presets
from scenes import damage, film, render, theme
from scenes.chapters.intro import Title

ROOT = Path(__file__).resolve().parent.parent
LOW = render.QUALITIES["low"]
SHORT = ("title", "used-part")  # two of the shortest chapters


def markers(video: Path) -> list[tuple[str, int, int]]:
    with av.open(str(video)) as container:
        return [(m["metadata"]["title"], m["start"], m["end"]) for m in container.chapters()]


def frame_count(video: Path) -> int:
    with av.open(str(video)) as container:
        return sum(1 for _ in container.decode(video=0))


def render_cli(output: Path, jobs: int) -> None:
    """`squiggle render` of the SHORT chapters at 480p15, at twice the pace (shorter, same parts)."""
    chapters = [arg for slug in SHORT for arg in ("--chapter", slug)]
    result = subprocess.run(
        [sys.executable, "-m", "scenes.cli", "render", "--quality", "low", *chapters, "--jobs", str(jobs),
         "--output", str(output)], check=False, cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "SQUIGGLE_PACE": "0.5"}, timeout=120)
    assert result.returncode == 0, result.stderr


def test_two_jobs_join_like_one(tmp_path: Path) -> None:
    """Chapters rendered in two worker processes join into the film one process makes: same
    markers, same captions, same frames."""
    one, two = tmp_path / "one" / "film.mp4", tmp_path / "two" / "film.mp4"
    render_cli(one, jobs=1)
    render_cli(two, jobs=2)
    titles = [chapter.title for chapter in film.chapters_for(presets.statquest()) if chapter.slug in SHORT]
    assert [title for title, _, _ in markers(two)] == titles
    assert markers(two) == markers(one)
    assert two.with_suffix(".srt").read_text() == one.with_suffix(".srt").read_text()
    assert frame_count(two) == frame_count(one) == round(markers(one)[-1][2] / 1000 * LOW.fps)


def test_film_chapters_go_to_workers_but_others_stay_home() -> None:
    """A worker rebuilds a chapter from the network's spec and slug, so only the film's own
    chapters (same key) are sent; a subclass with the same slug renders in the parent."""

    class Retitled(Title):
        title = "Another title"

    network = presets.statquest()
    chapters = [c for c in film.chapters_for(network) if c.slug in SHORT] + [Retitled]
    keys = [render.part_key(chapter, LOW) for chapter in chapters]
    assert render._worker_safe(chapters, keys, [0, 1, 2], LOW, network) == [0, 1]


def write_module(folder: Path, name: str, parent: str, extra: str = "") -> None:
    (folder / f"{name}.py").write_text(
        f"from scenes.chapters.intro import Title\nfrom scenes.chapters.paths import UsedPart\n\n\n"
        f"class Chapter{name.upper()}({parent}):\n    pass\n{extra}", encoding="utf-8")


def test_rerender_redoes_only_changed_chapters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged: nothing renders and the film is rejoined in moments. One chapter's module
    edited: that chapter alone renders again."""
    write_module(tmp_path, "mod_a", "Title")
    write_module(tmp_path, "mod_b", "UsedPart")
    monkeypatch.syspath_prepend(str(tmp_path))
    from mod_a import ChapterMOD_A
    from mod_b import ChapterMOD_B

    rendered: list[str] = []
    real = render.render_part

    def counting(chapter, *args, **kwargs):
        rendered.append(chapter.slug)
        return real(chapter, *args, **kwargs)

    monkeypatch.setattr(render, "render_part", counting)
    target = tmp_path / "out" / "film.mp4"
    chapters = [ChapterMOD_A, ChapterMOD_B]
    render.render_film(chapters, LOW, Title.network, target)
    assert rendered == ["title", "used-part"]
    first = markers(target)

    start = time.perf_counter()
    render.render_film(chapters, LOW, Title.network, target)
    assert rendered == ["title", "used-part"], "an unchanged re-render renders nothing"
    assert time.perf_counter() - start < 5
    assert markers(target) == first

    write_module(tmp_path, "mod_a", "Title", "# an edit\n")
    render.render_film(chapters, LOW, Title.network, target)
    assert rendered == ["title", "used-part", "title"]


def test_part_key_follows_what_decides_the_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    chapter = film.chapters_for(presets.statquest())[0]
    key = render.part_key(chapter, LOW)
    assert render.part_key(chapter, LOW) == key
    assert render.part_key(chapter, render.QUALITIES["high"]) != key
    assert render.part_key(film.chapters_for(presets.relu_in_action())[0], LOW) != key
    monkeypatch.setenv("SQUIGGLE_PACE", "0.8")
    assert render.part_key(chapter, LOW) != key


def test_chapter_sources_hold_its_modules_not_others() -> None:
    """A chapter's key reads its own module, the shared drawing code and nnmath; not the film's
    list of chapters, the renderer, or chapter modules it does not use."""
    scenes = ROOT / "scenes"
    for chapter in film.chapters_for(presets.statquest()):
        sources = set(render.chapter_sources(chapter))
        own = next(Path(sys.modules[c.__module__].__file__).resolve() for c in chapter.__mro__
                   if c.__module__ != film.__name__)
        assert own in sources
        assert {scenes / "chapters" / "base.py", scenes / "theme.py", ROOT / "nnmath" / "network.py"} <= sources
        assert not {scenes / "film.py", scenes / "render.py", scenes / "cli.py"} & sources
        if own.name == "intro.py":
            assert scenes / "chapters" / "recap.py" not in sources


def fake_part(folder: Path, name: str) -> render.Part:
    video = folder / f"{name}.mp4"
    video.write_bytes(name.encode())
    caption = srt.Subtitle(1, datetime.timedelta(seconds=0.5), datetime.timedelta(seconds=1.25), "Hello")
    return render.Part("title", "Title", video, [caption], 2.0)


def test_cache_keeps_complete_recent_versions(tmp_path: Path) -> None:
    """A stored part loads back with its captions; one without a manifest is not trusted; only
    the newest KEEP_VERSIONS versions stay."""
    root = tmp_path / "parts"
    chapter = film.chapters_for(presets.statquest())[0]
    for n in range(render.KEEP_VERSIONS + 1):
        render.store_part(fake_part(tmp_path, f"v{n}"), LOW, root, f"key{n}")
        time.sleep(0.01)  # distinct modification times
    folder = render.parts_folder(root, LOW, "title")
    assert sorted(p.stem for p in folder.glob("*.json")) == [f"key{n}" for n in range(1, render.KEEP_VERSIONS + 1)]
    part = render.load_part(chapter, LOW, root, "key1")
    assert part is not None and part.video.read_bytes() == b"v1" and part.duration == 2.0
    assert [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in part.captions] == [(0.5, 1.25, "Hello")]
    (folder / "key1.json").unlink()
    assert render.load_part(chapter, LOW, root, "key1") is None


def test_held_frames_encode_to_the_same_bytes(tmp_path: Path) -> None:
    """HeldFrameEncoder converts a held frame once, and writes exactly what Manim's encoder writes."""
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 64, 48, Fraction(15), (("crf", "20"), ("preset", "veryfast")))
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (48, 64, 4), dtype=np.uint8) for _ in range(3)]
    outputs = []
    for encoder_class in (VideoSegmentEncoder, render.HeldFrameEncoder):
        target = tmp_path / f"{encoder_class.__name__}.mp4"
        encoder = encoder_class(target=target, spec=spec)
        for frame, repeat in zip(frames, (1, 7, 3)):
            encoder.write_frame(frame, repeat=repeat)
        encoder.finish()
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert frame_count(tmp_path / "HeldFrameEncoder.mp4") == 11


def test_speedups_share_parsed_glyphs_only_while_on() -> None:
    words = theme.text("Shared glyphs")
    with render.manim_speedups():
        copy = words.copy()
    glyph, copied = words.family_members_with_points()[0], copy.family_members_with_points()[0]
    assert isinstance(glyph, VMobjectFromSVGPath)
    assert copied.path_obj is glyph.path_obj
    assert np.array_equal(copied.points, glyph.points) and copied.points is not glyph.points
    assert words.copy().family_members_with_points()[0].path_obj is not glyph.path_obj
    assert "__deepcopy__" not in VMobjectFromSVGPath.__dict__


def test_jobs_must_be_positive() -> None:
    result = subprocess.run([sys.executable, "-m", "scenes.cli", "render", "--jobs", "0"], check=False, cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "--jobs 0" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("make", [lambda m: FadeIn(m), lambda m: FadeOut(m), lambda m: FadeIn(m, lag_ratio=0.3)])
def test_fades_in_place_keep_manims_colours_and_points(make) -> None:
    """Colours bit for bit as Manim's own fade, points within rounding, at every step; a fade that
    moves is Manim's own."""
    def steps(speedups: bool) -> list[tuple[np.ndarray, np.ndarray]]:
        words = VGroup(theme.text("Fade me", color=theme.DARK_BLUE), Square().set_fill(theme.GREEN, 0.5))
        with render.manim_speedups() if speedups else contextlib.nullcontext():
            fade = make(words)
            fade.begin()
            seen = []
            for alpha in (0.0, 0.25, 0.5, 0.9, 1.0):
                fade.interpolate(alpha)
                members = words.family_members_with_points()
                seen.append((np.concatenate([np.concatenate([m.fill_rgbas, m.stroke_rgbas]) for m in members]),
                             np.concatenate([m.points for m in members])))
        return seen

    for (colours, points), (manims_colours, manims_points) in zip(steps(True), steps(False), strict=True):
        assert np.array_equal(colours, manims_colours)
        assert np.allclose(points, manims_points, rtol=0, atol=1e-12)
    moving = FadeIn(Square(), shift=RIGHT)
    with render.manim_speedups():
        moving.begin()
        moving.interpolate(0.5)
    assert np.isclose(moving.mobject.get_center()[0], -0.5)


def test_changed_tiles_encode_to_the_same_bytes(tmp_path: Path) -> None:
    """Converting only the tiles that changed (and a margin) writes what converting whole frames
    writes: changes at the edges and corners, in several boxes, none at all, or unknown."""
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 200, 136, Fraction(15), (("crf", "20"), ("preset", "ultrafast")))
    rng = np.random.default_rng(1)
    frame = rng.integers(0, 256, (136, 200, 4), dtype=np.uint8)
    frames, changes = [frame], [None]
    rows, columns = -(-136 // damage.TILE), -(-200 // damage.TILE)
    for boxes in [[(0, 1, 0, 1)], [(8, 9, 12, 13), (2, 4, 3, 6)], [], [(0, rows, 0, columns)], [(5, 9, 0, 2)], None]:
        frame = frame.copy()
        change = np.zeros((rows, columns), bool)
        for top, bottom, left, right in boxes or []:
            change[top:bottom, left:right] = True
            block = frame[top * damage.TILE:bottom * damage.TILE, left * damage.TILE:right * damage.TILE]
            block[:] = rng.integers(0, 256, block.shape, dtype=np.uint8)
        frames.append(frame)
        changes.append(None if boxes is None else change if boxes else False)
    outputs = []
    for told in (False, True):
        target = tmp_path / f"{told}.mp4"
        encoder = render.HeldFrameEncoder(target=target, spec=spec)
        if told:
            told_changes = {id(frame): change for frame, change in zip(frames, changes)}
            encoder.changed = lambda pixels: told_changes[id(pixels)]
        for frame in frames:
            encoder.write_frame(frame, repeat=2)
        encoder.finish()
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_a_chapter_encodes_the_same_told_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real chapter's encoded video, packet for packet, whether or not the encoder is told which
    tiles of each frame changed."""
    chapter = next(c for c in film.chapters_for(presets.statquest()) if c.slug == "used-part")

    def packets(folder: str) -> list[bytes]:
        video = render.render_part(chapter, LOW, tmp_path / folder).video
        with av.open(str(video)) as container:
            return [bytes(packet) for packet in container.demux(video=0) if packet.size]

    told = packets("told")
    monkeypatch.setattr(damage.FramePool, "changed", lambda pool, array: None)
    assert packets("untold") == told
