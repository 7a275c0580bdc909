"""Checking a workbook before anything reads it, so a hostile file fails fast.

An ``.xlsx`` file is a zip of XML parts. A few kilobytes can inflate to
gigabytes (a zip bomb), declare a million rows, or carry a DTD whose entities
expand without end, and a reader that trusts it would try to read it all.
:func:`check_archive` looks only at the zip directory and the first bytes of
each part: the entry count, each part's compression method and uncompressed
size, their total, the compression ratio, the sheet count, each sheet's
declared dimension, and every part's prolog, where a DOCTYPE is refused
whichever part it is in (regframe reads only some of the parts; another
program opening the same file reads the rest). Only a workbook that passes is
read, by :mod:`regframe.io.xlsxread`; the limits that only streaming can check
(rows, columns, cell and row sizes) are held there, with the same
:class:`Limits`.

:func:`open_workbook` opens a checked workbook with openpyxl, read-only, with
cached values instead of formulas and without its VBA project. regframe's
readers do not use it (they stream with :mod:`regframe.io.xlsxread`); it is
there for reading back the workbooks regframe writes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import attrs

from regframe.core.diagnostics import Diagnostic, InputError, Location, Severity, code, make
from regframe.io import xmlsafe
from regframe.io.partxml import PartError, check_prolog, unsafe_in_part
from regframe.io.zipsafe import PartStream, ZipDamage, open_archive

NOT_A_WORKBOOK = code(
    "RF400", Severity.ERROR, "file is not a readable xlsx workbook",
    "The file is not a zip-based Excel workbook (.xlsx or .xlsm), or its zip structure is damaged, or one of "
    "the parts every workbook needs (the workbook part, its relationships, the shared strings or styles it "
    "names) cannot be read. Old binary .xls files and password-protected workbooks are not read: save the "
    "file as .xlsx, without a password, and try again.",
)
WORKBOOK_TOO_LARGE = code(
    "RF401", Severity.ERROR, "workbook exceeds a safety limit",
    "Before reading a workbook regframe checks its zip directory: the number of entries, each part's "
    "uncompressed size (256 MiB; 32 MiB for the workbook, relationship and style parts) and their total "
    "(512 MiB), the compression ratio of each part (200 to 1), the number of sheets (200), each sheet's "
    "declared row and column count (Excel's 1,048,576 and 16,384), and the size of the shared strings table "
    "(1,048,576 strings, 32 Mi characters). A file over a limit is refused without being read, because a "
    "small file that inflates to gigabytes (a zip bomb) would otherwise exhaust memory. If the file is "
    "genuine, split it, or raise the limit through the API's ``limits`` argument.",
)

PART_DAMAGED = code(
    "RF402", Severity.ERROR, "workbook part is damaged; what follows the damage was not read",
    "A part of the workbook's zip cannot be read as written. Its compressed data (a corrupt deflate stream, a "
    "CRC-32 that does not match, a truncated part) is checked before anything is read, since a checksum says "
    "nothing of where the damage is: a damaged sheet is not read (the other sheets are), damage in the workbook "
    "part, its relationships, shared strings or styles stops the whole workbook, and damage in a part regframe "
    "does not read (document properties, a theme) is only a warning. XML that stops being well-formed part-way "
    "through a sheet is met while it streams: the rows before it are kept, the diagnostic names the sheet and "
    "row (and the part and XML line in its message), and nothing after it is read. Save the file again from "
    "Excel or LibreOffice; if it came by e-mail or download, fetch it again.",
)


@attrs.frozen
class Limits:
    """Upper bounds for a workbook regframe will read. Generous for any real LA return or Annex A.

    The first group is checked on the zip directory before anything is read; the second while each
    sheet streams (see :mod:`regframe.io.xlsxread`). Rows, columns and the cell length are Excel's own.
    """

    #: entries in the zip, judged from its end-of-central-directory record before the directory is built
    max_entries: int = 2_000
    #: all parts together, uncompressed
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    #: any one part, uncompressed
    max_part_bytes: int = 256 * 1024 * 1024
    #: the workbook, relationship, style and content-type parts, which are read whole or element by element
    max_meta_part_bytes: int = 32 * 1024 * 1024
    #: uncompressed / compressed size of any one part; real sheets compress 5-20x, bombs 1000x+
    max_ratio: float = 200.0
    #: parts smaller than this are never judged by ratio (tiny parts compress oddly)
    ratio_floor_bytes: int = 1024 * 1024
    #: sheets in the workbook
    max_sheets: int = 200
    #: rows of a sheet, by count and by number (Excel's last row); a sheet past it is not read
    max_rows: int = 1_048_576
    #: columns (Excel's last, XFD); cells past it are not read
    max_columns: int = 16_384
    #: characters in one cell (Excel's limit); a longer cell is not read
    max_cell_chars: int = 32_767
    #: the XML of one row (or of what comes before the first row, or of one shared string); stops the sheet
    max_row_bytes: int = 4 * 1024 * 1024
    #: the characters of one row's values, shared strings counted at each use; a longer row is not read
    max_row_chars: int = 4 * 1024 * 1024
    #: strings in the shared strings table
    max_shared_strings: int = 1_048_576
    #: characters in the shared strings table
    max_shared_chars: int = 32 * 1024 * 1024


DEFAULT_LIMITS = Limits()

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
_HEAD_BYTES = 4096
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
#: parts read whole or element by element, held to the smaller size limit
_META_PART = re.compile(r"(?:\[Content_Types\]\.xml|.*\.rels|xl/workbook\.xml|xl/styles\.xml)")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - 64)
    return number


def _declared_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int] | None:
    """Rows and columns a worksheet part declares in its ``<dimension>``, reading only its first bytes."""
    with PartStream(archive, info) as stream:
        head = stream.read(_HEAD_BYTES)
    match = _DIMENSION.search(head)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    col = (last_col or first_col or b"A").decode("ascii")
    row = int(last_row or first_row or b"1")
    return row, _column_number(col)


def open_checked(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[zipfile.ZipFile | None, list[Diagnostic]]:
    """The workbook's zip, opened and checked; ``(None, problems)`` if it must not be read.

    Parts whose compressed data is damaged do not stop it here: which of them matter depends on
    what they are, so they are left to the reader (see :func:`damaged_parts`).
    """
    where = Location(file=str(path))
    try:
        archive = open_archive(path, limits.max_entries)
    except ZipDamage as damage:
        which = WORKBOOK_TOO_LARGE if "entries" in damage.message else NOT_A_WORKBOOK
        return None, [make(which, f"{path.name}: {damage.message}", where)]
    problems = check_archive(archive, path, limits)
    if problems:
        archive.close()
        return None, problems
    return archive, []


def check_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Diagnostic]:
    """Every reason not to read ``path`` as a workbook, damaged parts included; an empty list means it is safe."""
    path = Path(path)
    archive, problems = open_checked(path, limits)
    if archive is not None:
        with archive:
            problems = [make(PART_DAMAGED, message, Location(file=str(path), path=part))
                        for part, message in damaged_parts(archive).items()]
    return problems


def check_archive(archive: zipfile.ZipFile, path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Diagnostic]:
    """The directory checks and the prolog of every part (see the module's docstring); never raises."""
    where = Location(file=str(path))
    entries = archive.infolist()
    names = {info.filename for info in entries}
    if "xl/workbook.xml" not in names:
        return [make(NOT_A_WORKBOOK, f"{path.name} is a zip file but not an xlsx workbook (no xl/workbook.xml)", where)]
    problems = _size_problems(entries, where, limits)
    if problems:
        return problems
    sheets = [info for info in entries if _SHEET_PART.fullmatch(info.filename)]
    if len(sheets) > limits.max_sheets:
        return [make(WORKBOOK_TOO_LARGE, f"the workbook has {len(sheets)} sheets; the limit is {limits.max_sheets}", where)]
    for info in sheets:
        try:
            size = _declared_size(archive, info)
        except ZipDamage:
            continue  # damaged data: found by damaged_parts, and reported by the reader with the sheet's name
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
    return problems or prolog_problems(archive, path)


def _size_problems(entries: list[zipfile.ZipInfo], where: Location, limits: Limits) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    total = sum(info.file_size for info in entries)
    if total > limits.max_uncompressed_bytes:
        problems.append(make(
            WORKBOOK_TOO_LARGE,
            f"the parts inflate to {total:,} bytes; the limit is {limits.max_uncompressed_bytes:,}", where,
        ))
    for info in entries:
        limit = limits.max_meta_part_bytes if _META_PART.fullmatch(info.filename) else limits.max_part_bytes
        if info.file_size > limit:
            problems.append(make(
                WORKBOOK_TOO_LARGE,
                f"part {info.filename} inflates to {info.file_size:,} bytes; the limit for it is {limit:,}", where,
            ))
            continue
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
    return problems


def prolog_problems(archive: zipfile.ZipFile, path: Path) -> list[Diagnostic]:
    """A DOCTYPE (RF102) in any part, named by the part.

    Each part is read only up to its root element (a few hundred bytes for a normal part), so this
    costs little however large the parts are. Parts that are not XML (images, printer settings,
    a VBA project) pass: their first bytes end the prolog at once. A part whose data is damaged
    passes too: :func:`damaged_parts` finds it.
    """
    problems: list[Diagnostic] = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            with PartStream(archive, info) as stream:
                check_prolog(stream)
        except xmlsafe.UnsafeXML as unsafe:
            problems.append(unsafe_in_part(unsafe, str(path), info.filename))
        except (ZipDamage, PartError):
            continue
    return problems


def damaged_parts(archive: zipfile.ZipFile, watch: Mapping[str, Callable[[bytes], None]] | None = None,
                  only: Collection[str] | None = None) -> dict[str, str]:
    """Each part whose compressed data is damaged, with what is wrong: found by inflating every part once.

    A CRC-32 mismatch is only known once a part has been read to its end, and then it says nothing
    of where the damage is; so the data is checked before anything is trusted, at the cost of one
    pass of ``zlib`` over the parts (sizes are limited first). Damage to the XML itself is met, and
    reported at its row, while the sheet streams. ``watch`` maps part names to a function given each
    chunk of that part as it is inflated, so a caller can look at the bytes in the same pass;
    ``only`` limits the check to some parts.
    """
    damaged: dict[str, str] = {}
    for info in archive.infolist():
        if info.is_dir() or (only is not None and info.filename not in only):
            continue
        see = (watch or {}).get(info.filename)
        try:
            with PartStream(archive, info) as stream:
                while chunk := stream.read(1 << 20):
                    if see is not None:
                        see(chunk)
        except ZipDamage as damage:
            damaged[info.filename] = damage.message
    return damaged


def open_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS, *, data_only: bool = True) -> Any:
    """Open a checked workbook with openpyxl, read-only, formulas replaced by their cached values, macros dropped.

    For reading back workbooks regframe wrote; input is read by :mod:`regframe.io.xlsxread`. Raises
    :class:`~regframe.core.diagnostics.InputError` carrying the diagnostics if the file fails a check
    or openpyxl cannot open it. Close the returned workbook (``wb.close()``) when done.
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
