"""What an assessment produces: per setting, a status for each requirement, indicators, a lens and a rating.

These types are the contract between :mod:`regframe.assess` (which builds
them) and the reports (:mod:`regframe.report`), which read nothing else. They
are immutable and serialise through the shared cattrs converter, so the JSON
report is exactly this structure.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from regframe.evidence.model import InputFile, Setting
from regframe.framework.model import SettingKind


class Status(enum.Enum):
    """A requirement's status at one setting. The order here is the precedence order."""

    NOT_APPLICABLE = "not_applicable"
    NOT_MET = "not_met"
    OVERDUE = "overdue"
    UNCORROBORATED = "uncorroborated"
    STALE = "stale"
    NO_EVIDENCE = "no_evidence"
    MET = "met"

    @property
    def is_gap(self) -> bool:
        """Everything short of met, except not applicable: what the Gaps sheet lists."""
        return self not in (Status.MET, Status.NOT_APPLICABLE)


#: Statuses in precedence order (the first that applies wins).
PRECEDENCE = tuple(Status)


class Flag(enum.Enum):
    """Things worth a second look beside the status."""

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

    @property
    def rank(self) -> int:
        return {Rating.RED: 0, Rating.AMBER: 1, Rating.GREEN: 2}[self]


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


@attrs.frozen
class IndicatorResult:
    """A risk indicator's value at a setting and the threshold level it reached, if any."""

    indicator: str
    metric: str
    value: float | None
    level: str | None  # "red", "amber" or None
    threshold: float | None
    basis: str  # how the value was computed, in words
    #: "harm" (a sign children may be at risk) or "assurance" (a gap in oversight: an overdue inspection)
    axis: str = "harm"


@attrs.frozen
class LensEntry:
    recommendation: str
    state: LensState
    failing: tuple[str, ...] = ()  # requirement ids not met / overdue
    at_risk: tuple[str, ...] = ()  # requirement ids uncorroborated / stale / unevidenced
    indicators: tuple[str, ...] = ()  # indicator ids at amber or red


@attrs.frozen
class SettingAssessment:
    setting: Setting
    rating: Rating
    rating_reasons: tuple[str, ...]
    risk_score: float
    counts: dict[str, int]  # status value -> number of requirements
    findings: tuple[Finding, ...]  # every applicable requirement except those with no evidence at all
    no_evidence: tuple[str, ...]  # requirement ids with nothing at all (status no_evidence, no flags)
    indicators: tuple[IndicatorResult, ...]
    lens: tuple[LensEntry, ...]
    children: int  # children placed at as_at (pseudonymous count)

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
class Assessment:
    framework: str
    framework_version: str
    as_at: dt.date
    regframe_version: str
    inputs: tuple[InputFile, ...]
    settings: tuple[SettingAssessment, ...]  # sorted by risk, worst first
    groups: tuple[ProviderGroup, ...]
    evidence: tuple[EvidenceUse, ...]
    notes: tuple[str, ...] = ()
    diagnostics: tuple[str, ...] = ()  # printed form of every problem met while assessing
