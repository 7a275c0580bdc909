"""Reading Ofsted's social care statistics of every year since 2013-14: registers, inspections, joiners and leavers.

Ofsted publishes, each year, every registered provider as at a date with its
latest (and from 2024 its previous) full inspection, every inspection made in
the year, the providers that joined and left the register, and lists of closed
providers: CSV files, and in 2025 one ODS workbook holding them all as sheets.
Their layouts drift from year to year, so this reader knows none of them: the
header row is found wherever it is (titles and a group row above it are
normal), and the era whose columns it matches is looked up in the data table
:mod:`regframe.ingest.ofsted_columns` reads. Encoding is judged from the bytes
(UTF-8 with or without BOM, else cp1252).

What a file gives:

* *providers* tables (registers and in-year files): a :class:`~regframe.evidence.Setting`
  per in-scope row, a :class:`~regframe.evidence.model.RegisterEntry` (status, owner and
  provision type as at the file's date), each :class:`~regframe.evidence.model.Inspection`
  with all its judgements (secure homes' education and health ones and the "Previous ..."
  inspection too), and evidence items for the judgements that have an SCCIF node;
* *registration-events* tables (joiners and leavers): dated registration events;
* *closures* tables: a :class:`~regframe.evidence.Closure` and a dated event per row.

Every row read is accounted for on the file's :class:`~regframe.evidence.InputFile`:
accepted, rejected (RF320, with row and column) or skipped by reason (blank row,
provision type out of scope), with the rows counted by provision type and status
as written. A bad cell rejects its row; nothing raises.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.core.text import is_whole_number
from regframe.evidence.identity import canonical_urn
from regframe.evidence.model import (
    Closure,
    EvidenceItem,
    EvidenceSet,
    InputFile,
    Inspection,
    InspectionKind,
    Judgement,
    NotRead,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    RegisterEntry,
    RegistrationEvent,
    RegistrationEventKind,
    Setting,
    Source,
)
from regframe.evidence.published import withheld
from regframe.framework.model import Independence, SettingKind
from regframe.ingest import IngestContext, sha256_of
from regframe.ingest.ofsted_columns import ColumnTable, Layout, Scale, column_table, layout, squash
from regframe.io import csvsafe, ods

FORMAT_NAME = "ofsted-csv"
ODS_FORMAT_NAME = "ofsted-ods"
JUDGEMENT_KIND = "ek.ofsted-judgement"

ROW_INVALID = code(
    "RF320", Severity.ERROR, "Ofsted row is invalid and was skipped",
    "A row has a URN that is neither ``SC`` and six digits nor seven digits, or a date that is not "
    "dd/mm/yyyy (or ISO), or a number of places that is not a whole number. The row number is the "
    "file's own line (titles and the header counted).",
)
COLUMNS_MISSING = code(
    "RF321", Severity.ERROR, "Ofsted file has no header row regframe recognises; the file was not read",
    "None of the first 30 rows matches the columns of an era in regframe's Ofsted column table "
    "(``evidence/schema/ofsted-columns.toml``): a provider-level or in-year file needs URN and provision "
    "type, a closed-providers file URN and date closed. Header names are matched ignoring case and spacing.",
)
JUDGEMENT_UNKNOWN = code(
    "RF322", Severity.WARNING, "Ofsted judgement text not recognised; that judgement was left out",
    "Judgements are read with the era's grade scale (words, or the numeric codes of 2013-14) from the "
    "column table. The setting and its other judgements were kept.",
)
FILE_UNREADABLE = code(
    "RF323", Severity.ERROR, "Ofsted file cannot be read",
    "The file could not be opened or is not CSV.",
)
COLUMNS_UNMAPPED = code(
    "RF352", Severity.WARNING, "Ofsted file has columns the column table does not know; they were not read",
    "Each era's columns are listed in ``evidence/schema/ofsted-columns.toml``; a column neither mapped "
    "nor listed as ignored is probably a new year's renaming. Add it to the table so it is read.",
)
SHEETS_PASSED_OVER = code(
    "RF353", Severity.INFO, "workbook sheets without a provider table were passed over",
    "An Ofsted workbook also holds a cover, notes and time-series tables; they have no URN column, "
    "so no row of theirs is a setting. They are named so that nothing is passed over unsaid.",
)
EVENT_TYPE_UNKNOWN = code(
    "RF354", Severity.WARNING, "Ofsted event type not recognised; the inspection was kept as 'other'",
    "Event types are read through the column table's ``[event_kinds]`` (full, interim, monitoring, "
    "assurance, emergency). An unknown one keeps its judgements but counts for no rule about full inspections.",
)

BLANK_ROW = "blank row"
OUT_OF_SCOPE = "out-of-scope provision type"

#: judgement area -> the SCCIF judgement it is evidence for (the others have no SCCIF node)
SCCIF_JUDGEMENTS = {"overall": "overall", "protect": "protect", "leaders": "leaders"}

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_AS_AT = re.compile(r"\bat (\d{1,2}) ([a-z]{3})[a-z]* (\d{4})\b")


def framework_prefix(kind: SettingKind) -> str:
    """The SCCIF a setting kind is inspected under: residential special schools under SCCIF RSS, homes under SCCIF CH."""
    return "sccif-rss" if kind is SettingKind.RESIDENTIAL_SPECIAL_SCHOOL else "sccif-ch"


def normal_urn(text: str) -> str | None:
    """``SC123456`` or seven digits, in the one form every reader uses; ``None`` for anything else.

    A social care register has no six-digit (school) URNs, so those are refused here although
    :func:`~regframe.evidence.identity.canonical_urn` accepts them from placement records.
    """
    urn = canonical_urn(text)
    return urn if urn is not None and (urn.startswith("SC") or len(urn) == 7) else None


#: the longest cell text whose date is cached: a date, with a time after it, is shorter
CACHED_DATE_CHARS = 32


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy as Ofsted writes it (ISO accepted too, as the ODS stores dates); raises ValueError otherwise."""
    text = text.strip()
    # Cached: a year's file holds a few hundred distinct dates over thousands of cells, and strptime was
    # a fifth of the reading time. Exceptions are not cached, so bad cells still raise. A long cell is
    # read but not cached, so hostile text (a date followed by 30,000 characters) cannot fill the cache.
    return _cached_date(text) if len(text) <= CACHED_DATE_CHARS else _read_date(text)


