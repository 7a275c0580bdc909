"""Reasons a director can act on: plain sentences, ranked, each naming the requirement and the evidence.

One function per rule family builds the sentences (:data:`REASON_RULES` says
what each family covers); :func:`setting_reasons` ranks them. A sentence names
a requirement by its human reference and title and the evidence by its source,
date and figure, and never carries an internal id (the ids travel beside it in
:class:`~regframe.assess.results.SettingReason`).

**Joining signs up.** An indicator counts records of one evidence kind
(:data:`METRIC_KINDS`); when a failing requirement rests on records of that
kind (advocacy visits, LADO referrals, statutory visits), or failing that is
evidenced by that kind (restraint records for CHR reg 20), the indicator's
figure joins that requirement's sentence instead of standing alone, so one
sign is one reason.

**Ranking** (:data:`REASON_RANKING`): "rated good, but …" first; then the
regulators' latest judgements that are signs; then the setting's own duties
failing (requirements the provider holds), then other bodies' duties failing
(a placing authority's visits), then indicators standing alone. Within each,
red before amber, then the reason resting on more independent sources, then
the longer overdue, then the one covering more requirements.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import attrs

from regframe.assess import history_signals
from regframe.assess import indicators as indicator_rules
from regframe.assess.facts import FrameworkFacts
from regframe.assess.overdue import Miss, Misses, MissKind, misses
from regframe.assess.results import (
    FindingHeadline,
    Flag,
    IndicatorResult,
    RatedGoodBut,
    Rating,
    RegulatorJudgement,
    SettingReason,
    Status,
)
from regframe.assess.status import NO_SIGNALS, Polarity, polarity
from regframe.core.text import count_of
from regframe.evidence.model import EvidenceItem, Metric, OfstedGrade, OutcomeKind, Placement, Source
from regframe.framework.cadence import StepKind
from regframe.framework.model import Axis, Level, Requirement, kind_id_words

#: What each rule family covers (the ``rule`` of a reason), in the words the docs use.
REASON_RULES = {
    "rated-good-but": "The Hesley pattern: a regulator's latest judgement is good or outstanding while other "
                      "independent sources show red signs.",
    "judgement": "A regulator's latest judgement is inadequate or requires improvement (or a CQC score of 1 or 2).",
    "not-met": "An independent finding or an open regulator's action says a requirement is not met.",
    "overdue": "A time-bound duty's deadline was missed.",
    "indicator": "A risk indicator at red or amber that no failing requirement above already names.",
    "regulators-disagree": "Ofsted and CQC say opposite things about the same requirement.",
}
#: The ranking, in words (beside :func:`setting_reasons`).
REASON_RANKING = ("Rated good, but … first; then regulators' latest judgements that are signs; then the setting's "
                  "own duties failing, then other bodies' duties failing (a placing authority's visits), then "
                  "indicators standing alone, then regulators disagreeing. Within each: red before amber, then more "
                  "independent sources, then longer overdue, then more requirements. The Summary shows the first "
                  f"{5}.")
#: at most this many reasons on the Summary sheet
SUMMARY_REASONS = 5

#: the evidence kind whose records an indicator's metric counts (joins an indicator to a failing requirement)
METRIC_KINDS = {
    "no-advocate-share": "ek.advocacy-visit",
    "missed-visits-share": "ek.statutory-visit",
    "lado-referrals-12m": "ek.lado-referral",
    "restraint-rate": "ek.restraint-record",
    "restraint-trend": "ek.restraint-record",
    "notifications-12m": "ek.reg40-notification",
    "complaints-12m": "ek.complaint",
}
#: the monthly figure a metric is computed from (its source is the reason's source)
METRIC_FIGURES = {
    "restraint-rate": Metric.RESTRAINT_INCIDENTS, "restraint-trend": Metric.RESTRAINT_INCIDENTS,
    "staff-vacancies-per-place": Metric.STAFF_VACANCIES, "staff-turnover": Metric.STAFF_LEAVERS,
    "agency-share": Metric.AGENCY_SHARE, "lado-referrals-12m": Metric.LADO_REFERRALS,
    "notifications-12m": Metric.NOTIFICATIONS, "complaints-12m": Metric.COMPLAINTS,
}
#: metrics computed over the children placed (their source is the placing authorities' returns)
PLACEMENT_METRICS = frozenset({"no-advocate-share", "missed-visits-share", "far-from-home-share",
                               "fifty-two-week-share"})
#: metrics that are shares (shown as percentages)
SHARE_METRICS = PLACEMENT_METRICS | {"agency-share"}

#: what a late record is late after, by the cadence's anchor
AFTER_WORDS = {"allegation": "the allegation", "event": "the event"}
#: how each source is named in a sentence
SOURCE_WORDS = {
    Source.OFSTED: "Ofsted", Source.CQC: "CQC", Source.PLACING_LA: "placing authorities' returns",
    Source.HOST_LA: "the host authority", Source.LADO: "the LADO",
    Source.INDEPENDENT_PERSON: "the reg 44 independent person", Source.ADVOCATE: "advocates",
    Source.COURT: "a court", Source.COMPLAINANT: "complainants", Source.WHISTLEBLOWER: "a whistleblower",
    Source.PROVIDER: "the provider's own records",
}
_WORDS_BY_VALUE = {source.value: words for source, words in SOURCE_WORDS.items()}
#: the same, as the subject of a sentence
SOURCE_SUBJECTS = {
    Source.PLACING_LA: "A placing authority", Source.HOST_LA: "The host authority", Source.LADO: "The LADO",
    Source.INDEPENDENT_PERSON: "The reg 44 independent person", Source.ADVOCATE: "An advocate",
    Source.COURT: "A court", Source.COMPLAINANT: "A complainant", Source.WHISTLEBLOWER: "A whistleblower",
    Source.OFSTED: "Ofsted", Source.CQC: "CQC", Source.PROVIDER: "The provider",
}
_REGULATOR_NAMES = {"ofsted": "Ofsted", "cqc": "CQC"}


@functools.lru_cache(maxsize=4096)
def day(value: dt.date) -> str:
    """14 Aug 2026 (the same few hundred days come up at every setting: strftime is slow)."""
    return f"{value.day} {value:%b %Y}"


@functools.lru_cache(maxsize=1024)
def month(value: dt.date) -> str:
    """Aug 2026."""
    return f"{value:%b %Y}"


@functools.lru_cache(maxsize=1024)
def _sources_phrase(sources: tuple[str, ...]) -> str:
    """The sources in words (a few dozen lists of them come up at every setting)."""
    words = list(dict.fromkeys(_WORDS_BY_VALUE.get(s, s) for s in sources))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@attrs.frozen
class ReasonFacts:
    """What the reason rules read about one setting (everything already computed by the assessment)."""

    ff: FrameworkFacts
    facts: indicator_rules.SettingFacts
    findings: Sequence[FindingHeadline]
    indicators: Sequence[IndicatorResult]
    judgements: Sequence[RegulatorJudgement]
    rated_good_but: RatedGoodBut | None
    items_by_kind: dict[str, list[EvidenceItem]]
    #: the missed deadlines of each requirement's cadence, by requirement id, where the assessment has them
    #: already (else they are worked out again)
    misses: Mapping[str, Sequence[Miss]] | None = None
    #: the items the findings rest on, by id (of two with one id, the later), where the assessment has them
    #: already (else the setting's items are searched)
    relied: Mapping[str, EvidenceItem] | None = None
    #: the sources (values, sorted) of the setting's records of each evidence kind observed by as_at, where the
    #: assessment has them already (else the records of a kind are read for them)
    sources: Mapping[str, list[str]] | None = None
    _sources: dict[str, list[str]] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def sources_of_kind(self, kind: str) -> list[str]:
        """The sources (values, sorted) of the setting's records of one evidence kind observed by as_at."""
        if self.sources is not None:
            return self.sources.get(kind, [])
        found = self._sources.get(kind)
        if found is None:
            as_at = self.facts.as_at  # (a source's _value_: Enum's .value runs Python code, and this runs per record)
            found = self._sources[kind] = sorted({i.source._value_ for i in self.items_by_kind.get(kind, [])
                                                  if i.observed <= as_at})
        return found

    def misses_of(self, requirement: Requirement) -> Sequence[Miss]:
        """The missed deadlines of a requirement's cadence at the setting."""
        if self.misses is not None and requirement.id in self.misses:
            return self.misses[requirement.id]
        return misses(requirement, self.facts.setting, self.facts.placements, self.items_by_kind, self.as_at)

    @property
    def as_at(self) -> dt.date:
        return self.facts.as_at

    @property
    def children(self) -> int:
        return len({p.child for p in self.facts.placements})

    def requirement(self, rid: str) -> Requirement | None:
        facts = self.ff.facts.get(rid)
        return facts.requirement if facts is not None else None

    def named(self, rid: str) -> str:
        """"CHR 2015 reg 44 Independent person: visits and reports"."""
        requirement = self.requirement(rid)
        return f"{requirement.ref} {requirement.title}".strip() if requirement else rid


