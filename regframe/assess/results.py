"""What an assessment produces: per setting, a status for each requirement, indicators, a lens and a rating.

These types are the contract between :mod:`regframe.assess` (which builds
them) and the reports (:mod:`regframe.report`), which read nothing else. They
are immutable and serialise through the shared cattrs converter, so the JSON
report is exactly this structure.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol, overload

import attrs

from regframe.evidence.model import InputFile, Setting
from regframe.framework.model import Axis, Level, SettingKind


class Status(enum.Enum):
    """A requirement's status at one setting. The order here is the precedence order."""

    # Members are singletons compared by identity, so hashing by identity is exact, and it runs in C:
    # Enum's own hash runs Python code, and a national run tests statuses against sets millions of times.
    __hash__ = object.__hash__

    NOT_APPLICABLE = "not_applicable"
    NOT_MET = "not_met"
    OVERDUE = "overdue"
    UNCORROBORATED = "uncorroborated"
    STALE = "stale"
    NO_EVIDENCE = "no_evidence"
    MET = "met"


#: Statuses in precedence order (the first that applies wins).
PRECEDENCE = tuple(Status)
#: the reason of a requirement nothing at all bears on (:func:`regframe.assess.status.judge` gives it)
NO_EVIDENCE_AT_ALL = "no evidence at all"


class Flag(enum.Enum):
    """Things worth a second look beside the status."""

    __hash__ = object.__hash__  # as Status's: exact for singletons, and in C

    #: Ofsted and CQC findings on crosswalked requirements differ in the window
    REGULATORS_DISAGREE = "regulators_disagree"
    #: the provider says met; an independent source says not
    PROVIDER_CONTRADICTED = "provider_contradicted"
    #: both regulators hold this (directly or through the crosswalk) at a dual-registered
    #: setting, but only one of them has evidenced it in the window
    SINGLE_REGULATOR = "single_regulator"
    #: the evidence reaches this requirement through a link whose target changed since review
    SUSPECT_MAPPING = "suspect_mapping"


class Rating(enum.Enum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    __hash__ = object.__hash__  # as Status's: exact for singletons, and in C

    @property
    def rank(self) -> int:
        """Red first when sorting."""
        return _RATING_RANKS[self]


class Assurance(enum.Enum):
    """How much of what binds a setting is independently and recently known (see :mod:`regframe.assess.assurance`)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    __hash__ = object.__hash__  # as Status's: exact for singletons, and in C

    @property
    def rank(self) -> int:
        """Lowest assurance first when sorting."""
        return _ASSURANCE_RANKS[self]


_RATING_RANKS = {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2}
_ASSURANCE_RANKS = {Assurance.LOW: 0, Assurance.MEDIUM: 1, Assurance.HIGH: 2}


class LensState(enum.Enum):
    """How a setting stands against one Panel recommendation."""

    FAILING = "failing"  # a requirement it addresses is not met or overdue, or a red indicator
    AT_RISK = "at_risk"  # uncorroborated, stale or unevidenced requirements, or an amber indicator
    OK = "ok"
    NOT_APPLICABLE = "not_applicable"


@attrs.frozen
class Reason:
    """One rule that applied, in words a director can read."""

    status: Status
    message: str


@attrs.frozen
class Finding:
    """One requirement at one setting: its status, every reason that applied, flags and evidence ids."""

    requirement: str
    status: Status
    reasons: tuple[Reason, ...] = ()
    flags: tuple[Flag, ...] = ()
    evidence: tuple[str, ...] = ()


class FindingHeadline(Protocol):
    """What the risk rating and the reasons read of a finding: a :class:`Finding` is one, without its reasons' words."""

    @property
    def requirement(self) -> str: ...

    @property
    def status(self) -> Status: ...

    @property
    def flags(self) -> tuple[Flag, ...]: ...

    @property
    def evidence(self) -> tuple[str, ...]: ...


class Headline(NamedTuple):
    """A finding without its reasons' words (a :class:`FindingHeadline`): what the rating and the reasons read,
    and a pass that counts statuses or flags or gathers evidence ids (see :meth:`SettingAssessment.headlines`)."""

    requirement: str
    status: Status
    flags: tuple[Flag, ...]
    evidence: tuple[str, ...]


class Findings(Sequence[Finding]):
    """A setting's findings, built one at a time each time they are read, and not kept.

    What :func:`regframe.assess.assess` puts in :attr:`SettingAssessment.findings`. At national
    scale most of a setting's 400 or so findings are met, and most requirements of a setting are
    judged alike with others (:mod:`regframe.assess.plan`): the assessment keeps one judgement per
    group of requirements, and this sequence makes each requirement's :class:`Finding` from it when
    asked, so memory does not grow with the number of findings. It reads as the tuple it stands for
    (``len``, iteration, indexing, slicing, equality with a tuple of the same findings); iterate it
    rather than index it, since an index builds the findings up to it. ``make`` gives a fresh
    iterator over the findings each time it is called.

    The reasons of a finding are put in words as it is built, and not kept: a pass that needs no
    words reads :meth:`headlines` (``headlines`` builds them; by default the findings themselves),
    and one that lists some statuses only reads :meth:`having` (``having(statuses)`` builds just
    those; by default the findings, filtered), so that the words of the rest are never made.
    """

    __slots__ = ("_count", "_make", "_headlines", "_having")

    def __init__(self, count: int, make: Callable[[], Iterator[Finding]],
                 headlines: Callable[[], Iterator[Headline]] | None = None,
                 having: Callable[[frozenset[Status]], Iterator[Finding]] | None = None) -> None:
        self._count = count
        self._make = make
        self._headlines = headlines
        self._having = having

    def headlines(self) -> Iterator[FindingHeadline]:
        """Each finding's requirement, status, flags and evidence, in order, without wording its reasons."""
        return self._headlines() if self._headlines is not None else self._make()

    def having(self, statuses: frozenset[Status]) -> Iterator[Finding]:
        """The findings of these statuses, in order, only they worded."""
        if self._having is not None:
            return self._having(statuses)
        return (finding for finding in self._make() if finding.status in statuses)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Finding]:
        return self._make()

    def __reversed__(self) -> Iterator[Finding]:
        return reversed(tuple(self._make()))

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Finding, ...]: ...

    def __getitem__(self, index: int | slice) -> Finding | tuple[Finding, ...]:
        if isinstance(index, slice) or index < 0:
            return tuple(self._make())[index]
        found = next(itertools.islice(self._make(), index, None), None)
        if found is None:
            raise IndexError("finding index out of range")
        return found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == self._count and tuple(self._make()) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._make()))

    def __repr__(self) -> str:
        return f"Findings({list(self._make())!r})"


