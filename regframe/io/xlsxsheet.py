"""Streaming one worksheet's rows out of its zip part, every failure a diagnostic at its row or cell.

:class:`Sheet` is what :func:`regframe.io.xlsxread.open_book` hands over for each worksheet.
Its rows are parsed a chunk at a time (:mod:`regframe.io.partxml`), so the limits of
:class:`~regframe.io.xlsxsafe.Limits` hold while they stream and the rows parsed before damage
are kept:

* a sheet with more rows than the limit, or a row numbered past it, is refused before any of it
  is parsed, from a count of its row tags taken while its bytes were inflated (:class:`RowScan`);
  the parse holds the same limit exactly, at the row. Rows are numbered by their ``r`` attribute
  and gaps are never filled in, so a row numbered 10,000,000 costs what one row costs;
* XML that stops being well-formed is RF402 at the row where it was met; the rows before are kept;
* a cell the file describes wrongly (a number that is not one, a shared string or style the
  workbook lacks, a bad reference, cells or rows out of order) is RF403 at the cell: its value is
  not read, the row and the sheet go on;
* a cell past column XFD or longer than 32,767 characters, and a row whose values exceed 4 Mi
  characters, are not read; a row's XML over 4 MiB stops the sheet (RF404).

A cell reads as openpyxl's read-only, cached-values mode reads it (:class:`Cell`), so the readers
built on openpyxl before give the same values; formulas are never evaluated, and one that refers
to another workbook is named (RF406).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import attrs
from openpyxl.styles.numbers import is_date_format, is_timedelta_format
from openpyxl.utils.datetime import from_excel, from_ISO8601

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.io import partxml, xlsxactive, xmlsafe
from regframe.io.cellref import column_letters
from regframe.io.partxml import PartError
from regframe.io.xlsxsafe import PART_DAMAGED, damaged_parts
from regframe.io.zipsafe import ZipDamage

if TYPE_CHECKING:
    from regframe.io.xlsxread import Book

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
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = (_MAIN + name for name in ("row", "c", "v", "f", "is"))
_TEXT, _RUN, _SHEET_DATA = _MAIN + "t", _MAIN + "r", _MAIN + "sheetData"
#: a reference to another workbook in a stored formula: [1]Sheet1!A1, '[2]My sheet'!B2 (not Table1[2020])
_EXTERNAL_REFERENCE = re.compile(r"(?<![\w.\]])\[[1-9][0-9]*\]")
_DIGITS = frozenset("0123456789")


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


class Style:
    """A cell style's number format, and whether a number in it is a date (or a duration), as openpyxl judges."""

    __slots__ = ("number_format", "is_date", "is_timedelta")

    def __init__(self, number_format: str) -> None:
        self.number_format = number_format
        self.is_date = is_date_format(number_format)
        self.is_timedelta = is_timedelta_format(number_format)


GENERAL = Style("General")


def rich_text(element: Any) -> str:
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


def is_index(text: str) -> bool:
    return 0 < len(text) <= 9 and _DIGITS.issuperset(text)


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


#: distinct cell and row problems listed per sheet; past this a hostile sheet gets one more line, not millions
MAX_LISTED_PER_SHEET = 200


#: digits a row number may have and still be read as one (and found past the limit); more is not a number
_MAX_DIGITS = 4_000