def _read_date(text: str) -> dt.date | None:
    if not text:
        return None
    if "/" in text:
        day, month, year = text.split("/")
        if not (len(day) <= 2 and len(month) <= 2 and len(year) == 4 and is_whole_number(day + month + year)):
            raise ValueError(f"not dd/mm/yyyy: {text!r}")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(text[:10])


_cached_date = functools.lru_cache(maxsize=1 << 16)(_read_date)


def title_date(rows: Iterable[list[str]]) -> dt.date | None:
    """The date a title above the header states: "... as at 31 March 2023", "... at 31 Mar 2025"."""
    for row in rows:
        for cell in row:
            match = _AS_AT.search(squash(cell))
            if match and match.group(2) in _MONTHS:
                try:
                    return dt.date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
                except ValueError:
                    continue
    return None


def _cell(cells: list[str], index: int | None) -> str:
    """A cell trimmed; "NULL" (a database null Ofsted sometimes prints) is blank."""
    if index is None or index >= len(cells):
        return ""
    text = cells[index].strip()
    return "" if text == "NULL" else text


def _unredacted(text: str) -> str:
    """Ofsted publishes children's homes' names and addresses as REDACTED: keep that as blank, not as a name."""
    return "" if withheld(text) else text.strip()


class _Reject(Exception):
    """A bad cell: the row is rejected with this message at this column."""

    def __init__(self, message: str, column: int | None) -> None:
        super().__init__(message)
        self.column = column


