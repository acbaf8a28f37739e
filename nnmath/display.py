"""The one function that turns a full-precision number into its on-screen text."""

from __future__ import annotations

MINUS = "\u2212"  # typographic minus sign, as in print


def fmt(value: float, places: int = 2, *, sign: bool = False) -> str:
    """Round `value` once, for display, to `places` decimals, with a typographic minus.

    `sign` always writes the sign ("+2.14"). A value that rounds to zero has no minus sign.
    """
    text = f"{abs(float(value)):.{places}f}"
    negative = value < 0 and float(text) != 0.0
    if negative:
        return MINUS + text
    return "+" + text if sign else text


def parse(text: str) -> float:
    """Inverse of `fmt` for tests and tools: the float a displayed string stands for."""
    return float(text.replace(MINUS, "-"))


def term(operation: str, value: float, places: int = 2) -> str:
    """A parameter as the step it performs: ``term("×", -34.4)`` is "× −34.40",
    ``term("+", -0.58)`` is "− 0.58"."""
    if operation == "+" and fmt(value, places).startswith(MINUS):
        return f"{MINUS} {fmt(-value, places)}"
    return f"{operation} {fmt(value, places)}"
