"""Reading the regframe LA oversight return (``regframe template la-return``).

Forgiving about form, strict about meaning: headers are matched through the
column definitions in :mod:`regframe.ingest.la_return_columns` (any case, spacing or
known alias, in any order), values through :mod:`regframe.ingest.cells`
(serial or text dates, ``10.0`` in whole-number cells, ``Y``/``TRUE``).
Every problem is reported with its cell. A row whose required cell is bad is
skipped; a bad optional cell is dropped and the row kept.

Row and cell problems are *warnings*: the return as a whole was read and every
valid row kept, and the analyst must explain or fix the rest (``--strict``
makes them fail). Problems with the whole file (not a return, unsafe, a sheet
without its headers) are errors.

Child ids are pseudonymised with the placing LA's code the moment a row is
read; the raw id is never stored.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import closing
from pathlib import Path
from typing import Any

import attrs

from regframe.core.collector import collector_paused
from regframe.core.diagnostics import Diagnostics, Location, Severity, code
from regframe.evidence.identity import canonical_child_id, canonical_la_code, canonical_urn
from regframe.evidence.model import (
    EvidenceItem,
    EvidenceSet,
    InputFile,
    MetricValue,
    Outcome,
    OutcomeKind,
    Placement,
    Source,
)
from regframe.evidence.pseudonym import pseudonymise
from regframe.framework.model import Independence
from regframe.ingest import IngestContext, sha256_of
from regframe.ingest.cells import (
    CellError,
    clean_text,
    epoch_of,
    header_key,
    is_blank,
    to_bool,
    to_date,
    to_float,
    to_int,
)
from regframe.ingest.la_return_columns import (
    AS_AT_LABEL,
    CHILDREN_PLACED,
    EXAMPLE_MARKER,
    INSTRUCTIONS_SHEET,
    LA_CODE_LABEL,
    LA_CODE_PATTERN,
    SETTING_SIGNALS,
    Column,
    SheetSpec,
    ValueType,
)
from regframe.ingest.sheets import Row, count_rows, find_sheet, not_read, read_table
from regframe.io.xlsxread import Book, Sheet, open_book

NOT_A_RETURN = code(
    "RF410", Severity.ERROR, "workbook is not a regframe LA oversight return",
    "An LA oversight return has a 'Children placed' sheet, a 'Setting signals' sheet, or both. "
    "Start from the template (`regframe template la-return -o return.xlsx`) and keep its sheet names.",
)
MISSING_COLUMN = code(
    "RF411", Severity.ERROR, "a required column is missing from a return sheet",
    "The header row of the sheet has no column matching a required column of the template (headers are "
    "matched ignoring case, spaces and punctuation, and known alternative names are accepted). The sheet "
    "is not read. Restore the column's header from the template.",
)
BAD_VALUE = code(
    "RF412", Severity.WARNING, "cell value is not of the column's type",
    "The cell holds something that cannot be read as what the column needs: text in a number column, a "
    "date that is not a date, a URN of the wrong shape, a value not in the column's list. If the column is "
    "required the row is skipped; otherwise the value is ignored and the row kept.",
)
MISSING_VALUE = code(
    "RF413", Severity.WARNING, "required cell is empty",
    "A required cell (its header is marked * in the template) is empty. The row is skipped.",
)
OUT_OF_RANGE = code(
    "RF414", Severity.WARNING, "cell value is outside the column's range",
    "The value is a number or date of the right type but outside what the column allows (weeks per year "
    "1-52, distances 0 or more, counts 0 or more, dates not after the return's 'as at' date).",
)
DUPLICATE_ROW = code(
    "RF415", Severity.WARNING, "row duplicates an earlier row",
    "Two rows describe the same child (Children placed: the same placing LA and child id) or the same "
    "setting and month (Setting signals). The first is kept; this one is skipped.",
)
INCONSISTENT = code(
    "RF416", Severity.WARNING, "cells of a row contradict each other",
    "For example a deprivation-of-liberty date on a row that says no DoL is authorised, or a DoL marked "
    "authorised without its date. The contradicting value is ignored.",
)
NO_AS_AT = code(
    "RF417", Severity.WARNING, "return has no 'as at' date",
    "The Instructions sheet's 'Data as at' cell is empty or unreadable. regframe never dates evidence by the "
    "day it happens to run (a return read next year would say something else), and the template has no "
    "return period to date it by, so: dates in the return are not checked against an 'as at' date (the "
    "assessment still ignores anything after its own --as-at), and an observation that is dated only by the "
    "return, 'no advocate assigned', is rejected (RF343). Fill in 'Data as at'.",
)
DROPPED_FIGURES = code(
    "RF342", Severity.ERROR, "a row of monthly figures was dropped",
    "A Setting signals row could not be used (its month or setting URN is missing or unreadable, or it repeats "
    "an earlier row's setting and month), so none of its monthly figures are counted. Indicators such as the "
    "restraint rate and trend are computed from these figures, so a dropped row can change a rating: it is an "
    "error, not a warning. The cell at fault is named by the diagnostic before this one.",
)
UNDATED_OBSERVATION = code(
    "RF343", Severity.ERROR, "observation cannot be dated: the return has no 'as at' date",
    "'Advocate assigned' = No is recorded as evidence dated by the return's 'Data as at' date. Without that "
    "date it cannot be placed in time (regframe never uses the wall clock), so the observation is rejected; "
    "the rest of the row is kept. Fill in 'Data as at' on the Instructions sheet.",
)
IGNORED_COLUMN = code(
    "RF418", Severity.INFO, "column not part of the return was ignored",
    "A header on a return sheet matches no column of the template. Its values are not read.",
)

#: one outcome of each kind, shared by every item read with it (an outcome is frozen): the assessment works out
#: an outcome's polarity once per outcome object of a class, so the 58,745 records of the benchmark's return cost it two
_OUTCOMES = {kind: Outcome(kind) for kind in (OutcomeKind.RECORDED, OutcomeKind.NOT_MET)}

_ITEM_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # column, evidence kind, summary
    ("last_sw_visit", "ek.statutory-visit", "last social worker visit"),
    ("last_iro_review", "ek.iro-review", "last IRO review"),
    ("last_advocacy_contact", "ek.advocacy-visit", "last advocacy contact"),
    ("last_family_contact", "ek.family-contact", "last family contact"),
)


@attrs.frozen
class ReturnHeader:
    """What the Instructions sheet says: the LA code and the date the return is correct at."""

    la_code: str | None
    as_at: dt.date | None
    la_code_cell: str | None = None


class _Skip(Exception):
    """The row cannot be used (a required cell is bad); the diagnostic has been recorded."""


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one LA oversight return into placements, per-child evidence items and monthly setting metrics.

    Like the evidence XML reader, it makes many records and no reference cycle, so the garbage
    collector waits while it reads (:mod:`regframe.core.collector`).
    """
    with collector_paused():
        return _read(Path(path), context)