class _Table:
    """One table (a CSV file or a workbook sheet): its header found, its era matched, every row accounted for."""

    def __init__(self, where: str, sheet: str | None, table: ColumnTable, result: EvidenceSet,
                 problems: list[Diagnostic]) -> None:
        self.where = where
        self.sheet = sheet
        self.table = table
        self.result = result
        self.problems = problems
        self.read = self.accepted = self.rejected = 0
        self.skipped: Counter[str] = Counter()
        self.types: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.header: list[str] = []
        self.written: list[str] = []
        self.layout: Layout | None = None
        self.scale: Scale | None = None
        self.as_at: dt.date | None = None
        self.latest_seen: dt.date | None = None
        self.pending: list[dict[str, Any]] = []  # keyword arguments of a Setting, dated in finish()
        self.inspections: list[dict[str, Any]] = []  # of an Inspection

    # ---- locations and problems

    def at(self, row: int, column: int | None = None) -> Location:
        name = self.written[column] if column is not None and column < len(self.written) else None
        if self.sheet is not None:
            return Location(file=self.where, sheet=self.sheet, row=row, column=name)
        return Location(file=self.where, row=row, column=name)

    def cell(self, cells: list[str], field: str) -> str:
        assert self.layout is not None
        return _cell(cells, self.layout.fields.get(field))

    def column_of(self, field: str) -> int | None:
        assert self.layout is not None
        return self.layout.fields.get(field)

    # ---- reading

    def start(self, rows: list[tuple[int, list[str]]]) -> int | None:
        """Find the header among the first rows; the index of the first data row, or None if there is none."""
        at = self.table.header_row([cells for _, cells in rows])
        if at is None:
            return None
        written = rows[at][1]
        self.written = [" ".join(cell.replace("\ufeff", "").split()) for cell in written]
        self.header = [squash(cell) for cell in written]
        era = self.table.era_of(self.header)
        assert era is not None
        self.layout = layout(era, self.header, self.table.ignored)
        self.scale = self.table.scales[era.scale]
        # the date the title states, else the one a status column's name states ("... at 31 March 2020")
        status = self.layout.fields.get("registration_status")
        self.as_at = title_date(cells for _, cells in rows[:at]) or (
            title_date([[self.header[status]]]) if status is not None else None)
        if self.layout.unmapped:
            self.problems.append(make(COLUMNS_UNMAPPED, f"columns not in the {era.id} era of the column table: "
                                      + ", ".join(repr(n) for n in self.layout.unmapped), self.at(rows[at][0])))
        return at + 1

    def row(self, number: int, cells: list[str]) -> None:
        assert self.layout is not None
        self.read += 1
        if not any(cell.strip() for cell in cells):
            self.skipped[BLANK_ROW] += 1
            return
        provision = self.cell(cells, "provision_type")
        self.types[provision] += 1
        self.statuses[self.cell(cells, "registration_status")] += 1
        table = self.layout.era.table
        try:
            if table == "closures":
                self.closure(number, cells)
                self.accepted += 1
                return
            kind = self.table.provision_types.get(squash(provision))
            if kind is None:
                self.skipped[OUT_OF_SCOPE] += 1
                return
            if table == "registration-events":
                self.registration(number, cells, SettingKind(kind))
            else:
                self.provider(number, cells, SettingKind(kind))
        except _Reject as reject:
            self.rejected += 1
            self.problems.append(make(ROW_INVALID, str(reject), self.at(number, reject.column)))
            return
        self.accepted += 1

    def urn(self, cells: list[str]) -> str:
        written = self.cell(cells, "urn")
        urn = normal_urn(written)
        if urn is None:
            raise _Reject(f"URN {written!r} is neither SC and six digits nor seven digits", self.column_of("urn"))
        return urn

    def date(self, cells: list[str], field: str, urn: str) -> dt.date | None:
        text = self.cell(cells, field)
        try:
            value = parse_date(text)
        except ValueError:
            column = self.column_of(field)
            name = self.written[column] if column is not None else field
            raise _Reject(f"{urn}: {name} {text!r} is not a date (dd/mm/yyyy)", column) from None
        if value is not None and (self.latest_seen is None or value > self.latest_seen):
            self.latest_seen = value
        return value

    def places(self, cells: list[str], urn: str) -> int | None:
        text = self.cell(cells, "places")
        if not text:
            return None
        if not is_whole_number(text):
            raise _Reject(f"{urn}: places {text!r} is not a whole number", self.column_of("places"))
        return int(text)

    def setting(self, number: int, cells: list[str], urn: str, kind: SettingKind,
                **dates: dt.date | None) -> dict[str, object]:
        """A setting's fields from a row; the Setting is built when the table's date is known (:meth:`finish`)."""
        return dict(
            urn=urn, kind=kind, name=_unredacted(self.cell(cells, "name")),
            provision_type=self.cell(cells, "provision_type"),
            education_urn=self.cell(cells, "education_urn") or None,
            local_authority=self.cell(cells, "local_authority"), region=self.cell(cells, "region"),
            sector=self.cell(cells, "sector"), places=self.places(cells, urn),
            owner=_unredacted(self.cell(cells, "owner")),
            registration_status=self.cell(cells, "registration_status"), provenance=self.at(number), **dates,
        )

    def provider(self, number: int, cells: list[str], kind: SettingKind) -> None:
        urn = self.urn(cells)
        registered = self.date(cells, "registration_date", urn)
        assert self.layout is not None  # set by the header row, before any data row
        inspections = [self.inspection(number, cells, urn, which) for which in self.layout.inspections]
        self.pending.append(self.setting(number, cells, urn, kind, registered_on=registered))
        self.inspections.extend(inspection for inspection in inspections if inspection is not None)

    def inspection(self, number: int, cells: list[str], urn: str, which: str) -> dict[str, object] | None:
        """An inspection's fields from a row; the Inspection is built with the table's date (:meth:`finish`)."""
        assert self.layout is not None and self.scale is not None
        parts, judged = self.layout.inspections[which]

        def text(index: int | None) -> str:
            return _cell(cells, index)

        written_date = text(parts.get("date"))
        try:
            date = parse_date(written_date)
        except ValueError:
            raise _Reject(f"{urn}: {self.written[parts['date']]} {written_date!r} is not a date (dd/mm/yyyy)",
                          parts.get("date")) from None
        if date is None:
            return None  # never inspected (or no previous inspection)
        if self.latest_seen is None or date > self.latest_seen:
            self.latest_seen = date
        event_type = text(parts.get("event_type"))
        kind_name = self.table.event_kinds.get(squash(event_type))
        if kind_name is None:
            kind = InspectionKind.OTHER
            if event_type:
                self.problems.append(make(EVENT_TYPE_UNKNOWN, f"{urn}: event type {event_type!r}",
                                          self.at(number, parts.get("event_type"))))
        else:
            kind = InspectionKind(kind_name)
        judgements = []
        for area, indices in judged.items():
            index = next((i for i in indices if text(i)), indices[0])
            judgement = self.judgement(area, text(index), kind, urn, number, index)
            if judgement is not None:
                judgements.append(judgement)
        return dict(urn=urn, date=date, kind=kind, event=text(parts.get("event")),
                    judgements=tuple(judgements), event_type=event_type, provenance=self.at(number))

    def judgement(self, area: str, written: str, kind: InspectionKind, urn: str, number: int,
                  index: int) -> Judgement | None:
        assert self.scale is not None
        squashed = squash(written)
        if squashed in self.scale.blank:
            return None
        if kind is InspectionKind.INTERIM and area == "overall" and squashed in self.scale.interim:
            return Judgement(area, written, outcome=self.scale.interim[squashed])
        grade = self.scale.grades.get(squashed)
        if grade is not None:
            return Judgement(area, written, grade=OfstedGrade(grade))
        outcome = self.scale.outcomes.get(squashed)
        if outcome is not None:
            return Judgement(area, written, outcome=outcome)
        self.problems.append(make(JUDGEMENT_UNKNOWN, f"{urn}: {written!r} is not an Ofsted grade", self.at(number, index)))
        return None

    def registration(self, number: int, cells: list[str], kind: SettingKind) -> None:
        urn = self.urn(cells)
        dates = {field: self.date(cells, field, urn) for field in ("registered", "resigned", "closed", "cancelled", "left")}
        left = dates["resigned"] or dates["closed"] or dates["cancelled"] or dates["left"]
        setting = self.setting(number, cells, urn, kind, registered_on=dates["registered"], closed_on=left)
        self.pending.append(setting)
        status = squash(str(setting["registration_status"]))
        for field, event_kind in (("registered", RegistrationEventKind.REGISTERED),
                                  ("resigned", RegistrationEventKind.RESIGNED),
                                  ("closed", RegistrationEventKind.CLOSED),
                                  ("cancelled", RegistrationEventKind.CANCELLED),
                                  ("left", _leaving_kind(status))):
            if (day := dates[field]) is not None:
                self.result.registrations.append(RegistrationEvent(urn, event_kind, day, self.at(number)))

    def closure(self, number: int, cells: list[str]) -> None:
        urn = self.urn(cells)
        closed = self.date(cells, "left", urn)
        status = self.cell(cells, "registration_status")
        self.result.add_closure(Closure(urn, closed, status, self.at(number)))
        if closed is not None:
            self.result.registrations.append(RegistrationEvent(urn, _leaving_kind(squash(status)), closed, self.at(number)))

    def finish(self) -> None:
        """Date the register entries (the title's date, else the latest date the table holds) and keep them."""
        as_at, inferred = (self.as_at, False) if self.as_at is not None else (self.latest_seen, True)
        for fields in self.pending:
            setting = Setting(**fields, status_as_at=as_at)
            self.result.add_setting(setting)
            self.result.register.append(RegisterEntry(setting.urn, as_at, setting.registration_status, setting.owner,
                                                      setting.provision_type, inferred, setting.provenance))
        self.result.inspections.extend(Inspection(**fields, reported=as_at) for fields in self.inspections)
        self.pending, self.inspections = [], []

    def input_file(self, path: str, digest: str, fmt: str, not_read: tuple[NotRead, ...] = ()) -> InputFile:
        # blank rows are among the skipped, by reason, so accepted + rejected + skipped == rows read
        return InputFile(path, digest, fmt, self.accepted, self.rejected, sum(self.skipped.values()),
                         rows=self.read, skipped_by_reason=dict(sorted(self.skipped.items())),
                         by_provision_type=dict(sorted(self.types.items())), by_status=dict(sorted(self.statuses.items())),
                         not_read=not_read)


