"""Reading an xlsx workbook row by row, in bounded memory, with every failure a diagnostic.

This is regframe's one reader of xlsx input (LA returns, Annex A). It streams each
sheet's XML straight from the zip with lxml (:mod:`regframe.io.partxml`), so that:

* **nothing a damaged file can raise escapes.** openpyxl reads rows lazily and fails
  while a caller iterates them, with whatever its parser met: ``ParseError`` for a
  duplicated attribute, ``ValueError`` for a non-numeric ``<v>`` or a text style index,
  ``IndexError`` for a style index out of range, ``TypeError`` for an unexpected
  ``sheetPr`` attribute, ``zlib.error`` or ``BadZipFile`` for corrupt data. Here every
  such case is a diagnostic with ``file!sheet!cell`` or ``file!sheet!row N``: a cell that
  cannot be read as the file says is RF403 (a warning; the value is not read, the row
  and the sheet go on), damage that stops the XML is RF402 (an error at the row where
  it was met; the rows before are kept, nothing after is read);
* **limits hold while streaming** (:class:`~regframe.io.xlsxsafe.Limits`, checked by
  RF404): a row numbered past Excel's last row (1,048,576) or a sheet of more rows
  refuses the sheet before any row is handed over, from a first pass that parses the
  rows without decoding them (so a return of two million rows is refused in seconds,
  not after a million rows of work); a cell past column XFD (16,384) or longer than
  32,767 characters, and a row whose values exceed 4 Mi characters, are not read; a
  row's XML (or what comes before the first row) over 4 MiB stops the sheet. Rows are
  numbered by their ``r`` attribute and gaps are never filled in, so a row numbered
  10,000,000 costs what one row costs;
* **values are openpyxl's.** A cell reads as openpyxl's read-only, cached-values mode
  would read it (numbers as ``int`` or ``float``, numbers in a date format as
  ``datetime``, shared and inline strings, booleans, error strings such as ``#N/A``),
  checked against openpyxl on real workbooks by the tests. Formulas are never
  evaluated: their cached value is read, and one that refers to another workbook is
  named (RF406).

Before any sheet is read the workbook passes :func:`~regframe.io.xlsxsafe.check_archive`
(sizes, ratios, a DOCTYPE in any part) and :func:`~regframe.io.xlsxactive.scan`
(macros and links, named). The workbook part is ``xl/workbook.xml``, as every
spreadsheet program writes it; ISO strict-namespace workbooks are not read.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.io import partxml, xlsxactive, xmlsafe
from regframe.io.partxml import PartError
from regframe.io.xlsxsafe import (
    DEFAULT_LIMITS,
    NOT_A_WORKBOOK,
    PART_DAMAGED,
    WORKBOOK_TOO_LARGE,
    Limits,
    damaged_parts,
    open_checked,
)
from regframe.io.zipsafe import ZIP_ERRORS, PartStream, ZipDamage, part_info

CELL_DAMAGED = code(
    "RF403", Severity.WARNING, "workbook cell or row cannot be read as the file describes it",
    "The XML of a cell or row says something no spreadsheet program writes: a number cell whose value is not a "
    "number, a reference to a shared string or a style the workbook does not have, a style index or row number "
    "that is not a whole number, a cell reference such as '-', a cell or row out of order, an unknown cell type. "
    "The message says what was done: the cell's value is not read (so the row is read without it, and the "
    "reader reports the cell as it would an empty one only if it needed it), or the value is read without its "
    "number format, or the row is not read. Save the file again from Excel or LibreOffice.",
)
SHEET_LIMIT = code(
    "RF404", Severity.ERROR, "sheet exceeds a limit; what is past it was not read",
    "Limits held while a sheet streams: at most 1,048,576 rows (Excel's last row; a row numbered beyond it, or "
    "more rows than that, refuses the whole sheet before any of it is read), 16,384 columns (Excel's last "
    "column, XFD), 32,767 characters in a cell (Excel's limit), 4 Mi characters in one row's values, and 4 MiB "
    "of XML for one row or for what comes before the first row. A cell over a limit is not read; a row whose "
    "values are too long is not read; a row whose XML is too large stops the sheet there. Real returns stay far "
    "below: a file that claims more is treated as hostile. The API's ``limits`` argument raises them for a "
    "trusted file.",
)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = (_MAIN + name for name in ("row", "c", "v", "f", "is"))
_TEXT, _RUN, _SHEET_DATA = _MAIN + "t", _MAIN + "r", _MAIN + "sheetData"
_WORKBOOK_PART = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
#: a reference to another workbook in a stored formula: [1]Sheet1!A1, '[2]My sheet'!B2 (not Table1[2020])
_EXTERNAL_REFERENCE = re.compile(r"(?<![\w.\]])\[[1-9][0-9]*\]")
_DIGITS = frozenset("0123456789")


class Sink(Protocol):
    """Where diagnostics go: a list, or a :class:`~regframe.core.diagnostics.Diagnostics` collector."""

    def append(self, diagnostic: Diagnostic, /) -> None: ...


class Cell:
    """One cell's value (as openpyxl's read-only mode gives it) and number format.

    ``damaged`` is true when the file said something about the cell that cannot be read (RF403 or
    RF404 was reported); its value is then ``None``.
    """

    __slots__ = ("value", "number_format", "damaged")

    def __init__(self, value: Any, number_format: str = "General", damaged: bool = False) -> None:
        self.value = value
        self.number_format = number_format
        self.damaged = damaged

    def __repr__(self) -> str:
        return f"Cell({self.value!r}, {self.number_format!r}{', damaged' if self.damaged else ''})"


#: (row number, cells by 0-based column index); cells with no value are left out
RowCells = tuple[int, dict[int, Cell]]


class _Style:
    __slots__ = ("number_format", "is_date", "is_timedelta")

    def __init__(self, number_format: str) -> None:
        self.number_format = number_format
        self.is_date = is_date_format(number_format)
        self.is_timedelta = is_timedelta_format(number_format)


_GENERAL = _Style("General")


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class Book:
    """A checked workbook, opened for streaming; use as a context manager or call :meth:`close`.

    ``sheets`` are its worksheets in workbook order, hidden ones included (chart and dialog sheets
    hold no cells and are left out). Every problem met while streaming goes to the sink given to
    :func:`open_book`, each once however often a sheet is read.
    """

    def __init__(self, archive: zipfile.ZipFile, path: Path, sink: Sink, limits: Limits) -> None:
        self.archive = archive
        self.path = path
        self.limits = limits
        self.sheets: tuple[Sheet, ...] = ()
        #: the day zero of serial dates, as openpyxl gives it (1899-12-30, or 1904-01-01 for old Mac files)
        self.epoch: dt.datetime = WINDOWS_EPOCH
        self._sink = sink
        self._reported: set[Diagnostic] = set()
        self._styles: list[_Style] = []
        self._shared: list[str | None] = []

    def report(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self._reported:
            self._reported.add(diagnostic)
            self._sink.append(diagnostic)

    def part(self, name: str) -> PartStream:
        return PartStream(self.archive, part_info(self.archive, name))

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def where(self, sheet: str | None = None, *, cell: str | None = None, row: int | None = None,
              part: str | None = None) -> Location:
        return Location(file=str(self.path), sheet=sheet, cell=cell, row=row, path=part)


def open_book(path: str | Path, sink: Sink, limits: Limits = DEFAULT_LIMITS) -> Book | None:
    """Check and open a workbook for streaming; ``None`` (with the reasons in ``sink``) if it cannot be read.

    Never raises for bad input. The macros and links it carries are reported to ``sink`` first.
    """
    path = Path(path)
    archive, problems = open_checked(path, limits)
    for problem in problems:
        sink.append(problem)
    if archive is None:
        return None
    book = Book(archive, path, sink, limits)
    try:
        scans = {name: RowScan(limits.max_rows) for name in archive.namelist() if _SHEET_PART.fullmatch(name)}
        damaged = damaged_parts(archive, scans)
        for found in xlsxactive.scan(archive, path, damaged):
            book.report(found)
        _load(book, damaged, scans)
    except _Refused as refused:
        book.report(refused.diagnostic)
        archive.close()
        return None
    except BaseException:
        archive.close()
        raise
    return book


#: everything that can stop the sheet names being read: the file is then not recognised, and refusal() says why
_UNREADABLE: tuple[type[BaseException], ...] = (ZipDamage, PartError, xmlsafe.UnsafeXML, *ZIP_ERRORS)


def sheet_names(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The sheet names ``xl/workbook.xml`` lists, for recognising a workbook; ``[]`` if they cannot be read."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            info = part_info(archive, _WORKBOOK_PART)
            if info.file_size > limits.max_meta_part_bytes:
                return []
            with PartStream(archive, info) as stream:
                return [element.get("name") or "" for element in partxml.flat_elements(stream)
                        if element.tag == _MAIN + "sheet"]
    except _UNREADABLE:
        return []


def refusal(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Diagnostic | None:
    """Why an xlsx workbook cannot be read (its first error), for a file no reader recognised; else ``None``.

    Only a zip holding ``xl/workbook.xml`` is judged: another zip is simply not a format regframe reads.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if _WORKBOOK_PART not in archive.namelist():
                return None
    except ZIP_ERRORS:
        return None
    problems: list[Diagnostic] = []
    book = open_book(path, problems, limits)
    if book is not None:
        book.close()
    return next((problem for problem in problems if problem.is_error), None)


