"""The evidence model: settings, children (as pseudonyms), placements, evidence items, metrics.

Shaped like OSCAL assessment results: an *observation* (who looked, how
independent they are, when) with an *outcome* about one or more requirements,
and possibly an *action* (an Ofsted requirement, a CQC breach) that stays open
until closed. Every item keeps its provenance (file and line, or sheet and
cell), so a report can always say where a finding came from.

Children appear only as pseudonyms (see :mod:`regframe.evidence.pseudonym`): no name,
date of birth, full postcode or raw LA child id is ever held here.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from regframe.core.diagnostics import Diagnostic, InputError, Location, Severity, code, make
from regframe.framework.model import Independence, SettingKind, Source

REJECTED_RECORDS = code(
    "RF340", Severity.ERROR, "records of a file were rejected",
    "A file's reader rejected some of its records (rows or elements), and each is explained by its own "
    "diagnostic with its location, but only by warnings (given only then: an error about the file already fails the run). Data given and not used is an error of the run: "
    "``regframe`` exits 1 and ``EvidenceSet.raise_for_errors()`` raises, even though every valid record was kept.",
)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    """A converter mypy can type (``converter=tuple`` leaves the element type unknown)."""
    return tuple(values)


def _judgements(values: Iterable[Judgement]) -> tuple[Judgement, ...]:
    return tuple(values)


class OutcomeKind(enum.Enum):
    MET = "met"
    NOT_MET = "not-met"
    PARTLY_MET = "partly-met"
    CONCERN = "concern"
    SCORE = "score"  # a CQC quality-statement score, 1-4
    GRADE = "grade"  # an Ofsted grade
    RECORDED = "recorded"  # the event happened (a visit, a referral), no judgement attached


class OfstedGrade(enum.Enum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"


@attrs.frozen
class Outcome:
    """What a piece of evidence found: a verdict, a CQC score, an Ofsted grade, or just that it happened."""

    kind: OutcomeKind
    score: int | None = attrs.field(default=None)
    grade: OfstedGrade | None = None

    @score.validator
    def _score_in_range(self, _attribute: object, value: int | None) -> None:
        if value is not None and not 1 <= value <= 4:
            raise ValueError(f"a CQC score is 1 to 4, not {value}")

    def __attrs_post_init__(self) -> None:
        if self.kind is OutcomeKind.SCORE and self.score is None:
            raise ValueError("a score outcome needs a score")
        if self.kind is OutcomeKind.GRADE and self.grade is None:
            raise ValueError("a grade outcome needs a grade")


class ActionKind(enum.Enum):
    OFSTED_REQUIREMENT = "ofsted-requirement"
    OFSTED_RECOMMENDATION = "ofsted-recommendation"
    COMPLIANCE_NOTICE = "compliance-notice"
    CQC_BREACH = "cqc-breach"
    CQC_REQUIREMENT_NOTICE = "cqc-requirement-notice"
    ENFORCEMENT = "enforcement"
    OTHER = "other"


@attrs.frozen
class Action:
    """Something a regulator told the provider to do, open until closed."""

    kind: ActionKind
    due: dt.date | None = None
    closed: bool = False
    closed_on: dt.date | None = None

    def open_on(self, day: dt.date) -> bool:
        return not self.closed or (self.closed_on is not None and self.closed_on > day)


@attrs.frozen
class Setting:
    """A registered setting, keyed by its Ofsted social care URN (or CQC location id if CQC-only)."""

    urn: str
    kind: SettingKind
    name: str = ""
    provision_type: str = ""
    education_urn: str | None = None
    cqc_location_id: str | None = None
    local_authority: str = ""
    region: str = ""
    sector: str = ""
    places: int | None = None
    owner: str = ""
    registration_status: str = ""
    registered_on: dt.date | None = None
    closed_on: dt.date | None = None
    #: the date the register entry this setting was read from describes (see :class:`RegisterEntry`):
    #: of several years' files, the latest entry's status, owner and places are the setting's
    status_as_at: dt.date | None = None
    #: True when the kind was guessed from a placement code (SSDA903, Annex A), not read from a register
    kind_inferred: bool = False
    #: "CQC record not linked", which the report shows: a CQC location that looks like one side of a
    #: setting Ofsted registers too (a CQC care home serving children) and that no link joins to an
    #: Ofsted URN; or an Ofsted setting registered with CQC whose CQC record was not among the CQC
    #: records read. Either way CQC's silence about the setting is not a finding.
    cqc_record_unlinked: bool = False
    provenance: Location | None = attrs.field(default=None, eq=False)

    @property
    def dual_registered(self) -> bool:
        """Registered with both Ofsted and CQC: the unit of a joint inspection."""
        return self.cqc_location_id is not None


@attrs.frozen
class Placement:
    """A child's placement in a setting, as the placing authority reports it."""

    child: str  # a pseudonym, never a raw id
    setting: str  # setting URN
    placing_la: str
    start: dt.date
    end: dt.date | None = None
    weeks_per_year: int | None = None
    distance_miles: float | None = None
    legal_status: str = ""
    ehc_plan: bool | None = None
    placement_type: str = ""
    provider_type: str = ""
    category_of_need: str = ""
    looked_after: bool | None = None
    provenance: Location | None = attrs.field(default=None, eq=False)

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


