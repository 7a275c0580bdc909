"""Writing CSV and TSV that a spreadsheet opens as text, never as formulas.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice when a CSV is opened: the CSV-injection route. The
characters are the xlsx writer's (:data:`regframe.io.xlsxcells.FORMULA_TRIGGERS`, the one
place the rule is written). As OWASP advises, such text is written with a single quote
before it, which the spreadsheet shows as text; quoting of separators and quotes is
``csv``'s. Numbers, dates and booleans are written as they are, so ``-3`` stays a
number. JSON, JSON Lines and HTML carry values as they are: they are not opened as
formulas.
"""

from __future__ import annotations

from typing import Any

from regframe.io.xlsxcells import looks_like_formula

#: what goes before text a spreadsheet would take for a formula
QUOTE = "'"


def formula_safe(value: Any) -> Any:
    """``value`` for a CSV or TSV cell: text that would start a formula gets a leading ``'``; the rest as it is."""
    if isinstance(value, str) and looks_like_formula(value):
        return QUOTE + value
    return value