@attrs.define
class Draft:
    """A reason being built: its sentence parts, tier, and what it rests on."""

    rule: str
    tier: int
    level: Rating
    text: str
    requirements: list[str] = attrs.Factory(list)
    sources: set[str] = attrs.Factory(set)
    observed: dt.date | None = None
    evidence: list[str] = attrs.Factory(list)
    kinds: set[str] = attrs.Factory(set)  # evidence kinds the reason rests on
    late_days: int = 0
    joined: list[IndicatorResult] = attrs.Factory(list)
    #: how a joined indicator's figure enters the sentence: "replace" (it says what the finding says), "lead"
    #: (it comes first, the finding after), "threshold" (the sentence already gives the figure: add the threshold)
    join: str = "lead"
    cadence: str = ""  # the duty's cadence in words, shown with the requirement

    def finish(self, facts: ReasonFacts) -> SettingReason:
        text = self.text
        level = self.level
        if self.joined:
            if self.join == "threshold":
                text = f"{text}, " + ", ".join(_threshold(r) for r in self.joined)
            else:
                phrase = indicator_phrase(self.joined, facts)
                text = phrase if self.join == "replace" or not text else f"{phrase}; {text[0].lower()}{text[1:]}"
            if any(r.level is Level.RED for r in self.joined):
                level = Rating.RED
            for result in self.joined:
                self.sources |= set(indicator_sources(result, facts))
        if self.requirements:
            text += f" ({_names(self.requirements, facts)}{': ' + self.cadence if self.cadence else ''})"
        if self.rule in ("not-met", "overdue", "indicator") and self.sources:
            text += f" — {_sources_phrase(tuple(sorted(self.sources)))}" + (f", {month(self.observed)}" if self.observed else "")
        first = self.requirements[0] if self.requirements else None
        requirement = facts.requirement(first) if first else None
        return SettingReason(
            self.rule, level, text, first, requirement.ref if requirement else "",
            requirement.title if requirement else "", tuple(sorted(self.sources)), self.observed,
            tuple(dict.fromkeys(self.evidence)),
        )


