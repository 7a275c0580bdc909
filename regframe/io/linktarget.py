"""What a link in a workbook points at: a web address, a file outside the workbook, a macro, or the workbook itself.

Both spreadsheet readers name the links a workbook carries (:mod:`regframe.io.xlsxactive` for an
xlsx relationship, :mod:`regframe.io.odsactive` for an ODS ``xlink:href``), and they must judge a
target by one rule, so that the same link is the same diagnostic in either format:

* ``http:``, ``https:``, ``mailto:`` — a web address (RF407): clicking it opens a browser;
* ``vnd.sun.star.script:``, ``macro:``, ``javascript:``, ``vbscript:`` — a macro or script run on a
  click (RF405);
* ``#Sheet1.A1``, an empty target, a ``data:`` URI (the content itself), or a relative path that
  names a part of the package (``Pictures/logo.png``, ``./Object 1``; ODF resolves relative
  references inside the package) — the workbook itself: nothing to say;
* anything else — ``file:`` and every other scheme (``smb:``, ``ftp:``), a UNC path
  (``\\\\server\\share``), a drive path (``C:\\book.xls``), an absolute or relative path naming no part
  (``../book.ods``) — a file outside the workbook (RF406): clicking or refreshing it opens a local
  file or hands credentials to a server.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable
from urllib.parse import unquote


class Target(enum.Enum):
    """Where a link points, as judged by :func:`classify`."""

    WEB = "web"
    FILE = "file"
    SCRIPT = "script"
    INTERNAL = "internal"


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_WEB_SCHEMES = frozenset({"http", "https", "mailto"})
_SCRIPT_SCHEMES = frozenset({"vnd.sun.star.script", "macro", "javascript", "vbscript"})


def package(names: Iterable[str]) -> frozenset[str]:
    """The names a relative link may give for something inside a zip of these part names: each part and each folder."""
    found: set[str] = set()
    for name in names:
        while name and name not in found:
            found.add(name)
            name = name.rstrip("/").rpartition("/")[0]
    return frozenset(found)


def classify(target: str, inside: Collection[str] = frozenset()) -> Target:
    """Where ``target`` points; a relative path is inside the workbook only if it is one of ``inside``.

    ``inside`` is :func:`package` of the zip's part names (the ODS reader's); an xlsx relationship
    marked ``TargetMode="External"`` is outside its package by definition, so its reader passes none.
    """
    text = target.strip()
    if not text or text.startswith("#"):
        return Target.INTERNAL
    scheme = _SCHEME.match(text)
    if scheme is not None and len(scheme.group(1)) > 1:  # "C:" is a drive, not a scheme
        name = scheme.group(1).lower()
        if name in _WEB_SCHEMES:
            return Target.WEB
        if name in _SCRIPT_SCHEMES:
            return Target.SCRIPT
        return Target.INTERNAL if name == "data" else Target.FILE
    if scheme is not None or text.startswith(("/", "\\")):
        return Target.FILE  # a drive, a UNC or an absolute path
    name = unquote(text.split("#", 1)[0])
    while name.startswith("./"):
        name = name[2:]
    name = name.rstrip("/")
    return Target.INTERNAL if name and name in inside else Target.FILE


def shown(target: str, limit: int = 200) -> str:
    """A target as a message quotes it: in quotes, cut at ``limit`` characters (a hostile one may be megabytes)."""
    return repr(target if len(target) <= limit else target[:limit] + "…")