def _read(path: Path, context: IngestContext) -> EvidenceSet:
    result = EvidenceSet()
    diagnostics = Diagnostics()
    accepted = rejected = 0
    reader: _ReturnReader | None = None
    book = open_book(path, diagnostics)
    if book is None:
        result.diagnostics.extend(diagnostics)
        result.inputs.append(InputFile(str(path), sha256_of(path), "la-return"))
        return result
    with book:
        sheets = [(spec, find_sheet(book, spec.name)) for spec in (CHILDREN_PLACED, SETTING_SIGNALS)]
        if all(sheet is None for _, sheet in sheets):
            names = ", ".join(repr(sheet.title) for sheet in book.sheets)
            diagnostics.add(NOT_A_RETURN, f"{path.name} has no 'Children placed' or 'Setting signals' sheet, so it "
                                          f"is not a regframe LA oversight return (its sheets: {names})",
                            Location(file=str(path)))
        else:
            header = read_header(book, path, diagnostics)
            reader = _ReturnReader(path, context, header, epoch_of(book), diagnostics, result)
            for spec, sheet in sheets:
                if sheet is not None:
                    ok, bad = reader.read_sheet(spec, sheet)
                    accepted += ok
                    rejected += bad
        unread = not_read(book)
    result.diagnostics.extend(diagnostics)
    counts = (reader.example_rows, reader.blank, 0, reader.rows) if reader is not None else (0, 0, 0, 0)
    result.inputs.append(InputFile(str(path), sha256_of(path), "la-return", accepted, rejected, *counts,
                                   not_read=unread))
    return result