def _names(rids: Sequence[str], facts: ReasonFacts) -> str:
    shown = [facts.named(r) for r in rids[:2]]
    more = len(rids) - len(shown)
    return "; ".join(shown) + (f"; and {_plural(more, 'related requirement')}" if more else "")


def _leaves(rids: Sequence[str], facts: ReasonFacts) -> list[str]:
    """The most specific of a set of requirements (those with no part also in the set), in a natural order
    (worked out once a run for each list: :attr:`FrameworkFacts.leaves <regframe.assess.facts.FrameworkFacts.leaves>`)."""
    key = tuple(rids)
    found = facts.ff.leaves.get(key)
    if found is None:
        found = facts.ff.leaves[key] = tuple(_order_leaves(rids, facts))
    return list(found)  # the caller's own (a reason reorders its requirements)


def _order_leaves(rids: Sequence[str], facts: ReasonFacts) -> list[str]:
    chosen = set(rids)
    parents = set()
    for rid in chosen:
        node = facts.ff.facts[rid].parent if rid in facts.ff.facts else None
        while node is not None:
            parents.add(node)
            node = facts.ff.facts[node].parent if node in facts.ff.facts else None
    leaves = [r for r in rids if r not in parents]
    return sorted(leaves, key=_natural) + sorted((r for r in rids if r in parents), key=_natural)


_NUMBERS = re.compile(r"(\d+)")
_BY_DATE_AND_ID = operator.attrgetter("observed", "id")
_OBSERVED, _OCCURRED, _ID = operator.attrgetter("observed"), operator.attrgetter("occurred"), operator.attrgetter("id")


@functools.lru_cache(maxsize=4096)
def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key reading the numbers in an id as numbers (reg 9 before reg 10); the same ids come up at every setting."""
    # the runs of digits are every other part; ``isdigit`` would take "³" for one, which int() refuses
    return tuple((0, int(p)) if i % 2 else (1, p) for i, p in enumerate(_NUMBERS.split(text)))


def _own_duty(rids: Sequence[str], facts: ReasonFacts) -> bool:
    """Whether the setting (its provider) holds any of these requirements."""
    return not facts.ff.provider_held.isdisjoint(rids)


# ---------------------------------------------------------------- rule families


def rated_good_but_reason(facts: ReasonFacts) -> list[Draft]:
    """The Hesley flag as the first reason."""
    flag = facts.rated_good_but
    if flag is None:
        return []
    who = _REGULATOR_NAMES.get(flag.regulator, flag.regulator)
    signs = []
    if flag.sources:
        signs.append("red signs came from " + _sources_phrase(tuple(flag.sources)))
    if flag.red_indicators:
        signs.append(f"{_plural(flag.red_indicators, 'risk indicator')} {'is' if flag.red_indicators == 1 else 'are'} red")
    verdict = flag.verdict.replace("-", " ")
    text = (f"Rated {verdict}, but …: {who} judged it {verdict} on {day(flag.judged)}, while in the last twelve "
            f"months {', and '.join(signs)}")
    return [Draft("rated-good-but", 0, Rating.RED, text, sources=set(flag.sources), observed=flag.judged)]


def judgement_reasons(facts: ReasonFacts) -> list[Draft]:
    """A regulator's latest judgement that is a sign (inadequate, requires improvement; CQC 1 or 2), however old."""
    drafts = []
    for judgement in facts.judgements:
        if judgement.positive:
            continue
        who = _REGULATOR_NAMES.get(judgement.regulator, judgement.regulator)
        verdict = judgement.verdict.replace("-", " ")
        age = (facts.as_at - judgement.observed).days
        text = f"{who}'s latest judgement is {verdict} ({day(judgement.observed)})"
        if age > 366:
            text += f"; it is {age // 30} months old and stands until a newer inspection replaces it"
        drafts.append(Draft("judgement", 1, Rating.RED if judgement.worst else Rating.AMBER, text,
                             sources={judgement.regulator}, observed=judgement.observed,
                             evidence=list(judgement.evidence)))
    return drafts


