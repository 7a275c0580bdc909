"""The one place regframe parses XML, with every dangerous feature switched off.

Catalogues, revisions and evidence files may come from anyone, so the parser
never expands entities, never loads a DTD, never touches the network and
rejects any document that has a DOCTYPE at all (the billion-laughs and
external-entity attacks both need one). Size limits stop a huge file before
it is read. All readers go through :func:`parse_file`, :func:`iterparse_file`,
:func:`pull_parser` and :func:`validate`; nothing else in the package builds an ``XMLParser``.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make

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
XML_ENCODING_UNCHECKABLE = code(
    "RF108", Severity.ERROR, "XML is in an encoding regframe cannot check, and was not read",
    "Before parsing, regframe reads the prolog to refuse any DOCTYPE. In an encoding that does not keep "
    "ASCII as ASCII (UTF-7, ISO-2022, HZ, EBCDIC, or one Python does not know), a DOCTYPE could be "
    "written in other bytes, so such a file is refused: save it as UTF-8 (or UTF-16 with a byte-order "
    "mark). So is an XML declaration longer than 64 KB.",
)

#: Catalogue and revision files are small; evidence files may be very large and are streamed.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
STREAM_MAX_BYTES = 8 * 1024 * 1024 * 1024


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
    """A document that must not be parsed (a DOCTYPE, an encoding the DOCTYPE check cannot read, or too large)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


_PROLOG_CHUNK_BYTES = 64 * 1024

#: How a document's first bytes show an encoding that is not ASCII byte for byte (XML 1.0,
#: appendix F): a byte-order mark, or ``<?`` in UTF-16/32. The codec reads the prolog, after
#: the mark's length in bytes; ``None`` is EBCDIC, which regframe does not check and so refuses.
_ENCODING_SIGNATURES: tuple[tuple[bytes, str | None, int], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xef\xbb\xbf", "utf-8", 3),
    (b"\x00\x00\x00\x3c", "utf-32-be", 0),
    (b"\x3c\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x3c\x00\x3f", "utf-16-be", 0),
    (b"\x3c\x00\x3f\x00", "utf-16-le", 0),
    (b"\x4c\x6f\xa7\x94", None, 0),
)
#: Everything else is read byte for byte (latin-1), which sees markup exactly in any encoding
#: that keeps ASCII as ASCII: UTF-8, ISO-8859-n, Windows-125n, Shift_JIS, GB18030...
_BYTE_FOR_BYTE = "latin-1"
#: Runs of whitespace, comments and processing instructions: what may stand between the XML
#: declaration, a DOCTYPE and the root element. Matched in one go, as the fast path.
_MISC = re.compile(r"(?:[ \t\r\n]+|<!--.*?-->|<\?.*?\?>)*", re.DOTALL)
_XML_DECLARATION = re.compile(r"<\?xml[ \t\r\n]")
_DECLARED_ENCODING = re.compile(r"""encoding[ \t\r\n]*=[ \t\r\n]*(["'])(.*?)\1""", re.DOTALL)
#: ASCII an encoding must read as ASCII for the byte-for-byte reading to see what libxml2 sees:
#: every byte (bar ``\``, an escape to some codecs), and the shifts of ISO-2022-JP/-KR, HZ and UTF-7.
_ASCII_PROBES = (
    bytes(range(0x80)).replace(b"\\", b""), b"\x1b$B<!\x1b(B", b"\x1b$)C\x0e<!\x0f", b"~{<!~}", b"+ADw-",
)


class _Unchecked(Exception):
    """The prolog cannot be read as libxml2 will read it (its encoding), so it cannot be checked."""


