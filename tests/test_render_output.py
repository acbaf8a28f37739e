"""A failed render never clobbers good output; an unwritable output is one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scenes import render
from scenes.chapters.intro import Title

ROOT = Path(__file__).resolve().parent.parent


class BrokenTitle(Title):
    """The title chapter, failing halfway through."""

    def construct(self) -> None:
        self.say("This chapter will fail.")
        raise RuntimeError("boom")


def test_failed_render_keeps_the_earlier_film(tmp_path: Path) -> None:
    target = tmp_path / "film.mp4"
    target.write_bytes(b"an earlier, good film")
    with pytest.raises(RuntimeError, match="boom"):
        render.render_film([BrokenTitle], render.QUALITIES["low"], Title.network, target)
    assert target.read_bytes() == b"an earlier, good film"
    assert not list(tmp_path.glob(".*partial*"))


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "notes.srt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), render.atomic_output(target) as partial:
        partial.write_text("half written")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and not partial.exists()
    with render.atomic_output(target) as partial:
        partial.write_text("new")
    assert target.read_text() == "new"


def test_unwritable_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    result = subprocess.run(
        [sys.executable, "-m", "scenes.cli", "render", "--quality", "low", "--chapter", "title",
         "--output", str(blocked / "film.mp4")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "Traceback" not in result.stderr


def test_unknown_chapter_is_one_line_and_exit_2() -> None:
    result = subprocess.run([sys.executable, "-m", "scenes.cli", "render", "--chapter", "nope"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "no chapter 'nope'" in result.stderr and len(result.stderr.strip().splitlines()) == 1