# ---------------------------------------------------------------- the workbook's own parts


def _read_flat(book: Book, name: str, what: str) -> Iterator[Any]:
    """The elements of a small part, every failure refusing the workbook (RF400 / RF402 / RF102)."""
    try:
        with book.part(name) as stream:
            yield from partxml.flat_elements(stream)
    except xmlsafe.UnsafeXML as unsafe:
        raise _Refused(partxml.unsafe_in_part(unsafe, str(book.path), name)) from None
    except PartError as error:
        raise _Refused(make(PART_DAMAGED, f"{error.describe()}; without {what} the workbook cannot be read",
                            book.where(part=name))) from None
    except ZipDamage as damage:
        raise _Refused(make(NOT_A_WORKBOOK, f"{damage.message}; without {what} the workbook cannot be read",
                            book.where(part=name))) from None


def _resolve(target: str) -> str:
    """A relationship target of the workbook part as a part name (``worksheets/sheet1.xml`` -> ``xl/...``)."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join("xl", target))


def _refuse_damaged(book: Book, damaged: dict[str, str], part: str, what: str) -> None:
    if part in damaged:
        raise _Refused(make(PART_DAMAGED, f"{damaged[part]}; without {what} the workbook cannot be read",
                            book.where(part=part)))


def _load(book: Book, damaged: dict[str, str], scans: dict[str, RowScan]) -> None:
    """Read the workbook's relationships, sheet list, styles and shared strings; :class:`_Refused` if it cannot be read."""
    relationships: dict[str, tuple[str, str]] = {}  # id -> (type, part)
    names = set(book.archive.namelist())
    if _WORKBOOK_RELS not in names:
        raise _Refused(make(NOT_A_WORKBOOK, f"{book.path.name} has no {_WORKBOOK_RELS}, which says where its "
                                            "sheets are", book.where(part=_WORKBOOK_RELS)))
    _refuse_damaged(book, damaged, _WORKBOOK_RELS, "the workbook's relationships")
    _refuse_damaged(book, damaged, _WORKBOOK_PART, "its sheet list")
    for element in _read_flat(book, _WORKBOOK_RELS, "the workbook's relationships"):
        if element.tag == _PACKAGE_RELATIONSHIP and (element.get("TargetMode") or "").lower() != "external":
            kind = (element.get("Type") or "").rsplit("/", 1)[-1]
            relationships[element.get("Id") or ""] = (kind, _resolve(element.get("Target") or ""))
    listed: list[tuple[str, str]] = []
    for element in _read_flat(book, _WORKBOOK_PART, "its sheet list"):
        if element.tag == _MAIN + "sheet":
            listed.append((element.get("name") or "", element.get(_RELS_NS + "id") or ""))
        elif element.tag == _MAIN + "workbookPr" and (element.get("date1904") or "").lower() in ("1", "true"):
            book.epoch = MAC_EPOCH
    if len(listed) > book.limits.max_sheets:
        raise _Refused(make(WORKBOOK_TOO_LARGE, f"the workbook lists {len(listed):,} sheets; the limit is "
                                                f"{book.limits.max_sheets}", book.where()))
    parts = {kind: part for kind, part in relationships.values() if kind in ("styles", "sharedStrings")}
    if "styles" in parts and parts["styles"] in names:
        _refuse_damaged(book, damaged, parts["styles"], "its styles")
        book._styles = _styles(book, parts["styles"])
    if "sharedStrings" in parts and parts["sharedStrings"] in names:
        _refuse_damaged(book, damaged, parts["sharedStrings"], "its shared strings")
        book._shared = _shared_strings(book, parts["sharedStrings"])
    sheets = []
    for title, rid in listed:
        kind, part = relationships.get(rid, ("", ""))
        if kind and kind != "worksheet":
            continue  # a chart sheet, dialog sheet or macro sheet (named by xlsxactive): no cells to read
        if part not in names:
            book.report(make(PART_DAMAGED, f"sheet {title!r} names part {part or '(none)'}, which the file does not "
                                           "hold; the sheet was not read", book.where(title)))
            continue
        sheet = Sheet(book, title, part)
        if part in damaged:
            sheet.refuse(make(PART_DAMAGED, f"{damaged[part]}; the sheet was not read", book.where(title)))
        elif part in scans:
            sheet.judge(scans[part])
        sheets.append(sheet)
    book.sheets = tuple(sheets)
    read = {_WORKBOOK_PART, _WORKBOOK_RELS, *parts.values(), *(sheet.part for sheet in sheets)}
    for part, message in sorted(damaged.items()):
        if part not in read:
            book.report(make(PART_DAMAGED, f"{message}; regframe reads nothing from it, so nothing was lost",
                             book.where(part=part), severity=Severity.WARNING))


