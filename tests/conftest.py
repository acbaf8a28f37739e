"""Shared pytest setup: one modest, deadline-free Hypothesis profile for the whole suite."""

from hypothesis import settings

settings.register_profile("squiggle", max_examples=60, deadline=None)
settings.load_profile("squiggle")
