"""Reading a worksheet as a table whose headers are found, not assumed.

Returns and Annex A workbooks put titles in merged cells above the headers,
rename and re-case headers, and leave blank rows anywhere. :func:`read_table`
finds the header row by matching cells against each column's accepted
headers (an alias table, compared after :func:`~regframe.ingest.cells.header_key`
normalisation), then yields each non-blank row below it with the cell
reference of every value, so a problem can be reported as ``file!Sheet!C14``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
from openpyxl.utils import get_column_letter

from regframe.ingest.cells import header_key, is_blank

#: how far down a sheet the header row may be
HEADER_SCAN_ROWS = 20


@attrs.frozen
class Row:
    """One data row: raw values and number formats by column name, and the row's number."""

    number: int
    values: Mapping[str, Any]
    formats: Mapping[str, str]
    letters: Mapping[str, str]

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


def find_sheet(workbook: Any, *names: str) -> Any | None:
    """The worksheet whose name matches one of ``names`` after normalising case, spaces and punctuation."""
    wanted = {header_key(name) for name in names}
    for worksheet in workbook.worksheets:
        if header_key(worksheet.title) in wanted:
            return worksheet
    return None


def _rows(worksheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, cells)`` for every row, trusting the data rather than the sheet's declared dimension."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    for number, cells in enumerate(worksheet.iter_rows(min_row=1), start=1):
        yield number, tuple(cells)


def _match(values: Iterable[Any], aliases: Mapping[str, frozenset[str]]) -> tuple[dict[str, int], list[str], list[str]]:
    columns: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, value in enumerate(values):
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


def read_table(worksheet: Any, aliases: Mapping[str, Iterable[str]],
               on_blank: Callable[[int], None] | None = None) -> tuple[Table | None, Iterator[Row]]:
    """Find the header row of ``worksheet`` and return it with an iterator over the data rows below it.

    ``aliases`` maps each column name to the headers accepted for it. The
    header row is the one, among the first :data:`HEADER_SCAN_ROWS`, that
    matches the most columns; ``None`` if no row matches any. Rows below the
    header that are blank in every column read are not yielded; ``on_blank``,
    if given, is called with the number of each one that has data below it, so
    a reader can count them (empty formatted rows after the last row of data,
    which a template has by the thousand, are not rows anyone gave).
    """
    accepted = normalise_aliases(aliases)
    rows = _rows(worksheet)
    best: tuple[int, dict[str, int], list[str], list[str]] | None = None
    for number, cells in rows:
        columns, unknown, duplicates = _match((getattr(c, "value", None) for c in cells), accepted)
        if columns and (best is None or len(columns) > len(best[1])):
            best = (number, columns, unknown, duplicates)
        if number >= HEADER_SCAN_ROWS:
            break
    if best is None:
        return None, iter(())
    header_row, columns, unknown, duplicates = best
    table = Table(header_row, columns, tuple(unknown), tuple(duplicates))
    letters = {name: table.letter(name) for name in columns}

    def data() -> Iterator[Row]:
        pending: list[int] = []  # blank rows not yet known to have data below them
        for number, cells in _rows(worksheet):
            if number <= header_row:
                continue
            values: dict[str, Any] = {}
            formats: dict[str, str] = {}
            for name, index in columns.items():
                cell = cells[index] if index < len(cells) else None
                value = getattr(cell, "value", None)
                if isinstance(value, str) and value.startswith("=") and len(value) > 1:
                    value = None  # a formula with no cached value: nothing was calculated
                values[name] = value
                formats[name] = getattr(cell, "number_format", None) or "General"
            if all(is_blank(v) for v in values.values()):
                pending.append(number)
                continue
            if on_blank is not None:
                for blank_number in pending:
                    on_blank(blank_number)
            pending.clear()
            yield Row(number, values, formats, letters)

    return table, data()


def count_rows(worksheet: Any) -> tuple[int, int]:
    """``(rows, blank)`` between a sheet's first non-blank row (taken as its header) and its last: for sheets not used."""
    rows = blank = pending = 0
    started = False
    for _number, cells in _rows(worksheet):
        empty = all(is_blank(getattr(c, "value", None)) for c in cells)
        if not started:
            started = not empty
            continue
        if empty:
            pending += 1
            continue
        rows += pending + 1
        blank += pending
        pending = 0
    return rows, blank
