"""Reading Ofsted's official statistics CSVs: the provider register, in-year inspections, closed homes.

Three published files share this reader (the format is recognised from the
header, not the name):

* *Provider level at 31 August*: every registered provider, with its latest
  full inspection (``Latest full inspection date`` and its judgements);
* *Provider level in year*: every inspection in the year (``Inspection date``),
  so a provider may appear on several rows;
* *Closed children's homes*: ``URN, Registration status, Date closed``; each
  row closes a setting known from another file (see :class:`~regframe.evidence.Closure`).

The files are as Ofsted publishes them, and the reader is forgiving about form:
a byte-order mark or none, UTF-8 or cp1252 (detected from the bytes), header
names in any case and spacing, trailing empty columns, ``REDACTED`` names and
addresses (read as blank), URNs as ``SC123456`` or seven digits, dd/mm/yyyy
dates, and provision types in either case (``Children's home`` /
``Children's Home``). It is strict about meaning: a bad URN or date rejects
the row with its row number and column.

Provision types outside regframe's scope (fostering and adoption agencies,
boarding schools, colleges, family centres, holiday schemes, secure training
centres) are counted as skipped, not rejected. The education and health
judgements of secure homes have no SCCIF node in the catalogue and are not
turned into evidence.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.evidence.model import Closure, EvidenceItem, EvidenceSet, InputFile, OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.io.formats import detect_encoding
from regframe.framework.model import Independence, SettingKind
from regframe.evidence.identity import canonical_urn
from regframe.ingest import IngestContext, sha256_of

FORMAT_NAME = "ofsted-csv"
JUDGEMENT_KIND = "ek.ofsted-judgement"

ROW_INVALID = code(
    "RF320", Severity.ERROR, "Ofsted CSV row is invalid and was skipped",
    "A row has a URN that is neither ``SC`` and six digits nor seven digits, or a date that is not "
    "dd/mm/yyyy, or a number of places that is not a whole number. The row number counts the header as 1.",
)
COLUMNS_MISSING = code(
    "RF321", Severity.ERROR, "Ofsted CSV lacks a column regframe needs; the file was not read",
    "A provider-level file needs ``URN`` and ``Provision type``; a closed-homes file needs ``URN`` and "
    "``Date closed``. Header names are matched ignoring case and spacing.",
)
JUDGEMENT_UNKNOWN = code(
    "RF322", Severity.WARNING, "Ofsted judgement text not recognised; that judgement was left out",
    "Judgements are read as Outstanding, Good, Requires improvement (to be good) or Inadequate. "
    "The setting and its other judgements were kept.",
)
FILE_UNREADABLE = code(
    "RF323", Severity.ERROR, "Ofsted CSV cannot be read",
    "The file could not be opened or is not CSV.",
)

#: provision type (lower case, apostrophes straightened) -> setting kind; anything else is out of scope
PROVISION_KINDS: dict[str, SettingKind] = {
    "children's home": SettingKind.CHILDRENS_HOME,
    "secure children's home": SettingKind.SECURE_CHILDRENS_HOME,
    "residential special school": SettingKind.RESIDENTIAL_SPECIAL_SCHOOL,
    "residential special school (registered as a children's home)": SettingKind.RSS_CHILDRENS_HOME,
}

#: column (normalised) -> SCCIF judgement suffix
JUDGEMENT_COLUMNS = {
    "overall experiences and progress of children and young people": "overall",
    "how well children and young people are helped and protected": "protect",
    "the effectiveness of leaders and managers": "leaders",
}

GRADES = {
    "outstanding": OfstedGrade.OUTSTANDING,
    "good": OfstedGrade.GOOD,
    "requires improvement to be good": OfstedGrade.REQUIRES_IMPROVEMENT,
    "requires improvement": OfstedGrade.REQUIRES_IMPROVEMENT,
    "inadequate": OfstedGrade.INADEQUATE,
}

_REDACTED = "REDACTED"


def _norm(text: str) -> str:
    """Header or category text compared loosely: case, spacing, BOM and curly apostrophes ignored."""
    return " ".join(text.replace("\ufeff", "").replace("\u2019", "'").lower().split())


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


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy as Ofsted writes it (ISO accepted too); raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    return dt.date.fromisoformat(text)


class _Rows:
    """A CSV file's rows as dicts keyed by normalised header, with their row numbers."""

    def __init__(self, path: Path) -> None:
        encoding = detect_encoding(path)
        text = path.read_bytes().decode(encoding, errors="replace")
        self.reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(self.reader)
        except StopIteration:
            header = []
        self.header = [_norm(cell) for cell in header]
        #: normalised name -> the header as the file writes it, for locations
        self.written = {_norm(cell): cell.replace("\ufeff", "").strip() for cell in header}
        #: rows below the header read so far, and the blank ones among them
        self.count = self.blank = 0

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for cells in self.reader:
            self.count += 1
            if not any(cell.strip() for cell in cells):
                self.blank += 1
                continue
            row = {name: value for name, value in zip(self.header, cells) if name}
            yield self.reader.line_num, row


