"""Reading a worksheet as a table whose headers are found, not assumed.

Returns and Annex A workbooks put titles in merged cells above the headers,
rename and re-case headers, and leave blank rows anywhere. :func:`read_table`
finds the header row by matching cells against each column's accepted
headers (an alias table, compared after :func:`~regframe.ingest.cells.header_key`
normalisation), then yields each non-blank row below it with the cell
reference of every value, so a problem can be reported as ``file!Sheet!C14``.

Sheets come from :mod:`regframe.io.xlsxread`, which streams them and reports
damaged cells itself: a cell it could not read is marked, and :class:`Row`
lists the columns whose cells were damaged, so a reader neither takes the
empty value for what the file said nor reports the cell a second time.
Rows are numbered as in the sheet; the blank rows between two rows with data
(gaps the file leaves out included) are counted, never materialised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from typing import Any

import attrs
from openpyxl.utils import get_column_letter

from regframe.evidence.model import NotRead
from regframe.ingest.cells import header_key, is_blank
from regframe.io.xlsxread import Book, Cell, Sheet

#: how far down a sheet the header row may be
HEADER_SCAN_ROWS = 20


@attrs.frozen
class Row:
    """One data row: raw values and number formats by column name, and the row's number.

    ``damaged`` names the columns whose cells the workbook reader could not read (it has
    reported each); their value is ``None``.
    """

    number: int
    values: Mapping[str, Any]
    formats: Mapping[str, str]
    letters: Mapping[str, str]
    damaged: frozenset[str] = frozenset()

    def cell(self, name: str) -> str:
        """The A1 reference of this row's cell in column ``name``."""
        return f"{self.letters[name]}{self.number}"


@attrs.frozen
class Table:
    """A sheet's header row: where it is, which column is which, and what was not recognised."""

    header_row: int
    columns: Mapping[str, int]  # column name -> 0-based index
    unknown: tuple[str, ...]
    duplicates: tuple[str, ...]

    def letter(self, name: str) -> str:
        return get_column_letter(self.columns[name] + 1)


def find_sheet(book: Book, *names: str) -> Sheet | None:
    """The worksheet whose name matches one of ``names`` after normalising case, spaces and punctuation."""
    wanted = {header_key(name) for name in names}
    for sheet in book.sheets:
        if header_key(sheet.title) in wanted:
            return sheet
    return None


def _values(cells: Mapping[int, Cell]) -> Iterator[tuple[int, Any]]:
    return ((index, cell.value) for index, cell in sorted(cells.items()))


def _match(values: Iterable[tuple[int, Any]],
           aliases: Mapping[str, frozenset[str]]) -> tuple[dict[str, int], list[str], list[str]]:
    columns: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, value in values:
        key = header_key(value)
        if not key:
            continue
        name = next((n for n, accepted in aliases.items() if key in accepted), None)
        if name is None:
            unknown.append(str(value).strip())
        elif name in columns:
            duplicates.append(str(value).strip())
        else:
            columns[name] = index
    return columns, unknown, duplicates


def normalise_aliases(aliases: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {name: frozenset(header_key(a) for a in accepted) for name, accepted in aliases.items()}


def read_table(sheet: Sheet, aliases: Mapping[str, Iterable[str]],
               on_blank: Callable[[int], None] | None = None) -> tuple[Table | None, Iterator[Row]]:
    """Find the header row of ``sheet`` and return it with an iterator over the data rows below it.

    ``aliases`` maps each column name to the headers accepted for it. The
    header row is the one, among the first :data:`HEADER_SCAN_ROWS`, that
    matches the most columns; ``None`` if no row matches any. Rows below the
    header that are blank in every column read are not yielded; ``on_blank``,
    if given, is called with the number of blank rows each time rows with data
    follow them, so a reader can count them (empty formatted rows after the
    last row of data, which a template has by the thousand, are not rows anyone
    gave).
    """
    accepted = normalise_aliases(aliases)
    best: tuple[int, dict[str, int], list[str], list[str]] | None = None
    with closing(sheet.rows(last=HEADER_SCAN_ROWS)) as rows:
        for number, cells in rows:
            columns, unknown, duplicates = _match(_values(cells), accepted)
            if columns and (best is None or len(columns) > len(best[1])):
                best = (number, columns, unknown, duplicates)
    if best is None:
        return None, iter(())
    header_row, columns, unknown, duplicates = best
    table = Table(header_row, columns, tuple(unknown), tuple(duplicates))
    letters = {name: table.letter(name) for name in columns}

    def data() -> Iterator[Row]:
        last = header_row  # the last row with data (or the header)
        pending = 0  # blank rows since then, not yet known to have data below them
        with closing(sheet.rows()) as rows:
            for number, cells in rows:
                if number <= header_row:
                    continue
                values: dict[str, Any] = {}
                formats: dict[str, str] = {}
                damaged: list[str] = []
                for name, index in columns.items():
                    cell = cells.get(index)
                    value = None if cell is None else cell.value
                    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
                        value = None  # a formula with no cached value: nothing was calculated
                    values[name] = value
                    formats[name] = "General" if cell is None else cell.number_format
                    if cell is not None and cell.damaged:
                        damaged.append(name)
                pending += number - last - 1  # rows the file leaves out are blank rows
                last = number
                if not damaged and all(is_blank(v) for v in values.values()):
                    pending += 1
                    continue
                if on_blank is not None and pending:
                    on_blank(pending)
                pending = 0
                yield Row(number, values, formats, letters, frozenset(damaged))

    return table, data()


def count_rows(sheet: Sheet) -> tuple[int, int]:
    """``(rows, blank)`` between a sheet's first non-blank row (taken as its header) and its last: for sheets not used."""
    rows = blank = pending = 0
    started = False
    last = 0
    with closing(sheet.rows()) as stream:
        for number, cells in stream:
            gap, last = number - last - 1, number
            empty = all(is_blank(cell.value) and not cell.damaged for cell in cells.values())
            if not started:
                started = not empty
                continue
            pending += gap
            if empty:
                pending += 1
                continue
            rows += pending + 1
            blank += pending
            pending = 0
    return rows, blank


def not_read(book: Book) -> tuple[NotRead, ...]:
    """The sheets of ``book`` a reader asked for whose rows were not all read, for its :class:`~regframe.evidence.model.InputFile`.

    A sheet refused whole (over a limit, its data damaged, its part missing) or read only up to a
    problem holds rows no count of the file includes; they are named, never left out in silence.
    A sheet no reader asked for rows is not judged.
    """
    return tuple(NotRead(sheet.title, sheet.stop.code, sheet.stop.after_row, sheet.stop.rows, sheet.stop.dimension)
                 for sheet in book.sheets if sheet.stop is not None)
