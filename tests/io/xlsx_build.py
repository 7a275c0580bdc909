"""Minimal xlsx workbooks written part by part, so a test controls every byte of the XML.

openpyxl writes well-formed workbooks only; the reader's tests need a sheet with a duplicated
attribute, a ``<v>`` that is not a number, a row numbered ``nan``. :func:`workbook` writes the
smallest valid package (content types, relationships, workbook, styles, shared strings, sheets)
with the sheets' ``<sheetData>`` given as text, and lets a test replace or add any part.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: cell styles: 0 General, 1 a date (built-in 14), 2 a percentage (built-in 10), 3 a custom date format
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="10"/><xf numFmtId="164"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def sheet_xml(rows: str, before: str = "", after: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            f"{before}<sheetData>{rows}</sheetData>{after}</worksheet>")


def shared_xml(strings: Sequence[str]) -> str:
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>'


def row(number: int | str | None, *cells: str, attributes: str = "") -> str:
    """``<row r="n">`` around cells written with :func:`number`, :func:`text`, :func:`shared`..."""
    r = "" if number is None else f' r="{number}"'
    return f"<row{r}{attributes}>{''.join(cells)}</row>"


def number(ref: str, value: object, style: int | str | None = None) -> str:
    s = "" if style is None else f' s="{style}"'
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def shared(ref: str, index: int | str) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def workbook(path: Path, sheets: Mapping[str, str], *, strings: Sequence[str] = (), styles: str = STYLES,
             parts: Mapping[str, bytes | str] | None = None, date1904: bool = False) -> Path:
    """Write a workbook whose sheets (title -> ``<sheetData>`` rows, or a whole sheet part) are given as text.

    ``parts`` replaces any part by name (or adds one); a value of ``b""`` leaves the part out.
    """
    names = list(sheets)
    properties = ' date1904="1"' if date1904 else ""
    files: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(names) + 1))
            + '<Override PartName="/xl/styles.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + '<Override PartName="/xl/sharedStrings.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{RELS}">'
                        f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
                        "</Relationships>"),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            f"<workbookPr{properties}/><sheets>"
            + "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, 1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{RELS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
            + f'<Relationship Id="rId{len(names) + 2}" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/styles.xml": styles,
        "xl/sharedStrings.xml": shared_xml(strings),
    }
    for index, name in enumerate(names, 1):
        content = sheets[name]
        files[f"xl/worksheets/sheet{index}.xml"] = content if content.lstrip().startswith("<?xml") else sheet_xml(content)
    files.update(parts or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            if data != b"":
                archive.writestr(name, data)
    return path


def rewrite(source: Path, target: Path, changes: Mapping[str, bytes | str]) -> Path:
    """A copy of a workbook with some parts replaced (or added); ``b""`` leaves a part out."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in changes:
                new.writestr(info.filename, old.read(info))
        for name, data in changes.items():
            if data != b"":
                new.writestr(name, data)
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def damage(path: Path, name: str, how: str) -> Path:
    """Damage part ``name`` in place: ``"crc"`` stores it and changes the first ``MARK`` in it to ``MARX`` (its
    CRC-32 no longer matches, its XML is still well-formed), ``"deflate"`` overwrites bytes in the middle of its
    compressed data."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in contents.items():
            method = zipfile.ZIP_STORED if member == name and how == "crc" else zipfile.ZIP_DEFLATED
            archive.writestr(member, data, compress_type=method)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    raw = bytearray(path.read_bytes())
    name_length, extra_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    if how == "crc":
        at = raw.index(b"MARK", start, start + info.compress_size)
        raw[at + 3] = ord("X")
    else:
        middle = start + info.compress_size // 2
        raw[middle:middle + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    return path
