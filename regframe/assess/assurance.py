"""Assurance: how much of what binds a setting is independently and recently known (high, medium or low).

Assurance is the second axis beside risk (:mod:`regframe.assess.rating`).
Missing evidence, old evidence and a single source lower it; they never raise
risk. The rule is :data:`ASSURANCE_RULE`; its measures are:

* **coverage** — each applicable requirement is *evidenced* (an independent
  finding, or a regulator's open action, in its window), *stale* (independent
  evidence, all older than the window), *provider-only* (only the provider's
  word in the window) or *none* (nothing, or only records of events), the first
  that fits (:func:`coverage_class`); the share evidenced is what counts;
* **independent sources** — how many different sources other than the provider
  have evidence about the setting in the last twelve months;
* **the regulators' recency** — whether a regulator's judgement falls in the
  last twelve months (an inspection older than that, or none, is overdue);
* **both regulators** — at a setting registered with Ofsted and CQC, whether
  both have evidence about it in the last twelve months;
* **assurance indicators** — indicators declared ``axis="assurance"`` in the
  framework (an inspection overdue, say): red lowers assurance to low, amber
  keeps it from being high.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from regframe.assess.results import Assurance, Coverage, Finding, IndicatorResult, RegulatorJudgement, Status
from regframe.assess.status import DEFAULT_WINDOW, Judgement, window_start
from regframe.evidence.model import EvidenceItem, Setting, Source
from regframe.framework.model import Axis, Independence, Level, Regulator

#: below this share of applicable requirements evidenced in the window, assurance is low
LOW_COVERAGE = 0.25
#: at or above this share (and the rest of the high clause), assurance is high
HIGH_COVERAGE = 0.6
#: fewer independent sources than this in the window make assurance low
MIN_SOURCES = 2
#: this many or more (and the rest of the high clause) allow high assurance
HIGH_SOURCES = 3

#: The assurance rule in the words the reports and docs use (one wording, here beside :func:`assure`).
ASSURANCE_RULE = {
    Assurance.LOW: f"Any of: no regulator's judgement in the last twelve months (none, or the latest is older); "
                   f"fewer than {LOW_COVERAGE:.0%} of the requirements that apply independently evidenced in their "
                   f"window; fewer than {MIN_SOURCES} independent sources with evidence in the last twelve months; "
                   f"a red assurance indicator.",
    Assurance.HIGH: f"Not low, and all of: at least {HIGH_COVERAGE:.0%} of the requirements that apply independently "
                    f"evidenced in their window; {HIGH_SOURCES} or more independent sources in the last twelve "
                    f"months; at a setting registered with both, Ofsted and CQC both with evidence in the last "
                    f"twelve months; no amber assurance indicator.",
    Assurance.MEDIUM: "Neither low nor high.",
}
#: What each coverage class means (the Coverage sheet's columns), beside :func:`coverage_class`.
COVERAGE_MEANINGS = {
    "evidenced": "An independent finding in the requirement's window, or a regulator's action on it still open.",
    "stale": "Independent evidence exists, but all of it is older than the window.",
    "provider_only": "Only the provider's own word in the window.",
    "none": "Nothing at all, or only records of events (referrals, notifications).",
}
#: the coverage classes in the order they are tried
COVERAGE_CLASSES = tuple(COVERAGE_MEANINGS)


def coverage_class(finding: Finding | Judgement | None) -> str:
    """Which coverage class a requirement's finding (or its judgement) falls in (``None``: no evidence at all)."""
    if finding is None:
        return "none"
    statuses = finding.statuses if isinstance(finding, Judgement) else {reason.status for reason in finding.reasons}
    if Status.MET in statuses or Status.NOT_MET in statuses:
        return "evidenced"
    if Status.STALE in statuses:
        return "stale"
    if Status.UNCORROBORATED in statuses:
        return "provider_only"
    return "none"


def coverage(findings: Sequence[Finding], no_evidence: Iterable[str],
             regulators_of: Callable[[str], Iterable[Regulator]]) -> tuple[Coverage, ...]:
    """Coverage counts per regulator holding the requirements (Ofsted, CQC, or "other" when neither does)."""
    tallies: dict[str, dict[str, int]] = {}

    def add(rid: str, cls: str) -> None:
        held = {r.value for r in regulators_of(rid)} & {"ofsted", "cqc"} or {"other"}
        for regulator in held:
            tally = tallies.setdefault(regulator, dict.fromkeys(COVERAGE_CLASSES, 0))
            tally[cls] += 1

    for finding in findings:
        add(finding.requirement, coverage_class(finding))
    for rid in no_evidence:
        add(rid, "none")
    return coverage_from(tallies)