def _findings(value: Iterable[Finding]) -> Sequence[Finding]:
    """A setting's findings as given: a tuple or :class:`Findings` as it is, anything else as a tuple."""
    return value if isinstance(value, (tuple, Findings)) else tuple(value)


class SettingFinding(NamedTuple):
    """One finding of :meth:`Assessment.iter_findings`: the setting it is of, the finding, and whether the
    setting had left the register (see :class:`ClosedSetting`)."""

    setting: SettingAssessment
    finding: Finding
    closed: bool


@attrs.frozen
class IndicatorResult:
    """A risk indicator's value at a setting and the threshold level it reached, if any."""

    indicator: str
    metric: str
    value: float | None
    level: Level | None  # None: no threshold reached
    threshold: float | None
    basis: str  # how the value was computed, in words
    axis: Axis = Axis.RISK  # the indicator's axis: a risk indicator raises risk, an assurance one lowers assurance


@attrs.frozen
class LensEntry:
    recommendation: str
    state: LensState
    failing: tuple[str, ...] = ()  # requirement ids not met / overdue
    at_risk: tuple[str, ...] = ()  # requirement ids uncorroborated / stale / unevidenced
    indicators: tuple[str, ...] = ()  # indicator ids at amber or red


@attrs.frozen
class RegulatorJudgement:
    """A regulator's latest overall word on a setting: it stands as a sign until a newer one replaces it."""

    regulator: str  # source value: "ofsted" or "cqc"
    verdict: str  # an Ofsted grade ("good", "requires-improvement", ...) or a CQC score ("score 2")
    observed: dt.date
    evidence: tuple[str, ...]  # the items of that inspection
    positive: bool  # good / outstanding, or a CQC score of 3 or 4
    worst: bool  # inadequate, or a CQC score of 1


@attrs.frozen
class RatedGoodBut:
    """The Hesley pattern: a regulator's latest judgement is good or outstanding, other independent sources show red signs."""

    regulator: str  # the regulator whose judgement is good (source value)
    verdict: str
    judged: dt.date
    sources: tuple[str, ...]  # the other independent sources with red signs in the window (source values)
    red_indicators: int  # red risk indicators at the setting


@attrs.frozen
class SettingReason:
    """One reason a director can act on: a plain sentence, with the parts it names kept apart for other readers.

    ``text`` never carries an internal id; ``requirement`` and ``evidence`` hold the ids for links.
    """

    rule: str  # the rule family that produced it (see :data:`regframe.assess.reasons.REASON_RULES`)
    level: Rating  # RED or AMBER: how much this sign weighs in the risk rating
    text: str
    requirement: str | None = None  # stable id of the requirement it names, if any
    ref: str = ""  # that requirement's human reference, e.g. "CHR 2015 reg 44"
    title: str = ""
    sources: tuple[str, ...] = ()  # source values of the evidence it rests on
    observed: dt.date | None = None  # date of the latest evidence it rests on
    evidence: tuple[str, ...] = ()  # evidence item ids


