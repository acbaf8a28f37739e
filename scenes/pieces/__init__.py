"""Reusable drawing pieces: mobjects that read an nnmath trace, and the animations built on them."""