def _styles(book: Book, name: str) -> list[_Style]:
    """Each cell style's number format, by index (``<cellXfs>``), as openpyxl resolves them."""
    custom: dict[int, str] = {}
    ids: list[str] = []
    for element in _read_flat(book, name, "its styles"):
        if element.tag == _MAIN + "numFmt":
            number = element.get("numFmtId") or ""
            if _is_index(number):
                custom[int(number)] = element.get("formatCode") or ""
        elif element.tag == _MAIN + "xf":
            parent = element.getparent()
            if parent is not None and parent.tag == _MAIN + "cellXfs":
                ids.append(element.get("numFmtId") or "0")
    styles: list[_Style] = []
    known: dict[str, _Style] = {}
    for index, number in enumerate(ids):
        if not _is_index(number):
            book.report(make(CELL_DAMAGED, f"part {name}: cell style {index} names number format {number[:40]!r}, "
                                           "which is not a number; cells in that style are read as General",
                             book.where(part=name)))
            number = "0"
        fmt = custom.get(int(number)) or BUILTIN_FORMATS.get(int(number)) or "General"
        styles.append(known.get(fmt) or known.setdefault(fmt, _Style(fmt)))
    return styles


def _shared_strings(book: Book, name: str) -> list[str | None]:
    """The shared strings table, as openpyxl reads it, within the limits (``None`` for one too long)."""
    limits = book.limits
    strings: list[str | None] = []
    total = 0
    ended = 0  # bytes read when the last string ended
    try:
        with book.part(name) as stream:
            for events, position in partxml.chunks(stream, tag=_MAIN + "si"):
                for _event, element in events:
                    text = _rich_text(element).replace("x005F_", "")
                    partxml.release(element)
                    total += len(text)
                    strings.append(text if len(text) <= limits.max_cell_chars else None)
                    if len(strings) > limits.max_shared_strings or total > limits.max_shared_chars:
                        raise _Refused(make(WORKBOOK_TOO_LARGE, f"part {name}: the shared strings table holds more "
                                            f"than {limits.max_shared_strings:,} strings or "
                                            f"{limits.max_shared_chars:,} characters; the workbook was not read",
                                            book.where(part=name)))
                    ended = position
                if position - ended > limits.max_row_bytes:
                    raise _Refused(make(WORKBOOK_TOO_LARGE, f"part {name}: string {len(strings)} takes more than "
                                        f"{limits.max_row_bytes:,} bytes of XML; the workbook was not read",
                                        book.where(part=name)))
    except xmlsafe.UnsafeXML as unsafe:
        raise _Refused(partxml.unsafe_in_part(unsafe, str(book.path), name)) from None
    except PartError as error:
        raise _Refused(make(PART_DAMAGED, f"{error.describe()}; without its shared strings the workbook cannot "
                                          "be read", book.where(part=name))) from None
    except ZipDamage as damage:
        raise _Refused(make(NOT_A_WORKBOOK, damage.message, book.where(part=name))) from None
    return strings


