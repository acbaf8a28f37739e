"""What every chapter shares: the network, the theme, captions on screen and in the SRT, pacing."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from manim import DOWN, Animation, FadeIn, FadeOut, Scene, Succession, VGroup

from nnmath import Network, presets
from scenes import theme

CAPTION_CHARS = 78  # wrap captions to lines of at most this many characters
CAPTION_WIDTH = 13.4  # and never wider than this (scene units; the frame is about 14.2)
CAPTION_BUFF = 0.18
CAPTION_FADE = 0.5


class Chapter(Scene):
    """A storyboard chapter. Subclasses set `slug` and `title` and write `construct()` as beats.

    `network` is the network the chapter explains; set it on a subclass (or let the renderer set
    it) to explain another network with the same scenes.
    """

    slug: ClassVar[str] = ""
    title: ClassVar[str] = ""
    network: ClassVar[Network] = presets.statquest()

    def setup(self) -> None:
        self.camera.background_color = theme.BACKGROUND
        self.caption: VGroup | None = None
        self._spoken: tuple[str, float] | None = None

    def say(self, words: str, on_screen: bool = True) -> None:
        """Start a beat: show `words` as the on-screen caption and open an SRT entry.

        With `on_screen` False the words go to the SRT only (for text the picture already shows).
        """
        self._close_subcaption()
        self._spoken = (words, self.time)
        if not on_screen:
            if self.caption is not None:
                self.play(FadeOut(self.caption), run_time=theme.seconds(CAPTION_FADE))
                self.caption = None
            return
        lines = textwrap.wrap(words, CAPTION_CHARS)
        caption = VGroup(*[theme.text(line, theme.CAPTION_SIZE, cached=False) for line in lines])
        caption.arrange(DOWN, buff=0.1)
        if caption.width > CAPTION_WIDTH:
            caption.scale_to_fit_width(CAPTION_WIDTH)
        caption.to_edge(DOWN, buff=CAPTION_BUFF)
        # the old words leave before the new ones come, so two captions never overlap
        swap = FadeIn(caption) if self.caption is None else Succession(FadeOut(self.caption), FadeIn(caption))
        self.play(swap, run_time=theme.seconds(CAPTION_FADE))
        self.caption = caption

    def beat(self, *animations: Animation, run_time: float = 1.0, **kwargs) -> None:
        """Play animations together at the film's pace."""
        self.play(*animations, run_time=theme.seconds(run_time), **kwargs)

    def pause(self, duration: float = 1.0) -> None:
        self.wait(theme.seconds(duration))

    def _close_subcaption(self) -> None:
        if self._spoken is not None:
            words, start = self._spoken
            self.add_subcaption(words, duration=self.time - start, offset=start - self.time)
            self._spoken = None

    def tear_down(self) -> None:
        self._close_subcaption()
