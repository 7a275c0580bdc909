"""Structure-aware mutations of spreadsheet parts, and the checks every mutated spreadsheet must pass.

A mutation is a tuple of operations, each a plain tuple, so a failing example prints as data
and can be kept as a regression case (see ``REGRESSIONS`` in the fuzz tests):

* ``("flip", at, byte)``: the byte at fraction ``at`` of the data set to ``byte``;
* ``("truncate", at)``: the data cut at fraction ``at``;
* ``("insert", at, text)``: ``text`` inserted at fraction ``at``;
* ``("duplicate", at, count)``: the "line" at fraction ``at`` (the text between two ``>``) repeated ``count`` times;
* ``("attribute", index, value)``: the value of the ``index``-th attribute (mod their number) replaced by ``value``.

Positions are fractions of the data's length, so a mutation means the same on any size of part.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from regframe.core.diagnostics import Diagnostic
from tests.fuzz.budget import verdict

Operation = tuple[Any, ...]
Mutation = tuple[Operation, ...]

#: text a hostile or damaged file puts where the XML or a value should be
TOKENS = [b"<", b">", b"&", b"&a;", b"&#0;", b"&#x110000;", b"<!DOCTYPE x>", b"</row>", b'<row r="2000000000">',
          b'<row r="10000000"/>', b"<c>", b"</c>", b"<v>x</v>", b'<c r="XFE1"><v>1</v></c>', b"\x00", b"]]>",
          b"<![CDATA[<row>]]>", b'"', b"'", b"<!-- -->", b"<?pi x?>", b"\xff\xfe", b"\xc3\x28", b"\n" * 3,
          b'<c r="A1" t="s"><v>99999</v></c>', b'<c t="inlineStr"><is><t>' + b"x" * 40_000 + b"</t></is></c>",
          b'<text:s text:c="2000000000"/>', b'table:number-rows-repeated="1000000"', b'<x:row xmlns:x="y">']
#: ODS elements that carry links and macros (named by regframe.io.odsactive), inserted anywhere in content.xml
ODS_TOKENS = [b'<text:a xlink:href="file:///C:/x.ods">', b"</text:a>", b'<text:a xlink:href="#S.A1"/>',
              b'<script:event-listener script:event-name="dom:click" xlink:href="vnd.sun.star.script:x"/>',
              b'<table:table-source xlink:href="../x.ods"/>', b'<table:cell-range-source xlink:href="\\\\s\\x"/>',
              b'<draw:image xlink:href="' + b"../" * 2000 + b'"/>', b'<form:button xlink:href="http://x"/>',
              b'<office:script script:language="ooo:Basic">x</office:script>', b'xlink:href="C:\\x"',
              b'<text:a xlink:href="' + b"x" * 40_000 + b'">']
#: values an attribute should never hold
VALUES = ["", "-", "nan", "NaN", "1e400", "9" * 400, "-1", "0", "2000000000", "1048577", "x14", "A0", "XFE1",
          "\u0663", " 1", "1.5", "99999", "s", "inlineStr", "b", "e", "d", "str", "zz", "&amp;", "\u202e", "1_000"]


def operations(tokens: list[bytes] = TOKENS) -> st.SearchStrategy[Operation]:
    at = st.floats(min_value=0, max_value=1, allow_nan=False)
    return st.one_of(
        st.tuples(st.just("flip"), at, st.integers(0, 255)),
        st.tuples(st.just("truncate"), at),
        st.tuples(st.just("insert"), at, st.one_of(st.sampled_from(tokens), st.binary(min_size=1, max_size=12))),
        st.tuples(st.just("duplicate"), at, st.integers(1, 4)),
        st.tuples(st.just("attribute"), st.integers(0, 10_000),
                  st.one_of(st.sampled_from(VALUES), st.text(max_size=8))),
    )


def mutations(max_operations: int | None = None, tokens: list[bytes] = TOKENS) -> st.SearchStrategy[Mutation]:
    """One to ``max_operations`` operations (default 3, or REGFRAME_FUZZ_OPERATIONS for a harsher run).

    ``tokens`` are the texts an insertion picks from (besides random bytes).
    """
    most = max_operations or int(os.environ.get("REGFRAME_FUZZ_OPERATIONS", "3"))
    return st.lists(operations(tokens), min_size=1, max_size=most).map(tuple)


_ATTRIBUTE = re.compile(rb"""(\s[\w:.-]+\s*=\s*)(["'])(.*?)\2""", re.DOTALL)


def apply(data: bytes, mutation: Iterable[Operation]) -> bytes:
    """``data`` with each operation applied in turn."""
    for operation in mutation:
        kind = operation[0]
        at = int(operation[1] * len(data)) if kind != "attribute" else 0
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([operation[2]]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + operation[2] + data[at:]
        elif kind == "duplicate":
            start = data.rfind(b">", 0, at) + 1
            end = data.find(b">", at)
            end = len(data) if end < 0 else end + 1
            data = data[:start] + data[start:end] * (operation[2] + 1) + data[end:]
        elif kind == "attribute":
            found = list(_ATTRIBUTE.finditer(data))
            if found:
                match = found[operation[1] % len(found)]
                value = operation[2].encode("utf-8", "surrogatepass") if isinstance(operation[2], str) else operation[2]
                value = value.replace(match.group(2), b"")
                data = data[:match.start(3)] + value + data[match.end(3):]
    return data


def row_span(xml: bytes, number: int) -> tuple[int, int]:
    """Where ``<row r="number">...</row>`` is in a sheet part (xlsx)."""
    start = xml.index(f'<row r="{number}"'.encode())
    return start, xml.index(b"</row>", start) + len(b"</row>")


def nth_span(xml: bytes, tag: bytes, index: int) -> tuple[int, int]:
    """Where the ``index``-th (0-based) ``<tag ...>...</tag>`` element is (ODS rows)."""
    starts = [m.start() for m in re.finditer(rb"<" + re.escape(tag) + rb"[\s>]", xml)]
    start = starts[index]
    close = b"</" + tag + b">"
    return start, xml.index(close, start) + len(close)


def within(xml: bytes, span: tuple[int, int], mutation: Mutation) -> bytes:
    """``xml`` with the mutation applied only to the bytes of ``span``."""
    start, end = span
    return xml[:start] + apply(xml[start:end], mutation) + xml[end:]


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, parts: dict[str, bytes], stored: Sequence[str] = ("mimetype",)) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name) if name in stored else name, data)
    return path


