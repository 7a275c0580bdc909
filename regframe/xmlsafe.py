"""The one place regframe parses XML, with every dangerous feature switched off.

Catalogues, revisions and evidence files may come from anyone, so the parser
never expands entities, never loads a DTD, never touches the network and
rejects any document that has a DOCTYPE at all (the billion-laughs and
external-entity attacks both need one). Size limits stop a huge file before
it is read. All readers go through :func:`parse_file`, :func:`iterparse_file`
and :func:`validate`; nothing else in the package builds an ``XMLParser``.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from .diagnostics import Diagnostic, Location, Severity, code, make

XML_NOT_WELL_FORMED = code(
    "RF101", Severity.ERROR, "XML is not well-formed",
    "The file could not be parsed as XML. The location is the line the parser stopped at; "
    "fix the syntax there (an unclosed tag, a stray ``&``, a wrong encoding declaration).",
)
XML_DOCTYPE_FORBIDDEN = code(
    "RF102", Severity.ERROR, "DOCTYPE declarations are not allowed",
    "regframe refuses XML with a DOCTYPE, because entity declarations are how the "
    "billion-laughs and external-entity (XXE) attacks work. Remove the DOCTYPE; "
    "regframe's formats are defined by XSD, not DTD.",
)
XML_TOO_LARGE = code(
    "RF103", Severity.ERROR, "XML file exceeds the size limit",
    "The file is larger than the limit for its kind. Split it, or raise the limit through the "
    "API's ``max_bytes`` argument if the file is trusted.",
)
XML_SCHEMA_INVALID = code(
    "RF104", Severity.ERROR, "XML does not conform to its XSD schema",
    "An element or attribute is missing, misplaced or has a value of the wrong type. "
    "The message is lxml's, with the line of the offending element.",
)
XML_UNKNOWN_ROOT = code(
    "RF105", Severity.ERROR, "XML root element is not a regframe document",
    "The root element's namespace or name is not one regframe reads.",
)
FILE_UNREADABLE = code(
    "RF106", Severity.ERROR, "file cannot be read",
    "The file does not exist, is a directory where a file was expected, or is not readable.",
)

#: Catalogue and revision files are small; evidence files may be very large and are streamed.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
STREAM_MAX_BYTES = 8 * 1024 * 1024 * 1024

_PROLOG_SCAN_BYTES = 64 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


class UnsafeXML(Exception):
    """A document that must not be parsed (a DOCTYPE, or too large)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


