"""The whole walkthrough for your own network, rendered with plain Manim:

    manim -qm examples/my_video.py MyVideo
"""

import nnmath
from scenes.film import Walkthrough


class MyVideo(Walkthrough):
    network = nnmath.load("examples/tanh-wave.toml")  # or nnmath.presets.relu_in_action()


class MyTwoChapters(Walkthrough):
    network = nnmath.load("examples/tanh-wave.toml")
    only = ("top-path", "sum")  # slugs, as `squiggle chapters` lists them