class _Reader:
    def __init__(self, path: Path, context: IngestContext) -> None:
        self.path = path
        self.where = str(path)
        self.context = context
        self.result = EvidenceSet()
        self.problems: list[Diagnostic] = []
        self.accepted = self.rejected = self.skipped = 0
        self.rows: _Rows | None = None
        self.written: dict[str, str] = {}

    def at(self, row: int, column: str | None = None) -> Location:
        return Location(file=self.where, row=row, column=self.written.get(column, column) if column else None)

    def reject(self, message: str, row: int, column: str | None) -> None:
        self.rejected += 1
        self.problems.append(make(ROW_INVALID, message, self.at(row, column)))

    def read(self) -> None:
        try:
            rows = _Rows(self.path)
        except (OSError, csv.Error) as error:
            self.problems.append(make(FILE_UNREADABLE, str(error), Location(file=self.where)))
            return
        header = set(rows.header)
        self.rows = rows
        self.written = rows.written
        if "urn" in header and "provision type" in header:
            self.providers(rows)
        elif "urn" in header and "date closed" in header:
            self.closures(rows)
        else:
            self.problems.append(make(
                COLUMNS_MISSING, "expected columns URN and Provision type (provider-level file) or URN and "
                "Date closed (closed-homes file)", Location(file=self.where, row=1)))
            self.rejected = sum(1 for _ in rows)  # none of its rows could be read

    def providers(self, rows: _Rows) -> None:
        date_column = "latest full inspection date" if "latest full inspection date" in rows.header else "inspection date"
        event_column = ("latest full inspection event number" if "latest full inspection event number" in rows.header
                        else "inspection event number")
        type_column = ("latest full inspection event type" if "latest full inspection event type" in rows.header
                       else "inspection event type")
        try:
            for row_number, row in rows:
                self.provider(row_number, row, date_column, event_column, type_column)
        except csv.Error as error:
            self.problems.append(make(FILE_UNREADABLE, str(error), Location(file=self.where, row=rows.reader.line_num)))

    def provider(self, number: int, row: dict[str, str], date_column: str, event_column: str, type_column: str) -> None:
        kind = PROVISION_KINDS.get(_norm(row.get("provision type", "")))
        if kind is None:
            self.skipped += 1
            return
        urn = normal_urn(row.get("urn", ""))
        if urn is None:
            self.reject(f"URN {row.get('urn', '')!r} is neither SC and six digits nor seven digits", number, "urn")
            return
        dates: dict[str, dt.date | None] = {}
        for column in ("registration date", date_column):
            try:
                dates[column] = parse_date(row.get(column, ""))
            except ValueError:
                self.reject(f"{urn}: {column} {row.get(column)!r} is not a date (dd/mm/yyyy)", number, column)
                return
        places_text = row.get("places", "").strip()
        if places_text and not places_text.isdigit():
            self.reject(f"{urn}: places {places_text!r} is not a whole number", number, "places")
            return
        education_urn = row.get("linked education urn", "").strip() or None
        self.result.add_setting(Setting(
            urn=urn, kind=kind, name=_unredacted(row.get("name", "")), provision_type=row.get("provision type", "").strip(),
            education_urn=education_urn, local_authority=row.get("local authority", "").strip(),
            region=row.get("ofsted region", "").strip(), sector=row.get("sector", "").strip(),
            places=int(places_text) if places_text else None,
            owner=_unredacted(row.get("organisation which owns the provider", "")),
            registration_status=row.get("registration status", "").strip(), registered_on=dates["registration date"],
            provenance=self.at(number),
        ))
        self.accepted += 1
        inspected = dates[date_column]
        if inspected is not None:
            self.judgements(number, row, urn, kind, inspected, row.get(event_column, "").strip(),
                            row.get(type_column, "").strip())

    def judgements(self, number: int, row: dict[str, str], urn: str, kind: SettingKind, inspected: dt.date,
                   event: str, event_type: str) -> None:
        prefix = framework_prefix(kind)
        for column, judgement in JUDGEMENT_COLUMNS.items():
            text = row.get(column, "").strip()
            if not text:
                continue  # assurance visits and monitoring inspections carry no judgement
            grade = GRADES.get(_norm(text))
            if grade is None:
                self.problems.append(make(JUDGEMENT_UNKNOWN, f"{urn}: {text!r} is not an Ofsted grade", self.at(number, column)))
                continue
            self.result.add_item(EvidenceItem(
                id=f"ofsted:{urn}:{event or inspected.isoformat()}:{judgement}", setting=urn, source=Source.OFSTED,
                kind=JUDGEMENT_KIND, observed=inspected, independence=Independence.REGULATOR,
                references=(f"{prefix}.{judgement}",), outcome=Outcome(OutcomeKind.GRADE, grade=grade),
                summary=event_type, provenance=self.at(number, column),
            ))

    def closures(self, rows: _Rows) -> None:
        for number, row in rows:
            urn = normal_urn(row.get("urn", ""))
            if urn is None:
                self.reject(f"URN {row.get('urn', '')!r} is neither SC and six digits nor seven digits", number, "urn")
                continue
            try:
                closed = parse_date(row.get("date closed", ""))
            except ValueError:
                self.reject(f"{urn}: date closed {row.get('date closed')!r} is not a date (dd/mm/yyyy)", number, "date closed")
                continue
            self.result.add_closure(Closure(urn, closed, row.get("registration status", "").strip(), self.at(number)))
            self.accepted += 1


def _unredacted(text: str) -> str:
    """Ofsted publishes children's homes' names and addresses as REDACTED: keep that as blank, not as a name."""
    text = text.strip()
    return "" if text.upper() == _REDACTED else text


def read(path: Path, context: IngestContext) -> EvidenceSet:
    """Read one Ofsted CSV (provider-level or closed homes); bad rows are reported and skipped, never raised."""
    path = Path(path)
    reader = _Reader(path, context)
    reader.read()
    result = reader.result
    result.diagnostics.extend(reader.problems)
    try:
        digest = sha256_of(path)
    except OSError:
        digest = ""
    rows = reader.rows
    read_rows, blank = (rows.count, rows.blank) if rows is not None else (0, 0)
    result.inputs.append(InputFile(str(path), digest, FORMAT_NAME, reader.accepted, reader.rejected, reader.skipped,
                                   blank, 0, read_rows))
    return result
