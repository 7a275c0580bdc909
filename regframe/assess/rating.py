"""The risk rating of a setting (the one RAG), the regulators' latest judgements, the Hesley flag, provider groups.

**Risk** (:data:`RATING_RULE`) is about signs of harm or failure, and only
those: requirements not met or overdue, red and amber *risk* indicators,
contradicted provider claims, regulators disagreeing, and each regulator's
latest judgement. A regulator's latest judgement stands as a sign until a
newer one replaces it, however old it is: its age lowers assurance (see
:mod:`regframe.assess.assurance`), it does not erase the sign. Missing or
old evidence never raises risk by itself. Indicators declared
``axis="assurance"`` in the framework never raise risk.

**Rated good, but …** (:data:`RATED_GOOD_BUT_RULE`): the Hesley pattern.
A regulator's latest judgement is good or outstanding, however old, while
independent sources other than that regulator (and other than the provider)
show red signs in the window: a negative finding or an open action of theirs,
or a red risk indicator. It heads the setting's reasons.

**Provider groups.** Settings are grouped by owning organisation; a group with
failings (a requirement not met or overdue, or a red rating) at two or more
settings *stands out*, as the Hesley Group's three homes should have.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from regframe.assess.results import (
    FindingHeadline,
    Flag,
    IndicatorResult,
    ProviderGroup,
    RatedGoodBut,
    Rating,
    RegulatorJudgement,
    SettingAssessment,
    Status,
)
from regframe.assess.status import DEFAULT_WINDOW, NO_SIGNALS, Polarity, polarity, window_start
from regframe.evidence.model import EvidenceItem, OfstedGrade, OutcomeKind, Source
from regframe.framework.model import Axis, Independence, Level

#: The risk rule in the words the reports and docs use (one wording, here beside :func:`rate`).
RATING_RULE = {
    Rating.RED: "Any of: a red risk indicator together with a requirement not met or overdue; three or more red "
                "risk indicators; requirements not met on the independent word of two or more different sources; "
                "a regulator's latest judgement is inadequate (or a CQC score of 1), however old: it stands until "
                "a newer judgement replaces it.",
    Rating.AMBER: "Not red, and any of: a requirement not met or overdue; a red risk indicator; two or more amber "
                  "risk indicators; a provider-contradicted or regulators-disagree flag; a regulator's latest "
                  "judgement is requires improvement (or a CQC score of 2), however old.",
    Rating.GREEN: "None of the above. Missing or old evidence never makes a setting amber or red: it lowers "
                  "assurance instead.",
}
#: The Hesley flag, likewise (beside :func:`rated_good_but`).
RATED_GOOD_BUT_RULE = ("Rated good, but …: a regulator's latest judgement is good or outstanding (however old) while "
                       "independent sources other than that regulator and the provider show red signs in the window "
                       "(a negative finding or an open action of theirs), or a red risk indicator stands. It heads "
                       "the setting's reasons.")
#: The provider-group rule, likewise.
GROUP_RULE = ("Settings are grouped by owning organisation (case and spacing ignored); a group stands out when at "
              "least the threshold of the framework's provider-group indicator (2 by default) of its settings were "
              "judged inadequate by Ofsted or suspended in the twelve months to the as-at date: the pattern the "
              "Children's Wellbeing and Schools Act 2026 meets with improvement-plan notices to parent undertakings.")

#: the regulators whose judgements stand as signs, in the order they are reported
REGULATORS = (Source.OFSTED, Source.CQC)


def _verdict(item: EvidenceItem) -> str:
    outcome = item.outcome
    assert outcome is not None  # a regulator judgement has an outcome
    if outcome.kind is OutcomeKind.GRADE and outcome.grade is not None:
        return outcome.grade.value
    return f"score {outcome.score}"


def _is_worst(item: EvidenceItem) -> bool:
    outcome = item.outcome
    return outcome is not None and (
        (outcome.kind is OutcomeKind.GRADE and outcome.grade is OfstedGrade.INADEQUATE)
        or (outcome.kind is OutcomeKind.SCORE and outcome.score == 1)
    )


def latest_judgements(items: Sequence[EvidenceItem], as_at: dt.date) -> tuple[RegulatorJudgement, ...]:
    """Each regulator's latest judgement on or before ``as_at`` (a grade or a score), however old.

    Several judgements on the latest day (Ofsted's overall and its parts) are one
    inspection: its verdict is the worst of them.
    """
    latest: dict[Source, list[EvidenceItem]] = {}
    regulators, grade, score = REGULATORS, OutcomeKind.GRADE, OutcomeKind.SCORE  # looked up once, not per item
    for item in items:
        if item.source not in regulators:
            continue
        outcome = item.outcome
        if (item.observed > as_at or outcome is None or outcome.kind not in (grade, score)
                or (outcome.kind is grade and outcome.grade is None)
                or (outcome.kind is score and outcome.score is None)):
            continue
        known = latest.get(item.source)
        if known is None or item.observed > known[0].observed:
            latest[item.source] = [item]
        elif item.observed == known[0].observed:
            known.append(item)
    judgements = []
    for source in REGULATORS:
        found = latest.get(source)
        if not found:
            continue
        worst = min(found, key=lambda i: (polarity(i, NO_SIGNALS) is not Polarity.NEGATIVE, not _is_worst(i), _severity(i), i.id))
        judgements.append(RegulatorJudgement(
            source.value, _verdict(worst), worst.observed, tuple(sorted(i.id for i in found)),
            polarity(worst, NO_SIGNALS) is Polarity.POSITIVE, _is_worst(worst),
        ))
    return tuple(judgements)


def _severity(item: EvidenceItem) -> int:
    """Lower is worse: inadequate, requires improvement, good, outstanding; CQC scores 1 to 4."""
    outcome = item.outcome
    assert outcome is not None  # a regulator judgement has an outcome
    if outcome.kind is OutcomeKind.SCORE:
        return outcome.score or 0
    order = [OfstedGrade.INADEQUATE, OfstedGrade.REQUIRES_IMPROVEMENT, OfstedGrade.GOOD, OfstedGrade.OUTSTANDING]
    return order.index(outcome.grade) if outcome.grade is not None and outcome.grade in order else 0


def _risk_levels(indicator_results: Sequence[IndicatorResult]) -> tuple[list[str], list[str]]:
    risk = [r for r in indicator_results if r.axis is Axis.RISK]
    red = sorted({r.indicator for r in risk if r.level is Level.RED})
    amber = sorted({r.indicator for r in risk if r.level is Level.AMBER} - set(red))
    return red, amber


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def rate(findings: Sequence[FindingHeadline], indicator_results: Sequence[IndicatorResult],
         items: Sequence[EvidenceItem], as_at: dt.date,
         judgements: Sequence[RegulatorJudgement] | None = None) -> tuple[Rating, tuple[str, ...], float]:
    """The risk rating by :data:`RATING_RULE`, the clauses that applied in plain words, and a risk score for sorting.

    ``findings`` need hold only those failing or flagged (no other is read), and ``items`` only those
    the not-met findings cite, where the regulators' ``judgements`` are given.
    """
    if judgements is None:
        judgements = latest_judgements(items, as_at)
    red, amber = _risk_levels(indicator_results)
    not_met = [f for f in findings if f.status is Status.NOT_MET]
    overdue = [f for f in findings if f.status is Status.OVERDUE]
    flagged = {flag for f in findings for flag in f.flags}
    wanted = {e for f in not_met for e in f.evidence}
    item_sources = {i.id: i.source for i in items if i.id in wanted} if wanted else {}
    sources = {item_sources.get(e) for f in not_met for e in f.evidence} - {None, Source.PROVIDER}
    worst = [j for j in judgements if j.worst]
    weak = [j for j in judgements if not j.positive and not j.worst]

    def failing() -> str:
        parts = [_plural(len(not_met), "requirement") + " not met" if not_met else "",
                 f"{len(overdue)} overdue" if overdue else ""]
        return " and ".join(p for p in parts if p)

    reasons: list[str] = []
    if red and (not_met or overdue):
        reasons.append(f"{_plural(len(red), 'red risk indicator')} together with {failing()}")
    elif len(red) >= 3:
        reasons.append(f"{len(red)} red risk indicators")
    if len(sources) >= 2:
        reasons.append(f"requirements not met on the independent word of {len(sources)} different sources")
    for judgement in worst:
        reasons.append(f"{_regulator(judgement)}'s latest judgement is {_words(judgement.verdict)} "
                       f"({judgement.observed.isoformat()}); it stands until a newer one replaces it")
    rating = Rating.RED if reasons else None
    if rating is None:
        if not_met or overdue:
            reasons.append(failing())
        if red:
            reasons.append(_plural(len(red), "red risk indicator"))
        if len(amber) >= 2:
            reasons.append(f"{len(amber)} amber risk indicators")
        if Flag.PROVIDER_CONTRADICTED in flagged:
            reasons.append("the provider's own word is contradicted by an independent finding")
        if Flag.REGULATORS_DISAGREE in flagged:
            reasons.append("Ofsted and CQC disagree on a requirement")
        for judgement in weak:
            reasons.append(f"{_regulator(judgement)}'s latest judgement is {_words(judgement.verdict)} "
                           f"({judgement.observed.isoformat()})")
        rating = Rating.AMBER if reasons else Rating.GREEN
    flag_counts: dict[Flag, int] = defaultdict(int)
    for f in findings:
        for flag in f.flags:
            flag_counts[flag] += 1
    standards_not_met = len({f.requirement.split(".")[0] + "." + f.requirement.split(".")[1]
                             for f in not_met if "." in f.requirement})
    score = (3 * len(red) + len(amber) + 2 * standards_not_met + min(len(overdue), 20) * 0.5
             + 2 * (flag_counts[Flag.PROVIDER_CONTRADICTED] > 0) + (flag_counts[Flag.REGULATORS_DISAGREE] > 0)
             + 5 * len(worst) + 2 * len(weak))
    return rating, tuple(reasons), round(float(score), 2)


def _regulator(judgement: RegulatorJudgement) -> str:
    return {"ofsted": "Ofsted", "cqc": "CQC"}.get(judgement.regulator, judgement.regulator)


def _words(verdict: str) -> str:
    return verdict.replace("-", " ")


def rated_good_but(judgements: Sequence[RegulatorJudgement], items: Sequence[EvidenceItem],
                   indicator_results: Sequence[IndicatorResult], as_at: dt.date) -> RatedGoodBut | None:
    """The Hesley flag by :data:`RATED_GOOD_BUT_RULE`, or ``None``; the first regulator (Ofsted, then CQC) it holds for."""
    start = window_start(as_at, DEFAULT_WINDOW)
    red, _ = _risk_levels(indicator_results)
    by_provider = Independence.PROVIDER  # looked up once, not per item
    for judgement in judgements:
        if not judgement.positive:
            continue
        sources = sorted({
            item.source._value_ for item in items  # the value as stored: Enum's .value runs Python code per item
            if item.independence is not by_provider and start < item.observed <= as_at
            and item.source._value_ != judgement.regulator
            and (polarity(item, NO_SIGNALS) is Polarity.NEGATIVE or (item.action is not None and item.action.open_on(as_at)))
        })
        if sources or red:
            return RatedGoodBut(judgement.regulator, judgement.verdict, judgement.observed, tuple(sources), len(red))
    return None


def provider_groups(settings: Sequence[SettingAssessment], owner_failing: Mapping[str, tuple[str, ...]],
                    rule: tuple[float, str] | None) -> tuple[ProviderGroup, ...]:
    """Settings by owner; a group stands out by THE provider-group rule (:mod:`regframe.assess.history_signals`).

    ``rule`` is the threshold of the framework's provider-group indicator and its basis in words;
    without that indicator no group stands out, and the basis says so.
    """
    from regframe.assess import history_signals

    by_owner: dict[str, list[SettingAssessment]] = defaultdict(list)
    names: dict[str, str] = {}
    for assessed in settings:
        owner = history_signals.owner_key(assessed.setting)
        if owner:
            by_owner[owner].append(assessed)
            names.setdefault(owner, " ".join(assessed.setting.owner.split()))
    groups = []
    for owner in sorted(by_owner, key=lambda o: names[o]):
        members = by_owner[owner]
        ratings = {r.value: sum(1 for m in members if m.rating is r) for r in Rating}
        failing = owner_failing.get(owner, ())
        stands_out = rule is not None and len(failing) >= rule[0]
        basis = rule[1] if rule is not None else "the framework has no provider-group indicator"
        groups.append(ProviderGroup(names[owner], tuple(sorted(m.setting.urn for m in members)), ratings, failing,
                                    stands_out, basis))
    groups.sort(key=lambda g: (not g.stands_out, -len(g.settings_with_failings), g.owner))
    return tuple(groups)