def not_met_reasons(facts: ReasonFacts) -> list[Draft]:
    """Requirements an independent finding (or an open action) says are not met, one reason per source and kind."""
    wanted = {e for f in facts.findings if f.status is Status.NOT_MET for e in f.evidence}
    relied = facts.relied
    if relied is not None:
        items = {e: relied[e] for e in wanted if e in relied}
    else:
        items = {i.id: i for i in facts.facts.items if i.id in wanted} if wanted else {}
    judged = {e for j in facts.judgements for e in j.evidence}  # those findings are the judgement's reason
    groups: dict[tuple[Source, str], list[FindingHeadline]] = defaultdict(list)
    latest: dict[tuple[Source, str], EvidenceItem] = {}
    against = {e: item for e, item in items.items()  # each cited item once, though many findings cite it
               if polarity(item, NO_SIGNALS) is Polarity.NEGATIVE or item.action is not None}
    for finding in facts.findings:
        if finding.status is not Status.NOT_MET:
            continue
        negative = [against[e] for e in finding.evidence if e in against]
        if not negative:
            continue
        item = negative[0] if len(negative) == 1 else max(negative, key=_BY_DATE_AND_ID)
        if item.id in judged:
            continue
        key = (item.source, item.kind)
        groups[key].append(finding)
        if key not in latest or item.observed > latest[key].observed:
            latest[key] = item
    drafts = []
    for key, findings in groups.items():
        item = latest[key]
        rids = _leaves([f.requirement for f in findings], facts)
        contradicted = any(Flag.PROVIDER_CONTRADICTED in f.flags for f in findings)
        text = finding_phrase(item, facts)
        if contradicted:
            text += "; the provider's own word says met"
        tier = 2 if _own_duty(rids, facts) else 3
        drafts.append(Draft("not-met", tier, Rating.AMBER, text, rids, {item.source.value}, item.observed,
                             [item.id], {item.kind}))
    return drafts


def finding_phrase(item: EvidenceItem, facts: ReasonFacts) -> str:
    """What one negative finding or open action says, in words."""
    who = SOURCE_SUBJECTS.get(item.source, item.source.value)
    summary = f": {item.summary}" if item.summary else ""
    if item.action is not None and item.action.open_on(facts.as_at):
        due = f", due {day(item.action.due)}" if item.action.due else ""
        kind = item.action.kind.value.removeprefix("ofsted-").removeprefix("cqc-").replace("-", " ")
        return f"{who}'s {kind} of {day(item.observed)} is still open{due}{summary}"
    outcome = item.outcome
    if outcome is not None and outcome.kind is OutcomeKind.CONCERN:
        return f"{who} raised a concern on {day(item.observed)}{summary}"
    if outcome is not None and outcome.kind is OutcomeKind.GRADE and outcome.grade is not None:
        return f"{who} judged it {outcome.grade.value.replace('-', ' ')} on {day(item.observed)}{summary}"
    if outcome is not None and outcome.kind is OutcomeKind.SCORE:
        return f"{who} scored it {outcome.score} on {day(item.observed)}{summary}"
    verdict = "partly met" if outcome is not None and outcome.kind is OutcomeKind.PARTLY_MET else "not met"
    return f"{who} found it {verdict} on {day(item.observed)}{summary}"


def overdue_reasons(facts: ReasonFacts) -> list[Draft]:
    """Each time-bound duty whose deadline was missed, with the dates."""
    drafts = []
    for finding in facts.findings:
        if finding.status is not Status.OVERDUE:
            continue
        requirement = facts.requirement(finding.requirement)
        if requirement is None or requirement.cadence is None:
            continue
        found = facts.misses_of(requirement)
        kind_id = requirement.cadence.evidence_kind
        if not found or kind_id is None:
            continue
        sources = facts.sources_of_kind(kind_id)
        tier = 2 if _own_duty([finding.requirement], facts) else 3
        for text, observed, late_days, evidence, miss in overdue_phrases(found, _named(kind_id, facts), requirement,
                                                                         facts):
            drafts.append(Draft("overdue", tier, Rating.AMBER, text, [finding.requirement], set(sources), observed,
                                 evidence, {kind_id}, late_days,
                                 join="threshold" if miss is MissKind.CHILD else "lead",
                                 cadence=cadence_words(requirement) if miss is MissKind.INTERVAL else ""))
    return drafts