# Evidence items and metric values are built a million at a time, so they are not
# ``attrs.frozen``: a frozen class sets every field through ``object.__setattr__``,
# which made building them a fifth of a large load. They compare and hash by value
# as before (``unsafe_hash``); treat them as read-only values, and use
# ``attrs.evolve`` for a changed copy. ``on_setattr=NO_OP`` keeps ``__init__`` plain
# assignments: with a converter to run on assignment, attrs would route every field
# through ``object.__setattr__`` again.
#
# Their provenance is kept compact. A reader of a text format passes the file's one shared
# ``Location`` (``provenance=``) and the record's ``line``: a million records then share one
# ``Location`` instead of holding one each (96 bytes apiece, about 100 MB at national scale),
# and :attr:`provenance` joins the two when it is read. A reader that has more to say (a sheet and
# cell, an element path) passes a whole ``Location`` and no ``line``. No weak references are
# taken to them, so they carry no ``__weakref__`` slot either.
def _provenance(origin: Location | None, line: int | None) -> Location | None:
    """The ``Location`` of a record: ``origin`` as given, or, with a ``line``, ``origin`` at that line."""
    if line is None:
        return origin
    if origin is None:
        return Location(line=line)
    return Location(origin.file, line, origin.column, origin.sheet, origin.cell, origin.row, origin.path)


@attrs.define(unsafe_hash=True, on_setattr=attrs.setters.NO_OP, weakref_slot=False)
class EvidenceItem:
    """One observation about a setting (and perhaps one child), from one source, on one date.

    ``references`` are what the source cited ("Regulation 35(3)(a)", or a stable
    id); they are resolved to requirements by :mod:`regframe.assess.mapping`. ``occurred``
    is the date of the underlying event where it differs from ``observed`` (an
    allegation made on ``occurred`` and referred to the LADO on ``observed``).
    """

    id: str
    setting: str
    source: Source
    kind: str  # an evidence-kind id from the framework's vocabulary
    observed: dt.date
    independence: Independence
    child: str | None = None
    occurred: dt.date | None = None
    references: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    outcome: Outcome | None = None
    action: Action | None = None
    summary: str = ""
    #: where the item was read (see :attr:`provenance`): a whole Location, or with ``line`` the file's
    _origin: Location | None = attrs.field(default=None, eq=False, alias="provenance")
    #: the line of a text file the item was read from, when ``provenance`` was given as the file's Location
    line: int | None = attrs.field(default=None, eq=False)

    @property
    def provenance(self) -> Location | None:
        """Where the item was read: file and line, or sheet and cell, or the element's path."""
        return _provenance(self._origin, self.line)


class Metric(enum.Enum):
    """Monthly figures for a setting (the LA return's Setting signals sheet, provider returns)."""

    __hash__ = object.__hash__  # as Status's (regframe.assess.results): exact for singletons, and in C

    RESTRAINT_INCIDENTS = "restraint-incidents"
    CHILDREN_RESIDENT = "children-resident"
    STAFF_VACANCIES = "staff-vacancies"
    STAFF_LEAVERS = "staff-leavers"
    STAFF_HEADCOUNT = "staff-headcount"
    AGENCY_SHARE = "agency-share"
    LADO_REFERRALS = "lado-referrals"
    NOTIFICATIONS = "notifications"
    COMPLAINTS = "complaints"
    REG44_REPORT_RECEIVED = "reg44-report-received"


