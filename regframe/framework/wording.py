"""Reading a statutory instrument's text layer, to check the catalogue against it.

The catalogue promises two things about the instruments it models: every numbered
provision of the regulations it claims to cover has a requirement, and every
statement is written in regframe's own words. Both promises are checked against
the plain-text layer of a legislation.gov.uk PDF (``pdftotext -layout``), which
interleaves the provisions with page furniture (the "Document Generated" and
"Changes to legislation" header on every page, page numbers), annotation blocks
(Marginal Citations, Textual Amendments) and inline annotation markers (``M23``,
``F8``, the square brackets round amended words). :func:`parse_provisions` strips
those and returns each numbered provision (paragraph, lettered limb, roman
sub-limb) with its own text and line; :func:`shared_runs` finds where a statement
repeats a run of consecutive words from that text.

Nothing here knows about one instrument: the regulation numbers to read are the
caller's, and the id a provision gets (``chr2015.r7.2.a.iii``) is built from an
instrument id prefix the caller gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

#: Lines that belong to the page, not to the instrument.
_FURNITURE = re.compile(
    r"^\s*(Document Generated: \d{4}-\d{2}-\d{2}|Changes to legislation:.*|"
    r".*\(See end of Document for details\)|\d{1,4})\s*$"
)
#: Headings of annotation blocks, and the first line of each annotation in them.
_BLOCK_HEAD = re.compile(r"^\s*(Marginal Citations|Textual Amendments|Commencement Information|Modifications etc\.)\s*$")
_ANNOTATION = re.compile(r"^\s*[MFCI]\d+\b")
#: Inline annotation markers: M23, F8, and the brackets round amended text.
_MARKER = re.compile(r"(?<![A-Za-z0-9(])[MF]\d+(?![0-9a-z])|[\[\]]")
#: "6.—(1) The quality..." or "5. In meeting..." starts regulation 6 or 5.
_REGULATION = re.compile(r"^\s{0,6}(\d{1,3})\.(?:—\((\d+[A-Z]?)\))?\s+(.*)$")
#: "(2) In particular...", "(a) understand...", "(iii) treat..." start a paragraph or limb.
_LABEL = re.compile(r"^\s*\((\d+[A-Z]?|[a-z]{1,2}|[ivxl]+)\)\s+(.*)$")
_ROMAN = re.compile(r"^[ivxl]+$")
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
           "xvi", "xvii", "xviii", "xix", "xx"]


@attrs.frozen
class Provision:
    """One numbered provision: regulation 7, paragraph (2), limb (a), sub-limb (iii) is ``(7, ("2", "a", "iii"))``."""

    regulation: int
    path: tuple[str, ...]
    text: str
    line: int
    heading: str = ""

    def requirement_id(self, prefix: str) -> str:
        """The catalogue id under the naming rule of standards/README.md: ``chr2015.r7.2.a.iii``."""
        return ".".join([f"{prefix}.r{self.regulation}", *(part.lower() for part in self.path)])

    @property
    def ref(self) -> str:
        return f"reg {self.regulation}" + "".join(f"({part})" for part in self.path)


def clean_lines(text: str) -> list[tuple[int, str]]:
    """The instrument's own lines, numbered from 1: page furniture, annotation blocks and markers removed.

    An annotation block runs from its heading over each annotation and the indented lines
    that continue it; the first line after it that is neither ends the block.
    """
    out: list[tuple[int, str]] = []
    in_block = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if _FURNITURE.match(raw) or not raw.strip():
            continue
        if _BLOCK_HEAD.match(raw):
            in_block = True
            continue
        if in_block and (_ANNOTATION.match(raw) or raw.startswith(" " * 7)):
            continue
        in_block = False
        line = _MARKER.sub("", raw).rstrip()
        if line.strip():
            out.append((number, line))
    return out


def _is_roman(label: str, letter: str | None, roman: str | None, previous: str) -> bool:
    """Whether ``label`` continues the roman sub-limbs rather than the lettered limbs.

    ``(i)`` straight after ``(h)`` is the ninth letter unless the line before opened a
    list (ends with a dash); ``(v)`` and ``(x)`` are letters only straight after ``(u)``
    and ``(w)``. Otherwise a roman numeral that continues the current run, or starts one, is roman.
    """
    if letter is None or not _ROMAN.match(label):
        return False
    expected = _ROMANS[_ROMANS.index(roman) + 1] if roman in _ROMANS[:-1] else "i"
    if label == expected and (label != "i" or roman is None):
        if label == "i" and letter == "h" and not previous.rstrip().endswith("—"):
            return False
        return True
    return False


def _heading(previous: tuple[int, str] | None) -> str:
    """The line before a regulation starts is its heading when it is not indented and ends no sentence."""
    if previous is None:
        return ""
    line = previous[1]
    ends = line.rstrip()
    if line.startswith("   ") or ends.endswith((";", ",", "—", ":")) or (ends.endswith(".") and not ends.endswith("etc.")):
        return ""
    return line.strip()


def parse_provisions(text: str, regulations: Iterable[int]) -> list[Provision]:
    """Every numbered provision of ``regulations`` in ``text``, in the order they appear.

    Each regulation comes first with an empty path (its text is what precedes its first
    numbered part: the lead-in of reg 5), then its paragraphs, lettered limbs and roman
    sub-limbs, each with the text from its label to the next label. A regulation without
    numbered paragraphs (CHR reg 5) has its lettered limbs directly under it. A regulation
    start is believed only when it is the next number after the current one, so the
    numbered paragraphs of the schedules (which restart at 1) are not mistaken for regulations.
    """
    wanted = set(regulations)
    found: list[tuple[Provision, list[str]]] = []
    current: int | None = None
    para = letter = roman = None
    previous: tuple[int, str] | None = None
    for number, line in clean_lines(text):
        start = _REGULATION.match(line)
        if start and (current is None or int(start.group(1)) == current + 1):
            heading = _heading(previous)
            if heading and found and found[-1][1][-1:] == [heading]:
                found[-1][1].pop()  # the next regulation's heading is not the last provision's text
            current = int(start.group(1))
            para, letter, roman = start.group(2), None, None
            rest = start.group(3)
            if current in wanted:
                found.append((Provision(current, (), "", number, heading), [] if para else [rest]))
                if para:
                    found.append((Provision(current, (para,), "", number), [rest]))
        elif (label := _LABEL.match(line)) and current in wanted:
            name = label.group(1)
            if name[0].isdigit():
                para, letter, roman = name, None, None
                path: tuple[str, ...] = (para,)
            elif _is_roman(name, letter, roman, previous[1] if previous else ""):
                roman = name
                path = (*((para,) if para else ()), letter or "", roman)
            else:
                letter, roman = name, None
                path = (*((para,) if para else ()), letter)
            found.append((Provision(current, path, "", number), [label.group(2)]))
        elif found and current in wanted and found[-1][0].regulation == current:
            found[-1][1].append(line.strip())
        previous = (number, line)
    return [attrs.evolve(provision, text=" ".join(parts).strip()) for provision, parts in found]


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words, punctuation and whitespace dropped; curly and straight apostrophes join a word."""
    return _WORD.findall(text.lower().replace("’", "").replace("'", ""))


