"""The overall rating of a setting, and provider groups.

**Overall rating** (:data:`RATING_RULE`). Red if any of: (a) a red indicator and a requirement not met
or overdue; (b) three or more red indicators; (c) requirements not met on the
independent word of two or more different sources; (d) an inadequate Ofsted
judgement or a CQC score of 1 in the window. Amber if any of: a requirement
not met or overdue; a red indicator; two or more amber indicators; a
``provider_contradicted`` or ``regulators_disagree`` flag; more than half of the
evidenced requirements stale or uncorroborated. Green otherwise.

**Provider groups.** Settings are grouped by owning organisation; a group with
failings (a requirement not met or overdue, or a red rating) at two or more
settings *stands out*, as the Hesley Group's three homes should have.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from regframe.assess.results import Finding, Flag, IndicatorResult, ProviderGroup, Rating, SettingAssessment, Status
from regframe.assess.status import DEFAULT_WINDOW, window_start
from regframe.evidence.model import EvidenceItem, OfstedGrade, OutcomeKind, Source
from regframe.framework.model import Level

#: The rating rule in the words the reports and docs use (one wording, here beside :func:`rate`).
RATING_RULE = {
    Rating.RED: "Any of: a red indicator together with a requirement not met or overdue; three or more red "
                "indicators; requirements not met on the independent word of two or more different sources; an "
                "inadequate Ofsted judgement or a CQC score of 1 in the window.",
    Rating.AMBER: "Not red, and any of: a requirement not met or overdue; a red indicator; two or more amber "
                  "indicators; a provider-contradicted or regulators-disagree flag; more than half of the evidenced "
                  "requirements stale or uncorroborated.",
    Rating.GREEN: "None of the above.",
}
#: The provider-group rule, likewise.
GROUP_RULE = ("Settings are grouped by owning organisation; a group with failings (a requirement not met or "
              "overdue, or a red rating) at two or more settings stands out.")


def _is_worst(item: EvidenceItem) -> bool:
    outcome = item.outcome
    return outcome is not None and (
        (outcome.kind is OutcomeKind.GRADE and outcome.grade is OfstedGrade.INADEQUATE)
        or (outcome.kind is OutcomeKind.SCORE and outcome.score == 1)
    )



def rate(findings: Sequence[Finding], indicator_results: Sequence[IndicatorResult],
         items: Sequence[EvidenceItem], as_at: dt.date) -> tuple[Rating, tuple[str, ...], float]:
    """The overall rating by the documented rule (module docstring), its reasons, and a risk score for sorting."""
    red = sorted({r.indicator for r in indicator_results if r.level is Level.RED})
    amber = sorted({r.indicator for r in indicator_results if r.level is Level.AMBER} - set(red))
    not_met = [f for f in findings if f.status is Status.NOT_MET]
    overdue = [f for f in findings if f.status is Status.OVERDUE]
    flagged = {flag for f in findings for flag in f.flags}
    item_sources = {i.id: i.source for i in items}
    sources = {item_sources.get(e) for f in not_met for e in f.evidence} - {None, Source.PROVIDER}
    start = window_start(as_at, DEFAULT_WINDOW)
    worst = sorted(i.id for i in items if _is_worst(i) and start < i.observed <= as_at)

    reasons: list[str] = []
    if red and (not_met or overdue):
        reasons.append(f"red indicator(s) {', '.join(red)} with {len(not_met)} requirement(s) not met and {len(overdue)} overdue")
    if len(red) >= 3:
        reasons.append(f"{len(red)} red indicators")
    if len(sources) >= 2:
        reasons.append(f"requirements not met on the word of {len(sources)} independent sources "
                       f"({', '.join(sorted(s.value for s in sources))})")
    if worst:
        reasons.append(f"inadequate judgement or CQC score of 1: {', '.join(worst[:3])}")
    rating = Rating.RED if reasons else None
    if rating is None:
        if not_met or overdue:
            reasons.append(f"{len(not_met)} requirement(s) not met, {len(overdue)} overdue")
        if red:
            reasons.append(f"red indicator(s) {', '.join(red)}")
        if len(amber) >= 2:
            reasons.append(f"amber indicators {', '.join(amber)}")
        for flag in (Flag.PROVIDER_CONTRADICTED, Flag.REGULATORS_DISAGREE):
            if flag in flagged:
                reasons.append(f"{flag.value.replace('_', ' ')} on at least one requirement")
        weak = [f for f in findings if f.status in (Status.STALE, Status.UNCORROBORATED)]
        if findings and 2 * len(weak) > len(findings):
            reasons.append(f"independent evidence missing or out of date for {len(weak)} of {len(findings)} "
                           "evidenced requirements (stale or only the provider's word)")
        rating = Rating.AMBER if reasons else Rating.GREEN
    flag_counts = defaultdict(int)
    for f in findings:
        for flag in f.flags:
            flag_counts[flag] += 1
    standards_not_met = len({f.requirement.split(".")[0] + "." + f.requirement.split(".")[1]
                             for f in not_met if "." in f.requirement})
    score = (3 * len(red) + len(amber) + 2 * standards_not_met + min(len(overdue), 20) * 0.5
             + 2 * (flag_counts[Flag.PROVIDER_CONTRADICTED] > 0) + (flag_counts[Flag.REGULATORS_DISAGREE] > 0)
             + 5 * len(worst))
    return rating, tuple(reasons), round(float(score), 2)



def provider_groups(settings: Sequence[SettingAssessment]) -> tuple[ProviderGroup, ...]:
    by_owner: dict[str, list[SettingAssessment]] = defaultdict(list)
    for assessed in settings:
        owner = assessed.setting.owner.strip()
        if owner and owner.upper() != "REDACTED":
            by_owner[owner].append(assessed)
    groups = []
    for owner in sorted(by_owner):
        members = by_owner[owner]
        ratings = {r.value: sum(1 for m in members if m.rating is r) for r in Rating}
        failing = tuple(sorted(
            m.setting.urn for m in members
            if m.rating is Rating.RED or m.counts.get(Status.NOT_MET.value) or m.counts.get(Status.OVERDUE.value)
        ))
        groups.append(ProviderGroup(owner, tuple(sorted(m.setting.urn for m in members)), ratings, failing, len(failing) >= 2))
    groups.sort(key=lambda g: (not g.stands_out, -len(g.settings_with_failings), g.owner))
    return tuple(groups)