@attrs.define(unsafe_hash=True, weakref_slot=False)
class MetricValue:
    """One month's figure for one setting (see the note above :class:`EvidenceItem` on why it is not frozen,
    and how its provenance is kept)."""

    setting: str
    month: dt.date  # the first day of the month
    metric: Metric
    value: float
    source: Source = Source.PROVIDER
    _origin: Location | None = attrs.field(default=None, eq=False, alias="provenance")
    line: int | None = attrs.field(default=None, eq=False)

    @property
    def provenance(self) -> Location | None:
        """Where the figure was read: file and line, or sheet and cell."""
        return _provenance(self._origin, self.line)


@attrs.frozen
class NotRead:
    """A sheet of an input file whose rows were not all read: refused whole, or read up to a problem.

    The row counts of :class:`InputFile` are of the rows read; the rows a refused sheet held were
    never read, so they are stated here rather than left out in silence. ``after_row`` is the last
    row read (0: none, the sheet was refused whole); ``rows`` the row elements of the file not read,
    counted from its bytes, or ``None`` where its data was too damaged to count them;
    ``dimension`` the range the sheet declares (``A1:K500``), where it declares one; ``code`` the
    diagnostic that says why.
    """

    sheet: str
    code: str
    after_row: int = 0
    rows: int | None = None
    dimension: str | None = None

    def describe(self) -> str:
        """In words: "sheet 'Children placed' refused (RF404): 2,000,001 rows not read"."""
        what = f"sheet {self.sheet!r} refused" if not self.after_row else \
            f"sheet {self.sheet!r} read to row {self.after_row:,} only"
        if self.rows is not None:
            count = f"{self.rows:,}{' more' if self.after_row else ''} row(s) not read"
        else:
            count = f"{'the rows after it' if self.after_row else 'its rows'} not read, how many unknown"
        declared = f" (it declares range {self.dimension})" if self.dimension else ""
        return f"{what} ({self.code}): {count}{declared}"


@attrs.frozen
class InputFile:
    """One file that went into an evidence set: for the report's About sheet and for honesty counts.

    Every row (record) read is counted once, in exactly one of accepted, rejected, skipped,
    blank or unused, so ``accepted + rejected + skipped + blank + unused == rows``
    (:attr:`accounted`). A "row" is a CSV or worksheet row below the header, or a record
    element of an XML file. A sheet whose rows were not all read (refused over a limit, its data
    damaged) is listed in :attr:`not_read`, with the rows it held where they can be counted.
    """

    path: str
    sha256: str
    format: str
    accepted: int = 0
    rejected: int = 0
    #: records read but deliberately not kept (e.g. Ofsted rows for fostering agencies,
    #: which regframe does not cover): neither accepted nor rejected
    skipped: int = 0
    #: rows with nothing in them
    blank: int = 0
    #: rows of tables regframe recognises but does not use (SSDA903 OC2, Annex A lists other than 8)
    unused: int = 0
    #: every row read, whatever became of it
    rows: int = 0

    @property
    def accounted(self) -> bool:
        """Whether every row read is counted once in accepted, rejected, skipped, blank or unused."""
        return self.accepted + self.rejected + self.skipped + self.blank + self.unused == self.rows

    #: ``skipped`` by reason ("out-of-scope provision type", "blank row"), for readers that say why
    skipped_by_reason: dict[str, int] = attrs.field(factory=dict, hash=False)
    #: the rows read by the provision type and registration status they state, as written (Ofsted files)
    by_provision_type: dict[str, int] = attrs.field(factory=dict, hash=False)
    by_status: dict[str, int] = attrs.field(factory=dict, hash=False)
    #: sheets refused whole, or read only up to a problem: their rows are in no count above
    not_read: tuple[NotRead, ...] = ()


class EvidenceErrors(InputError):
    """Raised by :meth:`EvidenceSet.raise_for_errors`: the evidence has errors or rejected records.

    ``diagnostics`` holds the errors (and a line per file with rejected records), each with its location.
    """


@attrs.frozen
class CqcLink:
    """That an Ofsted URN and a CQC location id are one setting, as a link file says (see :mod:`regframe.ingest.cqc_link`)."""

    urn: str
    location_id: str
    provenance: Location | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Closure:
    """That a setting closed (Ofsted's closed-homes list), to be applied to the setting when it is known."""

    urn: str
    closed_on: dt.date | None
    registration_status: str = ""
    provenance: Location | None = attrs.field(default=None, eq=False)