def shared_runs(statement: str, source: Sequence[str] | set[tuple[str, ...]], length: int = 10) -> list[str]:
    """The stretches of ``statement`` made of overlapping ``length``-word runs also found in the source.

    ``source`` is the source's words, or (faster when many statements are checked) the
    set :func:`ngrams` made of them. An empty list means no ``length`` consecutive words of
    the statement appear consecutively in the source.
    """
    grams = source if isinstance(source, set) else ngrams(source, length)
    mine = words(statement)
    runs: list[str] = []
    i = 0
    while i + length <= len(mine):
        if tuple(mine[i:i + length]) not in grams:
            i += 1
            continue
        j = i + 1
        while j + length <= len(mine) and tuple(mine[j:j + length]) in grams:
            j += 1
        runs.append(" ".join(mine[i:j - 1 + length]))
        i = j - 1 + length
    return runs


def ngrams(source_words: Sequence[str], length: int = 10) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive source words."""
    return {tuple(source_words[i:i + length]) for i in range(len(source_words) - length + 1)}


def instrument_words(text: str) -> list[str]:
    """Every word of the instrument's own lines (page furniture and annotations left out), in order."""
    return [word for _, line in clean_lines(text) for word in words(line)]


def uncovered(provisions: Iterable[Provision], ids: Iterable[str], prefix: str) -> list[Provision]:
    """The provisions no requirement id stands for (ids compared in lower case, as the catalogue writes them)."""
    have = {rid.lower() for rid in ids}
    return [p for p in provisions if p.requirement_id(prefix) not in have]


def copied(statements: Iterable[tuple[str, str]], text: str, length: int = 10) -> dict[str, list[str]]:
    """For each ``(id, statement)`` that repeats ``length`` or more consecutive words of ``text``, those runs."""
    grams = ngrams(instrument_words(text), length)
    found: dict[str, list[str]] = {}
    for rid, statement in statements:
        runs = shared_runs(statement, grams, length)
        if runs:
            found[rid] = runs
    return found
