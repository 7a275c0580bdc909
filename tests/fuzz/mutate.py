"""Hypothesis strategies that break a valid file: hostile field values and byte-level damage.

Readers are fed a file built valid and then damaged the ways real files are: a bit flipped,
a byte no encoding defines, a quote or a tag inserted, a range cut out, a line repeated, the
file cut short. Damage can be kept to a region (the records after a known-good one), so a
test can check the good record survives.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

#: bytes that break parsers: NUL, cp1252's undefined 0x81/0x8D/0x8F/0x90/0x9D, invalid UTF-8, a UTF-8
#: surrogate and an overlong slash, quotes, markup, separators and line ends, a byte-order mark
HOSTILE_BYTES: tuple[bytes, ...] = (
    b"\x00", b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d", b"\xff", b"\x80", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf",
    b'"', b"'", b"<", b">", b"&", b"\n", b"\r", b"\r\n", b",", b"\t", b";", b"\\", b"\xef\xbb\xbf", b"]]>",
    b"<!DOCTYPE d [<!ENTITY e \"e\">]>", b"&e;", b"<![CDATA[", b"<?pi x?>", b"<!--", b"-->", b"{", b"}", b"[", b"]",
    b"\\u0000", b"\\ud800",
)

#: text a field may be given: digits that int() half-accepts, numbers past every limit, impossible
#: dates, formulas, over-long names, control and invisible characters, markup
HOSTILE_TEXT: tuple[str, ...] = (
    "", " ", "³", "²³", "1³", "١٢٣", "𝟙𝟚", "½", "9" * 400, "-1", "0", "00", "NaN", "nan", "Infinity", "-inf", "1e999",
    "1e-999", "-0", "1.5", "4.0", "1,200", "0x10", "01/01/0001", "31/02/2024", "29/02/2023", "99/99/9999",
    "2024-13-01", "0000-00-00", "9999-12-31", "00/00/0000", "1/1/99999", "\x00", "a\x00b", "=HYPERLINK(\"http://x\")",
    "+1", "@SUM(A1)", "-2+3", "a" * 300, "\ufeff", "\u202e", "\u00a0", "ＳＣ１２３４５６", "SC12345６", "NULL", "REDACTED",
    "&amp;", "&e;", "<b>", "]]>", "%s", "{", "[", "\"", "'", "\\", "\r", "\n", "\t", "é", "\u2028", "\U0001F600",
    "../../etc/passwd", "/" * 300, "x" * 5000,
)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=12))


def field(*plausible: str) -> st.SearchStrategy[str]:
    """A field's value: one of the plausible ones four times in five, else something hostile.

    Mostly plausible, so that a record gets far enough through its reader for a hostile value in
    its last fields to be read at all (a bad URN rejects an Ofsted row before its places are read).
    """
    if not plausible:
        return hostile_text()
    return st.integers(0, 4).flatmap(lambda n: hostile_text() if n == 0 else st.sampled_from(plausible))


def insertion() -> st.SearchStrategy[bytes]:
    return st.one_of(st.sampled_from(HOSTILE_BYTES),
                     st.sampled_from(HOSTILE_TEXT).map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.binary(min_size=1, max_size=8))


@st.composite
def damaged(draw: st.DrawFn, data: bytes, start: int = 0, end: int | None = None, most: int = 4) -> bytes:
    """``data`` with up to ``most`` kinds of damage, each inside ``[start, end)`` (the end moves as it grows).

    Sometimes none: then only the hostile field values are tried, past every parser.
    """
    out = bytearray(data)
    stop = len(out) if end is None else end
    for _ in range(draw(st.integers(0, most))):
        if stop <= start:
            break
        kind = draw(st.sampled_from(("flip", "set", "insert", "delete", "repeat-line", "truncate")))
        at = draw(st.integers(start, stop - 1))
        if kind == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            out[at:at + 1] = draw(st.sampled_from(HOSTILE_BYTES))[:1]
        elif kind == "insert":
            piece = draw(insertion())
            out[at:at] = piece
            stop += len(piece)
        elif kind == "delete":
            length = draw(st.integers(1, max(1, min(64, stop - at))))
            del out[at:at + length]
            stop -= length
        elif kind == "repeat-line":
            line_start = out.rfind(b"\n", start, at) + 1 or start
            line_end = out.find(b"\n", at, stop)
            line = bytes(out[max(line_start, start):(line_end + 1 if line_end >= 0 else stop)])
            times = draw(st.integers(1, 3))
            out[at:at] = line * times
            stop += len(line) * times
        else:  # truncate: the file ends here
            del out[at:]
            stop = at
    return bytes(out)


def csv_line(cells: Sequence[str]) -> str:
    """One CSV line as Excel writes it: a cell quoted when it holds a comma, a quote or a line end."""
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\r\n') else cell
    return ",".join(quoted(c) for c in cells) + "\r\n"
