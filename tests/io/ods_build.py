"""Minimal ODS workbooks written by hand, so a test controls every byte of content.xml."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from regframe.io import ods

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" '
      'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"')


def cell(value: str, repeat: int | str | None = None) -> str:
    """A text cell (``num:3`` a number cell, ``""`` an empty one)."""
    times = "" if repeat is None else f' table:number-columns-repeated="{repeat}"'
    if value.startswith("num:"):
        return f'<table:table-cell{times} office:value-type="float" office:value="{value[4:]}"/>'
    if not value:
        return f"<table:table-cell{times}/>"
    return f'<table:table-cell{times} office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def row(*cells: str, repeat: int | str | None = None) -> str:
    """A row of cells made with :func:`cell` (a plain string is taken as a text cell)."""
    times = "" if repeat is None else f' table:number-rows-repeated="{repeat}"'
    made = "".join(c if c.startswith("<") else cell(c) for c in cells)
    return f"<table:table-row{times}>{made}</table:table-row>"


def content(tables: Mapping[str, Sequence[str]], prolog: str = "", head: str = "") -> str:
    """content.xml of the tables; ``head`` is XML before ``office:body`` (``office:scripts``, say)."""
    body = "".join(f'<table:table table:name="{name}">{"".join(rows)}</table:table>' for name, rows in tables.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}>{head}<office:body>'
            f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")


def workbook(path: Path, tables: Mapping[str, Sequence[str]], *, prolog: str = "", head: str = "",
             parts: Mapping[str, bytes | str] | None = None, stored: bool = False) -> Path:
    """An ODS file of the given tables (name -> rows); ``parts`` adds or replaces parts (``content.xml`` too)."""
    files: dict[str, bytes | str] = {"content.xml": content(tables, prolog, head), **(parts or {})}
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ods.ODS_MIMETYPE)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def read(path: Path, limits: ods.Limits = ods.DEFAULT_LIMITS) -> tuple[dict[str, list[tuple[int, list[str]]]], list[str]]:
    """Every sheet's rows and every problem, as ``location: severity code: message``."""
    problems: list = []
    sheets = {sheet.name: list(sheet.rows) for sheet in ods.sheets(path, problems, limits)}
    return sheets, [str(p) for p in problems]