#: diagnostics about a whole file, which have no sheet, part or line to name
FILE_LEVEL = {"RF301", "RF304", "RF321", "RF323", "RF350", "RF351", "RF353", "RF400", "RF401", "RF410", "RF420", "RF437"}


def unlocated(diagnostics: Iterable[Diagnostic], path: Path) -> list[str]:
    """The diagnostics that do not say where the problem is: every one names the file, and more where it can."""
    wrong = []
    for diagnostic in diagnostics:
        where = diagnostic.location
        named = where.file in (str(path), f"{path}") or where.file.startswith(f"{path}#")
        finer = where.sheet or where.path or where.line or where.row or where.cell
        if not named or not (finer or diagnostic.code in FILE_LEVEL):
            wrong.append(str(diagnostic))
    return wrong


class _Verdicts:
    """``tally.counts["rejected" | "accepted"] += 1`` as older tests write it, passed on as the budget's verdict.

    "tried" is the budget's own count (every example that ran), so adding to it here does nothing.
    """

    def __getitem__(self, key: str) -> int:
        return 0

    def __setitem__(self, key: str, value: int) -> None:
        if key in ("rejected", "accepted"):
            verdict(rejected=key == "rejected")


class Tally:
    """The spreadsheet fuzz tests' hook into the budget's one tally (tests/fuzz/budget.py).

    The budget counts every example tried, rejected, accepted and crashed; :meth:`record` only tells it the
    verdict of this example, so the session summary is the one source of truth (no second count kept here).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts = _Verdicts()

    def record(self, diagnostics: Iterable[Diagnostic]) -> None:
        """An example read without an exception: rejected if any error was said, else accepted."""
        verdict(rejected=any(d.is_error for d in diagnostics))

    def crashed(self) -> None:
        """An exception escaped; the budget counts it as a crash when it reaches the budget's wrapper."""

    def flush(self) -> None:
        """Nothing to flush: the counts live in the budget's tally and are printed in the session summary."""


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t>(.*?)</t></is></c>', re.DOTALL)


def with_shared_strings(source: Path, target: Path) -> Path:
    """A copy of an openpyxl-written workbook (inline strings) whose text is in a shared strings table, as Excel writes.

    The shared strings reader then sees real data: the part can be mutated like any other.
    """
    parts = parts_of(source)
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        if match.group(3) not in strings:
            strings.append(match.group(3))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), strings.index(match.group(3)))

    for name in [n for n in parts if n.startswith("xl/worksheets/")]:
        parts[name] = _INLINE.sub(shared, parts[name])
    items = b"".join(b"<si><t>" + text + b"</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
                                     b'uniqueCount="%d">%s</sst>' % (len(strings), len(strings), items))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                             b'sharedStrings" Target="sharedStrings.xml" Id="rIdShared"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    return write_zip(target, parts, stored=())
