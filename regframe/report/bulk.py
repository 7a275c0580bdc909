"""Long tables streamed straight into a workbook's sheet XML, after openpyxl has written the rest.

openpyxl's write-only mode costs about 7 µs a cell; a national run has one to
two million gap rows of thirteen cells, which would take two minutes. So the
workbook is built in two steps. openpyxl writes the *frame*: every sheet,
styles, header rows, column widths, frozen panes, tables, conditional
formats, charts, print settings. Then :func:`splice` copies the frame's zip
entry by entry and, for each :class:`BulkSheet`, inserts its data rows
between the header row and ``</sheetData>``, rendered here as plain XML
and compressed on a second thread while the next chunk is rendered. Text
that repeats (names, refs, statuses) goes into a shared-string table that
this module adds to the package; other text is written inline, as openpyxl
writes all text.

Text goes through :func:`regframe.io.xlsxcells.safe_text` like every other cell
(by way of :func:`cell_text`, which also cuts text to Excel's 32,767 characters):
text a spreadsheet would read as a formula is stored as a string with the
quote-prefix style, never as ``<f>``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.utils import get_column_letter

from regframe.io.xlsxcells import safe_text

#: Excel refuses a workbook with a cell longer than this.
MAX_CELL_CHARS = 32_767
TRUNCATED = " [... truncated: the JSON report has the full text]"


def cell_text(value: Any) -> str | CellRichText:
    """:func:`~regframe.io.xlsxcells.safe_text`, cut to what one cell may hold (saying so)."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATED)] + TRUNCATED
    return safe_text(text)

#: Compression for the bulk sheet parts: level 1 is about twice as fast as the
#: default 6 on this kind of XML and the file is about a third larger.
COMPRESSLEVEL = 1
_CHUNK_ROWS = 2_000
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DIMENSION = re.compile(rb"<dimension ref=\"[^\"]*\"\s*/>")


class Styled(NamedTuple):
    """A cell value with a style of its own (a rating fill, say), overriding its column's style."""

    value: Any
    style: str


class StyleBook:
    """Cell styles made through openpyxl before the frame is saved, so the bulk rows can name them by xf id.

    Every style is registered twice: as given, and with the quote prefix set
    (for text that would otherwise read as a formula).
    """

    def __init__(self, worksheet: Any) -> None:
        self._worksheet = worksheet
        self._ids: dict[tuple[str, bool], int] = {}
        self.add("_plain")

    def add(self, name: str, **attributes: Any) -> None:
        """Register ``name`` with openpyxl style attributes (font, fill, alignment, number_format, border)."""
        for quoted in (False, True):
            cell = WriteOnlyCell(self._worksheet)
            for key, value in attributes.items():
                setattr(cell, key, value)
            if quoted:
                cell.quotePrefix = True
            self._ids[(name, quoted)] = cell.style_id

    def id(self, name: str | None, quoted: bool = False) -> int | None:
        if name is None:
            return self._ids[("_plain", True)] if quoted else None
        return self._ids[(name, quoted)]


class BulkSheet:
    """Data rows for one worksheet whose header row openpyxl has already written.

    ``rows`` is called once, at splice time, and yields sequences of cell
    values (``None`` leaves a cell empty; a :class:`Styled` value carries its
    own style). ``styles`` gives each column's style name, or ``None``.
    ``wrap`` gives the width of each column whose text wraps: a row whose
    text needs more than one line there gets an explicit height, because
    neither Excel nor LibreOffice reliably fits row heights on opening.
    ``shared`` marks the columns whose text repeats (names, refs, statuses):
    their strings go into the workbook's shared-string table, written once;
    the rest are written inline in the cell.
    """

    def __init__(self, worksheet: Any, rows: Callable[[], Iterable[Sequence[Any]]], styles: Sequence[str | None],
                 first_row: int = 2, count: int | None = None, wrap: dict[int, float] | None = None,
                 shared: Iterable[int] = ()) -> None:
        self.worksheet = worksheet
        self.rows = rows
        self.styles = tuple(styles)
        self.first_row = first_row
        self.count = count
        self.wrap = dict(wrap or {})
        self.shared = frozenset(shared)

    @property
    def part(self) -> str:
        """The sheet's part name in the zip; openpyxl assigns it when it saves."""
        return self.worksheet.path.lstrip("/")


