"""The framework model: instruments, requirements, typed links, cadences, thresholds.

These are immutable ``attrs`` value types. They know nothing of XML (see
:mod:`regframe.framework.catalogue`) or of graphs (see :mod:`regframe.framework.graph`). Every
requirement carries two identifiers, after StrictDoc and the OSCAL users who
asked for diffs that survive renumbering: ``id`` is stable and machine-facing,
``ref`` is what a person writes ("CHR 2015 reg 12(2)(a)(iii)").
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable

import attrs

from regframe.core.diagnostics import Location
from regframe.framework.cadence import Cadence


class RequirementKind(enum.Enum):
    OUTCOME = "outcome"
    DUTY = "duty"
    GUIDANCE = "guidance"
    JUDGEMENT = "judgement"
    EVALUATION_AREA = "evaluation-area"
    QUALITY_STATEMENT = "quality-statement"
    RECOMMENDATION = "recommendation"
    FINDING = "finding"
    INDICATOR = "indicator"


class Regulator(enum.Enum):
    """Who holds a requirement: inspects it, owes it, or is asked to act on it."""

    OFSTED = "ofsted"
    CQC = "cqc"
    PLACING_LA = "placing-la"
    HOST_LA = "host-la"
    ICB = "icb"
    PROVIDER = "provider"
    GOVERNMENT = "government"


class SettingKind(enum.Enum):
    CHILDRENS_HOME = "childrens-home"
    SECURE_CHILDRENS_HOME = "secure-childrens-home"
    RESIDENTIAL_SPECIAL_SCHOOL = "residential-special-school"
    #: a residential special school whose residential provision is registered as a
    #: children's home (more than 295 days a year): inspected under CHR 2015
    RSS_CHILDRENS_HOME = "rss-childrens-home"
    CQC_HEALTH_PROVISION = "cqc-health-provision"

    @property
    def description(self) -> str:
        """What the kind is, in words an analyst reading a count of it needs."""
        return _SETTING_KIND_DESCRIPTIONS[self]


_SETTING_KIND_DESCRIPTIONS = {
    SettingKind.CHILDRENS_HOME: "children's home (Ofsted, Children's Homes Regulations 2015)",
    SettingKind.SECURE_CHILDRENS_HOME: "secure children's home (Ofsted, Children's Homes Regulations 2015)",
    SettingKind.RESIDENTIAL_SPECIAL_SCHOOL: "residential special school (Ofsted, Residential Special Schools NMS)",
    SettingKind.RSS_CHILDRENS_HOME: (
        "residential special school whose residential part is registered as a children's home, "
        "dual-registered as school and children's home (Children's Homes Regulations 2015)"),
    SettingKind.CQC_HEALTH_PROVISION: "health provision registered with CQC",
}


class Confidence(enum.Enum):
    """How sure the catalogue is of a fact: read in the primary source, only in a secondary copy, or not checked."""

    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"


class Rel(enum.Enum):
    """The closed vocabulary of link types (OSCAL-style ``rel``)."""

    PART_OF = "part-of"
    REQUIRES = "requires"
    REFINES = "refines"
    CROSS_REFERENCES = "cross-references"
    ADDRESSES = "addresses"
    ASSESSED_UNDER = "assessed-under"
    EVIDENCED_BY = "evidenced-by"
    MAPS_TO = "maps-to"


class Relationship(enum.Enum):
    """How the source of a ``maps-to`` link relates to its target (OSCAL's set relations)."""

    EQUIVALENT_TO = "equivalent-to"
    SUBSET_OF = "subset-of"
    SUPERSET_OF = "superset-of"
    INTERSECTS_WITH = "intersects-with"


class MappingConfidence(enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Independence(enum.Enum):
    """Who produced a piece of evidence: the provider about itself, an independent party, or a regulator."""

    PROVIDER = "provider"
    INDEPENDENT = "independent"
    REGULATOR = "regulator"



class Source(enum.Enum):
    """Who produced a piece of evidence.

    The framework names sources too (citation routes say in which instrument a
    bare citation from each source is read), so the vocabulary lives here and
    the evidence model uses it.
    """

    __hash__ = object.__hash__  # as Status's (regframe.assess.results): exact for singletons, and in C

    OFSTED = "ofsted"
    CQC = "cqc"
    PLACING_LA = "placing-la"
    HOST_LA = "host-la"
    LADO = "lado"
    INDEPENDENT_PERSON = "independent-person"
    ADVOCATE = "advocate"
    COURT = "court"
    COMPLAINANT = "complainant"
    WHISTLEBLOWER = "whistleblower"
    PROVIDER = "provider"

    @property
    def default_independence(self) -> Independence:
        if self in (Source.OFSTED, Source.CQC):
            return Independence.REGULATOR
        if self is Source.PROVIDER:
            return Independence.PROVIDER
        return Independence.INDEPENDENT

class Axis(enum.Enum):
    """Which axis of the assessment an indicator speaks to (the ``axis`` attribute of an indicator requirement).

    A *risk* indicator at red or amber is a sign of harm or failure and raises a
    setting's risk; an *assurance* indicator (an inspection overdue, say) says how
    much is known and lowers its assurance, never raising its risk.
    """

    RISK = "risk"
    ASSURANCE = "assurance"


class Comparison(enum.Enum):
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"

    def holds(self, value: float, threshold: float) -> bool:
        return _HOLDS[self._value_](value, threshold)


#: each comparison's operator, by its value (an enum member's hash runs Python code; every setting's figures
#: are compared with the thresholds)
_HOLDS: dict[str, Callable[[float, float], bool]] = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt,
                                                      "le": operator.le}


class Level(enum.Enum):
    AMBER = "amber"
    RED = "red"


def _tuple(value: object) -> tuple:
    return tuple(value)  # type: ignore[arg-type]


@attrs.frozen
class Citation:
    """Where a fact comes from, precisely enough for someone to check it."""

    instrument: str
    provision: str
    url: str
    last_checked: dt.date
    note: str = ""


@attrs.frozen
class Effective:
    """The period a requirement, threshold or instrument is in force; ``to`` is exclusive."""

    start: dt.date
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@attrs.frozen
class Threshold:
    """A line a metric must not cross, e.g. restraint incidents per child-month above 2 is red."""

    metric: str
    comparison: Comparison
    value: float
    level: Level
    start: dt.date | None = None
    end: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def breached_by(self, value: float) -> bool:
        return _HOLDS[self.comparison._value_](value, self.value)  # (Comparison.holds, one call fewer)


@attrs.frozen
class Link:
    """A typed edge from ``source`` to ``target``.

    ``fingerprint`` is a short hash of the target's statement when the link was
    last reviewed; if the target's text changes, the link becomes *suspect*
    (Doorstop's idea) until someone re-reviews and re-stamps it.
    """

    source: str
    rel: Rel
    target: str
    relationship: Relationship | None = None
    confidence: MappingConfidence | None = None
    fingerprint: str | None = None
    note: str = ""
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    def is_suspect(self, target: Requirement | None) -> bool:
        """The one rule for a suspect link: it was reviewed (it stores a fingerprint) against a statement
        its target no longer has. A link never reviewed, or to nothing, is not suspect (other checks
        report those)."""
        return bool(self.fingerprint) and target is not None and self.fingerprint != target.fingerprint


@attrs.frozen
class Requirement:
    """One requirement node: a regulation limb, a standard, a quality statement, a recommendation, an indicator."""

    id: str
    ref: str
    kind: RequirementKind
    title: str
    statement: str
    effective: Effective
    citation: Citation
    confidence: Confidence
    instrument: str
    regulators: tuple[Regulator, ...] = attrs.field(default=(), converter=_tuple)
    applies_to: tuple[SettingKind, ...] = attrs.field(default=(), converter=_tuple)
    cadence: Cadence | None = None
    thresholds: tuple[Threshold, ...] = attrs.field(default=(), converter=_tuple)
    note: str = ""
    links: tuple[Link, ...] = attrs.field(default=(), converter=_tuple)
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: for an indicator, the axis its levels speak to (``axis`` in the XML; risk when absent)
    axis: Axis = Axis.RISK

    def in_force(self, day: dt.date) -> bool:
        return self.effective.contains(day)

    def applies_to_kind(self, kind: SettingKind) -> bool:
        return kind in self.applies_to

    @property
    def fingerprint(self) -> str:
        return statement_fingerprint(self.statement)


@attrs.frozen
class Instrument:
    """A regulation set, standard set, inspection framework or review, and its requirements."""

    id: str
    version: str
    title: str
    short_title: str
    publisher: str
    effective: Effective
    citation: Citation
    requirements: tuple[Requirement, ...] = attrs.field(default=(), converter=_tuple)
    note: str = ""
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class LinkSet:
    """Links kept apart from any one instrument: the crosswalk between frameworks."""

    id: str
    version: str
    title: str
    links: tuple[Link, ...] = attrs.field(default=(), converter=_tuple)
    note: str = ""
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class EvidenceKind:
    """A kind of evidence a requirement can be evidenced by (reg 44 report, Ofsted judgement, ...)."""

    id: str
    title: str
    description: str
    independence: Independence
    regulator: Regulator | None = None
    #: a record that something happened (a referral, a complaint, a restraint), counted by indicators and
    #: cadence checks, rather than a finding about whether a requirement is met
    signal: bool = False
    #: the kind as a sentence names it mid-sentence, and its plural ("restraint or behaviour-management record",
    #: "notifications of a serious event"): a title is capitalised and may carry a bracket, and adding an "s"
    #: to it does not make every plural. Empty where the vocabulary gives none (see :meth:`named`).
    noun: str = ""
    plural: str = attrs.field(default="")
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    @plural.validator
    def _both_or_neither(self, _attribute: attrs.Attribute, plural: str) -> None:
        if bool(self.noun) != bool(plural):  # the schema asks the same of a file
            raise ValueError(f"evidence kind {self.id!r}: give a noun and a plural, or neither")

    def named(self, count: int = 1) -> str:
        """The kind as a sentence about ``count`` records of it names it: its noun, or its plural for any count
        but one; where the vocabulary gives no noun, its title as given (with an "s" for the plural)."""
        if count == 1:
            return self.noun or self.title
        return self.plural or f"{self.title}s"


def kind_id_words(kind_id: str) -> str:
    """An evidence kind's id in words, where nothing names it better ("ek.lado-referral" -> "lado referral")."""
    return kind_id.removeprefix("ek.").replace("-", " ")


@attrs.frozen
class Vocabulary:
    id: str
    version: str
    title: str
    evidence_kinds: tuple[EvidenceKind, ...] = attrs.field(default=(), converter=_tuple)
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class CitationRoute:
    """Which instrument a bare citation ("Regulation 35(3)(a)") is read in, given who wrote it and about what.

    ``source`` is an evidence source (``ofsted``, ``cqc``, ``placing-la``...)
    and ``setting_kind`` a setting kind; either left ``None`` matches any. They
    are kept as the words the manifest uses, not enums, because the evidence
    sources belong to :mod:`regframe.evidence`, which builds on this module;
    the framework checks (RF214) report a word that is neither.
    """

    instrument: str
    source: str | None = None
    setting_kind: str | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    def matches(self, source: str, setting_kind: str) -> bool:
        return self.source in (None, source) and self.setting_kind in (None, setting_kind)


#: The routes of a framework whose manifest gives none: the table regframe had before routes
#: were data, and the one the shipped ``standards/framework.xml`` writes out (its comments say why).
DEFAULT_CITATION_ROUTES = (
    CitationRoute("cqc-ra2014", source="cqc"),
    CitationRoute("cppcr2010", source="placing-la"),
    CitationRoute("cppcr2010", source="host-la"),
    CitationRoute("rssnms2022", setting_kind="residential-special-school"),
    CitationRoute("chr2015", setting_kind="childrens-home"),
    CitationRoute("chr2015", setting_kind="secure-childrens-home"),
    CitationRoute("chr2015", setting_kind="rss-childrens-home"),
)


def route_citation(routes: Iterable[CitationRoute], source: str, setting_kind: str) -> str | None:
    """The instrument of the first route that matches, or ``None`` if none does (bare citations then resolve nowhere)."""
    return next((route.instrument for route in routes if route.matches(source, setting_kind)), None)


@attrs.frozen
class Manifest:
    """A framework version: the list of catalogue files that make it up, and where bare citations are read.

    ``citation_routes`` empty means the manifest gives none, and the framework
    uses :data:`DEFAULT_CITATION_ROUTES`.
    """

    id: str
    version: str
    title: str
    includes: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    description: str = ""
    citation_routes: tuple[CitationRoute, ...] = attrs.field(default=(), converter=_tuple)
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: where each of ``includes`` is written (the ``<include>`` element), when read from a file
    include_origins: tuple[Location, ...] = attrs.field(default=(), converter=_tuple, eq=False, repr=False)

    def include_origin(self, index: int) -> Location | None:
        """Where the ``index``-th include is written: its element's line, else the manifest's own."""
        return self.include_origins[index] if index < len(self.include_origins) else self.origin


@attrs.frozen
class Framework:
    """A loaded framework: its manifest and every instrument, link set and vocabulary it names."""

    manifest: Manifest
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_tuple)
    linksets: tuple[LinkSet, ...] = attrs.field(default=(), converter=_tuple)
    vocabularies: tuple[Vocabulary, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    def requirements(self) -> list[Requirement]:
        return [r for instrument in self.instruments for r in instrument.requirements]

    def links(self) -> list[Link]:
        nested = [link for r in self.requirements() for link in r.links]
        return nested + [link for linkset in self.linksets for link in linkset.links]

    def evidence_kinds(self) -> list[EvidenceKind]:
        return [kind for vocabulary in self.vocabularies for kind in vocabulary.evidence_kinds]

    def requirement_index(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements()}

    @property
    def citation_routes(self) -> tuple[CitationRoute, ...]:
        """The manifest's citation routes, or :data:`DEFAULT_CITATION_ROUTES` if it gives none."""
        return self.manifest.citation_routes or DEFAULT_CITATION_ROUTES


def statement_fingerprint(statement: str) -> str:
    """A short, stable hash of a statement, insensitive to whitespace and Unicode form."""
    normal = unicodedata.normalize("NFC", re.sub(r"\s+", " ", statement).strip())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]
