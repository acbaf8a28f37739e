"""`squiggle clips` as a speaker uses it: a file per beat, named by chapter and beat, in every format."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
import srt
from beat_chapters import BEAT_CASES
from PIL import Image

from scenes import clips, render
from scenes.beats import caption_slug
from scenes.chapters.base import Chapter
from scenes.chapters.intro import Title

ROOT = Path(__file__).resolve().parent.parent
LOW = render.QUALITIES["low"]
CHAPTERS = {"title": 1, "problem": 2}  # in the statquest film, which has data
NAME = re.compile(r"^(\d\d)-([a-z-]+?)-(\d\d)-([a-z0-9-]+?)(\.mp4|-alpha\.webm|\.png|\.gif)$")
STALE = ("01-title-07-gone-beat.png", "01-title-07-gone-beat-alpha.webm")
STILL_TOLERANCE = 4.0  # mean absolute difference (of 255) between a still and the clip's decoded last frame


@pytest.fixture(scope="module")
def clip_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Clips, GIFs included, of two short chapters at 480p15, written over a stale beat and a note."""
    folder = tmp_path_factory.mktemp("clips")
    for name in STALE:
        (folder / name).write_text("from a beat the chapter no longer has")
    (folder / "notes.txt").write_text("mine")
    command = [sys.executable, "-m", "scenes.cli", "clips", "--quality", "low", "--gif", "--output", str(folder)]
    for slug in CHAPTERS:
        command += ["--chapter", slug]
    result = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert {Path(line).name for line in result.stdout.split()} == {p.name for p in folder.glob("[0-9]*")}
    return folder


def captions(folder: Path, slug: str, kind: str) -> list[str]:
    """What the chapter said, from the captions Manim wrote beside its work render."""
    files = list(folder.glob(f".work/*/*/{kind}/{slug}.srt"))
    assert len(files) == 1, files
    return [caption.content for caption in srt.parse(files[0].read_text(encoding="utf-8"))]


def stems(folder: Path, slug: str) -> list[str]:
    return sorted(path.stem for path in folder.glob(f"*-{slug}-*.mp4"))


