"""Naming what an ODS workbook carries besides its cells: macros, macros bound to events, links to files and the web.

The ODS counterpart of :mod:`regframe.io.xlsxactive`, with the same codes and the same rule for a
link's target (:func:`regframe.io.linktarget.classify`): regframe never runs a macro, refreshes a
linked sheet or follows a hyperlink, and never passes one over unsaid either, because whoever opens
the file may. In an ODS package these live in the XML of the parts, not in relationship parts, so
the reader (:mod:`regframe.io.ods`) hands :class:`Scan` the elements that carry them *while it
streams* ``content.xml`` for its rows (its pull parser is asked for :data:`TAGS` too; no second
pass), and :func:`scan_part` streams ``styles.xml`` (headers and footers may hold links) the same way:

* ``text:a`` (a hyperlink in a cell, a header or a shape), ``draw:*`` and ``form:*`` elements
  (a linked image or object, a button or a form's submission address), ``table:table-source``
  (a sheet linked from another file) and ``table:cell-range-source`` (a range linked from one), each
  by its ``xlink:href``: a web address is RF407 (information), a file outside the workbook RF406
  (a warning), a macro URL (``vnd.sun.star.script:``) RF405; a place inside the workbook, nothing;
* ``script:event-listener`` / ``presentation:event-listener`` (a macro bound to an event: a click, a
  sheet opened) and an ``office:script`` that is not empty: RF405 (LibreOffice writes an empty
  ``<office:scripts/>`` in every file; that is no macro).

Links are counted per sheet (or, outside any sheet, per part): one notice per sheet and code, with the
count, the first target, what carries it and its row.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import attrs

from regframe.core.diagnostics import Diagnostic, Location, Severity, make
from regframe.io import partxml, xlsxactive, xmlsafe
from regframe.io.linktarget import Target, classify, package, shown
from regframe.io.partxml import PartError
from regframe.io.xlsxsafe import PART_DAMAGED
from regframe.io.zipsafe import PartStream, ZipDamage

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_FORM = "{urn:oasis:names:tc:opendocument:xmlns:form:1.0}"
_SCRIPT = "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}"
_PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_HREF = "{http://www.w3.org/1999/xlink}href"

#: the elements that may carry a link or a macro, for the pull parser's tag filter
TAGS = (_TEXT + "a", _TABLE + "table-source", _TABLE + "cell-range-source", _DRAW + "*", _FORM + "*",
        _SCRIPT + "event-listener", _PRESENTATION + "event-listener", _OFFICE + "script")
_LISTENERS = (_SCRIPT + "event-listener", _PRESENTATION + "event-listener")
#: what carries a link, for the message
_CARRIERS = {_TEXT + "a": "a hyperlink", _TABLE + "table-source": "the sheet's data, linked from it",
             _TABLE + "cell-range-source": "a range's data, linked from it"}
#: the parts of an ODS package that hold macros
MACRO_PARTS = re.compile(r"(?:Basic|Scripts)/.+")
#: styles.xml is read for links only up to this size (it is some 200 KB in Ofsted's workbook)
MAX_SCANNED_PART_BYTES = 16 * 1024 * 1024
_EXACT = frozenset(tag for tag in TAGS if not tag.endswith("*"))


def wanted(tag: Any) -> bool:
    """Whether an element is one of :data:`TAGS` (for a parse that is not filtered by them)."""
    return isinstance(tag, str) and (tag in _EXACT or tag.startswith((_DRAW, _FORM)))


def _carrier(tag: str) -> str:
    if tag in _CARRIERS:
        return _CARRIERS[tag]
    prefix = "draw" if tag.startswith(_DRAW) else "form"
    return f"a {prefix}:{tag.rsplit('}', 1)[-1]} element"


@attrs.define
class _Found:
    """The links of one code met in one sheet (or part): how many, and the first."""

    count: int
    first: str
    row: int | None


class Scan:
    """The links and macros met in one part, counted per sheet, said when a sheet ends (:meth:`said`)."""

    def __init__(self, path: Path, part: str, names: list[str]) -> None:
        self.path = path
        self.part = part
        #: the names a relative link may give for a part of the package (see :func:`~regframe.io.linktarget.package`)
        self.inside = package(names)
        self._found: dict[tuple[str | None, str], _Found] = {}

    def met(self, event: str, element: Any, sheet: str | None, row: int | None) -> None:
        """One event of an element of :data:`TAGS`: the link or macro it carries, counted."""
        tag = element.tag
        if tag == _OFFICE + "script":
            if event == "end" and (len(element) or (element.text or "").strip()):
                language = element.get(_SCRIPT + "language") or "a language not given"
                self._add(sheet, xlsxactive.ACTIVE_CONTENT.id, f"a script in {language}", row)
            return
        if event != "start":
            return
        if tag in _LISTENERS:
            macro = element.get(_HREF) or element.get(_SCRIPT + "macro-name") or "?"
            name = element.get(_SCRIPT + "event-name") or "an event"
            self._add(sheet, xlsxactive.ACTIVE_CONTENT.id, f"{name!r} runs {shown(macro)}", row)
            return
        target = element.get(_HREF)
        if target is None:
            return
        kind = classify(target, self.inside)
        if kind is not Target.INTERNAL:
            code = {Target.WEB: xlsxactive.WEB_LINKS, Target.FILE: xlsxactive.EXTERNAL_LINK}.get(
                kind, xlsxactive.ACTIVE_CONTENT).id
            self._add(sheet, code, f"{shown(target)}, {_carrier(tag)}", row)

    def _add(self, sheet: str | None, code: str, first: str, row: int | None) -> None:
        found = self._found.get((sheet, code))
        if found is None:
            self._found[(sheet, code)] = _Found(1, first, row)
        else:
            found.count += 1

    def said(self, sheet: str | None = None, *, every: bool = False) -> list[Diagnostic]:
        """The notices of ``sheet`` (of every sheet left, with ``every``), in code order; they are not said again."""
        keys = sorted((key for key in self._found if every or key[0] == sheet),
                      key=lambda key: (key[0] is not None, key[0] or "", key[1]))
        return [self._notice(key[0], key[1], self._found.pop(key)) for key in keys]

    def _notice(self, sheet: str | None, code: str, found: _Found) -> Diagnostic:
        where = Location(file=str(self.path), path=self.part, sheet=sheet, row=found.row)
        of = f"part {self.part}" + (f", sheet {sheet!r}" if sheet is not None else "")
        at = f" at row {found.row:,}" if found.row is not None else ""
        if code == xlsxactive.ACTIVE_CONTENT.id:
            return make(xlsxactive.ACTIVE_CONTENT, f"{of}: {found.count} macro(s) bound to events or links (the first: "
                        f"{found.first}{at}); they were neither run nor read", where)
        if code == xlsxactive.EXTERNAL_LINK.id:
            return make(xlsxactive.EXTERNAL_LINK, f"{of}: {found.count} link(s) point outside the workbook to a file "
                        f"(the first: {found.first}{at}); regframe never opens them, and values that came through "
                        "them are read as saved in this file", where)
        return make(xlsxactive.WEB_LINKS, f"{of}: {found.count} link(s) to web addresses (the first: "
                    f"{found.first}{at}); never followed", where)


def macro_parts(archive: zipfile.ZipFile, path: Path) -> list[Diagnostic]:
    """RF405 for each part of the package that holds macros (``Basic/``, ``Scripts/``)."""
    return [make(xlsxactive.ACTIVE_CONTENT, f"part {info.filename} holds macros; they were neither run nor read",
                 Location(file=str(path), path=info.filename))
            for info in archive.infolist() if MACRO_PARTS.fullmatch(info.filename)]


def scan_part(archive: zipfile.ZipFile, path: Path, part: str) -> list[Diagnostic]:
    """The links and macros of a part the reader does not otherwise read (``styles.xml``), streamed and let go.

    A part that is absent says nothing; one too large, or damaged, is a warning that its links are not
    listed (regframe needs nothing else in it). A DOCTYPE was named already, by the prolog check.
    """
    try:
        info = archive.getinfo(part)
    except KeyError:
        return []
    where = Location(file=str(path), path=part)
    if info.file_size > MAX_SCANNED_PART_BYTES:
        return [make(PART_DAMAGED, f"part {part} inflates to {info.file_size:,} bytes, more than regframe reads "
                     "for its links; the links it may hold are not listed", where, severity=Severity.WARNING)]
    scan = Scan(path, part, archive.namelist())
    try:
        with PartStream(archive, info) as stream:
            # every element, each let go at its end, so memory stays flat whatever the part holds
            for events, _position in partxml.chunks(stream, events=("start", "end")):
                for event, element in events:
                    if wanted(element.tag):
                        scan.met(event, element, None, None)
                    if event == "end":
                        partxml.release(element)
    except xmlsafe.UnsafeXML:
        return []  # a DOCTYPE: named by the reader's check of every part's prolog
    except (PartError, ZipDamage) as damage:
        message = damage.describe() if isinstance(damage, PartError) else damage.message
        return [*scan.said(every=True), make(PART_DAMAGED, f"{message}; regframe needs nothing in it, but the "
                                             "links it may hold are not listed", where, severity=Severity.WARNING)]
    return scan.said(every=True)