class Reasons(Sequence[SettingReason]):
    """A setting's ranked reasons, put in words the first time they are read, and kept.

    What :func:`regframe.assess.assess` puts in :attr:`SettingAssessment.reasons`. The rating, the
    assurance and the counts do not read the reasons' words; the reports do. Wording them is a tenth
    of a national assessment, so a caller that only wants the ratings (inspection software sorting
    its visits) does not pay for it, and a report pays once. ``word`` is called on the first read
    (and again on the next, if it raised), and let go once it has answered, with the setting's
    records it holds; everything it reads was fixed when the setting was assessed, so the words do
    not depend on when they are read. It reads as the tuple it stands for (``len``, iteration,
    indexing, slicing, equality and hash, as with a tuple of the same reasons), and pickles and
    copies worded: a copy never carries the framework and the records the words are made from.
    """

    __slots__ = ("_word", "_worded")

    def __init__(self, word: Callable[[], tuple[SettingReason, ...]]) -> None:
        self._word: Callable[[], tuple[SettingReason, ...]] | None = word
        self._worded: tuple[SettingReason, ...] | None = None

    @property
    def worded(self) -> bool:
        """Whether the reasons have been put in words yet."""
        return self._worded is not None

    def _all(self) -> tuple[SettingReason, ...]:
        worded = self._worded
        if worded is None:
            assert self._word is not None
            worded = self._worded = self._word()
            self._word = None
        return worded

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[SettingReason]:
        return iter(self._all())

    @overload
    def __getitem__(self, index: int) -> SettingReason: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[SettingReason, ...]: ...

    def __getitem__(self, index: int | slice) -> SettingReason | tuple[SettingReason, ...]:
        return self._all()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Reasons):
            return self._all() == other._all()
        if isinstance(other, tuple):  # as a tuple is: equal to a tuple, never to a list
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"Reasons({list(self._all())!r})"

    def __reduce__(self) -> tuple[Callable[..., Reasons], tuple[tuple[SettingReason, ...]]]:
        return _worded, (self._all(),)


def _worded(reasons: tuple[SettingReason, ...]) -> Reasons:
    """:class:`Reasons` already worded (what a pickle or a copy of one is rebuilt as)."""
    found = Reasons(lambda: reasons)
    found._all()
    return found


def _reasons(value: Iterable[SettingReason]) -> Sequence[SettingReason]:
    """A setting's reasons as given: a tuple or :class:`Reasons` as it is, anything else as a tuple."""
    return value if isinstance(value, (tuple, Reasons)) else tuple(value)


@attrs.frozen
class Coverage:
    """How the requirements one regulator holds at a setting are evidenced (``regulator`` "other": neither holds it)."""

    regulator: str  # "ofsted", "cqc" or "other"
    applicable: int
    evidenced: int  # an independent finding in the window
    stale: int  # independent evidence, all older than the window
    provider_only: int  # only the provider's own word in the window
    none: int  # nothing at all, or only records of events


@attrs.frozen
class SettingAssessment:
    """One setting on two axes: ``rating`` is its **risk** (the RAG), ``assurance`` how much is independently known."""

    setting: Setting
    rating: Rating  # the risk rating (RATING_RULE in regframe.assess.rating); there is no other RAG
    rating_reasons: tuple[str, ...]  # the clauses of the risk rule that applied, in plain words
    risk_score: float
    counts: dict[str, int]  # status value -> number of requirements
    #: every applicable requirement except those with no evidence at all, in the framework's order (parents
    #: before their parts); from :func:`regframe.assess.assess`, a :class:`Findings` that builds them when read
    findings: Sequence[Finding] = attrs.field(converter=_findings)
    no_evidence: tuple[str, ...]  # requirement ids with nothing at all (status no_evidence, no flags)
    indicators: tuple[IndicatorResult, ...]
    lens: tuple[LensEntry, ...]
    children: int  # children placed at as_at (pseudonymous count)
    assurance: Assurance = Assurance.LOW  # ASSURANCE_RULE in regframe.assess.assurance
    assurance_reasons: tuple[str, ...] = ()  # why assurance is not higher (or why it is high), plain words
    #: ranked, most serious first; "rated good, but" heads them. From :func:`regframe.assess.assess`, a
    #: :class:`Reasons` that words them when first read
    reasons: Sequence[SettingReason] = attrs.field(default=(), converter=_reasons)
    rated_good_but: RatedGoodBut | None = None  # the Hesley pattern, when it holds
    judgements: tuple[RegulatorJudgement, ...] = ()  # each regulator's latest judgement, Ofsted first
    coverage: tuple[Coverage, ...] = ()  # per regulator holding requirements here: ofsted, cqc, other
    independent_sources: tuple[str, ...] = ()  # source values with evidence in the window, provider excluded

    def headlines(self) -> Iterator[FindingHeadline]:
        """:attr:`findings` without their reasons' words (see :class:`Findings`): for counting and gathering ids."""
        return self._lazy().headlines()

    def findings_having(self, statuses: Iterable[Status]) -> Iterator[Finding]:
        """The :attr:`findings` of these statuses, in order; at national scale, only they are worded."""
        return self._lazy().having(frozenset(statuses))

    def _lazy(self) -> Findings:
        """:attr:`findings` as a :class:`Findings` (a tuple given by a caller is read through one)."""
        findings = self.findings
        return findings if isinstance(findings, Findings) else Findings(len(findings), lambda: iter(findings))

    def iter_findings(self, *, no_evidence: bool = True) -> Iterator[Finding]:
        """Every finding of the setting, complete: :attr:`findings` in order, then (unless ``no_evidence`` is
        false) one finding per requirement with no evidence at all, status no_evidence with its one reason.

        Each is built as it is taken and not kept, so a caller streaming them out (one JSON line each)
        holds one at a time.
        """
        yield from self.findings
        if no_evidence:
            reasons = (Reason(Status.NO_EVIDENCE, NO_EVIDENCE_AT_ALL),)
            for rid in self.no_evidence:
                yield Finding(rid, Status.NO_EVIDENCE, reasons)

    @property
    def registrations(self) -> tuple[SettingKind, ...]:
        kinds = [self.setting.kind]
        if self.setting.dual_registered and self.setting.kind is not SettingKind.CQC_HEALTH_PROVISION:
            kinds.append(SettingKind.CQC_HEALTH_PROVISION)
        return tuple(kinds)