class _Prolog:
    """The decoded start of a document, read from a binary stream a chunk at a time.

    ``text[pos:]`` is what is still to be scanned. Text before ``pos`` is dropped whenever a
    chunk is added (its newlines counted first), so a prolog of any length is scanned in
    constant memory.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        first = stream.read(_PROLOG_CHUNK_BYTES)
        codec, mark = next(((c, m) for sig, c, m in _ENCODING_SIGNATURES if first.startswith(sig)),
                           (_BYTE_FOR_BYTE, 0))
        if codec is None:
            raise _Unchecked("the document is in EBCDIC, which regframe cannot check for a DOCTYPE; "
                             "save it as UTF-8")
        self.byte_for_byte = codec == _BYTE_FOR_BYTE
        self.decoder = codecs.getincrementaldecoder(codec)("replace")
        self.ended = not first
        self.text = self.decoder.decode(first[mark:], final=self.ended)
        self.pos = 0
        self.dropped_lines = 0

    def more(self) -> bool:
        """Add the next chunk to the text; False once the file has ended."""
        if self.ended:
            return False
        chunk = self.stream.read(_PROLOG_CHUNK_BYTES)
        self.ended = not chunk
        self.dropped_lines += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos:] + self.decoder.decode(chunk, final=self.ended)
        self.pos = 0
        return not self.ended

    def ahead(self, count: int) -> str:
        """The next ``count`` characters (fewer at the end of the file)."""
        while len(self.text) - self.pos < count and self.more():
            pass
        return self.text[self.pos:self.pos + count]

    def skip_misc(self) -> None:
        """Move past whitespace and complete comments and processing instructions."""
        while True:
            self.pos = _MISC.match(self.text, self.pos).end()  # type: ignore[union-attr]  # always matches
            if self.pos < len(self.text) or not self.more():
                return

    def skip_past(self, end: str) -> bool:
        """Move past the next ``end`` (``-->`` or ``?>``); False if the file ends first."""
        while (found := self.text.find(end, self.pos)) < 0:
            self.pos = max(self.pos, len(self.text) - len(end) + 1)
            if not self.more():
                return False
        self.pos = found + len(end)
        return True

    def line(self) -> int:
        """The line ``pos`` is on."""
        return self.dropped_lines + self.text.count("\n", 0, self.pos) + 1


def _check_declared_encoding(prolog: _Prolog) -> None:
    """Refuse an XML declaration naming an encoding that does not keep ASCII as ASCII.

    In a file without a byte-order mark, libxml2 switches to the declared encoding in the
    middle of the declaration, so in UTF-7, ISO-2022 or EBCDIC a DOCTYPE can be written
    in bytes that are not ``<!DOCTYPE``. Such files are refused rather than guessed at.
    """
    if not prolog.byte_for_byte or not _XML_DECLARATION.match(prolog.ahead(6)):
        return
    while (end := prolog.text.find("?>")) < 0 and prolog.more():
        if len(prolog.text) > _PROLOG_CHUNK_BYTES:  # pos is 0: nothing has been dropped
            raise _Unchecked("the XML declaration runs past 64 KB; regframe cannot check the document "
                             "for a DOCTYPE")
    for _quote, name in _DECLARED_ENCODING.findall(prolog.text, 0, end if end >= 0 else len(prolog.text)):
        try:
            kept = all(probe.decode(name) == probe.decode("ascii") for probe in _ASCII_PROBES)
        except (LookupError, UnicodeError):  # not an encoding Python knows, or not one that keeps ASCII
            kept = False
        if not kept:
            raise _Unchecked(f"the XML declaration names encoding {name!r}, in which regframe cannot check "
                             "the document for a DOCTYPE; save it as UTF-8")


def _prolog_problem(stream: IO[bytes], where: str) -> Diagnostic | None:
    """Walk the prolog, everything before the root element's start tag; say why it is unsafe, if it is.

    A DOCTYPE can only stand in the prolog, but the prolog has no length limit: comments,
    processing instructions and whitespace may come first, so a scan of a fixed number of
    bytes can be outrun, and a plain search is fooled by ``<!DOCTYPE`` or ``<root>`` written
    inside a comment. So the prolog is walked item by item, as the parser will read it:
    whitespace, ``<?...?>`` and ``<!--...-->`` are skipped; ``<!DOCTYPE`` is refused; any
    other ``<``, or anything else, ends the walk (the root has started, or lxml will reject
    the text itself). The walk stops there, so it costs the first few hundred bytes of a
    normal file however large; the stream is read in chunks and never held whole. UTF-16
    and UTF-32 are decoded first, and an encoding in which ``<!DOCTYPE`` could be written
    otherwise is refused, so the check cannot be dodged by encoding.
    """
    try:
        prolog = _Prolog(stream)
        _check_declared_encoding(prolog)
    except _Unchecked as unchecked:
        return make(XML_ENCODING_UNCHECKABLE, str(unchecked), Location(file=where, line=1))
    while True:
        prolog.skip_misc()
        head = prolog.ahead(9)
        if head.startswith("<!--"):
            prolog.pos += 4
            end = "-->"
        elif head.startswith("<?"):
            prolog.pos += 2
            end = "?>"
        elif head.upper() == "<!DOCTYPE":
            return make(XML_DOCTYPE_FORBIDDEN,
                        "document has a DOCTYPE declaration; regframe never processes DTDs or entities",
                        Location(file=where, line=prolog.line()))
        else:
            return None
        if not prolog.skip_past(end):  # a comment or instruction the file never closes: lxml reports it
            return None


def _check_stream(stream: IO[bytes], where: str) -> None:
    """Raise :class:`UnsafeXML` if the document read from ``stream`` is not safe to parse."""
    problem = _prolog_problem(stream, where)
    if problem is not None:
        raise UnsafeXML(problem)


def check_prolog(head: bytes | IO[bytes], where: str) -> None:
    """Raise :class:`UnsafeXML` if the document declares a DOCTYPE anywhere before its root element.

    ``head`` is the document's bytes (the scan stops at the root element, so passing the
    whole document costs no more than its prolog; a shorter ``head`` is checked only as far
    as it goes), or a binary stream positioned at its start, read in chunks until the root
    element starts; rewinding it is the caller's business.
    """
    _check_stream(io.BytesIO(head) if isinstance(head, (bytes, bytearray, memoryview)) else head, where)


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
        check_prolog(data, where)
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
            _check_stream(handle, str(path))
        stream: IO[bytes] = path.open("rb")
        close = True
    else:
        stream = source
        try:
            _check_stream(stream, getattr(stream, "name", "<stream>"))
        finally:
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


def pull_parser(*, events: tuple[str, ...] = ("end",), tag: str | tuple[str, ...] | None = None) -> Any:
    """A feed parser (``etree.XMLPullParser``) with every protection, for a caller that reads the bytes itself.

    A spreadsheet reader feeds a zip part chunk by chunk so that it can bound how much XML it
    holds and keep the events parsed before an error. The caller must refuse a DOCTYPE first,
    with :func:`check_prolog` on the same bytes: this parser would not expand entities or load a
    DTD, but the document is refused all the same. Whitespace is kept as written (a cell of spaces
    is a value).
    """
    return etree.XMLPullParser(
        events=events,
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


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


@functools.cache
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