#: a row's start tag, any prefix, and its r attribute if one is written within its first 512 bytes
_ROW_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.\-]{0,40}:)?row(?=[\s/>])(?:[^>]{0,512}?\sr\s*=\s*["']\s*0*([0-9]{1,4000}))?""")
_TAG_SPAN = 600  # the longest start tag the scan must see whole
#: the range a sheet declares it covers (``<dimension ref="A1:K500"/>``), written before its rows
_DIMENSION = re.compile(rb"""<(?:[A-Za-z_][\w.\-]{0,40}:)?dimension\s[^>]{0,200}?ref\s*=\s*["']([A-Za-z0-9:$]{1,40})["']""")


@attrs.frozen
class SheetStop:
    """Where reading a sheet stopped short, for the row accounting: a sheet's rows not read are never silent.

    ``after_row`` is the last row read before the stop (0: none, the sheet was refused whole).
    ``rows`` is how many row elements of the file were not read, from the count of its row tags
    (:class:`RowScan`), or ``None`` where its data was too damaged to count. ``dimension`` is the
    range the sheet declares (``A1:K500``), where it declares one. ``code`` is the diagnostic's.
    """

    code: str
    after_row: int
    rows: int | None
    dimension: str | None


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
        self.dimension: str | None = None  # the range the sheet declares, if it does before its first row
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
        if not self.rows and self.dimension is None:
            declared = _DIMENSION.search(data)
            if declared is not None:
                self.dimension = declared.group(1).decode("ascii")
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
        #: row tags in the sheet's bytes (its :class:`RowScan`), None where its data could not be counted
        self.scanned_rows: int | None = None
        self.dimension: str | None = None
        #: where reading last stopped short, for a problem (None: the sheet was read to its end, or not yet)
        self.stop: SheetStop | None = None

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
            self.stop = SheetStop(self.refused.code, 0, self.scanned_rows, self.dimension)
            return
        for number, element in self._row_elements(self._report):
            if last is not None and number > last:
                return
            cells = self._cells(number, element)
            if cells:
                yield number, cells

    def refuse(self, diagnostic: Diagnostic, scan: RowScan | None = None) -> None:
        """Mark the sheet as not to be read at all, for the reason given (reported when it is first asked for rows).

        ``scan``, of data found damaged part way, gives the range the sheet declares; its count of rows is
        not trusted (the data after the damage was not seen).
        """
        self._verdict = diagnostic
        self._checked = True
        self.scanned_rows = None
        if scan is not None:
            self.dimension = scan.dimension

    @property
    def refused(self) -> Diagnostic | None:
        """Why the sheet is not read at all, if it is not: its data is damaged (RF402), or it has more rows than the
        limit or a row numbered past it (RF404, from its :class:`RowScan`)."""
        if not self._checked:
            scan = RowScan(self.book.limits.max_rows)
            damaged = damaged_parts(self.book.archive, {self.part: scan}, only={self.part})  # not watched before
            if self.part in damaged:
                self.refuse(make(PART_DAMAGED, f"{damaged[self.part]}; the sheet was not read", self.book.where(self.title)),
                            scan)
            else:
                self.judge(scan)
        return self._verdict

    def judge(self, scan: RowScan) -> None:
        """Take the verdict of the scan of this sheet's bytes (see :class:`RowScan`)."""
        scan.finish()
        over = scan.over()
        self._verdict = self._too_many(over if isinstance(over, str) else None) if over else None
        self._checked = True
        self.scanned_rows = scan.rows
        self.dimension = scan.dimension

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
        previous = seen = ended = depth = 0
        started: str | None = None  # the r attribute of a row opened and not yet closed
        inside = outside = False
        try:
            with self.book.part(self.part) as stream:
                for events, position in partxml.chunks(stream, events=("start", "end"), tag=(_ROW, _SHEET_DATA)):
                    for event, element in events:
                        if element.tag == _SHEET_DATA:
                            # only the outermost sheetData holds the rows: one nested in it (between or inside
                            # rows) is passed over with a word, and the rows around it are read
                            depth += 1 if event == "start" else -1
                            if event == "start" and depth > 1:
                                at = _row_at(started, previous)
                                spot = f"in row {at}" if started is not None else f"after row {previous}"
                                report(make(CELL_DAMAGED, f"a sheetData element stands inside the sheet's data, "
                                                          f"{spot}; it was passed over and the rows around it "
                                                          "were read", self.book.where(self.title, row=at),
                                            severity=Severity.WARNING))
                            inside = depth > 0
                            continue  # read on to the part's end: a row after a stray </sheetData> is said, not lost
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
                                report(self._stopped(self._too_many(element.get("r") or str(number) if beyond
                                                                    else None, part_way=True), previous, seen - 1))
                                return
                        elif not outside:
                            outside = True
                            at = _row_at(element.get("r"), previous)
                            report(make(CELL_DAMAGED, f"a row stands outside the sheet's data (row {at}, after row "
                                                      f"{previous}); it and any others outside were not read",
                                        self.book.where(self.title, row=at), severity=Severity.WARNING))
                        if number is not None:
                            yield number, element
                            previous = number
                        partxml.release(element)
                        ended = position
                    if position - ended > limits.max_row_bytes:
                        at = _row_at(started, previous)
                        what = f"row {at}'s XML" if previous or started else "the XML before the first row"
                        report(self._stopped(make(SHEET_LIMIT, f"{what} is longer than {limits.max_row_bytes:,} bytes; "
                                                               "the rest of the sheet was not read",
                                                  self.book.where(self.title, row=at)), previous, seen))
                        return
        except xmlsafe.UnsafeXML as unsafe:
            report(self._stopped(partxml.unsafe_in_part(unsafe, str(self.book.path), self.part), previous, seen))
        except PartError as error:
            at = _row_at(started, previous)
            report(self._stopped(make(PART_DAMAGED, f"{error.describe()}; rows from {at} on were not read",
                                      self.book.where(self.title, row=at)), previous, seen))
        except ZipDamage as damage:
            report(self._stopped(make(PART_DAMAGED, f"{damage.message}; the sheet was not read",
                                      self.book.where(self.title)), previous, seen, counted=False))

    def _stopped(self, diagnostic: Diagnostic, previous: int, done: int, counted: bool = True) -> Diagnostic:
        """Note where reading stopped short (:attr:`stop`) for ``diagnostic``, and return it.

        ``done`` row elements were read (or passed over) before the stop; the scan's count of the
        sheet's row tags, less those, is the row elements not read (``counted``: the scan saw data
        that can be trusted).
        """
        rows = self.scanned_rows
        left = max(rows - done, 0) if rows is not None and counted else None
        self.stop = SheetStop(diagnostic.code, previous, left, self.dimension)
        return diagnostic

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
                self._report(make(CELL_DAMAGED, f"cell {column_letters(at)}{number} comes after {column_letters(column)}{number}; "
                                                "cells must be in order, so its value was not read",
                                  self.book.where(self.title, cell=f"{column_letters(at)}{number}")))
                continue
            if at > limits.max_columns:
                self._report(make(SHEET_LIMIT, f"the row has cells beyond column {column_letters(limits.max_columns)} "
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
        styles = self.book.styles
        index = element.get("s")
        if index is None or index == "0":
            style = styles[0] if styles else GENERAL
        else:
            style = self._style(index, column, number)
        kind = element.get("t")
        if kind is None or kind == "n":
            return self._numeric(text, style, column, number) if text else None
        if kind == "inlineStr":
            return None if inline is None else self._text(rich_text(inline), style, column, number)
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
            self.book.report(xlsxactive.formula_link(formula, self._at(column, number)))

    def _at(self, column: int, number: int) -> Location:
        return self.book.where(self.title, cell=f"{column_letters(column)}{number}")

    def _style(self, text: str, column: int, number: int) -> Style:
        styles = self.book.styles
        if is_index(text) and int(text) < len(styles):
            return styles[int(text)]
        self._report(make(CELL_DAMAGED, f"cell {column_letters(column)}{number} names style {text[:40]!r}, which the "
                                        f"workbook's style table ({len(styles)} styles) does not have; its value was "
                                        "read without a number format", self._at(column, number)))
        return GENERAL

    def _numeric(self, text: str, style: Style, column: int, number: int) -> Cell:
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

    def _shared(self, text: str, style: Style, column: int, number: int) -> Cell:
        shared = self.book.shared_strings
        if not (is_index(text) and int(text) < len(shared)):
            return self._damaged(column, number, f"refers to shared string {text[:40]!r}, which the workbook's "
                                                 f"table ({len(shared):,} strings) does not have")
        value = shared[int(text)]
        if value is None:
            return self._too_long(column, number)
        return Cell(value, style.number_format)

    def _text(self, text: str, style: Style, column: int, number: int) -> Cell:
        if len(text) > self.book.limits.max_cell_chars:
            return self._too_long(column, number)
        return Cell(text, style.number_format)

    def _too_long(self, column: int, number: int) -> Cell:
        limit = self.book.limits.max_cell_chars
        self._report(make(SHEET_LIMIT, f"cell {column_letters(column)}{number} holds more than {limit:,} characters "
                                       "(Excel's limit); its value was not read", self._at(column, number)))
        return Cell(None, damaged=True)

    def _damaged(self, column: int, number: int, what: str) -> Cell:
        self._report(make(CELL_DAMAGED, f"cell {column_letters(column)}{number} {what}; its value was not read",
                          self._at(column, number)))
        return Cell(None, damaged=True)


_INFINITY = float("inf")


def _row_at(started: str | None, previous: int) -> int:
    """The number of the row being read when something went wrong: its own ``r`` if it had one that reads."""
    if started and len(started) <= 18 and _DIGITS.issuperset(started) and int(started) > previous:
        return int(started)
    return previous + 1