@attrs.frozen
class ProviderGroup:
    """Settings with one owner: the Hesley Group ran three homes, and a group failing in two must stand out."""

    owner: str
    settings: tuple[str, ...]
    ratings: dict[str, int]
    settings_with_failings: tuple[str, ...]
    stands_out: bool
    #: how the group was judged, in words (the rule and its threshold, from the framework)
    basis: str = ""


@attrs.frozen
class EvidenceUse:
    """An evidence item the assessment relied on, with where it came from."""

    id: str
    setting: str
    kind: str
    source: str
    observed: dt.date
    provenance: str


@attrs.frozen
class ClosedSetting:
    """A setting that had left the register by ``as_at`` (see :mod:`regframe.assess.register`): listed, not rated.

    ``assessment`` is the setting assessed as at ``closed_on`` when it closed inside the evidence
    window (its rating is not counted with the live settings'), else ``None``.
    """

    setting: Setting
    registration_status: str
    closed_on: dt.date | None
    assessment: SettingAssessment | None = None


@attrs.frozen
class Assessment:
    framework: str
    framework_version: str
    as_at: dt.date
    regframe_version: str
    inputs: tuple[InputFile, ...]
    settings: tuple[SettingAssessment, ...]  # sorted by risk, worst first; settings open at as_at only
    groups: tuple[ProviderGroup, ...]
    evidence: tuple[EvidenceUse, ...]
    notes: tuple[str, ...] = ()
    diagnostics: tuple[str, ...] = ()  # printed form of every problem met while assessing
    #: settings closed, resigned or cancelled by as_at, by URN: not rated
    closed: tuple[ClosedSetting, ...] = ()
    #: printed form of the errors in the input (files unreadable, records rejected): a report resting on
    #: incomplete input says so on its first page
    input_errors: tuple[str, ...] = ()

    def assessed(self) -> list[SettingAssessment]:
        """Every setting assessed: the open ones (:attr:`settings`, worst first), then those that closed inside
        the window, assessed as at their closure (:attr:`closed` order)."""
        return [*self.settings, *(gone.assessment for gone in self.closed if gone.assessment is not None)]

    def iter_findings(self, *, no_evidence: bool = True, closed: bool = True) -> Iterator[SettingFinding]:
        """The complete findings of the run, met ones included, one :class:`SettingFinding` at a time.

        The open settings' first, in :attr:`settings` order (worst first), each setting's as
        :meth:`SettingAssessment.iter_findings` gives them (``no_evidence``: with a finding for each
        requirement nothing bears on); then, unless ``closed`` is false, those of the settings that left
        the register inside the window, assessed as at their closure, in :attr:`closed` order. Nothing
        is built before it is asked for and nothing is kept after, so a writer streaming the findings
        (a JSON Lines file, one finding a line) holds one finding at a time however many there are.
        """
        for setting in self.settings:
            for finding in setting.iter_findings(no_evidence=no_evidence):
                yield SettingFinding(setting, finding, False)
        if closed:
            for gone in self.closed:
                if gone.assessment is not None:
                    for finding in gone.assessment.iter_findings(no_evidence=no_evidence):
                        yield SettingFinding(gone.assessment, finding, True)
