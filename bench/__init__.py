"""Benchmarks run by hand: render speed (bench/render.py) and encoder settings (bench/encoders.py)."""
