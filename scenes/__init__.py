"""Manim scenes and reusable pieces that draw an `nnmath` network, plus the `squiggle` CLI."""
