"""Ofsted's column names of every era since 2013-14, read from a data table, not written in code.

Ofsted's social care statistics change their column names with each framework and
often between years ("Reg Status", "Registration Status", "Provider status";
"Inspection ID", "Event number", "Latest full inspection event number"). The
mapping of each era's names onto regframe's fields is data, kept in
``evidence/schema/ofsted-columns.toml`` and structured here with cattrs; the
tests check it against every real file, so a new year's drift is one edit of
the table. This module knows how to find a header row and match it to an era;
it knows no column name itself.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence

import attrs
import cattrs

from regframe.core.resources import evidence_dir

#: how many rows above the header a file may carry (titles, notes, a group row)
HEADER_SEARCH_ROWS = 30


#: the longest text whose squashed form is cached: every header and category Ofsted writes is shorter
CACHED_SQUASH_CHARS = 200


def squash(text: str) -> str:
    """A header or category compared loosely: case, spacing, line breaks, BOM, curly apostrophes ignored.

    Short texts are cached (a file repeats its few categories in every row); a long one is squashed but
    not kept, so hostile cells (16,384 of 32,767 characters) cannot make the cache hold a gigabyte.
    """
    return _cached_squash(text) if len(text) <= CACHED_SQUASH_CHARS else _squash(text)


def _squash(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").replace("\u2019", "'").lower().split())


_cached_squash = functools.lru_cache(maxsize=1 << 14)(_squash)


@attrs.frozen
class InspectionColumns:
    """The columns of one inspection on a row: its type, date, event number and judgements."""

    event_type: list[str] = attrs.field(factory=list)
    date: list[str] = attrs.field(factory=list)
    event: list[str] = attrs.field(factory=list)
    judgements: dict[str, list[str]] = attrs.field(factory=dict)


@attrs.frozen
class Era:
    """One era's layout: how to recognise it and what each of its columns means."""

    id: str
    describes: str
    table: str  # providers | registration-events | closures
    scale: str
    recognise: list[str]
    columns: dict[str, list[str]]
    inspections: dict[str, InspectionColumns] = attrs.field(factory=dict)
    ignored: list[str] = attrs.field(factory=list)


@attrs.frozen
class Scale:
    """A grade scale: cell text -> grade, -> outcome (interim, monitoring), and cells that mean 'not judged'."""

    source: str
    confidence: str
    blank: list[str] = attrs.field(factory=list)
    grades: dict[str, str] = attrs.field(factory=dict)
    outcomes: dict[str, str] = attrs.field(factory=dict)
    #: the interim inspections' own codes (the 2013-14 numeric scale), for their overall cell
    interim: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class ColumnTable:
    version: int
    ignored: list[str]
    era: list[Era]
    provision_types: dict[str, str]
    event_kinds: dict[str, str]
    scales: dict[str, Scale]

    def era_of(self, header: Sequence[str]) -> Era | None:
        """The first era whose recognising columns are all in ``header`` (squashed names)."""
        names = set(header)
        return next((era for era in self.era if set(era.recognise) <= names), None)

    def header_row(self, rows: Sequence[Sequence[str]]) -> int | None:
        """The index of the first row that some era recognises as its header, among the first rows."""
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if self.era_of([squash(cell) for cell in row]) is not None:
                return index
        return None


@attrs.frozen
class Layout:
    """An era matched to one file's header: each field's column index, and the columns left unmapped."""

    era: Era
    fields: dict[str, int]
    #: per inspection ("latest", "previous"): its parts' columns, and each judgement's columns (first filled wins)
    inspections: dict[str, tuple[dict[str, int], dict[str, list[int]]]]
    unmapped: list[str]

    def has(self, field: str) -> bool:
        return field in self.fields


def _first(aliases: list[str], header: list[str]) -> int | None:
    for alias in aliases:
        if alias in header:
            return header.index(alias)
    return None


def layout(era: Era, header: list[str], ignored: list[str]) -> Layout:
    """Match ``era``'s aliases to a squashed header: the first alias present wins, in the table's order."""
    used: set[int] = set()
    fields: dict[str, int] = {}
    for field, aliases in era.columns.items():
        index = _first(aliases, header)
        if index is not None:
            fields[field] = index
            used.add(index)
    inspections: dict[str, tuple[dict[str, int], dict[str, list[int]]]] = {}
    for which, columns in era.inspections.items():
        parts: dict[str, int] = {}
        for part in ("event_type", "date", "event"):
            index = _first(getattr(columns, part), header)
            if index is not None:
                parts[part] = index
                used.add(index)
        judged: dict[str, list[int]] = {}
        for judgement, aliases in columns.judgements.items():
            indices = [header.index(alias) for alias in aliases if alias in header]
            if indices:
                judged[judgement] = indices
                used.update(indices)
        if parts or judged:
            inspections[which] = (parts, judged)
    skip = set(ignored) | set(era.ignored)
    unmapped = [name for index, name in enumerate(header) if name and index not in used and name not in skip]
    return Layout(era, fields, inspections, unmapped)


@functools.cache
def column_table() -> ColumnTable:
    """The shipped table (read once); a broken table is a packaging bug and raises."""
    path = evidence_dir() / "schema" / "ofsted-columns.toml"
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    return cattrs.structure(raw, ColumnTable)