def _doctype_line(head: bytes) -> int | None:
    """Return the line of a DOCTYPE in the prolog, if there is one.

    Only the prolog (before the root element) can hold a DOCTYPE, so the scan
    stops at the first element. UTF-16 input is decoded first so the check
    cannot be dodged by encoding.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass
    upper = head.upper()
    position = upper.find(b"<!DOCTYPE")
    if position < 0:
        return None
    return head.count(b"\n", 0, position) + 1


def check_prolog(head: bytes, where: str) -> None:
    """Raise :class:`UnsafeXML` if ``head`` (the first bytes of a file) declares a DOCTYPE."""
    line = _doctype_line(head)
    if line is not None:
        raise UnsafeXML(
            make(
                XML_DOCTYPE_FORBIDDEN,
                "document has a DOCTYPE declaration; regframe never processes DTDs or entities",
                Location(file=where, line=line),
            )
        )


def _check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise UnsafeXML(
            make(XML_TOO_LARGE, f"file is {size:,} bytes; the limit is {max_bytes:,}", Location(file=str(path)))
        )


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Any | None, list[Diagnostic]]:
    """Parse an XML file safely into a tree.

    Returns ``(tree, [])`` on success and ``(None, diagnostics)`` when the file
    is unreadable, unsafe or not well-formed. Never raises for bad input.
    """
    path = Path(path)
    where = str(path)
    try:
        _check_size(path, max_bytes)
        with path.open("rb") as handle:
            data = handle.read()
    except UnsafeXML as exc:
        return None, [exc.diagnostic]
    except OSError as exc:
        return None, [make(FILE_UNREADABLE, exc.strerror or str(exc), Location(file=where))]
    return parse_bytes(data, where)


def parse_bytes(data: bytes, where: str = "<bytes>") -> tuple[Any | None, list[Diagnostic]]:
    """Parse XML held in memory; see :func:`parse_file`."""
    try:
        check_prolog(data[:_PROLOG_SCAN_BYTES], where)
    except UnsafeXML as exc:
        return None, [exc.diagnostic]
    try:
        root = etree.fromstring(data, parser=_parser(), base_url=where)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        message = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
        return None, [make(XML_NOT_WELL_FORMED, message, Location(file=where, line=line))]
    tree = root.getroottree()
    if tree.docinfo.doctype:  # belt and braces: the prolog scan should have caught it
        return None, [make(XML_DOCTYPE_FORBIDDEN, "document has a DOCTYPE declaration", Location(file=where, line=1))]
    return tree, []


class _Digesting:
    """A binary stream that feeds everything read through it to a hash, so hashing costs no second pass."""

    def __init__(self, raw: IO[bytes], digest: Any) -> None:
        self.raw = raw
        self.digest = digest
        self.name = getattr(raw, "name", "<stream>")

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data

    def drain(self) -> None:
        for block in iter(lambda: self.raw.read(1 << 20), b""):
            self.digest.update(block)


@contextlib.contextmanager
def streaming(
    source: str | Path | IO[bytes],
    *,
    events: tuple[str, ...] = ("end",),
    tag: str | None = None,
    max_bytes: int = STREAM_MAX_BYTES,
    digest: Any | None = None,
) -> Iterator[Any]:
    """Open a large file for streaming with every protection, and hand over lxml's own iterator.

    ``with streaming(path) as events: for event, element in events: ...`` costs
    nothing per element beyond lxml itself (no Python generator in between),
    which matters at a million elements. The caller must clear elements it has
    finished with (``elem.clear()`` and deleting earlier siblings) so memory
    stays flat. Raises :class:`UnsafeXML` for a DOCTYPE or an oversized file on
    entry, and lxml raises ``XMLSyntaxError`` for malformed XML part-way
    through (the caller reports it with its line). With ``digest`` (a
    ``hashlib`` object), every byte of the file is fed to it as it is read,
    and the rest once the block ends, so the caller gets the file's hash
    without reading it twice.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        _check_size(path, max_bytes)
        with path.open("rb") as handle:
            check_prolog(handle.read(_PROLOG_SCAN_BYTES), str(path))
        stream: IO[bytes] = path.open("rb")
        close = True
    else:
        stream = source
        head = stream.read(_PROLOG_SCAN_BYTES)
        check_prolog(head, getattr(stream, "name", "<stream>"))
        stream.seek(0)
        close = False
    reading: Any = _Digesting(stream, digest) if digest is not None else stream
    try:
        yield etree.iterparse(
            reading,
            events=events,
            tag=tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=True,
        )
    finally:
        if digest is not None:
            reading.drain()
        if close:
            stream.close()


def iterparse_file(
    source: str | Path | IO[bytes],
    *,
    events: tuple[str, ...] = ("end",),
    tag: str | None = None,
    max_bytes: int = STREAM_MAX_BYTES,
    digest: Any | None = None,
) -> Iterator[tuple[str, Any]]:
    """Stream ``(event, element)`` pairs; the generator form of :func:`streaming`, for light use."""
    with streaming(source, events=events, tag=tag, max_bytes=max_bytes, digest=digest) as events_:
        yield from events_


@functools.lru_cache(maxsize=None)
def load_schema(path: str) -> etree.XMLSchema:
    """Load an XSD once (cached). The schema files are ours, but go through the safe parser all the same."""
    tree, problems = parse_file(path)
    if tree is None:
        raise RuntimeError(f"regframe's own schema {path} cannot be read: {problems}")
    return etree.XMLSchema(tree)


def validate(tree: Any, schema_path: str | os.PathLike[str], where: str) -> list[Diagnostic]:
    """Check a parsed tree against an XSD, returning every violation with its line."""
    schema = load_schema(str(schema_path))
    if schema.validate(tree):
        return []
    return [
        make(XML_SCHEMA_INVALID, _tidy_schema_message(entry.message), Location(file=where, line=entry.line or None))
        for entry in schema.error_log
    ]


def _tidy_schema_message(message: str) -> str:
    """Drop lxml's namespace braces so messages read like the XML the user wrote."""
    import re

    return re.sub(r"\{(?:urn|https?):[^}]*\}", "", message)

