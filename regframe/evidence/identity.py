"""The one canonical form of the identifiers that join files together: LA child ids, LA codes, URNs.

Two files describe the same child or the same setting only if they spell its
identifier the same way, and they rarely do: ``ab1`` in one LA system is
``AB1`` in its SSDA903 extract; Excel turns ``1234567`` into ``1234567.0``;
a URN is typed ``sc 123456``. Every reader and the pseudonymiser go through
these functions, so each identifier has exactly one spelling inside regframe
and a fact cannot change meaning with the reader it came through.

Child ids are treated as case-insensitive codes (SSDA903's CHILD is an LA's
own alphanumeric id; no LA issues ``ab1`` and ``AB1`` to two children), so the
canonical form is upper case with all whitespace removed. Leading zeros are
kept: ``0123`` and ``123`` may be two children.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: an Ofsted social care URN (SC + 6 digits, or 7 digits) or a school's 6-digit URN (a residential school)
URN_PATTERN = re.compile(r"SC\d{6}|\d{6,7}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number comes back from a spreadsheet as 123456.0
    return unicodedata.normalize("NFKC", str(value))


def canonical_child_id(value: Any) -> str:
    """An LA child id as regframe compares and pseudonymises it: NFKC, no whitespace, upper case."""
    return "".join(_text(value).split()).upper()


def canonical_la_code(value: Any) -> str:
    """An LA code (DfE number ``901`` or ONS code ``E08000035``): trimmed, upper case."""
    return "".join(_text(value).split()).upper()


def canonical_urn(value: Any) -> str | None:
    """A URN in its one form (``SC123456``, ``1234567``, or a school's ``123456``), or ``None`` if it is not one."""
    urn = "".join(_text(value).split()).upper()
    return urn if URN_PATTERN.fullmatch(urn) else None
