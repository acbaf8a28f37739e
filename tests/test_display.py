"""fmt: the single place a full-precision number becomes on-screen text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnmath import fmt
from nnmath.display import MINUS, parse


def test_minus_is_the_typographic_sign() -> None:
    """MINUS is U+2212, not the ASCII hyphen."""
    assert MINUS == "\u2212"


@pytest.mark.parametrize(("value", "kwargs", "shown"), [
    (1.0348, {}, "1.03"),
    (1.0348, {"places": 3}, "1.035"),
    (2.2512, {"places": 3}, "2.251"),
    (-2.9266, {"places": 3}, MINUS + "2.927"),
    (-2.9266, {}, MINUS + "2.93"),
    (-15.06, {}, MINUS + "15.06"),
    (np.float64(-1.30), {}, MINUS + "1.30"),
    (2.14, {"sign": True}, "+2.14"),
    (-0.58, {"sign": True}, MINUS + "0.58"),
    (0.03, {}, "0.03"),
    (-0.001, {}, "0.00"),
    (-0.0, {}, "0.00"),
    (-0.001, {"sign": True}, "+0.00"),
    (-0.0004, {"places": 3}, "0.000"),
    (-0.0006, {"places": 3}, MINUS + "0.001"),
])
def test_fmt(value: float, kwargs: dict[str, object], shown: str) -> None:
    """Round once to `places`, U+2212 for negatives, no minus zero, optional plus sign."""
    assert fmt(value, **kwargs) == shown


@given(st.floats(-1e6, 1e6), st.integers(0, 4))
def test_fmt_round_trips_through_parse(value: float, places: int) -> None:
    """The text stands for `value` rounded to `places`; no hyphen, no minus zero."""
    text = fmt(value, places)
    assert "-" not in text
    assert abs(parse(text) - value) <= 0.5 * 10.0 ** -places * (1 + 1e-9)
    assert fmt(parse(text), places) == text
    assert not (text.startswith(MINUS) and parse(text) == 0.0)
