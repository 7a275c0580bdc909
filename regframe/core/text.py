"""Small text helpers every layer shares."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def is_whole_number(text: str) -> bool:
    """Whether ``text`` is a whole number written in ASCII digits: what a reader may give to ``int()``.

    ``str.isdigit`` is not that test: it is true of superscripts (``³``), which ``int()`` refuses with
    a ``ValueError``, and of Arabic-Indic or fullwidth digits, which ``int()`` reads although no file
    regframe reads writes its numbers so.
    """
    return text.isascii() and text.isdigit()


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort the way people read ids and references: "reg 9" before "reg 12", r2 before r10.

    Runs of digits compare as numbers and everything else as lower-case text; each part is tagged so a
    number and a word never need comparing with each other. The runs are the splitting pattern's
    matches (every other part), so text that merely looks numeric to ``str.isdigit`` (``³``) stays text.
    """
    return tuple((0, int(part)) if index % 2 else (1, part.lower()) for index, part in enumerate(_DIGITS.split(text)))


def shown(text: str, width: int = 60) -> str:
    """``text`` quoted for a message, cut to ``width`` characters with the full length said (a hostile value
    may be thousands of characters long)."""
    if len(text) <= width:
        return repr(text)
    return f"{text[:width]!r}… ({len(text):,} characters)"


def count_of(count: int, total: int, noun: str, plural: str) -> str:
    """A count out of a total, in words a reader takes in at once: "2 of 5 children", "all 5 children",
    "both children", "the one child", never "1 of 1 children".

    For ``0 <= count <= total`` and ``total >= 1`` (a share of the children placed, say); the caller agrees its
    verb with the count (one: "has"; more: "have").
    """
    if total == 1 and count == 1:
        return f"the one {noun}"
    if count == total == 2:
        return f"both {plural}"
    if count == total > 2:
        return f"all {total} {plural}"
    return f"{count} of {total} {noun if total == 1 else plural}"
