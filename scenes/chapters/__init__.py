"""The storyboard's chapters: one Manim scene each, built from named beats."""
