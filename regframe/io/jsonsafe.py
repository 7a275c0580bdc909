"""Reading JSON that may be hostile: sizes capped while reading, no exception escapes.

Python's :mod:`json` trusts its input: a 2 GB file is read whole, ``[[[[…`` ten
thousand deep raises :class:`RecursionError`, a number of a million digits is
converted (or raises :class:`ValueError` past the interpreter's digit limit),
``NaN`` and ``Infinity`` are accepted though JSON has neither, and a key given
twice silently keeps the last value. This module reads one JSON document, or
JSON Lines (one value a line), and turns every one of those into a
:class:`JsonProblem` with its line and column, never an exception:

* a whole document is refused past :data:`MAX_DOCUMENT_BYTES` before it is
  parsed, and a JSON Lines record past :data:`MAX_RECORD_BYTES`; the file is
  read in blocks, never whole;
* a number with more than :data:`MAX_NUMBER_DIGITS` digits, a non-finite
  number, ``NaN``/``Infinity``, and a repeated key are problems;
* nesting deeper than the parser can take is a problem, not a crash.

Which shape a file has is decided from its first value: a file whose first line
holds a whole JSON value is JSON Lines (a one-line document is the same
either way); anything else is one document, unless it does not parse as one and
a later line near the start is a whole JSON object by itself: then it is JSON
Lines whose first line is broken, and only that line is lost.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

#: the largest JSON document read whole (larger extracts belong in JSON Lines)
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: the longest JSON Lines line read; a longer one is skipped without being held
MAX_RECORD_BYTES = 4 * 1024 * 1024
#: the most digits a number may have (a CQC record's longest is a bed count or a coordinate)
MAX_NUMBER_DIGITS = 30


@attrs.frozen
class JsonProblem:
    """Why a document or a line could not be read as JSON, and where (1-based line and column)."""

    message: str
    line: int | None = None
    column: int | None = None
    #: True when this is one JSON Lines record lost (the rest of the file is read); False for the whole file
    record: bool = False


@attrs.frozen
class JsonValue:
    """One value read: the whole document, or one JSON Lines record (``record`` True) with its line."""

    value: Any
    line: int | None = None
    record: bool = False


class _Refusal:
    """A value the parser's hooks would not accept, standing in its place until the parse is over.

    The hooks return it rather than raise, so that a refused value in one record of a list
    loses that record, not the whole document (:func:`loads`).
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Hooks:
    """The parser's hooks for one parse: refused values become :class:`_Refusal` and are remembered."""

    def __init__(self) -> None:
        self.refused = False
        self.decoder = json.JSONDecoder(parse_int=self.number, parse_float=self.decimal,
                                        parse_constant=self.constant, object_pairs_hook=self.object)

    def refuse(self, reason: str) -> _Refusal:
        self.refused = True
        return _Refusal(reason)

    def number(self, text: str) -> int | _Refusal:
        digits = len(text.lstrip("-"))
        if digits > MAX_NUMBER_DIGITS:
            return self.refuse(f"a number of {digits} digits (more than {MAX_NUMBER_DIGITS})")
        return int(text)

    def decimal(self, text: str) -> float | _Refusal:
        if len(text) > MAX_NUMBER_DIGITS + 10:
            return self.refuse(f"a number written with {len(text)} characters")
        value = float(text)
        if not math.isfinite(value):
            return self.refuse(f"the number {text[:20]} is too large to hold")
        return value

    def constant(self, text: str) -> _Refusal:
        return self.refuse(f"{text} is not a JSON value")

    def object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Refusal:
        result = dict(pairs)
        if len(result) != len(pairs):  # rare: only then look for which key repeats
            seen: set[str] = set()
            for key, _value in pairs:
                if key in seen:
                    return self.refuse(f"the key {key[:60]!r} is given twice in one object")
                seen.add(key)
        return result


def _refusal_in(value: Any) -> _Refusal | None:
    """The first refusal anywhere in ``value`` (looked for only when the parse made one)."""
    if type(value) is _Refusal:
        return value
    inner = value.values() if type(value) is dict else value if type(value) is list else ()
    for element in inner:
        found = _refusal_in(element)
        if found is not None:
            return found
    return None


