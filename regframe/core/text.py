"""Small text helpers every layer shares."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort the way people read ids and references: "reg 9" before "reg 12", r2 before r10.

    Runs of digits compare as numbers and everything else as lower-case text; each part is tagged so a
    number and a word never need comparing with each other.
    """
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in _DIGITS.split(text))
