"""Naming what a workbook carries besides its cells: macros, links to other files, web links.

regframe reads a workbook's cell values and nothing else: it never runs a macro,
never refreshes a link, never follows a hyperlink. But such content is never
passed over unsaid either, because whoever opens the same file in Excel may run
or follow it, and a value that came through a link to another workbook is only
as current as the last time someone saved this one. :func:`scan` looks at the
zip's part names and at every relationship part, and says, with the part's name:

* **macros and other active content** (RF405, a warning): a VBA project
  (``vbaProject.bin``), Excel 4.0 macro sheets, ActiveX controls, embedded OLE
  objects. Not an error: LAs keep returns in macro-enabled workbooks, and the
  values are read all the same. The content is not read.
* **links to files outside the workbook** (RF406, a warning): external-workbook
  link parts (``xl/externalLinks/``) and every relationship whose target is
  outside the package and not a web address: ``file:`` URLs, UNC and drive paths,
  relative paths (clicking one opens a local file or leaks credentials to a
  server), judged by the rule both spreadsheet readers share
  (:func:`regframe.io.linktarget.classify`). A formula that refers to another workbook is named by the sheet reader
  (:mod:`regframe.io.xlsxread`), with its cell.
* **web links** (RF407, information): hyperlinks to ``http:``, ``https:`` or
  ``mailto:`` addresses, one notice per relationship part with their count. They
  are text in a cell, harmless to regframe; said so that nothing is silent.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from pathlib import Path

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.io.linktarget import Target, classify, shown
from regframe.io.partxml import PartError, flat_elements
from regframe.io.xlsxsafe import PART_DAMAGED
from regframe.io.zipsafe import PartStream, ZipDamage

ACTIVE_CONTENT = code(
    "RF405", Severity.WARNING, "workbook carries macros or other active content; it was neither run nor read",
    "The workbook holds a VBA project (vbaProject.bin), Excel 4.0 macro sheets, ActiveX controls or embedded "
    "OLE objects; or an ODS workbook holds macros (Basic/, Scripts/), macros bound to events (script:event-listener), "
    "a script in office:scripts, or a link whose target runs a macro (vnd.sun.star.script:). regframe reads only cell values: the content is never run, read or kept. It is named because "
    "whoever opens the file in Excel may run it; a return does not need it, so save it as .xlsx without macros.",
)
EXTERNAL_LINK = code(
    "RF406", Severity.WARNING, "workbook refers to files outside itself; regframe never opens them",
    "The workbook links to other workbooks (an external-link part, or a formula such as ='[1]Sheet1'!A1 or "
    "='C:\\\\folder\\\\[book.xlsx]Sheet1'!A1), or has a hyperlink or other relationship whose target is a file "
    "(file:, a UNC or drive path, a relative path); or an ODS sheet or range is linked from another file "
    "(table:table-source, table:cell-range-source), or a hyperlink, drawing or form control points at a file. "
    "regframe reads the values saved in this file and never "
    "opens the other; a value that came through a link is as old as the last save. Replace linked values by "
    "the values themselves (Paste Special, Values) before sending the return.",
)
WEB_LINKS = code(
    "RF407", Severity.INFO, "workbook has links to web addresses; they were not followed",
    "Hyperlinks (and, in ODS, drawings and form controls) to http:, https: or mailto: addresses are cell decorations: regframe never follows them. One "
    "notice per sheet (or other part) that has them, with their number and the first address.",
)

_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: part names of active content, by folder or file name
_ACTIVE = re.compile(r"(?:.*/)?(?:vbaProject\.bin|vbaProjectSignature\.bin)|xl/(?:macrosheets|activeX|embeddings)/.+",
                     re.IGNORECASE)
_EXTERNAL_LINK_PART = re.compile(r"xl/externalLinks/[^/]+\.xml", re.IGNORECASE)
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_KINDS = (("vbaproject", "a VBA project (macros)"), ("macrosheets", "an Excel 4.0 macro sheet"),
          ("activex", "an ActiveX control"), ("embeddings", "an embedded object"))


def formula_link(formula: str, where: Location) -> Diagnostic:
    """RF406 for a sheet's first formula that refers to another workbook, at its cell (xlsx and ODS say it alike)."""
    return make(EXTERNAL_LINK, f"the formula ={formula[:80]} refers to another workbook; its value is read as saved "
                               "in this file (further such formulas on this sheet are not listed)", where)


def _kind(name: str) -> str:
    lowered = name.lower()
    return next((what for key, what in _KINDS if key in lowered), "active content")


def scan(archive: zipfile.ZipFile, path: Path, damaged: Collection[str] = ()) -> list[Diagnostic]:
    """Every macro, link to another file and web link of the workbook, each with its part (see the module).

    Parts in ``damaged`` (see :func:`~regframe.io.xlsxsafe.damaged_parts`) are not read; the caller reports them.
    """
    problems: list[Diagnostic] = []
    names = sorted(info.filename for info in archive.infolist() if not info.is_dir())
    external: dict[str, list[str]] = {}  # relationship part -> targets outside the package, not web addresses
    for name in names:
        if name.endswith(".rels") and name not in damaged:
            files, web, broken = _relationships(archive, path, name)
            external[name] = files
            problems.extend(broken)
            if web:
                problems.append(make(WEB_LINKS, f"part {name}: {len(web)} link(s) to web addresses (the first: "
                                                f"{shown(web[0])}); never followed", Location(file=str(path), path=name)))
    for name in names:
        where = Location(file=str(path), path=name)
        if _ACTIVE.fullmatch(name):
            problems.append(make(ACTIVE_CONTENT, f"part {name} is {_kind(name)}; it was neither run nor read", where))
        elif _EXTERNAL_LINK_PART.fullmatch(name):
            folder, _, file = name.rpartition("/")
            targets = external.pop(f"{folder}/_rels/{file}.rels", [])
            to = f", {shown(targets[0])}" if targets else ""
            problems.append(make(EXTERNAL_LINK, f"part {name} links this workbook to another workbook{to}; values "
                                                "that came through it are read as saved in this file", where))
    for name, targets in external.items():
        if targets:
            problems.append(make(EXTERNAL_LINK, f"part {name}: {len(targets)} relationship(s) point outside the "
                                                f"workbook to a file (the first: {shown(targets[0])}); regframe "
                                                "never opens them", Location(file=str(path), path=name)))
    return sorted(problems, key=lambda d: (d.location.path or "", d.code))


def _relationships(archive: zipfile.ZipFile, path: Path, name: str) -> tuple[list[str], list[str], list[Diagnostic]]:
    """The targets of a relationship part outside the package, as (files, web addresses), and its damage."""
    files: list[str] = []
    web: list[str] = []
    try:
        with PartStream(archive, archive.getinfo(name)) as stream:
            for element in flat_elements(stream):
                if element.tag != _RELATIONSHIP or (element.get("TargetMode") or "").lower() != "external":
                    continue
                target = element.get("Target") or ""
                kind = classify(target)  # the rule the ODS reader judges its links by
                if kind is Target.WEB:
                    web.append(target)
                elif kind is not Target.INTERNAL:
                    files.append(target)  # a macro URL as a relationship's target is no web address either
    except (ZipDamage, PartError) as damage:
        if name == _WORKBOOK_RELS:  # the reader needs it, and reports it as an error if it cannot read it
            return files, web, []
        message = damage.describe() if isinstance(damage, PartError) else damage.message
        return files, web, [make(PART_DAMAGED, f"{message}; regframe needs nothing in it, but the links it may hold "
                                               "are not listed", Location(file=str(path), path=name),
                                 severity=Severity.WARNING)]
    return files, web, []