class InspectionKind(enum.Enum):
    """What kind of Ofsted visit an inspection was: only a full inspection gives the graded judgements."""

    FULL = "full"
    INTERIM = "interim"
    MONITORING = "monitoring"
    ASSURANCE = "assurance"
    EMERGENCY = "emergency"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _INSPECTION_LABELS[self]


_INSPECTION_LABELS = {
    InspectionKind.FULL: "Full inspection", InspectionKind.INTERIM: "Interim inspection",
    InspectionKind.MONITORING: "Monitoring inspection", InspectionKind.ASSURANCE: "Assurance visit",
    InspectionKind.EMERGENCY: "Emergency inspection", InspectionKind.OTHER: "Other visit",
}


@attrs.frozen
class Judgement:
    """One judgement of an inspection: the area judged, the cell as written, and what it means.

    ``grade`` is set for a graded judgement (outstanding to inadequate); ``outcome`` for the
    other results Ofsted records (an interim inspection's "declined", a monitoring visit's
    "good progress"). ``area`` is regframe's name for the judgement across eras: ``overall``,
    ``protect``, ``leaders``, ``outcomes``, ``care``, ``education``, ``health``.
    """

    area: str
    text: str
    grade: OfstedGrade | None = None
    outcome: str | None = None


@attrs.frozen
class Inspection:
    """One Ofsted inspection of a setting, however many files report it (see :attr:`key`)."""

    urn: str
    date: dt.date
    kind: InspectionKind
    event: str = ""  # Ofsted's event number, where the file gives it
    judgements: tuple[Judgement, ...] = attrs.field(default=(), converter=_judgements)
    event_type: str = attrs.field(default="", eq=False)  # as the file writes it
    #: the date of the file that reported it (see :class:`RegisterEntry`): of two differing copies, the later file's wins
    reported: dt.date | None = attrs.field(default=None, eq=False)
    provenance: Location | None = attrs.field(default=None, eq=False)

    @property
    def key(self) -> tuple[str, str]:
        """The same inspection in two files: its event number, or failing that its date and kind."""
        return (self.urn, self.event or f"{self.date.isoformat()}/{self.kind.value}")

    def judgement(self, area: str) -> Judgement | None:
        return next((j for j in self.judgements if j.area == area), None)


class RegistrationEventKind(enum.Enum):
    """A change of a setting's registration, as Ofsted's joiners and leavers and closure lists date it."""

    REGISTERED = "registered"
    RESIGNED = "resigned"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"
    #: left the register on a date the file gives without saying how (resigned, closed or cancelled)
    LEFT = "left"


@attrs.frozen
class RegistrationEvent:
    urn: str
    kind: RegistrationEventKind
    on: dt.date
    provenance: Location | None = attrs.field(default=None, eq=False)


@attrs.frozen
class RegisterEntry:
    """What one row of a register or inspection file said of a setting, as at the file's date.

    ``as_at`` is the date the file states (its title, "as at 31 March 2023"), else the latest
    date among its rows (``as_at_inferred``): the status, owner and provision type were true then.
    """

    urn: str
    as_at: dt.date | None
    registration_status: str = ""
    owner: str = ""
    provision_type: str = ""
    as_at_inferred: bool = False
    provenance: Location | None = attrs.field(default=None, eq=False)