def _named(kind_id: str, facts: ReasonFacts) -> Callable[[int], str]:
    """How a sentence names records of an evidence kind, by how many (:meth:`EvidenceKind.named
    <regframe.framework.model.EvidenceKind.named>`); a kind the vocabulary lacks, by its id in words."""
    try:
        return facts.ff.graph.evidence_kind(kind_id).named
    except KeyError:  # the framework's checks say so (RF210)
        words = kind_id_words(kind_id)
        return lambda count: words if count == 1 else f"{words}s"


def _capital(text: str) -> str:
    """A phrase at the start of a sentence ("statutory visit …" -> "Statutory visit …"; "LADO referral" as it is)."""
    return text[:1].upper() + text[1:]


def cadence_words(requirement: Requirement) -> str:
    """"every month", "every 6 months", "once each calendar month", "within 1 working day"."""
    cadence = requirement.cadence
    for step in cadence.steps if cadence else ():
        if step.kind is StepKind.EACH:
            d = step.duration
            return f"once each calendar {d.unit.words}" if d.amount == 1 else f"once each {d.words}"
        if step.kind is StepKind.EVERY:
            d = step.duration
            return f"every {d.unit.words}" if d.amount == 1 else f"every {d.words}"
    for step in cadence.steps if cadence else ():
        if step.kind is StepKind.WITHIN:
            return f"within {step.duration.words}"
    return ""


def _given(value: dt.date | None) -> dt.date:
    """A date that the kind of miss always sets (see :class:`~regframe.assess.overdue.Miss`)."""
    assert value is not None
    return value


def overdue_phrases(found: Sequence[Miss], named: Callable[[int], str], requirement: Requirement,
                    facts: ReasonFacts) -> list[tuple[str, dt.date | None, int, list[str], MissKind]]:
    """(sentence, date, days late, evidence ids, kind of miss) for a duty's misses: one per kind of miss.

    ``named(count)`` names ``count`` records of the duty's evidence kind mid-sentence (:meth:`EvidenceKind.named
    <regframe.framework.model.EvidenceKind.named>`).
    """
    out: list[tuple[str, dt.date | None, int, list[str], MissKind]] = []
    by_kind: dict[MissKind, list[Miss]] = defaultdict(list)
    # the late records' dates made, of their events and deadlines, and ids, column by column: read straight from
    # the records where they come unmade (Misses), and added up by builtins (a duty's can be a few hundred)
    made: list[dt.date] = []
    events: list[dt.date] = []
    deadlines: list[dt.date] = []
    ids: list[str | None] = []
    allowed = ""
    if isinstance(found, Misses):
        made.extend(map(_OBSERVED, found.records))
        events.extend(map(_OCCURRED, found.records))  # (a record answering no event is never late)
        deadlines.extend(found.deadlines)
        ids.extend(map(_ID, found.records))
        allowed, found = found.allowed, found.others
    for miss in found:
        if miss.kind is MissKind.LATE:
            assert miss.last is not None and miss.occurred is not None  # a late record's miss sets both
            made.append(miss.last)
            events.append(miss.occurred)
            deadlines.append(miss.due)
            ids.append(miss.item)
            allowed = allowed or miss.allowed
        else:
            by_kind[miss.kind].append(miss)
    interval = by_kind.get(MissKind.INTERVAL)
    if interval:
        miss = interval[0]
        text = f"No {named(1)} since {day(_given(miss.last))}; the next was due by {day(miss.due)}"
        out.append((text, miss.last, (facts.as_at - miss.due).days, [], MissKind.INTERVAL))
    if made:
        assert len(made) == len(events) == len(deadlines) == len(ids)  # one of each a record, as Misses keeps them
        after = AFTER_WORDS.get(requirement.cadence.anchor if requirement.cadence else "", "the period it covers")
        count = "One" if len(made) == 1 else str(len(made))
        text = (f"{count} {named(len(made))} made late, {_delays_phrase(list(map(operator.sub, made, events)))} "
                f"after {after}, where {allowed} is allowed")
        out.append((text, max(made), max(map(operator.sub, made, deadlines)).days, [i for i in ids if i],
                    MissKind.LATE))
    children = by_kind.get(MissKind.CHILD)
    if children:
        oldest = min(_given(m.last or m.since) for m in children)
        total = facts.children
        text = (f"{_capital(named(1))} overdue for {count_of(len(children), total, 'child placed', 'children placed')}, "
                f"{'waiting' if len(children) == 1 else 'the longest waiting'} since {day(oldest)}")
        out.append((text, facts.as_at, max((facts.as_at - m.due).days for m in children), [], MissKind.CHILD))
    return out