#: one Outcome per grade, shared by every item (they are values; building 200,000 was a tenth of the load)
_GRADE_OUTCOMES = {grade: Outcome(OutcomeKind.GRADE, grade=grade) for grade in OfstedGrade}


def judgement_items(inspections: Iterable[Inspection], settings: dict[str, Setting]) -> list[EvidenceItem]:
    """Evidence items for the graded judgements that have an SCCIF node, one per inspection and judgement.

    Derived from the inspections rather than read row by row, so that an inspection several
    files report (each year's register repeats the latest one) gives its items once; the
    setting's kind (its latest register entry's) says which SCCIF they cite.
    """
    items: list[EvidenceItem] = []
    for inspection in inspections:
        setting = settings.get(inspection.urn)
        if setting is None:
            continue
        prefix = framework_prefix(setting.kind)
        stem = inspection.event or inspection.date.isoformat()
        for judgement in inspection.judgements:
            sccif = SCCIF_JUDGEMENTS.get(judgement.area)
            if sccif is None or judgement.grade is None:
                continue
            items.append(EvidenceItem(
                id=f"ofsted:{inspection.urn}:{stem}:{sccif}", setting=inspection.urn, source=Source.OFSTED,
                kind=JUDGEMENT_KIND, observed=inspection.date, independence=Independence.REGULATOR,
                references=(f"{prefix}.{sccif}",), outcome=_GRADE_OUTCOMES[judgement.grade],
                summary=inspection.kind.label, provenance=inspection.provenance,
            ))
    return items


