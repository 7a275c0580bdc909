"""Turning spreadsheet and CSV cell values into typed values, forgivingly.

LAs' files arrive saved by Excel, LibreOffice and scripts: ``10.0`` in an
integer column, dates as serial numbers or as text in either UK or ISO
order, ``Yes``/``Y``/``TRUE``, trailing and non-breaking spaces, Ofsted's
``a) Yes`` list prefixes. These functions accept all of those and raise
:class:`CellError` with a message fit for an analyst when a value cannot
mean what the column needs. They are shared by every tabular reader.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

#: Excel's day zero for the 1900 date system (serial 1 is 1900-01-01; 60 is the fictitious 1900-02-29).
_EXCEL_1900 = dt.date(1899, 12, 30)
_EXCEL_1904 = dt.date(1904, 1, 1)
#: serial numbers accepted as dates: 1 Jan 1950 to 31 Dec 2099
_SERIAL_RANGE = (18264, 73050)

_TEXT_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%d/%m/%y")
_LIST_PREFIX = re.compile(r"^[a-z]{1,2}\)\s*", re.IGNORECASE)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class CellError(ValueError):
    """A cell's value cannot be read as the column's type; the message says what was expected."""


def clean_text(value: Any) -> str:
    """Text of a cell: NFKC-normalised (non-breaking spaces become spaces), whitespace collapsed and trimmed.

    Whole floats print without ``.0`` (an id typed as 123456 comes back from Excel as 123456.0).
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def is_blank(value: Any) -> bool:
    return clean_text(value) == ""


def header_key(text: Any) -> str:
    """A header reduced to lower-case letters and digits, so ``Date of  Last\xa0IRO visit*`` matches ``date of last iro visit``."""
    return re.sub(r"[^0-9a-z]+", "", clean_text(text).casefold())


def strip_list_prefix(text: str) -> str:
    """Drop an Annex A-style list prefix: ``a) Yes`` -> ``Yes``, ``ab) E47: ...`` -> ``E47: ...``."""
    return _LIST_PREFIX.sub("", text, count=1)


def to_date(value: Any, *, epoch: dt.date = _EXCEL_1900) -> dt.date:
    """A date from a datetime, an Excel serial number, or text in UK (dd/mm/yyyy) or ISO (yyyy-mm-dd) order."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a date")
    if isinstance(value, (int, float)):
        try:
            return _serial(float(value), epoch)
        except OverflowError:
            raise CellError(f"{_shown(value)} is not a date") from None
    text = clean_text(value)
    if not text:
        raise CellError("the date is empty")
    if re.fullmatch(r"\d+(\.0+)?", text):
        return _serial(float(text), epoch)
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)  # a time of day after the date
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"{text!r} is not a date; write dd/mm/yyyy or yyyy-mm-dd")


def _serial(number: float, epoch: dt.date) -> dt.date:
    if math.isinf(number):
        raise CellError("a number too large to be a date")
    if not number.is_integer() and not number > 0:
        raise CellError(f"{number!r} is not a date")
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1] and epoch == _EXCEL_1900:
        raise CellError(f"{clean_text(number)} is not a date (as a spreadsheet date number it would be outside 1950-2099)")
    try:
        return epoch + dt.timedelta(days=int(number))
    except (OverflowError, ValueError):
        raise CellError(f"{_shown(number)} is not a date") from None


def epoch_of(workbook: Any) -> dt.date:
    """The day zero of a workbook's serial dates (1904 for old Mac workbooks)."""
    epoch = getattr(workbook, "epoch", None)
    if isinstance(epoch, dt.datetime) and epoch.year == 1904:
        return _EXCEL_1904
    return _EXCEL_1900


#: the largest whole number a spreadsheet cell (an IEEE double) holds exactly: 2**53
MAX_WHOLE = 9_007_199_254_740_992


def _shown(value: Any) -> str:
    """A value for a message, cut short: a 400-digit number is named, not printed."""
    text = clean_text(value) if not isinstance(value, int) or value.bit_length() < 1000 else f"a {len(str(value))}-digit number"
    return repr(text if len(text) <= 40 else text[:40] + "…")


def to_int(value: Any) -> int:
    """A whole number from ``10``, ``10.0``, ``"10"``, ``" 10.0 "``; ``10.5``, ``"ten"`` and numbers past 2**53 are errors."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{value!r} is not a whole number")
        number = int(value)
    else:
        text = clean_text(value).replace(",", "")
        parsed = _parse_number(text)
        if not math.isfinite(parsed):
            raise CellError(f"{_shown(text)} is not a number a spreadsheet can hold")
        if not parsed.is_integer():
            raise CellError(f"{_shown(text)} is not a whole number")
        number = int(parsed)
    if abs(number) > MAX_WHOLE:
        raise CellError(f"{_shown(value)} is too large: a spreadsheet holds whole numbers exactly only up to {MAX_WHOLE:,}")
    return number


def _parse_number(text: str) -> float:
    """Text as a number, the one way both readers of numbers parse it (thousands commas already removed)."""
    try:
        return float(text)
    except ValueError:
        raise CellError(f"{_shown(text)} is not a number") from None


def to_float(value: Any) -> float:
    """A number from a numeric cell or text (``"12.5"``, ``"1,200"``; ``"12.5 miles"``, ``"nan"`` and ``"1e999"`` are errors)."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            raise CellError(f"{_shown(value)} is too large a number") from None
    else:
        number = _parse_number(clean_text(value).replace(",", ""))
    if not math.isfinite(number):
        raise CellError(f"{_shown(value)} is not a number a spreadsheet can hold")
    return number


def to_bool(value: Any) -> bool:
    """Yes or no, from ``Yes``/``Y``/``TRUE``/``1`` or ``No``/``N``/``FALSE``/``0`` (any case, ``a) Yes`` too)."""
    if isinstance(value, bool):
        return value
    text = strip_list_prefix(clean_text(value)).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"{clean_text(value)!r} is not Yes or No")


def leading_code(value: Any) -> str:
    """The code at the start of a coded label: ``f) U6: Foster placement`` -> ``U6``, ``N1 - Abuse`` -> ``N1``."""
    text = strip_list_prefix(clean_text(value))
    match = re.match(r"([A-Za-z]+\d*[A-Za-z]?)\b", text)
    return match.group(1).upper() if match else text.upper()