#: up to this many late records, each one's delay is named; past it, the sentence gives their range
LISTED_DELAYS = 3


def _delays_phrase(delays: Sequence[dt.timedelta]) -> str:
    """How long after their events some late records were made, in words a director reads at a glance:
    "3 days", "5 and 3 days" (a few, in the records' order), "each 2 days", "between 2 and 19 days" (many).

    A late record is always two days or more after its event (a deadline is a day or more on, by dates), so
    the days are always plural.
    """
    if len(delays) <= LISTED_DELAYS:
        listed = [str(delay.days) for delay in delays]
        return (listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]) + " days"
    low, high = min(delays).days, max(delays).days
    return f"each {low} days" if low == high else f"between {low} and {high} days"


def indicator_sources(result: IndicatorResult, facts: ReasonFacts) -> list[str]:
    """Where an indicator's figures came from."""
    if result.metric in PLACEMENT_METRICS:
        return [Source.PLACING_LA.value]
    if result.metric in HISTORY_METRICS:
        return [Source.OFSTED.value]
    figure = METRIC_FIGURES.get(result.metric)
    found = sorted({m.source._value_ for m in facts.facts.figures(figure)}) if figure else []
    kind = METRIC_KINDS.get(result.metric)
    if kind:
        found += facts.sources_of_kind(kind)
    return list(dict.fromkeys(found))


def _threshold(result: IndicatorResult) -> str:
    value = result.threshold
    if value is None or result.metric == "ofsted-suspended-12m":  # a suspension is a fact, not a figure
        return ""
    if result.metric in SHARE_METRICS:
        text = f"{value:.0%}"
    elif result.metric == "restraint-rate":
        text = f"{value:g} a child a month"
    elif result.metric == "restraint-trend":
        text = f"{value:g} times the three months before"
    elif result.metric in ("staff-vacancies-per-place", "staff-turnover"):
        text = f"{value:g} a place"
    elif result.metric == "ofsted-downgrade-steps":
        text = f"a fall of {_plural(int(value), 'grade')}"
    elif result.metric == "ofsted-below-good-run":
        text = f"{value:g} in a row"
    elif result.metric == history_signals.PROVIDER_GROUP_METRIC:
        text = f"{_plural(int(value), 'setting')}"
    else:
        text = f"{value:g}"
    return f"{result.level.value if result.level else None} at {text}"


def _restraint_phrase(results: Sequence[IndicatorResult], facts: ReasonFacts) -> str:
    rate = next((r for r in results if r.metric == "restraint-rate"), None)
    trend = next((r for r in results if r.metric == "restraint-trend"), None)
    parts = []
    if trend is not None:
        start, end = indicator_rules._months_back(facts.facts, 0, 6)
        monthly = sorted((m.month, m.value) for m in facts.facts.figures(Metric.RESTRAINT_INCIDENTS)
                         if start <= m.month < end)
        if len(monthly) >= 2:
            (first, low), (last, high) = monthly[0], monthly[-1]
            parts.append(f"Restraint rose from {low:g} incidents a month in {month(first)} to {high:g} in {month(last)}")
        else:
            parts.append(f"Restraint rose to {trend.value:.1f} times the three months before")
        parts[-1] += f", {_threshold(trend)}"
    if rate is not None:
        span = _three_months(facts.as_at)
        lead = "Restraint at" if trend is None else "now"
        parts.append(f"{lead} {rate.value:.1f} a child a month over {span}, {_threshold(rate)}")
    return "; ".join(parts)


@functools.lru_cache(maxsize=64)
def _three_months(as_at: dt.date) -> str:
    """The last three whole months before as_at's, in words: "Jul–Sep 2026"."""
    start, end = indicator_rules._month_range(as_at, 0, 3)
    return f"{start:%b}–{(end - dt.timedelta(days=1)):%b %Y}"


def _of_children(result: IndicatorResult, facts: ReasonFacts, what: str) -> str:
    """How many of the children placed have ``what`` (a share's figure in children), the verb agreeing."""
    count = round((result.value or 0) * facts.children)
    return f"{count_of(count, facts.children, 'child', 'children')} {'has' if count == 1 else 'have'} {what}"