def _leaving_kind(status: str) -> RegistrationEventKind:
    return {"resigned": RegistrationEventKind.RESIGNED, "cancelled": RegistrationEventKind.CANCELLED,
            "closed": RegistrationEventKind.CLOSED}.get(status, RegistrationEventKind.LEFT)


def _read_rows(table: _Table, rows: Iterator[tuple[int, list[str]]]) -> bool:
    """Feed a table its rows; False if no header was found (nothing counted)."""
    head = list(itertools.islice(rows, 30))
    first = table.start(head)
    if first is None:
        return False
    try:
        for number, cells in itertools.chain(head[first:], rows):
            table.row(number, cells)
    finally:
        table.finish()  # rows read before a damaged line are kept
    return True




def _not_read(sheet: ods.Sheet) -> tuple[NotRead, ...]:
    """The sheet's rows not read, for its account: read up to damage or a limit; how many after it, unknown.

    Asked once the sheet's rows are consumed (the stop is known only then); the rows after a stop
    are never parsed, and an ODS sheet declares no range, so their number is not given.
    """
    stop = sheet.stop
    return () if stop is None else (NotRead(sheet.name, stop.code, stop.after_row, None, None),)


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one Ofsted CSV or ODS workbook; bad rows are reported and skipped, never raised."""
    path = Path(path)
    result = EvidenceSet()
    problems: list[Diagnostic] = []
    try:
        digest = sha256_of(path)
    except OSError as error:
        result.diagnostics.append(make(FILE_UNREADABLE, str(error), Location(file=str(path))))
        return result
    table = column_table()
    if ods.is_ods(path):
        passed_over: list[ods.Sheet] = []
        for sheet in ods.sheets(path, problems):
            reader = _Table(str(path), sheet.name, table, result, problems)
            if _read_rows(reader, sheet.rows):
                result.inputs.append(reader.input_file(f"{path}#{sheet.name}", digest, ODS_FORMAT_NAME,
                                                       _not_read(sheet)))
            else:
                passed_over.append(sheet)  # its stop, if any, is known once the next sheet is asked for
        if passed_over:
            problems.append(make(SHEETS_PASSED_OVER, ", ".join(sheet.name for sheet in passed_over),
                                 Location(file=str(path))))
        if not result.inputs:
            problems.append(make(COLUMNS_MISSING, "no sheet of the workbook has a header row of an era in the "
                                 "Ofsted column table", Location(file=str(path))))
            # no sheet had the table: one stopped short of its header may have been it
            unread = tuple(entry for sheet in passed_over for entry in _not_read(sheet))
            result.inputs.append(InputFile(str(path), digest, ODS_FORMAT_NAME, not_read=unread))
    else:
        reader = _Table(str(path), None, table, result, problems)
        try:
            text, encoding = csvsafe.read_text(path)
            records = csvsafe.rows(io.StringIO(text, newline=""), str(path), problems.append, encoding=encoding)
            try:
                found = _read_rows(reader, records)
            finally:
                records.close()  # so a problem of the text is said now, even when no header was found
        except OSError as error:
            problems.append(make(FILE_UNREADABLE, str(error), Location(file=str(path))))
            found = True
        if not found:
            problems.append(make(COLUMNS_MISSING, "no row among the first 30 has the columns of an era in the "
                                 "Ofsted column table", Location(file=str(path), row=1)))
        result.inputs.append(reader.input_file(str(path), digest, FORMAT_NAME))
    result.items.extend(judgement_items(result.inspections, result.settings))
    result.diagnostics.extend(problems)
    return result