def decoded(path: Path, codec: str | None = None) -> list[av.VideoFrame]:
    """Every frame; `codec` names the decoder (FFmpeg's own VP9 decoder ignores alpha, libvpx's does not)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if codec is None:
            return list(container.decode(stream))
        decoder = av.CodecContext.create(codec, "r")
        return [frame for packet in container.demux(stream) for frame in decoder.decode(packet)]


def rgba(frame: av.VideoFrame) -> np.ndarray:
    return frame.to_ndarray(format="rgba")


def has_alpha(frame: av.VideoFrame) -> bool:
    return any(component.is_alpha for component in frame.format.components)


def test_one_clip_per_beat_named_by_chapter_and_beat(clip_folder: Path) -> None:
    for slug, number in CHAPTERS.items():
        said = captions(clip_folder, slug, "opaque")
        names = stems(clip_folder, slug)
        assert len(names) == len(said) > 0
        for beat, (stem, words) in enumerate(zip(names, said), start=1):
            assert stem == f"{number:02d}-{slug}-{beat:02d}-{caption_slug(words)}"
    for path in clip_folder.glob("[0-9]*"):
        assert NAME.match(path.name), path.name


def test_every_beat_has_every_format(clip_folder: Path) -> None:
    for slug in CHAPTERS:
        for stem in stems(clip_folder, slug):
            for suffix in (".mp4", "-alpha.webm", ".png", ".gif"):
                assert (clip_folder / f"{stem}{suffix}").stat().st_size > 0, stem + suffix


def test_beats_add_up_to_the_chapter_frame_for_frame(clip_folder: Path) -> None:
    for slug in CHAPTERS:
        chapter = next(clip_folder.glob(f".work/*/*/opaque/{slug}.mp4"))
        beats = [render.video_duration(clip_folder / f"{stem}.mp4") for stem in stems(clip_folder, slug)]
        assert sum(beats) == pytest.approx(render.video_duration(chapter), abs=1e-9)


def test_still_is_the_beats_last_frame(clip_folder: Path) -> None:
    for slug in CHAPTERS:
        for stem in stems(clip_folder, slug):
            last = rgba(decoded(clip_folder / f"{stem}.mp4")[-1])[..., :3].astype(float)
            still = np.asarray(Image.open(clip_folder / f"{stem}.png").convert("RGB"), dtype=float)
            assert still.shape == last.shape
            assert np.abs(still - last).mean() < STILL_TOLERANCE, stem


def test_transparent_clip_has_alpha_and_a_clear_corner(clip_folder: Path) -> None:
    for path in clip_folder.glob("*-alpha.webm"):
        with av.open(str(path)) as container:
            assert container.streams.video[0].metadata.get("alpha_mode") == "1"
        frames = decoded(path, codec="libvpx-vp9")
        assert frames and all(has_alpha(frame) for frame in frames), path.name
        pixels = [rgba(frame) for frame in frames]
        assert all(image[0, 0, 3] == 0 for image in pixels), path.name
        assert pixels[-1][..., 3].max() == np.iinfo(np.uint8).max  # the drawing itself is opaque


def test_gif_is_a_small_animation(clip_folder: Path) -> None:
    for path in clip_folder.glob("*.gif"):
        with Image.open(path) as gif:
            assert gif.n_frames > 1 and gif.width <= clips.GIF_WIDTH


def test_stale_beats_go_other_files_stay(clip_folder: Path) -> None:
    assert not any((clip_folder / name).exists() for name in STALE)
    assert (clip_folder / "notes.txt").read_text() == "mine"
    assert not list(clip_folder.glob(".*partial*"))


def test_transparent_mov(tmp_path: Path) -> None:
    [mov] = [p for p in clips.build_clips([(1, Title)], LOW, tmp_path, alpha="mov") if p.suffix == ".mov"]
    with av.open(str(mov)) as container:
        assert container.streams.video[0].codec_context.pix_fmt == "argb"
    frames = decoded(mov)
    assert all(has_alpha(frame) and rgba(frame)[0, 0, 3] == 0 for frame in frames)


class BrokenTitle(Title):
    """The title chapter, failing halfway through."""

    def construct(self) -> None:
        self.say("This chapter will fail.")
        raise RuntimeError("boom")


def test_failed_run_keeps_earlier_clips(tmp_path: Path) -> None:
    earlier = tmp_path / "01-title-01-chapter-will-fail.mp4"
    earlier.write_bytes(b"an earlier, good clip")
    with pytest.raises(RuntimeError, match="boom"):
        clips.build_clips([(1, BrokenTitle)], LOW, tmp_path)
    assert earlier.read_bytes() == b"an earlier, good clip"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".work")] == [earlier.name]


@pytest.mark.parametrize(("chapter", "expected"), BEAT_CASES)
def test_beats_start_at_say(tmp_path: Path, chapter: type[Chapter], expected: list[str]) -> None:
    """Early frames join the first beat, a beat without frames is dropped, silence is one beat."""
    beats = clips.render_beats(chapter, LOW, tmp_path)
    assert [caption for caption, _, _ in beats] == expected
    assert all(video.exists() and still is not None for _, video, still in beats)


def test_caption_slug() -> None:
    assert caption_slug("We tried a drug at low, medium and high dosage.") == "tried-drug-low"
    assert caption_slug("...and then.") == "and-then"


def test_unknown_chapter_is_one_line_and_exit_2() -> None:
    result = subprocess.run([sys.executable, "-m", "scenes.cli", "clips", "--chapter", "nope"],
                            check=False, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "no chapter 'nope'" in result.stderr and len(result.stderr.strip().splitlines()) == 1