class EvidenceSet:
    """Everything ingested from some files, indexed by setting.

    Built incrementally by the readers (``add_*``) and then read by the
    assessment. Merging two sets keeps the first occurrence of a setting and
    appends everything else; duplicate evidence ids are reported by the loader.
    """

    def __init__(self) -> None:
        self.settings: dict[str, Setting] = {}
        self.placements: list[Placement] = []
        self.items: list[EvidenceItem] = []
        self.metrics: list[MetricValue] = []
        self.inputs: list[InputFile] = []
        self.diagnostics: list[Diagnostic] = []
        self.notes: list[str] = []
        #: closures by URN; applied to settings as they become known, in whichever order files are read
        self.closures: dict[str, Closure] = {}
        #: file -> the LA codes its child ids were pseudonymised under (the pseudonym's scope);
        #: :data:`regframe.evidence.pseudonym.UNKNOWN_LA` when the file does not say and none was given
        self.child_las: dict[str, set[str]] = {}
        #: records read but outside regframe's scope, by (format, reason): every out-of-scope count has its why
        self.out_of_scope: Counter[tuple[str, str]] = Counter()
        #: URN <-> CQC location links read from link files; applied once every file is read
        self.cqc_links: list[CqcLink] = []
        #: what became of the links when applied ("applied", "not applied: ..."), by outcome
        self.link_outcomes: Counter[str] = Counter()
        #: Ofsted inspections, registration events and register rows: a setting's history (see
        #: :mod:`regframe.evidence.history`); the loader counts an inspection in two files once
        self.inspections: list[Inspection] = []
        self.registrations: list[RegistrationEvent] = []
        self.register: list[RegisterEntry] = []

    # ---- building

    def add_setting(self, setting: Setting) -> None:
        existing = self.settings.get(setting.urn)
        setting = _merge_setting(existing, setting) if existing else setting
        closure = self.closures.get(setting.urn)
        self.settings[setting.urn] = _close(setting, closure) if closure else setting

    def add_closure(self, closure: Closure) -> None:
        """Record that a setting closed; a setting already known is updated now, a later one when added."""
        self.closures.setdefault(closure.urn, closure)
        existing = self.settings.get(closure.urn)
        if existing is not None:
            self.settings[closure.urn] = _close(existing, closure)

    @property
    def unmatched_closures(self) -> list[Closure]:
        """Closures of settings no file described (a closed home is usually absent from the current register)."""
        return [c for urn, c in self.closures.items() if urn not in self.settings]

    def add_item(self, item: EvidenceItem) -> None:
        self.items.append(item)

    def add_placement(self, placement: Placement) -> None:
        self.placements.append(placement)

    def add_metric(self, metric: MetricValue) -> None:
        self.metrics.append(metric)

    def note_child_la(self, path: str, la_code: str) -> None:
        """Record that ``path``'s child ids were pseudonymised under ``la_code``."""
        self.child_las.setdefault(str(path), set()).add(la_code)

    def merge(self, other: EvidenceSet) -> None:
        for setting in other.settings.values():
            self.add_setting(setting)
        for closure in other.closures.values():
            self.add_closure(closure)
        self.placements.extend(other.placements)
        self.inspections.extend(other.inspections)
        self.registrations.extend(other.registrations)
        self.register.extend(other.register)
        self.items.extend(other.items)
        self.metrics.extend(other.metrics)
        self.inputs.extend(other.inputs)
        self.diagnostics.extend(other.diagnostics)
        self.notes.extend(other.notes)
        for path, las in other.child_las.items():
            self.child_las.setdefault(path, set()).update(las)
        self.out_of_scope.update(other.out_of_scope)
        self.cqc_links.extend(other.cqc_links)
        self.link_outcomes.update(other.link_outcomes)

    # ---- reading

    def items_by_setting(self) -> dict[str, list[EvidenceItem]]:
        grouped: dict[str, list[EvidenceItem]] = defaultdict(list)
        for item in self.items:
            grouped[item.setting].append(item)
        return grouped

    def placements_by_setting(self) -> dict[str, list[Placement]]:
        grouped: dict[str, list[Placement]] = defaultdict(list)
        for placement in self.placements:
            grouped[placement.setting].append(placement)
        return grouped

    def metrics_by_setting(self) -> dict[str, list[MetricValue]]:
        grouped: dict[str, list[MetricValue]] = defaultdict(list)
        for metric in self.metrics:
            grouped[metric.setting].append(metric)
        return grouped

    def __iter__(self) -> Iterator[EvidenceItem]:
        return iter(self.items)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.inputs)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.inputs)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.inputs)

    @property
    def errors(self) -> list[Diagnostic]:
        """What makes this evidence fail: every error diagnostic, and RF340 for each file with rejected records.

        A rejected record is an error whatever the severity of the diagnostic that explains it (some
        readers explain a skipped row with a warning): data was given and not used.
        """
        found = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        return found + self._unsaid_rejections(found)

    def _unsaid_rejections(self, errors: Iterable[Diagnostic] | None = None) -> list[Diagnostic]:
        """RF340 for each file whose rejected records were explained by warnings only (no error names the file)."""
        errors = [d for d in self.diagnostics if d.is_error] if errors is None else errors
        said = {d.location.file for d in errors}
        return [rejected_records(f) for f in self.inputs if f.rejected and f.path not in said]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def raise_for_errors(self) -> None:
        """Raise :class:`EvidenceErrors` if any file could not be read, any record was rejected, or any error was found.

        Readers collect problems instead of raising, so a caller sees every bad cell at once;
        call this when a partial result must not pass as a whole one.
        """
        errors = self.errors
        if errors:
            raise EvidenceErrors(errors)