class SharedStrings:
    """The workbook's shared-string table (openpyxl writes none: it puts every string inline)."""

    PART = "xl/sharedStrings.xml"
    CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> Iterator[bytes]:
        yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
               f'uniqueCount="{len(self.index)}">').encode()
        buffer = []
        for text in self.index:  # insertion order is index order
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            buffer.append(f"<si><t{space}>{_escape(text)}</t></si>")
            if len(buffer) >= 10_000:
                yield "".join(buffer).encode("utf-8", "replace")
                buffer = []
        buffer.append("</sst>")
        yield "".join(buffer).encode("utf-8", "replace")

    def register(self, content_types: bytes, workbook_rels: bytes) -> tuple[bytes, bytes]:
        """The package's content types and workbook relationships with the table added."""
        override = f'<Override PartName="/{self.PART}" ContentType="{self.CONTENT_TYPE}"/>'.encode()
        relationship = f'<Relationship Id="rIdSharedStrings" Type="{self.RELATIONSHIP}" Target="/{self.PART}"/>'
        return (content_types.replace(b"</Types>", override + b"</Types>", 1),
                workbook_rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>", 1))


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class _Renderer:
    """Turns rows of values into ``<row>`` XML for one sheet.

    A cell is ``'<c r="' + column + row + rest``, where ``rest`` depends only
    on the column and the value, so it is cached per column for short values
    (names, refs, statuses repeat on every row), together with the number of
    lines the value needs if its column wraps.
    """

    _CACHE_LIMIT = 50_000
    _CACHEABLE_LENGTH = 120

    def __init__(self, sheet: BulkSheet, book: StyleBook, strings: SharedStrings) -> None:
        self.sheet = sheet
        self.book = book
        self.strings = strings
        count = len(sheet.styles)
        self.prefixes = [f'<c r="{get_column_letter(i)}' for i in range(1, count + 1)]
        self.column_ids = [book.id(name) for name in sheet.styles]
        self.column_quoted = [book.id(name, quoted=True) for name in sheet.styles]
        self.per_line = [max(1, int(sheet.wrap[i] * 1.2)) if i in sheet.wrap else 0 for i in range(count)]
        self.caches: list[dict[Any, tuple[str, int]]] = [{} for _ in range(count)]
        self.indexes = range(count)
        self.last_row = sheet.first_row - 1

    def _fragment(self, index: int, value: Any) -> tuple[str, int] | None:
        """The cell after its reference, and the lines it needs; ``None`` for an empty cell."""
        if type(value) is Styled:
            value, style_name = value
            if value is None:
                return None
            style, quoted_style = self.book.id(style_name), self.book.id(style_name, True)
        else:
            style, quoted_style = self.column_ids[index], self.column_quoted[index]
        lines = 1
        if isinstance(value, str) or not isinstance(value, (bool, int, float, dt.date)):
            safe = cell_text(value)
            text = str(safe)
            if not text:
                return None
            if isinstance(safe, CellRichText):
                style = quoted_style
            per_line = self.per_line[index]
            if per_line and (len(text) > per_line or "\n" in text):
                lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
            s = f' s="{style}"' if style is not None else ""
            if index in self.sheet.shared:
                return f'"{s} t="s"><v>{self.strings.add(text)}</v></c>', lines
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            return f'"{s} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>', lines
        s = f' s="{style}"' if style is not None else ""
        if isinstance(value, bool):
            return f'"{s} t="b"><v>{int(value)}</v></c>', 1
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                return None
            return f'"{s}><v>{value!r}</v></c>', 1
        day = value.date() if isinstance(value, dt.datetime) else value
        return f'"{s}><v>{(day - _EXCEL_EPOCH).days}</v></c>', 1

    def render(self, row_number: int, values: Sequence[Any]) -> str:
        r = str(row_number)
        parts = []
        lines = 1
        for index, prefix, cache, value in zip(self.indexes, self.prefixes, self.caches, values, strict=False):
            if value is None:
                continue
            found = cache.get(value)
            if found is None:
                found = self._fragment(index, value)
                if found is None:
                    continue
                if not isinstance(value, str) or len(value) <= self._CACHEABLE_LENGTH:
                    if len(cache) >= self._CACHE_LIMIT:
                        cache.clear()
                    cache[value] = found
            fragment, needed = found
            if needed > lines:
                lines = needed
            parts.append(prefix + r + fragment)
        if lines > 1:
            return f'<row r="{r}" ht="{min(409, 15 * lines)}" customHeight="1">' + "".join(parts) + "</row>"
        return f'<row r="{r}">' + "".join(parts) + "</row>"

    def chunks(self) -> Iterator[bytes]:
        row_number = self.sheet.first_row
        buffer: list[str] = []
        for values in self.sheet.rows():
            buffer.append(self.render(row_number, values))
            row_number += 1
            if len(buffer) >= _CHUNK_ROWS:
                yield "".join(buffer).encode("utf-8", "replace")
                buffer = []
        if buffer:
            yield "".join(buffer).encode("utf-8", "replace")
        self.last_row = row_number - 1


class _Writer:
    """Writes chunks to a zip entry on a second thread: zlib releases the GIL, so compression overlaps rendering."""

    _DONE = object()

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="regframe-xlsx-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is self._DONE:
                return
            if self.error is None:
                try:
                    self.stream.write(item)
                except BaseException as error:  # noqa: BLE001 - handed back to the caller
                    self.error = error

    def write(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(data)

    def close(self) -> None:
        self.queue.put(self._DONE)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _write_bulk(source: bytes, renderer: _Renderer, target: Any) -> None:
    closing = source.rfind(b"</sheetData>")
    if closing < 0:
        empty = source.find(b"<sheetData/>")
        if empty < 0:
            raise ValueError(f"{renderer.sheet.part} has no sheetData element")
        head, tail = source[:empty] + b"<sheetData>", b"</sheetData>" + source[empty + len(b"<sheetData/>"):]
    else:
        head, tail = source[:closing], source[closing:]
    writer = _Writer(target)
    try:
        # the dimension is fixed up afterwards only if openpyxl wrote one; the count is known beforehand
        if renderer.sheet.count is not None:
            last = renderer.sheet.first_row - 1 + renderer.sheet.count
            columns = get_column_letter(max(len(renderer.sheet.styles), 1))
            head = _DIMENSION.sub(f'<dimension ref="A1:{columns}{max(last, 1)}"/>'.encode(), head, count=1)
        writer.write(head)
        for chunk in renderer.chunks():
            writer.write(chunk)
        writer.write(tail)
    finally:
        writer.close()
    if renderer.sheet.count is not None and renderer.last_row - renderer.sheet.first_row + 1 != renderer.sheet.count:
        raise AssertionError(
            f"{renderer.sheet.worksheet.title}: {renderer.last_row - renderer.sheet.first_row + 1} rows written, "
            f"{renderer.sheet.count} announced"
        )


#: Every zip entry gets this timestamp, so the same report is the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    # a ZipInfo does not take the ZipFile's compresslevel: without this every part is deflated at level 6
    try:
        info.compress_level = COMPRESSLEVEL  # type: ignore[attr-defined]  # Python 3.13+
    except AttributeError:
        info._compresslevel = COMPRESSLEVEL  # type: ignore[attr-defined]
    info.external_attr = 0o600 << 16
    return info


def splice(frame: bytes, sheets: Sequence[BulkSheet], book: StyleBook, destination: Path,
           replace: dict[str, bytes] | None = None) -> None:
    """Write ``destination``: the frame workbook with each bulk sheet's rows inserted.

    ``replace`` gives new contents for whole entries (the core properties,
    whose timestamps openpyxl sets to the time of saving).
    """
    by_part = {sheet.part: sheet for sheet in sheets}
    replace = replace or {}
    strings = SharedStrings()
    # the package parts that must name the shared-string table are written last, once it is known
    deferred: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(frame)) as source, zipfile.ZipFile(
        destination, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL, allowZip64=True,
    ) as target:
        names = set(source.namelist())
        if SharedStrings.PART in names:
            raise ValueError("the frame workbook already has a shared-string table")
        for info in source.infolist():
            data = replace.get(info.filename) or source.read(info)
            sheet = by_part.get(info.filename)
            if info.filename in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                deferred[info.filename] = data
            elif sheet is None:
                target.writestr(_entry(info.filename), data)
            else:
                with target.open(_entry(info.filename), "w", force_zip64=True) as stream:
                    _write_bulk(data, _Renderer(sheet, book, strings), stream)
        if strings.index:
            types, rels = strings.register(deferred["[Content_Types].xml"], deferred["xl/_rels/workbook.xml.rels"])
            deferred = {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}
            with target.open(_entry(SharedStrings.PART), "w", force_zip64=True) as stream:
                for chunk in strings.xml():
                    stream.write(chunk)
        for name, data in deferred.items():
            target.writestr(_entry(name), data)
