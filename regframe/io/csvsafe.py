"""Reading CSV that may be hostile: every row with its line, and no parser exception escaping.

The readers of CSV (SSDA903 tables, Ofsted's files, the URN to CQC link file) share two
failures of the standard library that bad input triggers:

* Python's ``csv`` raises :class:`csv.Error` part-way through a file (a quoted field
  that never closes and grows past the field size limit). :func:`rows` turns that into
  RF110 at the line it happened, after yielding every row before it, so the rows read are
  kept and the rest is said to be lost;
* a file that is not UTF-8 is read as Windows-1252 (what Excel on Windows writes), in which
  five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are no character, so strict decoding raises
  :class:`UnicodeDecodeError` wherever one stands. Text is decoded with the replacement
  character instead (:func:`open_text`), and :func:`rows` names the rows that hold one
  (RF111, a warning: the row is kept, its value may need checking).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TextIO

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.io.formats import detect_encoding

CSV_BROKEN = code(
    "RF110", Severity.ERROR, "CSV stopped being readable at a line; the rest of the file was not read",
    "Python's CSV parser gave up at the line named, usually because a quotation mark opens a field that "
    "never closes, so everything after it reads as one field longer than the parser allows. The rows "
    "before the line were read and kept; the rest of the file was not. Find the stray quote near the "
    "line and save the file again.",
)
TEXT_REPLACED = code(
    "RF111", Severity.WARNING, "bytes that are not text in the file's encoding were read as U+FFFD",
    "A CSV that is not UTF-8 is read as Windows-1252, the encoding Excel on Windows writes, in which the "
    "bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are no character (a file that starts with a UTF-8 byte-order "
    "mark may hold bytes that are not UTF-8). Each such byte is read as the replacement character U+FFFD "
    "(�) and the row is kept; the first row that holds one is named, with the count. An id that held such "
    "a byte will not match the same id written correctly elsewhere: save the file as UTF-8.",
)

#: the character a byte that decodes to nothing is read as
REPLACEMENT = "\ufffd"
_REPLACED_SHOWN = 5


def open_text(path: Path) -> tuple[TextIO, str]:
    """``path`` opened as text for ``csv``, in the encoding its bytes show; no byte can make reading raise."""
    encoding = detect_encoding(path)
    return path.open(encoding=encoding, errors="replace", newline=""), encoding


def read_text(path: Path) -> tuple[str, str]:
    """The whole of ``path`` as text, and the encoding it was read in (see :func:`open_text`)."""
    encoding = detect_encoding(path)
    return path.read_bytes().decode(encoding, errors="replace"), encoding


def rows(stream: TextIO, where: str, report: Callable[[Diagnostic], None], *,
         encoding: str = "utf-8") -> Generator[tuple[int, list[str]], None, None]:
    """Each record of ``stream`` as ``(line it starts on, cells)``; each problem is given to ``report``.

    A :class:`csv.Error` ends the rows with RF110 at its line. When ``encoding`` is one whose
    decoding can only have made U+FFFD from a byte it could not read (``cp1252``, ``utf-8-sig``),
    the rows holding one are named once, at the end, by RF111.
    """
    reader = csv.reader(stream)
    start = 1
    replaced: list[int] = []
    watch = encoding in ("cp1252", "utf-8-sig")
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                report(make(CSV_BROKEN, f"{error}; the rows from here on were not read",
                            Location(file=where, row=reader.line_num or start)))
                break
            if watch and any(REPLACEMENT in cell for cell in cells):
                replaced.append(start)
            yield start, cells
            start = reader.line_num + 1
    finally:
        if replaced:
            report(_replaced(replaced, where, encoding))


def _replaced(found: list[int], where: str, encoding: str) -> Diagnostic:
    shown = ", ".join(str(at) for at in found[:_REPLACED_SHOWN]) + (", ..." if len(found) > _REPLACED_SHOWN else "")
    read_as = "Windows-1252" if encoding == "cp1252" else "UTF-8"
    return make(TEXT_REPLACED, f"{len(found)} row(s) hold bytes that are not {read_as} text, read as U+FFFD "
                               f"(rows {shown}); the rows were kept", Location(file=where, row=found[0]))