def coverage_from(tallies: Mapping[str, Mapping[str, int]]) -> tuple[Coverage, ...]:
    """The coverage rows from counts already made: regulator -> coverage class -> requirements."""
    return tuple(
        Coverage(regulator, sum(tallies[regulator].values()), **tallies[regulator])
        for regulator in ("ofsted", "cqc", "other") if regulator in tallies
    )


def independent_sources(items: Iterable[EvidenceItem], as_at: dt.date) -> tuple[str, ...]:
    """The sources other than the provider with evidence observed in the last twelve months, sorted."""
    start = window_start(as_at, DEFAULT_WINDOW)
    provider, by_provider = Source.PROVIDER, Independence.PROVIDER
    return tuple(sorted({
        item.source._value_ for item in items  # the value as stored: Enum's .value runs Python code per item
        if start < item.observed <= as_at and item.independence is not by_provider and item.source is not provider
    }))


def assure(setting: Setting, findings: Sequence[Finding], no_evidence: Sequence[str],
           judgements: Sequence[RegulatorJudgement], sources: Sequence[str],
           indicator_results: Sequence[IndicatorResult], as_at: dt.date) -> tuple[Assurance, tuple[str, ...]]:
    """The assurance level by :data:`ASSURANCE_RULE`, and why, in plain words."""
    evidenced = sum(1 for f in findings if coverage_class(f) == "evidenced")
    return assurance_of(setting, len(findings) + len(no_evidence), evidenced, judgements, sources,
                        indicator_results, as_at)


def assurance_of(setting: Setting, applicable: int, evidenced: int, judgements: Sequence[RegulatorJudgement],
                 sources: Sequence[str], indicator_results: Sequence[IndicatorResult],
                 as_at: dt.date) -> tuple[Assurance, tuple[str, ...]]:
    """:func:`assure` from counts already made: requirements applicable, and independently evidenced in their window."""
    start = window_start(as_at, DEFAULT_WINDOW)
    share = evidenced / applicable if applicable else 0.0
    recent = [j for j in judgements if j.observed > start]

    low: list[str] = []
    if not judgements:
        low.append("no regulator's judgement on record")
    elif not recent:
        newest = max(judgements, key=lambda j: j.observed)
        low.append(f"the latest regulator's judgement is from {newest.observed.isoformat()}, "
                   "more than twelve months ago")
    if share < LOW_COVERAGE:
        low.append(f"{evidenced} of {applicable} requirements ({share:.0%}) independently evidenced in their window")
    if len(sources) < MIN_SOURCES:
        low.append(f"{_sources(sources)} in the last twelve months")
    low += [_assurance_words(r) for r in indicator_results if r.axis is Axis.ASSURANCE and r.level is Level.RED]
    if low:
        return Assurance.LOW, tuple(low)

    short: list[str] = []
    if share < HIGH_COVERAGE:
        short.append(f"{evidenced} of {applicable} requirements ({share:.0%}) independently evidenced in their window")
    if len(sources) < HIGH_SOURCES:
        short.append(f"{_sources(sources)} in the last twelve months")
    if setting.dual_registered:
        looked = set(sources) & {"ofsted", "cqc"}
        if looked != {"ofsted", "cqc"}:
            missing = "CQC" if "cqc" not in looked else "Ofsted"
            short.append(f"registered with both regulators, but {missing} has no evidence in the last twelve months")
    short += [_assurance_words(r) for r in indicator_results if r.axis is Axis.ASSURANCE and r.level is Level.AMBER]
    if short:
        return Assurance.MEDIUM, tuple(short)
    return Assurance.HIGH, (f"{evidenced} of {applicable} requirements ({share:.0%}) independently evidenced; "
                            f"{_sources(sources)} in the last twelve months",)


def _assurance_words(result: IndicatorResult) -> str:
    """An assurance indicator that reached a level, in words: "overdue: last full inspection 2021-02-10, 30.6
    months ago (red above 24)"."""
    level = result.level.value if result.level is not None else ""
    limit = f" ({level} above {result.threshold:g})" if result.threshold is not None else f" ({level})"
    if result.metric.startswith("months-since") and result.value is not None:
        return f"overdue: {result.basis}, {result.value:g} months ago{limit}"
    return f"{result.basis}{limit}"


def _sources(sources: Sequence[str]) -> str:
    if not sources:
        return "no independent source"
    return f"{len(sources)} independent source{'s' if len(sources) != 1 else ''} ({', '.join(sources)})"