class EvidenceIndex:
    """An evidence set's records grouped by the setting they are about, each list read once, and kept up to date.

    The assessment reads a setting's items, placements, monthly figures and Ofsted history together;
    grouping each list once by URN (instead of scanning it per setting) is what lets a national run
    touch each record once. :meth:`add` indexes more records (another file's evidence set, merged
    into the indexed one with :meth:`EvidenceSet.merge`) and says which settings they are about, so
    an incremental assessment re-judges only those (:class:`regframe.assess.IncrementalAssessment`).
    Each URN's records keep the order of the lists they came from. Read with ``.get(urn, ())``: a
    URN with no records of a kind has no entry.
    """

    def __init__(self, evidence: EvidenceSet | None = None) -> None:
        self.items: dict[str, list[EvidenceItem]] = {}
        self.placements: dict[str, list[Placement]] = {}
        self.metrics: dict[str, list[MetricValue]] = {}
        self.inspections: dict[str, list[Inspection]] = {}
        self.registrations: dict[str, list[RegistrationEvent]] = {}
        self.register: dict[str, list[RegisterEntry]] = {}
        if evidence is not None:
            self.add(evidence)

    def add(self, evidence: EvidenceSet) -> set[str]:
        """Index ``evidence``'s records too; the URNs they are about (its settings and closures included)."""
        touched = set(evidence.settings) | set(evidence.closures)
        touched.update(_extend(self.items, evidence.items, "setting"))
        touched.update(_extend(self.placements, evidence.placements, "setting"))
        touched.update(_extend(self.metrics, evidence.metrics, "setting"))
        touched.update(_extend(self.inspections, evidence.inspections, "urn"))
        touched.update(_extend(self.registrations, evidence.registrations, "urn"))
        touched.update(_extend(self.register, evidence.register, "urn"))
        return touched


def _extend(index: dict[str, list[Any]], records: Iterable[Any], field: str) -> Iterable[str]:
    """Append each record to its URN's list in ``index``; the URNs met."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        grouped[getattr(record, field)].append(record)
    for urn, found in grouped.items():
        known = index.get(urn)
        if known is None:
            index[urn] = found
        else:
            known.extend(found)
    return grouped.keys()


def rejected_records(file: InputFile) -> Diagnostic:
    """RF340: this file had records rejected (each explained by its own diagnostic)."""
    return make(REJECTED_RECORDS, f"{file.rejected} of the {file.rows} record(s) read were rejected (each is "
                                  "explained above with its location); the run is not clean", Location(file=file.path))


def _merge_setting(first: Setting, second: Setting) -> Setting:
    """Fill gaps in what we know of a setting from a second source (e.g. a CQC id from evidence XML).

    A kind read from a register (Ofsted's, or an evidence export) beats one guessed from a placement
    code, whichever file was read first: SSDA903 codes a dual-registered school as K2, a children's home.
    """
    updates: dict[str, Any] = {}
    if _newer(second, first):
        first, second = second, first  # the later register entry speaks first, whichever file came first
    if first.kind_inferred and not second.kind_inferred:
        updates.update(kind=second.kind, kind_inferred=False)
    for field in attrs.fields(Setting):
        if field.name in ("urn", "provenance", "kind", "kind_inferred"):
            continue
        mine, theirs = getattr(first, field.name), getattr(second, field.name)
        if mine in (None, "") and theirs not in (None, ""):
            updates[field.name] = theirs
    return attrs.evolve(first, **updates) if updates else first


def _newer(second: Setting, first: Setting) -> bool:
    """Whether ``second`` describes a later register date than ``first`` (undated entries are oldest)."""
    if second.status_as_at is None or second.kind_inferred:
        return False
    return first.status_as_at is None or second.status_as_at > first.status_as_at


def _close(setting: Setting, closure: Closure) -> Setting:
    if setting.closed_on is not None or closure.closed_on is None:
        return setting
    status = closure.registration_status or setting.registration_status
    return attrs.evolve(setting, closed_on=closure.closed_on, registration_status=status)