#: how each metric's value reads in a sentence: (value, result, facts) -> words
_PHRASES: dict[str, Callable[[IndicatorResult, ReasonFacts], str]] = {
    "no-advocate-share": lambda r, f: _of_children(r, f, "had no independent advocate in the last twelve months"),
    "missed-visits-share": lambda r, f: _of_children(r, f, "a statutory social-worker visit overdue"),
    "far-from-home-share": lambda r, f: f"{r.value:.0%} of children are placed more than 50 miles from home",
    "fifty-two-week-share": lambda r, f: f"{r.value:.0%} of children are placed 52 weeks a year",
    "agency-share": lambda r, f: f"{r.value:.0%} of shifts worked by agency staff over the last three months",
    "lado-referrals-12m": lambda r, f: f"{r.value:g} LADO referrals about staff in twelve months",
    "notifications-12m": lambda r, f: f"{r.value:g} notifications of serious events in twelve months",
    "complaints-12m": lambda r, f: f"{r.value:g} complaints in twelve months",
    "staff-vacancies-per-place": lambda r, f: f"{r.value:.2f} staff vacancies a place over the last three months",
    "staff-turnover": lambda r, f: f"{r.value:.2f} staff leavers a place in twelve months",
}


def _grade(grade: OfstedGrade) -> str:
    return grade.value.replace("-", " ")


def _downgrade_words(result: IndicatorResult, facts: ReasonFacts) -> str:
    graded = history_signals.full_overall(facts.facts.history, facts.as_at)
    steps = _plural(int(result.value or 0), "grade")
    if len(graded) < 2:
        return f"Ofsted's overall judgement fell {steps} between its last two full inspections"
    (before_on, before), (after_on, after) = graded[-2:]
    return (f"Ofsted's overall judgement fell {steps}, from {_grade(before)} ({day(before_on)}) to {_grade(after)} "
            f"({day(after_on)})")


def _below_good_words(result: IndicatorResult, facts: ReasonFacts) -> str:
    graded = history_signals.full_overall(facts.facts.history, facts.as_at)
    latest = f", the latest on {day(graded[-1][0])}" if graded else ""
    return f"{result.value:g} full Ofsted inspections in a row judged below good{latest}"


def _suspended_words(result: IndicatorResult, facts: ReasonFacts) -> str:
    dates = sorted(set(history_signals.suspended_in_window(facts.facts.setting, facts.facts.history, facts.as_at)))
    shown = " and ".join(day(d) for d in dates[-2:])
    return "Ofsted's records show the registration suspended" + (f" on {shown}" if shown else "")


def _owner_words(result: IndicatorResult, facts: ReasonFacts) -> str:
    setting = facts.facts.setting
    owner = " ".join(setting.owner.split())
    failing = facts.facts.owner_failing.get(history_signals.owner_key(setting), ())
    shown = ", ".join(failing[:5]) + (f" and {len(failing) - 5} more" if len(failing) > 5 else "")
    return (f"Its owner, {owner}, has {_plural(int(result.value or 0), 'setting')} judged inadequate or suspended by "
            f"Ofsted in the last twelve months" + (f" ({shown})" if shown else ""))


def _history_observed(result: IndicatorResult, facts: ReasonFacts) -> dt.date | None:
    """The date of the latest Ofsted record an Ofsted history signal rests on."""
    if result.metric == "ofsted-suspended-12m":
        dates = history_signals.suspended_in_window(facts.facts.setting, facts.facts.history, facts.as_at)
        return max(dates) if dates else None
    if result.metric in ("ofsted-downgrade-steps", "ofsted-below-good-run"):
        graded = history_signals.full_overall(facts.facts.history, facts.as_at)
        return graded[-1][0] if graded else None
    return None


_PHRASES.update({
    "ofsted-downgrade-steps": _downgrade_words,
    "ofsted-below-good-run": _below_good_words,
    "ofsted-suspended-12m": _suspended_words,
    history_signals.PROVIDER_GROUP_METRIC: _owner_words,
})
#: metrics read from a setting's Ofsted history (their source is Ofsted)
HISTORY_METRICS = frozenset({"ofsted-downgrade-steps", "ofsted-below-good-run", "ofsted-suspended-12m",
                             history_signals.PROVIDER_GROUP_METRIC})


def indicator_phrase(results: Sequence[IndicatorResult], facts: ReasonFacts) -> str:
    """The figures of one or more indicators about the same thing, with the threshold each reached."""
    restraint = [r for r in results if r.metric in ("restraint-rate", "restraint-trend")]
    parts = [_restraint_phrase(restraint, facts)] if restraint else []
    for result in results:
        if result in restraint:
            continue
        words = _PHRASES.get(result.metric)
        threshold = _threshold(result)
        if words is not None:
            parts.append(words(result, facts) + (f", {threshold}" if threshold else ""))
        else:
            indicator = facts.requirement(result.indicator)
            title = indicator.title if indicator is not None else result.metric
            parts.append(f"{title}: {result.basis}" + (f", {threshold}" if threshold else ""))
    text = "; ".join(parts)
    return text[0].upper() + text[1:] if text else text