def _rich_text(element: Any) -> str:
    """The text of an ``<si>`` or ``<is>``: its plain ``<t>`` and each run's ``<t>``; phonetic runs left out."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            text = child.find(_TEXT)
            if text is not None:
                parts.append(text.text or "")
    return "".join(parts)


def _is_index(text: str) -> bool:
    return 0 < len(text) <= 9 and _DIGITS.issuperset(text)


# ---------------------------------------------------------------- sheets

_COLUMNS: dict[str, int] = {}


def _column(letters: str) -> int:
    """The 1-based number of column ``letters`` (``A`` 1, ``XFD`` 16,384); 0 if they are not column letters."""
    found = _COLUMNS.get(letters)
    if found is not None:
        return found
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper()):
        return 0
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    _COLUMNS[letters] = number
    return number


def _letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


#: distinct cell and row problems listed per sheet; past this a hostile sheet gets one more line, not millions
MAX_LISTED_PER_SHEET = 200


#: digits a row number may have and still be read as one (and found past the limit); more is not a number
_MAX_DIGITS = 4_000

#: a row's start tag, any prefix, and its r attribute if one is written within its first 512 bytes
_ROW_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.\-]{0,40}:)?row(?=[\s/>])(?:[^>]{0,512}?\sr\s*=\s*["']\s*0*([0-9]{1,4000}))?""")
_TAG_SPAN = 600  # the longest start tag the scan must see whole


