"""Writing text into spreadsheet cells so that it can never run as a formula.

Statements, titles and notes come from catalogue and revision files anyone can
write. A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) is a formula to Excel and LibreOffice if it is stored or
re-entered as one: the classic CSV/formula-injection route. openpyxl itself
turns any string starting with ``=`` into a formula. :func:`safe_text` returns
a value that openpyxl always stores as a literal string, and
:func:`write_row` also sets the cell's quote prefix, so a person who edits
the cell still sees text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.rich_text import CellRichText

#: First characters a spreadsheet takes as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# XML 1.0 forbids these control characters; openpyxl raises on them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(value: Any) -> str:
    """The text of a value for a cell: ``None`` is empty, characters XML cannot hold are dropped."""
    return "" if value is None else _ILLEGAL.sub("", str(value))


def safe_text(value: Any) -> str | CellRichText:
    """A value openpyxl stores as a literal string, whatever it begins with.

    Plain text comes back as ``str``; text a spreadsheet would read as a
    formula comes back wrapped in ``CellRichText``, which openpyxl writes as an
    inline string (``t="inlineStr"``), never as ``<f>``. Reading the file back
    gives the same text with ``cell.data_type == "s"``.
    """
    text = clean_text(value)
    return CellRichText([text]) if looks_like_formula(text) else text


def safe_value(value: Any) -> Any:
    """Numbers, dates and booleans pass through; everything else goes through :func:`safe_text`."""
    if value is None or isinstance(value, (bool, int, float)) or hasattr(value, "isoformat"):
        return value
    return safe_text(value)


def write_row(worksheet: Any, values: Iterable[Any]) -> None:
    """Append a row of values to a worksheet, every string made safe and marked as text."""
    row = [safe_value(v) for v in values]
    worksheet.append(row)
    for cell, value in zip(worksheet[worksheet.max_row], row, strict=False):
        if isinstance(value, CellRichText):
            cell.quotePrefix = True