def loads(text: str, first_line: int = 1) -> JsonValue | JsonProblem:
    """Parse one JSON value; any failure is a :class:`JsonProblem`, located from ``first_line``.

    A value refused (a number past :data:`MAX_NUMBER_DIGITS`, ``NaN``, a repeated key) refuses
    the whole value, except in a list at the top: there it refuses only the element that holds
    it, which is given back in its place as a :class:`JsonProblem` (``record`` True), so the
    other records of the list are kept.
    """
    hooks = _Hooks()
    try:
        value, end = hooks.decoder.raw_decode(text, _skip_space(text, 0))
    except json.JSONDecodeError as error:
        return JsonProblem(f"not JSON: {error.msg}", first_line + error.lineno - 1, error.colno)
    except RecursionError:
        return JsonProblem("refused: nested too deeply to read", first_line)
    except (ValueError, OverflowError, MemoryError) as error:
        return JsonProblem(f"refused: {error}", first_line)
    rest = _skip_space(text, end)
    if rest < len(text):
        line = first_line + text.count("\n", 0, rest)
        return JsonProblem("not JSON: more text after the value", line, rest - text.rfind("\n", 0, rest))
    if not hooks.refused:
        return JsonValue(value, first_line)
    if type(value) is list:
        for index, element in enumerate(value):
            refused = _refusal_in(element)
            if refused is not None:
                value[index] = JsonProblem(f"refused: {refused.reason}", first_line, record=True)
        return JsonValue(value, first_line)
    refused = _refusal_in(value)
    return JsonProblem(f"refused: {refused.reason if refused else 'a value'}", first_line)


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _decode(raw: bytes, line: int) -> str | JsonProblem:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return JsonProblem(f"not UTF-8 (byte {error.start + 1} of the text)", line)


def is_json_lines(path: Path) -> bool:
    """Whether the file's first non-blank line is a whole JSON value by itself (then it is read as JSON Lines)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_RECORD_BYTES + 1), b""), start=1):
            if not raw.strip():
                continue
            if len(raw) > MAX_RECORD_BYTES or not raw.endswith(b"\n"):
                return False
            text = _decode(raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw, number)
            return isinstance(text, str) and isinstance(loads(text, number), JsonValue)
    return False


def read_values(path: Path) -> Iterator[JsonValue | JsonProblem]:
    """Each value of a JSON Lines file, or the one value of a JSON document, in order; problems in their place.

    Raises nothing but :class:`OSError` from opening or reading the file.
    """
    if is_json_lines(path):
        yield from _lines(path)
        return
    with path.open("rb") as handle:
        raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(raw) > MAX_DOCUMENT_BYTES:
        yield JsonProblem(f"refused: a JSON document larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB "
                          "(give large extracts as JSON Lines, one record a line)")
        return
    text = _decode(raw.removeprefix(b"\xef\xbb\xbf"), 1)
    value = text if isinstance(text, JsonProblem) else loads(text)
    if isinstance(value, JsonProblem) and _later_line_is_an_object(path):
        yield from _lines(path)  # JSON Lines whose first line is broken: lose that line, not the file
        return
    yield value


def _later_line_is_an_object(path: Path, lines: int = 20) -> bool:
    """Whether one of the first ``lines`` lines after the first is a whole JSON object by itself."""
    with path.open("rb") as handle:
        handle.readline(MAX_RECORD_BYTES + 1)
        for number in range(2, lines + 2):
            raw = handle.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                return False
            text = _decode(raw, number)
            if isinstance(text, str) and text.strip():
                found = loads(text, number)
                if isinstance(found, JsonValue) and isinstance(found.value, dict):
                    return True
    return False


def _lines(path: Path) -> Iterator[JsonValue | JsonProblem]:
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line without holding it
                    raw = handle.readline(MAX_RECORD_BYTES + 1)
                yield JsonProblem(f"refused: a line longer than {MAX_RECORD_BYTES // (1024 * 1024)} MiB", number,
                                  record=True)
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            text = _decode(raw, number)
            value = text if isinstance(text, JsonProblem) else loads(text, number)
            yield attrs.evolve(value, record=True)