def read_header(book: Book, path: Path, diagnostics: Diagnostics) -> ReturnHeader:
    """The LA code and 'as at' date: the cells just right of their labels on the Instructions sheet."""
    sheet = find_sheet(book, INSTRUCTIONS_SHEET)
    la_code: str | None = None
    as_at: dt.date | None = None
    la_cell: str | None = None
    where = Location(file=str(path), sheet=INSTRUCTIONS_SHEET)
    if sheet is not None:
        wanted = {header_key(LA_CODE_LABEL): "la", header_key(AS_AT_LABEL): "as_at"}
        with closing(sheet.rows(last=60)) as rows:
            for number, cells in rows:
                if not wanted:
                    break
                for index, cell in sorted(cells.items()):
                    value = cell.value
                    which = wanted.get(header_key(value)) if isinstance(value, str) else None
                    if which is None:
                        continue
                    right = cells.get(index + 1)
                    if right is None or is_blank(right.value):
                        continue  # the label's value cell (just right of it) is empty
                    raw = right.value
                    cell_ref = f"{_letter(index + 1)}{number}"
                    if which == "la":
                        text = clean_text(raw).upper()
                        if re.fullmatch(LA_CODE_PATTERN, text):
                            la_code, la_cell = text, cell_ref
                        else:
                            diagnostics.add(BAD_VALUE, f"LA code {clean_text(raw)!r} is not a 3-digit DfE LA number "
                                                       "or an ONS code (E + 8 digits); value ignored",
                                            attrs.evolve(where, cell=cell_ref))
                    else:
                        try:
                            as_at = to_date(raw, epoch=epoch_of(book))
                        except CellError as error:
                            diagnostics.add(BAD_VALUE, f"{AS_AT_LABEL}: {error}; value ignored",
                                            attrs.evolve(where, cell=cell_ref))
                    wanted = {k: v for k, v in wanted.items() if v != which}
    if as_at is None:
        diagnostics.add(NO_AS_AT, "no 'Data as at' date on the Instructions sheet; dates are not checked against "
                                  "it and observations dated by it are rejected", where)
    return ReturnHeader(la_code, as_at, la_cell)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _ReturnReader:
    """The state of reading one return: its header, what has been seen, where results go."""

    def __init__(self, path: Path, context: IngestContext, header: ReturnHeader, epoch: dt.date,
                 diagnostics: Diagnostics, result: EvidenceSet) -> None:
        self.path = path
        self.context = context
        self.header = header
        #: the return's own date; never the wall clock (see RF417)
        self.as_at: dt.date | None = header.as_at
        self.epoch = epoch
        self.diagnostics = diagnostics
        self.result = result
        #: rows read on the data sheets, the blank and example rows among them
        self.rows = self.blank = self.example_rows = 0
        self._blank = 0  # blank rows of the sheet being read, with data below them

    def _blank_rows(self, count: int) -> None:
        self._blank += count

    # ---- sheets

    def read_sheet(self, spec: SheetSpec, worksheet: Sheet) -> tuple[int, int]:
        aliases = {c.name: (c.header, *c.aliases) for c in spec.columns}
        table, rows = read_table(worksheet, aliases, self._blank_rows)
        if worksheet.refused is not None:
            return 0, 0  # over a limit: not read at all, as the workbook reader said (RF404)
        sheet_loc = Location(file=str(self.path), sheet=worksheet.title)
        present = set(table.columns) if table else set()
        missing = [c for c in spec.columns if c.required and c.name not in present]
        if table is None or missing:
            headers = ", ".join(repr(c.header) for c in (missing or [c for c in spec.columns if c.required]))
            where = attrs.evolve(sheet_loc, row=table.header_row) if table else sheet_loc
            self.diagnostics.add(MISSING_COLUMN, f"no column headed {headers}; the sheet is not read", where)
            rows_there, blank_there = count_rows(worksheet)
            self.rows += rows_there
            self.blank += blank_there
            return 0, rows_there - blank_there  # none of its rows could be read
        for unknown in table.unknown:
            self.diagnostics.add(IGNORED_COLUMN, f"column {unknown!r} is not part of the return; ignored",
                                 attrs.evolve(sheet_loc, row=table.header_row))
        seen: dict[tuple[Any, ...], int] = {}
        accepted = rejected = 0
        for row in rows:
            self.rows += 1
            if header_key(row.values.get(spec.example_column)) == header_key(EXAMPLE_MARKER):
                self.example_rows += 1
                continue
            try:
                values = self._parse_row(spec, row, worksheet.title)
                if spec is CHILDREN_PLACED:
                    values["placing_la"] = self._placing_la(values, row, worksheet.title)
                key = tuple(canonical_child_id(values.get(k)) if k == "child_id" else values.get(k) for k in spec.key)
                first = seen.get(key)
                if first is not None:
                    what = "child" if spec is CHILDREN_PLACED else "setting and month"
                    self.diagnostics.add(DUPLICATE_ROW, f"same {what} as row {first}; row skipped",
                                         self._loc(worksheet.title, row, spec.key[-1]))
                    raise _Skip
                seen[key] = row.number
                if spec is CHILDREN_PLACED:
                    self._child(values, row, worksheet.title)
                else:
                    self._signals(values, row, worksheet.title, spec)
                accepted += 1
            except _Skip:
                rejected += 1
                if spec is SETTING_SIGNALS:
                    self._dropped(spec, row, worksheet.title)
        self.rows += self._blank
        self.blank += self._blank
        self._blank = 0
        return accepted, rejected

    def _dropped(self, spec: SheetSpec, row: Row, sheet: str) -> None:
        """RF342 for a Setting signals row not used: its figures are lost, and indicators depend on them."""
        figures = [c.header for c in spec.columns
                   if c.metric is not None and c.name in row.values and not is_blank(row.values[c.name])]
        self.diagnostics.add(DROPPED_FIGURES, f"row {row.number} dropped: its {len(figures)} monthly figure(s) "
                                              f"({', '.join(figures) or 'none'}) are not counted",
                             Location(file=str(self.path), sheet=sheet, row=row.number))

    def _loc(self, sheet: str, row: Row, name: str) -> Location:
        return Location(file=str(self.path), sheet=sheet, cell=row.cell(name))

    # ---- cells

    def _parse_row(self, spec: SheetSpec, row: Row, sheet: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        skip = False
        for column in spec.columns:
            if column.name not in row.values:
                continue
            raw = row.values[column.name]
            if column.name in row.damaged:  # the workbook reader said why (RF403 / RF404)
                if column.required:
                    self.diagnostics.add(MISSING_VALUE, f"{column.header} is required and its cell could not be "
                                                        "read; row skipped", self._loc(sheet, row, column.name))
                    skip = True
                continue
            if is_blank(raw):
                if column.required and column.name != "placing_la":
                    self.diagnostics.add(MISSING_VALUE, f"{column.header} is required; row skipped",
                                         self._loc(sheet, row, column.name))
                    skip = True
                continue
            try:
                values[column.name] = self._parse_cell(column, raw, row.formats.get(column.name, "General"))
            except CellError as error:
                consequence = "row skipped" if column.required else "value ignored"
                which = OUT_OF_RANGE if isinstance(error, _RangeError) else BAD_VALUE
                self.diagnostics.add(which, f"{column.header}: {error}; {consequence}", self._loc(sheet, row, column.name))
                skip = skip or column.required
        if skip:
            raise _Skip
        return values

    def _parse_cell(self, column: Column, raw: Any, number_format: str) -> Any:
        kind = column.type
        if kind in (ValueType.DATE, ValueType.MONTH):
            value: Any = _month(raw, self.epoch) if kind is ValueType.MONTH else to_date(raw, epoch=self.epoch)
            if column.not_future and self.as_at is not None and value > self.as_at:
                raise _RangeError(f"{value:%d/%m/%Y} is after the return's 'as at' date {self.as_at:%d/%m/%Y}")
            if value.year < 1990:
                raise _RangeError(f"{value:%d/%m/%Y} is before 1990")
            return value
        if kind is ValueType.INTEGER:
            value = to_int(raw)
        elif kind is ValueType.NUMBER:
            value = to_float(raw)
        elif kind is ValueType.PERCENT:
            value = to_float(raw)
            if "%" in number_format:
                value *= 100.0
        elif kind is ValueType.YES_NO:
            return to_bool(raw)
        elif kind is ValueType.URN:
            urn = canonical_urn(raw)
            if urn is None:
                raise CellError(f"{clean_text(raw)!r} is not an Ofsted URN (SC + 6 digits, or 6 or 7 digits)")
            return urn
        elif kind is ValueType.LA_CODE:
            text = clean_text(raw).upper()
            if not re.fullmatch(LA_CODE_PATTERN, text):
                raise CellError(f"{text!r} is not a 3-digit DfE LA number or an ONS code (E + 8 digits)")
            return text
        elif kind is ValueType.CHOICE:
            text = clean_text(raw).upper()
            if text not in column.choices:
                raise CellError(f"{clean_text(raw)!r} is not one of {', '.join(column.choices)}")
            return text
        else:
            text = clean_text(raw)
            if kind is ValueType.CHILD_ID and len(text) > 40:
                raise CellError("a child id is at most 40 characters")
            return text
        if column.minimum is not None and value < column.minimum or column.maximum is not None and value > column.maximum:
            raise _RangeError(f"{value:g} is outside {column.minimum:g} to {column.maximum:g}")
        return value

    def _placing_la(self, values: dict[str, Any], row: Row, sheet: str) -> str:
        code_ = values.get("placing_la") or self.header.la_code or self.context.la_code
        if not code_:
            where = self._loc(sheet, row, "placing_la") if "placing_la" in row.letters else self._loc(sheet, row, "child_id")
            self.diagnostics.add(MISSING_VALUE, "no placing LA code in this row, on the Instructions sheet or given "
                                                "with --la, so the child cannot be pseudonymised; row skipped", where)
            raise _Skip
        return canonical_la_code(code_)

    # ---- outputs

    def _child(self, values: dict[str, Any], row: Row, sheet: str) -> None:
        la = values["placing_la"]
        child = pseudonymise(self.context.key, la, values["child_id"])
        self.result.note_child_la(str(self.path), la)
        urn = values["setting_urn"]
        placement = Placement(
            child=child, setting=urn, placing_la=la, start=values["placement_start"],
            weeks_per_year=values.get("weeks_per_year"), distance_miles=values.get("distance_miles"),
            legal_status=values.get("legal_status", ""), ehc_plan=values.get("ehc_plan"),
            looked_after=values.get("looked_after"), provenance=self._loc(sheet, row, "child_id"),
        )
        self.result.add_placement(placement)
        for name, kind, summary in _ITEM_COLUMNS:
            day = values.get(name)
            if day is not None:
                self._item(child, urn, kind, day, OutcomeKind.RECORDED, f"{summary} (LA return)", self._loc(sheet, row, name))
        if values.get("advocate_assigned") is False and self.as_at is None:
            self.diagnostics.add(UNDATED_OBSERVATION, "Advocate assigned is No, but the return has no 'Data as at' "
                                                      "date to date it by; observation rejected, row kept",
                                 self._loc(sheet, row, "advocate_assigned"))
        elif values.get("advocate_assigned") is False and self.as_at is not None:
            self._item(child, urn, "ek.advocacy-visit", self.as_at, OutcomeKind.NOT_MET,
                       "no advocate assigned (LA return)", self._loc(sheet, row, "advocate_assigned"), suffix="no-advocate")
        authorised, dol_date = values.get("dol_authorised"), values.get("dol_date")
        if authorised is False and dol_date is not None:
            self.diagnostics.add(INCONSISTENT, "a DoL authorisation date is given but DoL authorised is No; date ignored",
                                 self._loc(sheet, row, "dol_date"))
        elif authorised is True and dol_date is None:
            self.diagnostics.add(INCONSISTENT, "DoL authorised is Yes but no authorisation date is given",
                                 self._loc(sheet, row, "dol_authorised"))
        elif dol_date is not None:
            self._item(child, urn, "ek.dol-authorisation", dol_date, OutcomeKind.RECORDED,
                       "deprivation of liberty authorised (LA return)", self._loc(sheet, row, "dol_date"))

    def _item(self, child: str, urn: str, kind: str, day: dt.date, outcome: OutcomeKind, summary: str,
              where: Location, suffix: str | None = None) -> None:
        self.result.add_item(EvidenceItem(
            id=f"la-return:{child}:{kind}:{suffix or day.isoformat()}", setting=urn, source=Source.PLACING_LA,
            kind=kind, observed=day, independence=Independence.INDEPENDENT, child=child, outcome=_OUTCOMES[outcome],
            summary=summary, provenance=where,
        ))

    def _signals(self, values: dict[str, Any], row: Row, sheet: str, spec: SheetSpec) -> None:
        for column in spec.columns:
            if column.metric is None or column.name not in values:
                continue
            value = values[column.name]
            self.result.add_metric(MetricValue(
                setting=values["setting_urn"], month=values["month"], metric=column.metric,
                value=float(value), source=Source.PLACING_LA, provenance=self._loc(sheet, row, column.name),
            ))


class _RangeError(CellError):
    """A value of the right type outside the column's range."""


#: text months as analysts type them ("Jan 2024", "January 2024", "2024-01", "01/2024", "Jan-24")
_MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m", "%m/%Y", "%b-%Y", "%B-%Y", "%b-%y", "%b %y")


def _month(raw: Any, epoch: dt.date) -> dt.date:
    """The first day of the month a cell names: any date in it, or a month written as text."""
    try:
        return to_date(raw, epoch=epoch).replace(day=1)
    except CellError:
        text = clean_text(raw)
        for pattern in _MONTH_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern).date().replace(day=1)
            except ValueError:
                continue
        raise CellError(f"{text!r} is not a month (write a date in it, or e.g. 'Jan 2024')") from None


