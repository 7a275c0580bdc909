"""The one place regframe parses XML, with every dangerous feature switched off.

Catalogues, revisions and evidence files may come from anyone, so the parser
never expands entities, never loads a DTD, never touches the network and
rejects any document that has a DOCTYPE at all (the billion-laughs and
external-entity attacks both need one). Size limits stop a huge file before
it is read, and limits on what is held stop it while it is read. All readers
go through :func:`parse_file`, :func:`iterparse_file`, :func:`pull_parser`, :func:`validate`
and :class:`ExpatStream`; nothing else in the package builds an ``XMLParser`` or
an expat parser.

Two parsers sit behind these. lxml (libxml2) builds trees and streams
elements for every reader but one. The evidence reader, which meets a million
flat records in one file, uses expat through :class:`ExpatStream`: it hands
each start tag's name, attributes and line to a callback without building
an element, which is what makes a national load cost about twice a bare
lxml parse rather than three times. Both get the same protections: the same
prolog check refuses a DOCTYPE before the parse starts, and the limits
libxml2 keeps without ``huge_tree`` (no tag or text over 10 MB, no nesting
deeper than 256) are kept for expat here and in its caller.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import pyexpat
import re
from collections.abc import Callable, Iterator
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


#: What every lxml parser here is built with: no entity expanded, no DTD loaded, no network, libxml2's
#: own limits on a tag and on nesting kept (``huge_tree`` off). The one place these are written.
PROTECTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**PROTECTIONS, remove_blank_text=False)


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
        except (LookupError, UnicodeError, ValueError):  # not an encoding Python knows (a NUL in its name
            kept = False                                  # is a ValueError), or not one that keeps ASCII
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


#: how much of a streamed file is given to the parser at a time (what lxml's own iterparse reads)
STREAM_CHUNK_BYTES = 32 * 1024


def _events(parser: Any, stream: Any) -> Iterator[tuple[str, Any]]:
    """The parser's events as the stream is fed to it; every event before a syntax error comes before it.

    lxml's own ``iterparse`` raises a syntax error as soon as the chunk holding it is parsed,
    dropping the events of that chunk it had not handed over yet, so the records just before
    a break were lost with it. A pull parser keeps them: they are yielded, then the error raised.
    Feeding stops at the first fatal error, so what it leaves are events before the break;
    closing a document cut short ends the elements still open to recover, and those ends are not
    handed over (the last of them is the broken element itself). An error libxml2 parses on from
    (:func:`_recovered_error`) ends the events where it stands too (:func:`_untouched`).
    """
    events = parser.read_events()
    while True:
        chunk = stream.read(STREAM_CHUNK_BYTES)
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except etree.XMLSyntaxError:
            recovered = _recovered_error(parser)
            if recovered is not None:  # an error before the fatal one: it is where the document went wrong
                yield from _until(events, recovered)
                raise recovered from None
            if chunk:
                yield from events
            raise
        recovered = _recovered_error(parser)
        if recovered is not None:
            yield from _until(events, recovered)
            raise recovered
        yield from events
        if not chunk:
            return


def _recovered_error(parser: Any) -> etree.XMLSyntaxError | None:
    """The first error libxml2 reported and parsed on from, as the syntax error it is.

    These are namespace errors: ``<:item/>``, a prefix never declared, ``xmlns=""`` on a prefix, a
    namespace name that is no URI (``xmlns="}x"``). libxml2 gives the element a tag or attribute
    name that is no qualified name, or one with a brace in its namespace, which lxml's ``QName``
    then refuses with ``ValueError``; and it says so only when the document is closed. regframe
    stops where the error is instead.
    """
    for entry in parser.feed_error_log:
        if entry.level == etree.ErrorLevels.ERROR:
            return etree.XMLSyntaxError(entry.message, entry.type, entry.line, entry.column, entry.filename)
    return None


def _until(events: Iterator[tuple[str, Any]], error: etree.XMLSyntaxError) -> Iterator[tuple[str, Any]]:
    """The events up to the first that an error libxml2 recovered from touches."""
    for event in events:
        if not _untouched(event, error.lineno or 0):
            return
        yield event


def _untouched(event: tuple[str, Any], line: int) -> bool:
    """Whether an event is untouched by a recovered error at ``line``: its element (at its end, everything
    inside it) starts no later than that line and has names lxml can read.

    Elements only know their line, not their column, so one on the error's own line passes when its
    names are good: a document written on one line keeps what came before its error.
    """
    kind, element = event
    if not isinstance(element, etree._Element):  # start-ns / end-ns
        return True
    inside = element.iter() if kind == "end" else (element,)
    try:
        for each in inside:
            if (each.sourceline or 0) > line:
                return False
            if isinstance(each.tag, str):
                etree.QName(each.tag)
            for name in each.attrib:
                etree.QName(name)
    except ValueError:  # a name libxml2 let through and lxml cannot read
        return False
    return True


@contextlib.contextmanager
def streaming(
    source: str | Path | IO[bytes],
    *,
    events: tuple[str, ...] = ("end",),
    tag: str | None = None,
    max_bytes: int = STREAM_MAX_BYTES,
    digest: Any | None = None,
) -> Iterator[Any]:
    """Open a large file for streaming with every protection, and hand over its ``(event, element)`` pairs.

    ``with streaming(path) as events: for event, element in events: ...`` costs one
    generator step per element beyond lxml's pull parser (measured level with lxml's own
    ``iterparse`` at a million elements). The caller must clear elements it has
    finished with (``elem.clear()`` and deleting earlier siblings) so memory
    stays flat. Raises :class:`UnsafeXML` for a DOCTYPE or an oversized file on
    entry, and lxml raises ``XMLSyntaxError`` for malformed XML part-way
    through (the caller reports it with its line), after every element
    completed before the break has been handed over. With ``digest`` (a
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
    parser = etree.XMLPullParser(events=events, tag=tag, **PROTECTIONS, remove_blank_text=True)
    try:
        yield _events(parser, reading)
    finally:
        if digest is not None:
            reading.drain()
        if close:
            stream.close()


#: What expat puts between a name's namespace and its local name (``urn:x-regframe:evidence:1}item``).
NS_SEPARATOR = "}"
#: libxml2's limits without ``huge_tree``, kept for expat: the most bytes a single tag, attribute value or
#: text may run to (XML_MAX_TEXT_LENGTH), and the deepest nesting (xmlParserMaxDepth).
MAX_PENDING_BYTES = 10_000_000
MAX_DEPTH = 256
_FEED_BYTES = 1 << 20
#: the expat handlers a stream or its caller may set (let go when the parse ends: :meth:`ExpatStream._let_go`)
_HANDLERS = ("StartElementHandler", "EndElementHandler", "CharacterDataHandler", "StartDoctypeDeclHandler",
             "EntityDeclHandler", "ProcessingInstructionHandler", "CommentHandler", "StartNamespaceDeclHandler",
             "EndNamespaceDeclHandler", "DefaultHandler", "DefaultHandlerExpand", "XmlDeclHandler")
#: The encodings expat reads itself. A document in any other (UTF-32, Shift_JIS, Windows-1252...) is
#: decoded by Python's codec and fed to expat as UTF-8, so expat reads every encoding lxml does.
_EXPAT_NATIVE = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "iso8859-1", "ascii"})