def indicator_reasons(facts: ReasonFacts, drafts: list[Draft]) -> list[Draft]:
    """Join each red or amber risk indicator to the failing requirement it counts, or give it its own reason."""
    flagged = [r for r in facts.indicators if r.axis is Axis.RISK and r.level is not None]
    standing: dict[str, list[IndicatorResult]] = defaultdict(list)
    requirement_drafts = [d for d in drafts if d.rule in ("not-met", "overdue")]
    for result in flagged:
        kind = METRIC_KINDS.get(result.metric)
        target = None
        if kind is not None:
            target = next((d for d in requirement_drafts if kind in d.kinds), None)
            if target is not None:
                if target.rule == "not-met" and result.metric in PLACEMENT_METRICS:
                    target.join = "replace"  # "9 of 10 children have no advocate" says what the returns found
            else:
                target = next((d for d in requirement_drafts if any(
                    kind in _kinds(rid, facts) for rid in d.requirements)), None)
                if target is not None:  # name first the requirement the indicator joined through
                    target.requirements.sort(key=lambda rid: kind not in _kinds(rid, facts))
        if target is not None:
            target.joined.append(result)
        else:
            group = "restraint" if result.metric in ("restraint-rate", "restraint-trend") else result.indicator
            standing[group].append(result)
    out = []
    for results in standing.values():
        level = Rating.RED if any(r.level is Level.RED for r in results) else Rating.AMBER
        observed = None
        figure = METRIC_FIGURES.get(results[0].metric)
        if figure is not None:
            months = [m.month for m in facts.facts.figures(figure) if m.month <= facts.as_at]
            observed = max(months) if months else None
        elif results[0].metric in HISTORY_METRICS:
            observed = _history_observed(results[0], facts)
        draft = Draft("indicator", 4, level, "", observed=observed or facts.as_at, join="replace")
        draft.joined = list(results)
        out.append(draft)
    return out


def _kinds(rid: str, facts: ReasonFacts) -> frozenset[str]:
    return facts.ff.evidenced_by(rid)


def disagreement_reasons(facts: ReasonFacts) -> list[Draft]:
    """Requirements on which Ofsted and CQC point opposite ways (named once, with how many there are)."""
    rids = [f.requirement for f in facts.findings if Flag.REGULATORS_DISAGREE in f.flags]
    if not rids:
        return []
    rids = _leaves(rids, facts)
    return [Draft("regulators-disagree", 5, Rating.AMBER, "Ofsted and CQC point opposite ways", rids,
                   {"ofsted", "cqc"})]


def setting_reasons(facts: ReasonFacts) -> tuple[SettingReason, ...]:
    """Every reason for one setting, ranked by :data:`REASON_RANKING`."""
    drafts = [*rated_good_but_reason(facts), *judgement_reasons(facts)]
    requirement_drafts = [*not_met_reasons(facts), *overdue_reasons(facts)]
    # joins are tried in ranking order, so an indicator joins the most serious reason it fits
    requirement_drafts.sort(key=lambda d: (d.tier, d.level.rank, -len(d.sources), d.rule))
    drafts += requirement_drafts
    drafts += indicator_reasons(facts, requirement_drafts)
    drafts += disagreement_reasons(facts)
    finished = [(d, d.finish(facts)) for d in drafts]
    if finished and finished[0][0].rule == "rated-good-but":  # it weighs as much as the signs it joins up
        worst = min((r.level for _, r in finished[1:]), key=lambda level: level.rank, default=Rating.AMBER)
        finished[0] = (finished[0][0], attrs.evolve(finished[0][1], level=worst))
    finished.sort(key=lambda pair: (pair[0].tier, pair[1].level.rank, -len(pair[1].sources), -pair[0].late_days,
                                    -len(pair[0].requirements), pair[1].text))
    return tuple(reason for _, reason in finished)


def reasons_for(ff: FrameworkFacts, facts: indicator_rules.SettingFacts, findings: Sequence[FindingHeadline],
                indicator_results: Sequence[IndicatorResult], judgements: Sequence[RegulatorJudgement],
                flag: RatedGoodBut | None, items_by_kind: dict[str, list[EvidenceItem]],
                placements: Sequence[Placement] = (), *,
                misses: Mapping[str, Sequence[Miss]] | None = None,
                relied: Mapping[str, EvidenceItem] | None = None,
                sources: Mapping[str, list[str]] | None = None) -> tuple[SettingReason, ...]:
    """The ranked reasons of one setting (the entry point :mod:`regframe.assess.setting` calls).

    ``findings`` need hold only those failing or flagged (contradicted, disagreeing): no other is read.
    ``misses`` are the missed deadlines of each requirement's cadence, by requirement id, and ``relied``
    the items the findings rest on, by id, and ``sources`` the sources (values, sorted) of the current records
    of each evidence kind, where the caller has worked them out already.
    """
    return setting_reasons(ReasonFacts(ff, facts, findings, indicator_results, judgements, flag, items_by_kind,
                                       misses, relied, sources))
