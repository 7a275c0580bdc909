"""Reading CSV that may be hostile: every row with its line, and no parser exception escaping.

The readers of CSV (SSDA903 tables, Ofsted's files, the URN to CQC link file) share two
failures of the standard library that bad input triggers:

* Python's ``csv`` raises :class:`csv.Error` part-way through a file (a quoted field
  that never closes and grows past the field size limit). :func:`rows` turns that into
  RF110 at the line it happened, after yielding every row before it, so the rows read are
  kept and the rest is said to be lost;
* a field or record past regframe's own bounds (:data:`MAX_FIELD_CHARS`, :data:`MAX_RECORD_CHARS`)
  is RF110 at the line it starts on, the rows before kept, whatever ``csv.field_size_limit``
  the process has (it is never changed here);
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
    "never closes, so everything after it reads as one field longer than regframe reads (131,072 characters a field, 1,048,576 a record, its own bounds, whatever else in the process has set for Python's parser). The rows "
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

#: the longest field read (csv's own default limit), held by :func:`rows` itself whatever
#: ``csv.field_size_limit`` another part of the process has set
MAX_FIELD_CHARS = 131_072
#: the longest record (all its lines) read: a quote that never closes stops here, not at the file's end
MAX_RECORD_CHARS = 1 << 20

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
    bounded = _Bounded(stream)
    reader = csv.reader(bounded)
    start = 1
    replaced: list[int] = []
    watch = encoding in ("cp1252", "utf-8-sig")
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                cells = None
            except csv.Error as error:
                if str(error).startswith("field larger than field limit"):  # the process-wide limit, if lower
                    report(_too_long(where, start))
                else:
                    report(make(CSV_BROKEN, f"{error}; the rows from here on were not read",
                                Location(file=where, row=reader.line_num or start)))
                break
            if bounded.over:
                report(_too_long(where, start))
                break
            if cells is None:
                break
            bounded.record = 0
            if any(len(cell) > MAX_FIELD_CHARS for cell in cells):
                report(_too_long(where, start))
                break
            if watch and any(REPLACEMENT in cell for cell in cells):
                replaced.append(start)
            yield start, cells
            start = reader.line_num + 1
    finally:
        if replaced:
            report(_replaced(replaced, where, encoding))


def _too_long(where: str, start: int) -> Diagnostic:
    return make(CSV_BROKEN, f"a field longer than {MAX_FIELD_CHARS:,} characters, or a record longer than "
                            f"{MAX_RECORD_CHARS:,} (a quote that never closes?), starts here; the rows from here "
                            "on were not read", Location(file=where, row=start))


class _Bounded:
    """The lines of a stream for ``csv.reader``, ending (``over``) once one record grows past :data:`MAX_RECORD_CHARS`.

    ``csv.field_size_limit`` is one setting for the whole process, which any other code may raise:
    this bound is the reader's own, so what a file costs does not depend on who ran before.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.record = 0  # characters of the record being read so far
        self.over = False

    def __iter__(self) -> _Bounded:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(MAX_RECORD_CHARS + 1 - self.record)
        if not line:
            raise StopIteration
        self.record += len(line)
        if self.record > MAX_RECORD_CHARS:
            self.over = True
            raise StopIteration
        return line


def _replaced(found: list[int], where: str, encoding: str) -> Diagnostic:
    shown = ", ".join(str(at) for at in found[:_REPLACED_SHOWN]) + (", ..." if len(found) > _REPLACED_SHOWN else "")
    read_as = "Windows-1252" if encoding == "cp1252" else "UTF-8"
    return make(TEXT_REPLACED, f"{len(found)} row(s) hold bytes that are not {read_as} text, read as U+FFFD "
                               f"(rows {shown}); the rows were kept", Location(file=where, row=found[0]))