class RowScan:
    """The row tags of a sheet part, counted from its bytes as they are inflated: a first verdict on the row limit.

    :func:`open_book` inflates every part once anyway (to check its data, see
    :func:`~regframe.io.xlsxsafe.damaged_parts`); this looks at a sheet's bytes in the same pass,
    so a sheet of more rows than the limit, or with a row numbered past it, is refused before any
    of it is parsed (two million rows in well under a second). It is a count of the text ``<row``
    as a start tag, not a parse: a hostile sheet with that text in a comment or a CDATA section is
    counted high, and one that writes a row number with character references is not seen, so the
    parse that reads the rows holds the same limit exactly, at the row. Either way no sheet costs
    more rows of work than the limit.
    """

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.rows = 0
        self.highest = b""  # the highest r written, as digits without leading zeros
        self._carry = b""
        self._digits = len(str(max_rows))
        self._limit = str(max_rows).encode()

    def __call__(self, chunk: bytes) -> None:
        data = self._carry + chunk
        cut = data.rfind(b"<", max(0, len(data) - _TAG_SPAN))
        if cut < 0:
            cut = len(data)
        self._carry = data[cut:]
        self._scan(data[:cut])

    def _scan(self, data: bytes) -> None:
        found = _ROW_TAG.findall(data)
        self.rows += len(found)
        longest = max(map(len, found), default=0)
        if longest >= len(self.highest) and longest:
            top = max(number for number in found if len(number) == longest)
            if longest > len(self.highest) or top > self.highest:
                self.highest = top

    def finish(self) -> None:
        self._scan(self._carry)
        self._carry = b""

    def over(self) -> str | bool:
        """The highest row number written if it is past the limit, True if there are more rows than it, else False."""
        number = self.highest
        if len(number) > self._digits or (len(number) == self._digits and number > self._limit):
            return number.decode()
        return self.rows > self.max_rows


