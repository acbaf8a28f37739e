"""Two tiny chapters whose beats test the rule clips and slides share: a beat starts at `say()`."""

from manim import RIGHT, Dot, FadeIn

from scenes.chapters.base import Chapter


class Opening(Chapter):
    """Plays before it speaks, then says something it at once replaces, then never speaks again."""

    slug, title = "opening", "Opening"

    def construct(self) -> None:
        dot = Dot()
        self.play(FadeIn(dot), run_time=0.2)
        self.say("First words.", on_screen=False)
        self.play(dot.animate.shift(RIGHT), run_time=0.2)
        self.say("Replaced at once.", on_screen=False)
        self.say("Last words.")
        self.pause(0.2)


class Silent(Chapter):
    slug, title = "silent", "A chapter without words"

    def construct(self) -> None:
        self.play(FadeIn(Dot()), run_time=0.2)


BEAT_CASES = [(Opening, ["First words.", "Last words."]), (Silent, ["A chapter without words"])]
