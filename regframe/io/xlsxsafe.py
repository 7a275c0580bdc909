"""Checking a workbook before openpyxl loads it, so a hostile file fails fast.

An ``.xlsx`` file is a zip of XML parts. A few kilobytes can inflate to
gigabytes (a zip bomb), or declare a million rows, and openpyxl would try to
read it all. :func:`check_workbook` looks only at the zip directory and the
first bytes of each worksheet part: entry count, total uncompressed size,
compression ratio, sheet count and each sheet's declared dimension. Only a
workbook that passes is opened, always read-only, with cached values instead
of formulas and without its VBA project (macros are never run or kept).
Every reader of workbooks (LA returns, Annex A, the report writer's tests)
goes through :func:`open_workbook`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import attrs

from regframe.core.diagnostics import Diagnostic, InputError, Location, Severity, code, make

NOT_A_WORKBOOK = code(
    "RF400", Severity.ERROR, "file is not a readable xlsx workbook",
    "The file is not a zip-based Excel workbook (.xlsx or .xlsm), or its zip structure is damaged. "
    "Old binary .xls files and password-protected workbooks are not read: save the file as .xlsx, "
    "without a password, and try again.",
)
WORKBOOK_TOO_LARGE = code(
    "RF401", Severity.ERROR, "workbook exceeds a safety limit",
    "Before loading a workbook regframe checks its zip directory: the number of entries, the total "
    "uncompressed size, the compression ratio of each part, the number of sheets and each sheet's "
    "declared row count. A file over a limit is refused without being loaded, because a small file "
    "that inflates to gigabytes (a zip bomb) would otherwise exhaust memory. If the file is genuine, "
    "split it, or raise the limit through the API's ``limits`` argument.",
)


@attrs.frozen
class Limits:
    """Upper bounds for a workbook regframe will open. Generous for any real LA return or Annex A."""

    max_entries: int = 2_000
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    #: uncompressed / compressed size of any one part; real sheets compress 5-20x, bombs 1000x+
    max_ratio: float = 200.0
    #: parts smaller than this are never judged by ratio (tiny parts compress oddly)
    ratio_floor_bytes: int = 1024 * 1024
    max_sheets: int = 200
    max_rows: int = 1_048_576
    max_columns: int = 16_384


DEFAULT_LIMITS = Limits()

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_HEAD_BYTES = 4096


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - 64)
    return number


def _declared_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int] | None:
    """Rows and columns a worksheet part declares in its ``<dimension>``, reading only its first bytes."""
    with archive.open(info) as stream:
        head = stream.read(_HEAD_BYTES)
    match = _DIMENSION.search(head)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    col = (last_col or first_col or b"A").decode("ascii")
    row = int(last_row or first_row or b"1")
    return row, _column_number(col)


def check_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Diagnostic]:
    """Every reason not to open ``path`` as a workbook; an empty list means it is safe to load."""
    path = Path(path)
    where = Location(file=str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        return [make(NOT_A_WORKBOOK, f"{path.name} is not an xlsx workbook ({error})", where)]
    problems: list[Diagnostic] = []
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            return [make(WORKBOOK_TOO_LARGE, f"the zip holds {len(entries):,} entries; the limit is {limits.max_entries:,}", where)]
        names = {info.filename for info in entries}
        if "xl/workbook.xml" not in names:
            return [make(NOT_A_WORKBOOK, f"{path.name} is a zip file but not an xlsx workbook (no xl/workbook.xml)", where)]
        total = sum(info.file_size for info in entries)
        if total > limits.max_uncompressed_bytes:
            problems.append(make(
                WORKBOOK_TOO_LARGE,
                f"the parts inflate to {total:,} bytes; the limit is {limits.max_uncompressed_bytes:,}", where,
            ))
        for info in entries:
            if info.file_size < limits.ratio_floor_bytes:
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                problems.append(make(
                    WORKBOOK_TOO_LARGE,
                    f"part {info.filename} is compressed {ratio:,.0f} to 1 ({info.compress_size:,} bytes inflating to "
                    f"{info.file_size:,}); the limit is {limits.max_ratio:,.0f} to 1",
                    where,
                ))
        if problems:
            return problems
        sheets = [info for info in entries if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename)]
        if len(sheets) > limits.max_sheets:
            return [make(WORKBOOK_TOO_LARGE, f"the workbook has {len(sheets)} sheets; the limit is {limits.max_sheets}", where)]
        for info in sheets:
            try:
                size = _declared_size(archive, info)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
                problems.append(make(NOT_A_WORKBOOK, f"part {info.filename} cannot be read ({error})", where))
                continue
            if size is None:
                continue
            rows, columns = size
            if rows > limits.max_rows or columns > limits.max_columns:
                problems.append(make(
                    WORKBOOK_TOO_LARGE,
                    f"part {info.filename} declares {rows:,} rows and {columns:,} columns; the limits are "
                    f"{limits.max_rows:,} rows and {limits.max_columns:,} columns",
                    where,
                ))
    return problems


def open_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS, *, data_only: bool = True) -> Any:
    """Open a checked workbook read-only, formulas replaced by their cached values, macros dropped.

    Raises :class:`~regframe.core.diagnostics.InputError` carrying the diagnostics
    if the file fails a check or openpyxl cannot read it. Close the returned
    workbook (``wb.close()``) when done: read-only workbooks keep the file open.
    """
    import openpyxl

    problems = check_workbook(path, limits)
    if problems:
        raise InputError(problems)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_vba=False, keep_links=False)
    except Exception as error:  # openpyxl raises many types for damaged files  # noqa: BLE001
        raise InputError([make(NOT_A_WORKBOOK, f"{Path(path).name} cannot be opened: {type(error).__name__}: {error}",
                               Location(file=str(path)))]) from error
