"""Reading an xlsx workbook: regframe's one reader of xlsx input (LA returns, Annex A).

openpyxl reads rows lazily and fails while a caller iterates them, with whatever its parser
met: ``ParseError`` for a duplicated attribute, ``ValueError`` for a non-numeric ``<v>`` or a
text style index, ``IndexError`` for a style index out of range, ``TypeError`` for an unexpected
``sheetPr`` attribute, ``zlib.error`` or ``BadZipFile`` for corrupt data. This reader turns
every such failure into a diagnostic with its location, so that bad input never becomes an
exception, in the order a hostile file is best stopped:

1. the zip directory and every part's prolog are checked (:func:`~regframe.io.xlsxsafe.check_archive`:
   sizes, ratios, sheet count, a DOCTYPE in any part) before anything is read;
2. every part is inflated once, so damaged compressed data (a bad CRC-32, a corrupt deflate stream)
   is found before it is trusted (:func:`~regframe.io.xlsxsafe.damaged_parts`), and each sheet's
   row tags are counted in the same pass (:class:`~regframe.io.xlsxsheet.RowScan`);
3. the macros and links the workbook carries are named (:func:`~regframe.io.xlsxactive.scan`);
4. the workbook part, its relationships, styles and shared strings are read, element by element,
   within their limits (here);
5. each sheet streams its rows on demand (:class:`~regframe.io.xlsxsheet.Sheet`), with the limits
   on rows, columns, cells and rows' XML held as it goes.

Values are openpyxl's (read-only, cached values): the tests compare them on every real workbook.
The workbook part is ``xl/workbook.xml``, as every spreadsheet program writes it; ISO
strict-namespace workbooks are not read.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from regframe.core.diagnostics import Diagnostic, Location, Severity, make
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
from regframe.io.xlsxsheet import CELL_DAMAGED, SHEET_LIMIT, Cell, RowCells, RowScan, Sheet, Style, is_index, rich_text
from regframe.io.zipsafe import ZIP_ERRORS, PartStream, ZipDamage, part_info

__all__ = ["CELL_DAMAGED", "SHEET_LIMIT", "Book", "Cell", "RowCells", "Sheet", "Sink", "open_book", "refusal",
           "sheet_names"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WORKBOOK_PART = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")


class Sink(Protocol):
    """Where diagnostics go: a list, or a :class:`~regframe.core.diagnostics.Diagnostics` collector."""

    def append(self, diagnostic: Diagnostic, /) -> None: ...


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
        self.styles: list[Style] = []  # each cell style's number format, by index
        self.shared_strings: list[str | None] = []  # None for one too long to read

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
        book.styles = _styles(book, parts["styles"])
    if "sharedStrings" in parts and parts["sharedStrings"] in names:
        _refuse_damaged(book, damaged, parts["sharedStrings"], "its shared strings")
        book.shared_strings = _shared_strings(book, parts["sharedStrings"])
    sheets = []
    for position, (title, rid) in enumerate(listed, start=1):
        kind, part = relationships.get(rid, ("", ""))
        if kind and kind != "worksheet":
            continue  # a chart sheet, dialog sheet or macro sheet (named by xlsxactive): no cells to read
        if part not in names:
            # located at the workbook part that lists the sheet: an empty name or a missing part names nothing else
            named = f"sheet {title!r}" if title else f"sheet {position} (no name)"
            held = (f"names part {part}, which the file does not hold" if part else
                    "names no part that the file holds")
            missing = make(PART_DAMAGED, f"{named} in {_WORKBOOK_PART} {held}; the sheet was not read",
                           book.where(title or None, part=_WORKBOOK_PART))
            book.report(missing)
            sheet = Sheet(book, title, part)
            sheet.refuse(missing)  # kept, so the row accounting names it (its rows unknown)
            sheets.append(sheet)
            continue
        sheet = Sheet(book, title, part)
        if part in damaged:
            sheet.refuse(make(PART_DAMAGED, f"{damaged[part]}; the sheet was not read",
                              book.where(title or None, part=part)),
                         scans.get(part))
        elif part in scans:
            sheet.judge(scans[part])
        sheets.append(sheet)
    book.sheets = tuple(sheets)
    read = {_WORKBOOK_PART, _WORKBOOK_RELS, *parts.values(), *(sheet.part for sheet in sheets)}
    for part, message in sorted(damaged.items()):
        if part not in read:
            book.report(make(PART_DAMAGED, f"{message}; regframe reads nothing from it, so nothing was lost",
                             book.where(part=part), severity=Severity.WARNING))


def _styles(book: Book, name: str) -> list[Style]:
    """Each cell style's number format, by index (``<cellXfs>``), as openpyxl resolves them."""
    custom: dict[int, str] = {}
    ids: list[str] = []
    for element in _read_flat(book, name, "its styles"):
        if element.tag == _MAIN + "numFmt":
            number = element.get("numFmtId") or ""
            if is_index(number):
                custom[int(number)] = element.get("formatCode") or ""
        elif element.tag == _MAIN + "xf":
            parent = element.getparent()
            if parent is not None and parent.tag == _MAIN + "cellXfs":
                ids.append(element.get("numFmtId") or "0")
    styles: list[Style] = []
    known: dict[str, Style] = {}
    for index, number in enumerate(ids):
        if not is_index(number):
            book.report(make(CELL_DAMAGED, f"part {name}: cell style {index} names number format {number[:40]!r}, "
                                           "which is not a number; cells in that style are read as General",
                             book.where(part=name)))
            number = "0"
        fmt = custom.get(int(number)) or BUILTIN_FORMATS.get(int(number)) or "General"
        styles.append(known.get(fmt) or known.setdefault(fmt, Style(fmt)))
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
                    text = rich_text(element).replace("x005F_", "")
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


