"""Detecting what a file is from its content, not its name.

Analysts rename files, save CSVs from Excel with the wrong extension, and zip
things. ``detect`` looks at the bytes: the XML root element's namespace and
name, the CSV header row, the workbook's sheet names. The extension is only a
hint for choosing which of these to try first.
"""

from __future__ import annotations

import csv
import enum
import io
from pathlib import Path

from lxml import etree

from regframe.io import xmlsafe

CATALOGUE_NS = "urn:x-regframe:catalogue:1"
REVISION_NS = "urn:x-regframe:revision:1"
EVIDENCE_NS = "urn:x-regframe:evidence:1"


class Format(enum.Enum):
    CATALOGUE = "catalogue"
    REVISION = "revision"
    EVIDENCE_XML = "evidence-xml"
    SSDA903_XML = "ssda903-xml"
    SSDA903_CSV = "ssda903-csv"
    OFSTED_CSV = "ofsted-csv"
    OFSTED_ODS = "ofsted-ods"
    LA_RETURN = "la-return"
    ANNEX_A = "annex-a"
    CQC_API = "cqc-api"
    CQC_LINK = "cqc-link"
    UNKNOWN = "unknown"


_SSDA903_COLUMNS = {"CHILD"}
_OFSTED_COLUMNS = {"URN", "PROVISION TYPE"}
_CQC_LINK_COLUMNS = {"URN", "CQC LOCATION ID"}
#: the key every CQC API location record has, looked for in a JSON file's first 64 KiB
_CQC_LOCATION_KEY = b'"locationId"'


def _xml_root(path: Path) -> tuple[str | None, str | None]:
    """The namespace and local name of the root element, read by streaming only the start."""
    try:
        for _event, element in xmlsafe.iterparse_file(path, events=("start",)):
            name = etree.QName(element)
            return name.namespace, name.localname
    except (xmlsafe.UnsafeXML, etree.XMLSyntaxError, OSError):
        return None, None
    return None, None


def _csv_header(path: Path) -> list[str]:
    raw = path.open("rb").read(64 * 1024)
    text = decode_bytes(raw)
    try:
        row = next(csv.reader(io.StringIO(text)))
    except (StopIteration, csv.Error):
        return []
    return [cell.strip().lstrip("\ufeff").upper() for cell in row]


def decode_bytes(raw: bytes) -> str:
    """Decode text whose encoding we must detect: UTF-8 (with or without BOM), else cp1252.

    Ofsted's in-year files are cp1252 although they look like UTF-8 files;
    strict UTF-8 decoding fails on them, and cp1252 is the encoding Excel on
    Windows writes.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if error.start >= len(raw) - 3:
            return raw[: error.start].decode("utf-8")
        return raw.decode("cp1252", errors="replace")


def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``, judged from the whole file's bytes."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _sheet_names(path: Path) -> list[str]:
    """The sheet names of an xlsx workbook, read within the workbook limits; ``[]`` if they cannot be read.

    A damaged or hostile workbook is not recognised here; the reason is given when the file is
    reported as unreadable (:func:`regframe.io.xlsxread.refusal`).
    """
    from regframe.io.xlsxread import sheet_names

    return sheet_names(path)


def _json_start(path: Path) -> bool:
    """Whether the file's first character after any BOM and white space opens a JSON object or list."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def _is_cqc_json(path: Path) -> bool:
    """A JSON file that names ``locationId`` near its start: CQC API location records (one, a list, or JSON Lines)."""
    with path.open("rb") as handle:
        return _CQC_LOCATION_KEY in handle.read(64 * 1024)


def detect(path: str | Path) -> Format:
    path = Path(path)
    if not path.is_file():
        return Format.UNKNOWN
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        names = {name.strip().lower() for name in _sheet_names(path)}
        if "children placed" in names or "setting signals" in names:
            return Format.LA_RETURN
        if any(name.startswith("list 8") or name.startswith("list_8") for name in names):
            return Format.ANNEX_A
        return Format.UNKNOWN
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"[") or (not stripped and _json_start(path)):
        return Format.CQC_API if _is_cqc_json(path) else Format.UNKNOWN
    if stripped.startswith(b"<"):
        namespace, local = _xml_root(path)
        if namespace == CATALOGUE_NS:
            return Format.CATALOGUE
        if namespace == REVISION_NS:
            return Format.REVISION
        if namespace == EVIDENCE_NS:
            return Format.EVIDENCE_XML
        if local is not None and local.upper() == "EXPSSDA903":
            return Format.SSDA903_XML
        return Format.UNKNOWN
    header = set(_csv_header(path))
    if _CQC_LINK_COLUMNS <= header:
        return Format.CQC_LINK
    if _OFSTED_COLUMNS <= header:
        return Format.OFSTED_CSV
    if _SSDA903_COLUMNS <= header:
        return Format.SSDA903_CSV
    return Format.UNKNOWN
