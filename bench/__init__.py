"""Benchmarks run by hand: render speed (bench/render.py), encoder settings (bench/encoders.py),
and the exact frames both encode (bench/frames.py)."""