class NotWellFormed(Exception):
    """The document stopped being well-formed XML (or broke a limit on nesting) at ``line``."""

    def __init__(self, message: str, line: int | None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(f"{message} (line {line})")


def _codec_for_expat(head: bytes) -> str | None:
    """The Python codec to decode a document with before expat reads it, or None if expat reads its bytes.

    ``head`` is the document's first bytes, its prolog already checked (so the encoding is one that
    keeps ASCII as ASCII, or a byte-order mark or ``<?`` in UTF-16/32 said which).
    """
    for signature, codec, _mark in _ENCODING_SIGNATURES:
        if head.startswith(signature):
            return codec if codec is not None and codec.startswith("utf-32") else None
    text = head.decode(_BYTE_FOR_BYTE)
    if not _XML_DECLARATION.match(text):
        return None
    declared = _DECLARED_ENCODING.search(text, 0, max(text.find("?>"), 0))
    if declared is None:
        return None
    name = codecs.lookup(declared.group(2)).name  # a name Python does not know was refused with the prolog
    return None if name in _EXPAT_NATIVE else name


class ExpatStream:
    """A file fed to an expat parser a chunk at a time, with every protection; the caller sets the handlers.

    ``stream = ExpatStream(path)``, then set ``stream.parser.StartElementHandler`` (it gets
    the name, namespace and local name joined by :data:`NS_SEPARATOR`, and the attributes as
    a flat list ``[name, value, name, value, ...]``), then :meth:`run`. Before a byte is
    parsed the file's size is checked and its prolog walked for a DOCTYPE, exactly as for
    lxml (:class:`UnsafeXML` from the constructor); a DOCTYPE or entity declaration met by
    expat all the same is refused too. While it runs, :meth:`run` counts the bytes (a file
    that grows past ``max_bytes`` stops there, :class:`UnsafeXML`) and what expat holds
    unparsed: a tag, attribute value or text longer than ``max_pending`` bytes stops it
    (:class:`NotWellFormed`, as libxml2 without ``huge_tree`` stops at 10 MB). Malformed XML
    raises :class:`NotWellFormed` with expat's message and line. With ``digest`` (a
    ``hashlib`` object), every byte of the file is fed to it, including any after the parse
    stopped, so the caller gets the file's hash without reading it twice.
    """

    def __init__(self, path: str | Path, *, max_bytes: int = STREAM_MAX_BYTES,
                 max_pending: int | None = None, digest: Any | None = None) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self.max_bytes = max_bytes
        self.max_pending = MAX_PENDING_BYTES if max_pending is None else max_pending
        self.digest = digest
        _check_size(self.path, max_bytes)
        with self.path.open("rb") as handle:
            _check_stream(handle, self.where)
            handle.seek(0)
            self.codec = _codec_for_expat(handle.read(_PROLOG_CHUNK_BYTES))
        # a transcoded document reaches expat as UTF-8, whatever its declaration says
        parser = pyexpat.ParserCreate("utf-8" if self.codec else None, namespace_separator=NS_SEPARATOR)
        parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.ordered_attributes = True
        self.parser = parser

    def _transcoder(self) -> Callable[[bytes, bool], bytes] | None:
        """For a document expat cannot read itself: bytes in its encoding to UTF-8, a chunk at a time.

        Bytes that are not in the encoding are decoded to lone surrogates (``surrogateescape``),
        so the UTF-8 encoding stops at the first of them: what came before it is parsed (its
        records kept) and :class:`NotWellFormed` names the line it is on.
        """
        if self.codec is None:
            return None
        codec = self.codec
        decode = codecs.getincrementaldecoder(codec)("surrogateescape").decode
        lines = 0

        def transcode(chunk: bytes, final: bool) -> bytes:
            nonlocal lines
            text = decode(chunk, final)
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError as error:
                self.parser.Parse(text[:error.start].encode("utf-8"), False)
                raise NotWellFormed(f"bytes that are not {codec}", lines + text.count("\n", 0, error.start) + 1) from None
            lines += text.count("\n")
            return data

        return transcode

    def _doctype(self, *_declared: Any) -> None:
        raise UnsafeXML(make(XML_DOCTYPE_FORBIDDEN,
                             "document has a DOCTYPE declaration; regframe never processes DTDs or entities",
                             Location(file=self.where, line=self.parser.CurrentLineNumber)))

    def run(self) -> None:
        """Parse the whole file, calling the handlers; raises :class:`NotWellFormed`, :class:`UnsafeXML`, ``OSError``."""
        parser = self.parser
        feed = parser.Parse
        read = fed = 0
        with self.path.open("rb") as stream:
            try:
                transcode = self._transcoder()
                while True:
                    chunk = stream.read(_FEED_BYTES)
                    if self.digest is not None:
                        self.digest.update(chunk)
                    read += len(chunk)
                    if read > self.max_bytes:
                        raise UnsafeXML(make(XML_TOO_LARGE, f"file grew past the limit of {self.max_bytes:,} bytes "
                                             "while it was read", Location(file=self.where,
                                                                           line=parser.CurrentLineNumber)))
                    final = not chunk
                    data = chunk if transcode is None else transcode(chunk, final)
                    fed += len(data)
                    feed(data, final)
                    if final:
                        return
                    if fed - parser.CurrentByteIndex > self.max_pending:
                        raise NotWellFormed(f"a tag, attribute value or text runs past {self.max_pending:,} bytes",
                                            parser.CurrentLineNumber)
            except pyexpat.ExpatError as error:
                raise NotWellFormed(pyexpat.ErrorString(error.code), error.lineno, error.offset) from None
            finally:
                if self.digest is not None:
                    for block in iter(lambda: stream.read(_FEED_BYTES), b""):
                        self.digest.update(block)
                self._let_go()

    def _let_go(self) -> None:
        """Drop the handlers once the parse is over, done or not.

        A handler refers to the parser (for its line numbers) and to whatever its reader keeps
        (the ids of a million items, its caches): a reference cycle, which only a full collection
        would free, perhaps long after the read. Without the handlers it is freed at once.
        """
        parser = self.parser
        for name in _HANDLERS:
            setattr(parser, name, None)


def pull_parser(*, events: tuple[str, ...] = ("end",), tag: str | tuple[str, ...] | None = None) -> Any:
    """A feed parser (``etree.XMLPullParser``) with every protection, for a caller that reads the bytes itself.

    A spreadsheet reader feeds a zip part chunk by chunk so that it can bound how much XML it
    holds and keep the events parsed before an error. The caller must refuse a DOCTYPE first,
    with :func:`check_prolog` on the same bytes: this parser would not expand entities or load a
    DTD, but the document is refused all the same. Whitespace is kept as written (a cell of spaces
    is a value).
    """
    return etree.XMLPullParser(events=events, tag=tag, **PROTECTIONS, remove_blank_text=False)


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

