"""Problems found in input, as data: collected in bulk, each with its location.

Every reader in regframe reports what is wrong with its input as
:class:`Diagnostic` values instead of raising on the first problem, so an
analyst sees every bad cell of a return in one run. Codes are declared with
:func:`code` next to the code that emits them; the registry feeds the
documentation's troubleshooting page, so each code has an entry there.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator

import attrs


class Severity(enum.Enum):
    """How much a problem matters.

    ``error`` means the item it concerns was rejected; ``warning`` means it was
    kept but needs explaining (the CIN validator's "query"); ``info`` is a
    remark such as "a random pseudonym key was used for this run".
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.define(order=True, unsafe_hash=True)
class Location:
    """Where a problem is: a file and, as the format allows, line, sheet, cell, row, column.

    Every evidence item and metric carries one as its provenance, so a large
    load builds a million; like :class:`~regframe.evidence.EvidenceItem` it is
    not ``attrs.frozen`` for that reason (a frozen class sets each of its seven
    fields through ``object.__setattr__``), but compares, sorts and hashes by
    value. Treat it as a read-only value; ``attrs.evolve`` makes a changed copy.

    Text formats give ``line`` (and sometimes ``column``); spreadsheets give
    ``sheet`` and ``cell``; CSV files give ``row`` and ``column`` (a header
    name). ``path`` may name an XML element (an XPath-like string).
    """

    file: str = ""
    line: int | None = None
    column: str | int | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        return self.text(self.file)

    def text(self, file: str) -> str:
        """The location in words, its file written as ``file`` (a report names a file by its name alone)."""
        if self.sheet is not None:
            text = f"{file}!{self.sheet}"
            if self.cell:
                text += f"!{self.cell}"
            elif self.row is not None:
                text += f"!row {self.row}"
            return text
        text = file or "<input>"
        if self.line is not None:
            text += f":{self.line}"
        elif self.row is not None:
            text += f":row {self.row}"
        if self.column not in (None, ""):
            text += f":{self.column}"
        if self.path:  # an XML element or a JSON path within the record
            text += f" at {self.path}"
        return text


@attrs.frozen
class DiagnosticCode:
    """A registered problem code: its identifier, default severity and a one-line summary."""

    id: str
    severity: Severity
    summary: str
    explanation: str = ""


_REGISTRY: dict[str, DiagnosticCode] = {}


def code(id: str, severity: Severity | str, summary: str, explanation: str = "") -> DiagnosticCode:
    """Declare a diagnostic code (at import time, beside the code that emits it)."""
    sev = Severity(severity) if isinstance(severity, str) else severity
    declared = DiagnosticCode(id, sev, summary, explanation)
    existing = _REGISTRY.get(id)
    if existing is not None and existing != declared:
        raise ValueError(f"diagnostic code {id} declared twice with different meanings")
    _REGISTRY[id] = declared
    return declared


def registered_codes() -> list[DiagnosticCode]:
    """Every declared code, sorted by id (for the docs and ``--help`` texts)."""
    return sorted(_REGISTRY.values(), key=lambda c: c.id)


@attrs.frozen
class Diagnostic:
    """One problem: what (code), how bad (severity), in words (message), where (location)."""

    code: str
    severity: Severity
    message: str
    location: Location = attrs.field(factory=Location)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} {self.code}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def make(
    which: DiagnosticCode,
    message: str,
    location: Location | None = None,
    severity: Severity | None = None,
) -> Diagnostic:
    """Build a :class:`Diagnostic` from a registered code."""
    return Diagnostic(which.id, severity or which.severity, message, location or Location())


class Diagnostics:
    """An append-only collector that readers pass around instead of raising.

    It counts accepted and rejected items too, so a summary can say that
    nothing was silently dropped.
    """

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def add(
        self,
        which: DiagnosticCode,
        message: str,
        location: Location | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        diagnostic = make(which, message, location, severity)
        self._items.append(diagnostic)
        return diagnostic

    def append(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.ERROR]


class InputError(Exception):
    """Raised only where a whole input cannot be read at all (e.g. a zip bomb).

    It carries its diagnostics so the CLI can print them like any other.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(str(d) for d in self.diagnostics))
