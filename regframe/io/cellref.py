"""Cell references as spreadsheets write them: column letters to numbers and back.

Its own module, with nothing imported, so that a reader that only names cells (the ODS reader)
does not import openpyxl with the xlsx sheet reader (:mod:`regframe.io.xlsxsheet`).
"""

from __future__ import annotations


def column_letters(column: int) -> str:
    """A 1-based column number as its letters (1 → A, 27 → AA), as cell references write it."""
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text