class Sheet:
    """One worksheet: its title, its part, and its rows, streamed (see :meth:`rows`)."""

    def __init__(self, book: Book, title: str, part: str) -> None:
        self.book = book
        self.title = title
        self.part = part
        self._verdict: Diagnostic | None = None
        self._checked = False
        self._external_reported = False
        self._listed: set[Diagnostic] = set()

    def __repr__(self) -> str:
        return f"Sheet({self.title!r}, {self.part!r})"

    def rows(self, last: int | None = None) -> Generator[RowCells, None, None]:
        """``(row number, {column index: cell})`` for each row that holds a value, in order; may be called again.

        With ``last``, reading stops at the first row numbered after it (a header search need not decode
        a thousand formatted empty rows below the header). A sheet over the row limit yields nothing
        (RF404, reported at once). Problems go to the book's sink as they are met; nothing raises for bad input.
        """
        if self.refused is not None:
            self.book.report(self.refused)
            return
        for number, element in self._row_elements(self._report):
            if last is not None and number > last:
                return
            cells = self._cells(number, element)
            if cells:
                yield number, cells

    def refuse(self, diagnostic: Diagnostic) -> None:
        """Mark the sheet as not to be read at all, for the reason given (reported when it is first asked for rows)."""
        self._verdict = diagnostic
        self._checked = True

    @property
    def refused(self) -> Diagnostic | None:
        """Why the sheet is not read at all, if it is not: its data is damaged (RF402), or it has more rows than the
        limit or a row numbered past it (RF404, from its :class:`RowScan`)."""
        if not self._checked:
            scan = RowScan(self.book.limits.max_rows)
            damaged = damaged_parts(self.book.archive, {self.part: scan}, only={self.part})  # not watched before
            if self.part in damaged:
                self.refuse(make(PART_DAMAGED, f"{damaged[self.part]}; the sheet was not read", self.book.where(self.title)))
            else:
                self.judge(scan)
        return self._verdict

    def judge(self, scan: RowScan) -> None:
        """Take the verdict of the scan of this sheet's bytes (see :class:`RowScan`)."""
        scan.finish()
        over = scan.over()
        self._verdict = self._too_many(over if isinstance(over, str) else None) if over else None
        self._checked = True

    def _report(self, diagnostic: Diagnostic) -> None:
        """Report a problem of this sheet, listing at most :data:`MAX_LISTED_PER_SHEET` of its cell and row problems."""
        if diagnostic.code not in (CELL_DAMAGED.id, SHEET_LIMIT.id) or diagnostic in self._listed:
            self.book.report(diagnostic)
            return
        if len(self._listed) < MAX_LISTED_PER_SHEET:
            self._listed.add(diagnostic)
            self.book.report(diagnostic)
        elif len(self._listed) == MAX_LISTED_PER_SHEET:
            self._listed.add(diagnostic)
            self.book.report(make(
                CELL_DAMAGED, f"more cells or rows of this sheet cannot be read as the file describes them; after "
                              f"{MAX_LISTED_PER_SHEET} such problems they are no longer listed one by one (each is "
                              "still left out, as the problems listed say)", diagnostic.location))

    def _row_elements(self, report: Callable[[Diagnostic], None]) -> Iterator[tuple[int, Any]]:
        """``(row number, row element)`` in order; each element is cleared once the caller moves on.

        Damage and limits are reported through ``report`` and end the sheet, except that a row which
        cannot be placed (a bad or out-of-order number) is reported and passed over.
        """
        limits = self.book.limits
        previous = seen = ended = 0
        started: str | None = None  # the r attribute of a row opened and not yet closed
        inside = False
        try:
            with self.book.part(self.part) as stream:
                for events, position in partxml.chunks(stream, events=("start", "end"), tag=(_ROW, _SHEET_DATA)):
                    for event, element in events:
                        if element.tag == _SHEET_DATA:
                            inside = event == "start"
                            if not inside:
                                self._drain(stream, report, previous)
                                return
                            continue
                        if event == "start":
                            started = element.get("r")
                            continue
                        started = None
                        number = None
                        if inside:
                            seen += 1
                            number = self._number(element, previous, report)
                            if seen > limits.max_rows or (number is not None and number > limits.max_rows):
                                beyond = number is not None and number > limits.max_rows
                                report(self._too_many(element.get("r") or str(number) if beyond else None,
                                                      part_way=True))
                                return
                        if number is not None:
                            yield number, element
                            previous = number
                        partxml.release(element)
                        ended = position
                    if position - ended > limits.max_row_bytes:
                        at = _row_at(started, previous)
                        what = f"row {at}'s XML" if previous or started else "the XML before the first row"
                        report(make(SHEET_LIMIT, f"{what} is longer than {limits.max_row_bytes:,} bytes; the rest of "
                                                 "the sheet was not read", self.book.where(self.title, row=at)))
                        return
        except xmlsafe.UnsafeXML as unsafe:
            report(partxml.unsafe_in_part(unsafe, str(self.book.path), self.part))
        except PartError as error:
            at = _row_at(started, previous)
            report(make(PART_DAMAGED, f"{error.describe()}; rows from {at} on were not read",
                        self.book.where(self.title, row=at)))
        except ZipDamage as damage:
            report(make(PART_DAMAGED, f"{damage.message}; the sheet was not read", self.book.where(self.title)))

    def _drain(self, stream: PartStream, report: Callable[[Diagnostic], None], previous: int) -> None:
        """Read the part's bytes after the rows (layout, not parsed) so that its checksum is checked."""
        try:
            stream.drain()
        except ZipDamage as damage:
            report(make(PART_DAMAGED, f"{damage.message}: the part was damaged after it was written, so the "
                                      f"{previous:,} rows read from it may not be what was saved",
                        self.book.where(self.title)))

    def _too_many(self, number: str | None, *, part_way: bool = False) -> Diagnostic:
        """RF404 for a row numbered (``number``, as written) past the row limit, or for more rows than it.

        ``part_way``: met while reading the rows (the rows before it were read), not found by the scan.
        """
        limit = self.book.limits.max_rows
        done = "it and the rows after it were not read" if part_way else "the sheet was not read"
        if number is not None:
            short = len(number) <= 18
            shown = f"{int(number):,}" if short else f"{number[:20]}… ({len(number)} digits)"
            return make(SHEET_LIMIT, f"row {shown} is numbered beyond the last row a sheet may have ({limit:,}); {done}",
                        self.book.where(self.title, row=int(number) if short else None))
        return make(SHEET_LIMIT, f"the sheet has more than {limit:,} rows, the most a sheet may have; {done}",
                    self.book.where(self.title))

    def _number(self, element: Any, previous: int, report: Callable[[Diagnostic], None]) -> int | None:
        """The row's number: its ``r``, or the one after the previous row; ``None`` (reported) if it cannot be placed."""
        text = element.get("r")
        if text is None:
            return previous + 1
        if not (text and len(text) <= _MAX_DIGITS and _DIGITS.issuperset(text)) or int(text) == 0:
            report(make(CELL_DAMAGED, f"a row is numbered {text[:40]!r}, which is not a row number; that row (after "
                                      f"row {previous}) was not read", self.book.where(self.title, row=previous + 1)))
            return None
        number = int(text)
        if number <= previous:
            report(make(CELL_DAMAGED, f"row {number} comes after row {previous}; rows must be in order, so it was "
                                      "not read", self.book.where(self.title, row=number)))
            return None
        return number

    def _cells(self, number: int, row: Any) -> dict[int, Cell]:
        """The cells of a row that hold a value (or were damaged), by 0-based column."""
        limits = self.book.limits
        cells: dict[int, Cell] = {}
        column = 0
        chars = 0
        suffix = str(number)
        for element in row:
            if element.tag != _CELL:
                continue
            ref = element.get("r")
            if ref is None:
                at = column + 1
            else:
                letters = ref[:-len(suffix)] if ref.endswith(suffix) else ref.rstrip("0123456789")
                at = _COLUMNS.get(letters) or (_column(letters) if len(letters) < len(ref) else 0)
                if not at:
                    self._report(make(CELL_DAMAGED, f"a cell's reference is {ref[:40]!r}, which is not a cell "
                                                    "reference; its value was not read",
                                      self.book.where(self.title, row=number)))
                    continue
            if at <= column:
                self._report(make(CELL_DAMAGED, f"cell {_letters(at)}{number} comes after {_letters(column)}{number}; "
                                                "cells must be in order, so its value was not read",
                                  self.book.where(self.title, cell=f"{_letters(at)}{number}")))
                continue
            if at > limits.max_columns:
                self._report(make(SHEET_LIMIT, f"the row has cells beyond column {_letters(limits.max_columns)} "
                                               f"(column {limits.max_columns:,}); they were not read",
                                  self.book.where(self.title, row=number)))
                break
            column = at
            cell = self._cell(element, at, number)
            if cell is None:
                continue
            if type(cell.value) is str:
                chars += len(cell.value)
                if chars > limits.max_row_chars:
                    self._report(make(SHEET_LIMIT, f"the row's values hold more than {limits.max_row_chars:,} "
                                                   "characters; the row was not read",
                                      self.book.where(self.title, row=number)))
                    return {}
            cells[at - 1] = cell
        return cells

    def _cell(self, element: Any, column: int, number: int) -> Cell | None:
        """One cell as openpyxl's read-only mode reads it; ``None`` if it holds no value."""
        text: str | None = None
        inline = None
        for child in element:  # a <v>, an <is>, an <f>: one pass over them instead of a search for each
            tag = child.tag
            if tag == _VALUE:
                if text is None:
                    text = child.text
            elif tag == _INLINE:
                if inline is None:
                    inline = child
            elif tag == _FORMULA:
                self._formula(child.text, column, number)
        if not text and inline is None:
            return None  # a formatted empty cell: its style is never looked at
        styles = self.book._styles
        index = element.get("s")
        if index is None or index == "0":
            style = styles[0] if styles else _GENERAL
        else:
            style = self._style(index, column, number)
        kind = element.get("t")
        if kind is None or kind == "n":
            return self._numeric(text, style, column, number) if text else None
        if kind == "inlineStr":
            return None if inline is None else self._text(_rich_text(inline), style, column, number)
        if not text:
            return None
        if kind == "s":
            return self._shared(text, style, column, number)
        if kind == "str" or kind == "e":
            return self._text(text, style, column, number)
        if kind == "b":
            if text.strip() in ("0", "1"):
                return Cell(text.strip() == "1", style.number_format)
            return self._damaged(column, number, f"is a true/false cell holding {text[:40]!r}")
        if kind == "d":
            try:
                return Cell(from_ISO8601(text), style.number_format)
            except (ValueError, TypeError, OverflowError, AttributeError):
                return self._damaged(column, number, f"is a date cell holding {text[:40]!r}, which is not an ISO "
                                                     "8601 date")
        return self._damaged(column, number, f"has type {kind[:20]!r}, which is not a cell type")

    def _formula(self, formula: str | None, column: int, number: int) -> None:
        """Name the sheet's first formula that refers to another workbook (RF406); its cached value is what is read."""
        if formula and not self._external_reported and _EXTERNAL_REFERENCE.search(formula):
            self._external_reported = True
            self.book.report(make(xlsxactive.EXTERNAL_LINK, f"the formula ={formula[:80]} refers to another workbook; "
                                  "its value is read as saved in this file (further such formulas on this sheet "
                                  "are not listed)", self._at(column, number)))

    def _at(self, column: int, number: int) -> Location:
        return self.book.where(self.title, cell=f"{_letters(column)}{number}")

    def _style(self, text: str, column: int, number: int) -> _Style:
        styles = self.book._styles
        if _is_index(text) and int(text) < len(styles):
            return styles[int(text)]
        self._report(make(CELL_DAMAGED, f"cell {_letters(column)}{number} names style {text[:40]!r}, which the "
                                        f"workbook's style table ({len(styles)} styles) does not have; its value was "
                                        "read without a number format", self._at(column, number)))
        return _GENERAL

    def _numeric(self, text: str, style: _Style, column: int, number: int) -> Cell:
        try:
            value: int | float = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        except ValueError:
            return self._damaged(column, number, f"is a number cell holding {text[:40]!r}, which is not a number")
        if isinstance(value, float) and (value != value or value in (_INFINITY, -_INFINITY)):
            return self._damaged(column, number, f"is a number cell holding {text[:40]!r}, which no spreadsheet "
                                                 "can hold")
        if style.is_date:
            try:
                return Cell(from_excel(value, self.book.epoch, timedelta=style.is_timedelta), style.number_format)
            except (OverflowError, ValueError, TypeError):
                pass  # a number in a date format but out of the range of dates: the number itself
        return Cell(value, style.number_format)

    def _shared(self, text: str, style: _Style, column: int, number: int) -> Cell:
        shared = self.book._shared
        if not (_is_index(text) and int(text) < len(shared)):
            return self._damaged(column, number, f"refers to shared string {text[:40]!r}, which the workbook's "
                                                 f"table ({len(shared):,} strings) does not have")
        value = shared[int(text)]
        if value is None:
            return self._too_long(column, number)
        return Cell(value, style.number_format)

    def _text(self, text: str, style: _Style, column: int, number: int) -> Cell:
        if len(text) > self.book.limits.max_cell_chars:
            return self._too_long(column, number)
        return Cell(text, style.number_format)

    def _too_long(self, column: int, number: int) -> Cell:
        limit = self.book.limits.max_cell_chars
        self._report(make(SHEET_LIMIT, f"cell {_letters(column)}{number} holds more than {limit:,} characters "
                                       "(Excel's limit); its value was not read", self._at(column, number)))
        return Cell(None, damaged=True)

    def _damaged(self, column: int, number: int, what: str) -> Cell:
        self._report(make(CELL_DAMAGED, f"cell {_letters(column)}{number} {what}; its value was not read",
                          self._at(column, number)))
        return Cell(None, damaged=True)


_INFINITY = float("inf")


def _row_at(started: str | None, previous: int) -> int:
    """The number of the row being read when something went wrong: its own ``r`` if it had one that reads."""
    if started and len(started) <= 18 and _DIGITS.issuperset(started) and int(started) > previous:
        return int(started)
    return previous + 1
