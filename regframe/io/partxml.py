"""Streaming the XML of one zip part, a chunk at a time, keeping everything parsed before an error.

Both spreadsheet readers (xlsx and ODS) read their sheets through :func:`chunks`.
It checks the part's prolog for a DOCTYPE (:func:`~regframe.io.xmlsafe.check_prolog`),
then feeds the bytes to a protected :func:`~regframe.io.xmlsafe.pull_parser` 64 KiB
at a time and hands over, after each chunk, the events it produced and how many
bytes have been read. That gives a reader the two things ``iterparse`` cannot:

* a bound on memory that holds while streaming: the reader compares the byte count
  with where its last row ended, and stops a row (or the XML before the first row)
  that runs past its limit, whatever elements it is made of;
* the rows before damage: ``iterparse`` raises as soon as it meets bad XML and
  drops the events of the chunk it was parsing, so the rows just before the damage
  are lost and the error lands at the wrong row. Here the events parsed before the
  error are handed over first, then :class:`PartError` is raised, carrying the XML
  line and a message fit for an analyst.

Every failure of zipfile, zlib or lxml comes out as :class:`PartError` or, for a
DOCTYPE, :class:`~regframe.io.xmlsafe.UnsafeXML` whose diagnostic names the part.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, cast

import attrs
from lxml import etree

from regframe.core.diagnostics import Diagnostic, make
from regframe.io import xmlsafe
from regframe.io.zipsafe import PartStream, ZipDamage

CHUNK_BYTES = 64 * 1024


class PartError(Exception):
    """The XML of a part cannot be read on from here: damaged compressed data or XML not well-formed."""

    def __init__(self, part: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.part = part
        self.message = message
        self.line = line

    def describe(self) -> str:
        """``part xl/worksheets/sheet2.xml, XML line 3: ...``, for a diagnostic's message."""
        if self.message.startswith(f"part {self.part} "):
            return self.message  # zipsafe's own message names the part
        where = f"part {self.part}" + (f", XML line {self.line}" if self.line else "")
        return f"{where}: {self.message}"


def unsafe_in_part(unsafe: xmlsafe.UnsafeXML, file: str, part: str) -> Diagnostic:
    """The diagnostic of a refused prolog, located in ``file`` and naming ``part``."""
    found = unsafe.diagnostic
    location = attrs.evolve(found.location, file=file, path=part)
    return make(xmlsafe.XML_DOCTYPE_FORBIDDEN if found.code == xmlsafe.XML_DOCTYPE_FORBIDDEN.id
                else xmlsafe.XML_ENCODING_UNCHECKABLE, f"part {part}: {found.message}", location)


def check_prolog(stream: PartStream) -> None:
    """Refuse a DOCTYPE (or an encoding it cannot be checked in) in the part, then rewind the stream.

    Raises :class:`~regframe.io.xmlsafe.UnsafeXML` (located at the part's name) or :class:`PartError`.
    """
    try:
        xmlsafe.check_prolog(cast(IO[bytes], stream), stream.name)  # it only reads: PartStream is enough
        stream.seek(0)
    except ZipDamage as damage:
        raise PartError(stream.name, damage.message) from None


def chunks(stream: PartStream, *, events: tuple[str, ...] = ("end",),
           tag: str | tuple[str, ...] | None = None) -> Iterator[tuple[list[tuple[str, Any]], int]]:
    """``(events, bytes read so far)`` after each chunk of the part; :class:`PartError` after the last good events.

    The prolog is checked first (see :func:`check_prolog`). The caller clears the elements it has
    finished with, as for any lxml streaming.
    """
    check_prolog(stream)
    parser = xmlsafe.pull_parser(events=events, tag=tag)
    while True:
        failure: PartError | None = None
        try:
            data = stream.read(CHUNK_BYTES)
        except ZipDamage as damage:
            data, failure = b"", PartError(stream.name, damage.message)
        if failure is None:
            try:
                if data:
                    parser.feed(data)
                else:
                    parser.close()
            except etree.XMLSyntaxError as error:
                failure = PartError(stream.name, _syntax_message(error), error.lineno or None)
        done = list(parser.read_events())
        if failure is not None and not data:
            done = []  # the ends of elements a failing close() shut: not in the document
        if done or failure is None:
            yield done, stream.position
        if failure is not None:
            raise failure
        if not data:
            return


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    message = getattr(error, "msg", None) or str(error)
    return f"the XML is not well-formed ({message})"


def flat_elements(stream: PartStream) -> Iterator[Any]:
    """Every element of a small part at its end, then cleared and let go, so memory stays flat for any shape.

    For parts read for their attributes (relationships, the workbook's sheet list, the style table):
    an element's children are cleared before it is handed over, so only its attributes (and its
    parent, still open) can be read. Sizes are the caller's to check, on the zip directory.
    """
    for done, _position in chunks(stream):
        for _event, element in done:
            yield element
            release(element)


def release(element: Any, *, keep: bool = False) -> None:
    """Let go of an element streamed past: clear it (unless ``keep``) and drop the siblings before it.

    The root element has no parent (a comment or processing instruction may stand before it), so
    only an element with a parent loses its earlier siblings.
    """
    if not keep:
        element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
